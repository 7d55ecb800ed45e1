package priority

import (
	"context"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// BoostAfter is how many pops of the queue a queued handle waits to count
// as one step of priority better (see "Boosting" in the package doc).
const BoostAfter = 16

// Queue is a [task.Queue] that runs the handle of best effective priority
// first, FIFO among equals, with position inserts in an immediate class
// ahead of every priority (see the package doc). Make one with NewQueue;
// it serves one loop, on that loop's goroutine. Queueing and popping cost
// O(log n) in the handles queued; moving a queued task to a new priority
// too.
type Queue struct {
	imm   []*task.Handle // position inserts, in order
	heap  []entry
	seq   uint64 // handles queued, for FIFO among equals
	pops  int64  // handles popped, the clock of aging
	boost int64  // BoostAfter, or 0 for none
}

type entry struct {
	key int64 // see Queue.key
	seq uint64
	h   *task.Handle
	at  int64 // pops before it was queued
}

var _ task.FrontQueue = (*Queue)(nil)

// QueueOption configures a Queue.
type QueueOption interface{ applyQueue(*Queue) }

type withoutBoost struct{}

func (withoutBoost) applyQueue(q *Queue) { q.boost = 0 }

// WithoutBoost turns aging off: handles run strictly by priority, FIFO
// among equals, and a flood of urgent work can keep the rest waiting.
func WithoutBoost() QueueOption { return withoutBoost{} }

// NewQueue returns an empty priority queue for [task.WithQueue].
func NewQueue(opts ...QueueOption) *Queue {
	q := &Queue{boost: BoostAfter}
	for _, o := range opts {
		o.applyQueue(q)
	}
	return q
}

// NewLoop returns a loop whose ready queue is a new priority Queue: a
// shorthand for task.NewLoop(task.WithQueue(NewQueue()), opts...).
func NewLoop(opts ...task.LoopOption) *task.Loop {
	return task.NewLoop(append([]task.LoopOption{task.WithQueue(NewQueue())}, opts...)...)
}

// Run is [task.Run] on a loop whose ready queue is a new priority Queue.
func Run[T any](ctx context.Context, main iterco.Func[T], opts ...task.LoopOption) (T, error) {
	return task.Run(ctx, main, append([]task.LoopOption{task.WithQueue(NewQueue())}, opts...)...)
}

// priorityOf is the priority a handle is queued with: its task's
// effective priority, Normal for a callback.
func priorityOf(h *task.Handle) int {
	s, _ := h.Attached(stateKey).(*state)
	if s == nil {
		return Normal // a callback, or a task given no priority
	}
	if len(s.held) == 0 {
		return s.base // holds no lock: nothing to inherit
	}
	return Effective(h.Task())
}

// Len implements [task.Queue].
func (q *Queue) Len() int { return len(q.imm) + len(q.heap) }

// PushBack implements [task.Queue]: h goes by its priority.
func (q *Queue) PushBack(h *task.Handle) {
	q.seq++
	q.heap = append(q.heap, entry{key: q.key(priorityOf(h), q.pops), at: q.pops, seq: q.seq, h: h})
	i := len(q.heap) - 1
	h.SetSlot(uint32(i + 1))
	q.up(i)
}

// PopFront implements [task.Queue]: the first position insert, else the
// handle of best priority.
func (q *Queue) PopFront() *task.Handle {
	q.pops++
	if len(q.imm) > 0 {
		h := q.imm[0]
		copy(q.imm, q.imm[1:])
		q.imm[len(q.imm)-1] = nil
		q.imm = q.imm[:len(q.imm)-1]
		return h
	}
	return q.removeAt(0)
}

// Front implements [task.FrontQueue]: the handle PopFront returns next.
func (q *Queue) Front() *task.Handle {
	if len(q.imm) > 0 {
		return q.imm[0]
	}
	return q.heap[0].h
}

// Insert implements [task.Queue]: h joins the immediate class at pos, or at
// its end.
func (q *Queue) Insert(pos int, h *task.Handle) {
	pos = min(pos, len(q.imm))
	q.imm = append(q.imm, nil)
	copy(q.imm[pos+1:], q.imm[pos:])
	q.imm[pos] = h
	h.SetSlot(0)
}

// Remove implements [task.Queue].
func (q *Queue) Remove(h *task.Handle) bool {
	if i := int(h.Slot()) - 1; i >= 0 && i < len(q.heap) && q.heap[i].h == h {
		q.removeAt(i)
		return true
	}
	for i, x := range q.imm {
		if x == h {
			q.imm = append(q.imm[:i], q.imm[i+1:]...)
			return true
		}
	}
	return false
}

// Find implements [task.Queue]: the immediate class from the back, then
// the rest in no set order.
func (q *Queue) Find(pred func(*task.Handle) bool) *task.Handle {
	for i := len(q.imm) - 1; i >= 0; i-- {
		if pred(q.imm[i]) {
			return q.imm[i]
		}
	}
	for _, e := range q.heap {
		if pred(e.h) {
			return e.h
		}
	}
	return nil
}

// fix moves a queued h to the place of its task's priority now, keeping
// when it was queued. A handle not in the heap is left alone.
func (q *Queue) fix(h *task.Handle) {
	i := int(h.Slot()) - 1
	if i < 0 || i >= len(q.heap) || q.heap[i].h != h || !h.Queued() {
		return
	}
	q.heap[i].key = q.key(priorityOf(h), q.heap[i].at)
	if !q.down(i) {
		q.up(i)
	}
}

// key orders the heap: priority, aged by the pops since it was queued
// (at), so that the order of two entries never changes while they wait.
func (q *Queue) key(prio int, at int64) int64 {
	if q.boost == 0 {
		return int64(prio)
	}
	return int64(prio)*q.boost + at
}

// The heap is 4-ary, and its sifts move a hole rather than swap: fewer
// levels, and one write of a handle's slot for each entry moved.
const arity = 4

func before(a, b *entry) bool { return a.key < b.key || a.key == b.key && a.seq < b.seq }

// place puts e at i and tells its handle.
func (q *Queue) place(i int, e entry) {
	q.heap[i] = e
	e.h.SetSlot(uint32(i + 1))
}

func (q *Queue) removeAt(i int) *task.Handle {
	h := q.heap[i].h
	n := len(q.heap) - 1
	last := q.heap[n]
	q.heap[n] = entry{}
	q.heap = q.heap[:n]
	if i != n {
		q.place(i, last)
		if !q.down(i) {
			q.up(i)
		}
	}
	h.SetSlot(0)
	return h
}

func (q *Queue) up(j int) {
	e := q.heap[j]
	moved := false
	for j > 0 {
		i := (j - 1) / arity
		if !before(&e, &q.heap[i]) {
			break
		}
		q.place(j, q.heap[i])
		j, moved = i, true
	}
	if moved {
		q.place(j, e)
	}
}

func (q *Queue) down(i0 int) bool {
	n := len(q.heap)
	e := q.heap[i0]
	i := i0
	for {
		first := arity*i + 1
		if first >= n {
			break
		}
		best := first
		for c := first + 1; c < min(first+arity, n); c++ {
			if before(&q.heap[c], &q.heap[best]) {
				best = c
			}
		}
		if !before(&q.heap[best], &e) {
			break
		}
		q.place(i, q.heap[best])
		i = best
	}
	if i > i0 {
		q.place(i, e)
	}
	return i > i0
}
