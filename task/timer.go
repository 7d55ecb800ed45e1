package task

import "time"

// Timer is a callback scheduled with [Loop.CallLater] or [Loop.CallAt].
type Timer struct {
	h     Handle // what is queued when the timer comes due
	at    int64  // when it is due: nanoseconds from the loop's origin
	seq   uint64 // arming order, for timers due at the same time
	index int    // in the heap; -1 once fired or cancelled
	loop  *Loop
}

// When returns the time the timer is due.
func (t *Timer) When() time.Time { return t.loop.origin.Add(time.Duration(t.at)) }

// Cancel stops the timer, reporting whether it was still pending. A timer
// that came due but whose callback has not run yet is cancelled too (its
// callback is skipped), and Cancel reports false for it. Call it on the
// loop's goroutine.
func (t *Timer) Cancel() bool {
	if t.index < 0 {
		t.h.Cancel()
		return false
	}
	t.loop.timers.remove(t.index)
	return true
}

// CallLater schedules fn to run after d, which may be zero or negative.
func (l *Loop) CallLater(d time.Duration, fn func()) *Timer {
	return l.CallAt(l.now().Add(d), fn)
}

// CallAt schedules fn to run at t, on the loop's clock ([Loop.Now]).
func (l *Loop) CallAt(t time.Time, fn func()) *Timer {
	tm := &Timer{h: Handle{job: callback(fn)}}
	l.arm(tm, t)
	return tm
}

// arm sets tm, which may be part of a larger allocation, to run at t
// what its handle holds: a callback, or a sleep's wake-up.
func (l *Loop) arm(tm *Timer, t time.Time) {
	l.made("task.Loop.CallAt")
	l.seq++
	tm.at = l.offset(t)
	tm.seq = l.seq
	tm.loop = l
	l.timers.push(tm)
}

// nowOffset is l.offset(l.now()), cheaper on the wall clock: one reading
// of the monotonic clock instead of a wall and a monotonic one.
func (l *Loop) nowOffset() int64 {
	if l.clock == nil {
		return int64(time.Since(l.origin))
	}
	return l.offset(l.now())
}

// offset returns t on the loop's timeline: nanoseconds from its origin, so
// that the heap compares integers (and a wall time's monotonic reading
// still counts).
func (l *Loop) offset(t time.Time) int64 { return int64(t.Sub(l.origin)) }

// timerHeap orders timers by deadline, then by the order they were armed,
// so timers due at the same time fire in the order they were set. It is
// container/heap written out for *Timer, without the interface calls.
type timerHeap []*Timer

func (h timerHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	return a.at < b.at || a.at == b.at && a.seq < b.seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

func (h *timerHeap) push(t *Timer) {
	t.index = len(*h)
	*h = append(*h, t)
	h.up(t.index)
}

// pop removes and returns the earliest timer.
func (h *timerHeap) pop() *Timer { return h.remove(0) }

func (h *timerHeap) remove(i int) *Timer {
	old := *h
	n := len(old) - 1
	if i != n {
		old.swap(i, n)
		if !old[:n].down(i) {
			old[:n].up(i)
		}
	}
	t := old[n]
	old[n] = nil
	*h = old[:n]
	t.index = -1
	return t
}

func (h timerHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		j = i
	}
}

func (h timerHeap) down(i0 int) bool {
	i, n := i0, len(h)
	for {
		j := 2*i + 1
		if j >= n || j < 0 {
			break
		}
		if j2 := j + 1; j2 < n && h.less(j2, j) {
			j = j2
		}
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		i = j
	}
	return i > i0
}
