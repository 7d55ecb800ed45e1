package task

import (
	"container/heap"
	"time"
)

// Timer is a callback scheduled with [Loop.CallLater] or [Loop.CallAt].
type Timer struct {
	when  time.Time
	seq   uint64
	fn    func()
	index int // in the heap; -1 once fired or cancelled
	loop  *Loop
}

// When returns the time the timer is due.
func (t *Timer) When() time.Time { return t.when }

// Cancel stops the timer, reporting whether it was still pending. Call it
// on the loop's goroutine.
func (t *Timer) Cancel() bool {
	if t.index < 0 {
		return false
	}
	heap.Remove(&t.loop.timers, t.index)
	return true
}

// timerHeap orders timers by deadline, then by the order they were armed,
// so timers due at the same time fire in the order they were set.
type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}

func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}
