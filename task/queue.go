package task

import "github.com/asynkit-go/asynkit/internal/ring"

// Handle is one entry of a loop's ready queue: a callback, or the next step
// of a task. A task's handle is a field of the task, so queueing a task
// allocates nothing, and the loop always knows whether a task is queued.
type Handle struct {
	// job is what the handle runs: a task's next step (the *Task that
	// holds the handle: how its core finds its typed Task again) or a
	// callback, nil once cancelled. One word pair for either keeps a task
	// small.
	job    job
	gen    uint32 // the deque's mark of the handle's live entry
	queued bool   // kept by the loop
}

// job is what a [Handle] runs: a *Task (its next step), a callback, or
// the wake-up of a *sleep whose time is up (which a callback would do
// with a closure, one allocation more for every Sleep).
type job interface {
	// base returns the task's core, nil for a callback or a sleep.
	base() *core
}

// callback is a function queued on a loop.
type callback func()

func (callback) base() *core { return nil }

// Cancel keeps a queued callback from running; it keeps its place in the
// queue (asyncio's rule), so positions do not shift. A task's handle
// cannot be cancelled this way: cancel the task.
func (h *Handle) Cancel() {
	switch h.job.(type) {
	case callback, *sleep:
		h.job = callback(nil)
	}
}

// Cancelled reports whether the handle is a callback that was cancelled.
func (h *Handle) Cancelled() bool {
	fn, ok := h.job.(callback)
	return ok && fn == nil
}

// Task returns the task whose step h is, or nil for a callback.
func (h *Handle) Task() Any {
	t, _ := h.job.(Any)
	return t
}

// Queued reports whether h is in its loop's ready queue.
func (h *Handle) Queued() bool { return h.queued }

// Slot returns the number the loop's queue keeps in h, and SetSlot sets
// it: a custom Queue keeps a handle's index there, to find it in O(1).
// Only the queue that holds h may use it (the default queue keeps its own
// marks there).
func (h *Handle) Slot() uint32 { return h.gen }

// SetSlot sets the number Slot returns.
func (h *Handle) SetSlot(v uint32) { h.gen = v }

// Attached returns the value the task of h has under key (see Attach),
// or nil, also for a callback: a custom Queue's way to read what a package
// keeps on a task without going through the task.
func (h *Handle) Attached(key any) any {
	if h.job == nil {
		return nil
	}
	if c := h.job.base(); c != nil {
		return c.attached(key)
	}
	return nil
}

// HandleOf returns t's handle: the entry of its next step in the ready
// queue, for a custom Queue that must move a queued task (a priority
// queue, when the task's priority changes).
func HandleOf(t Any) *Handle { return &t.base().h }

// Queue returns the loop's ready queue.
func (l *Loop) Queue() Queue { return l.ready }

// Queue is a loop's ready queue of handles. The loop pops at the front and
// pushes at the back; the scheduling tools insert at positions and remove
// from the middle. A custom queue (a priority queue, say) may order entries
// its own way. It is used only on the loop's goroutine, and sees each
// handle at most once at a time.
type Queue interface {
	// Len returns the number of queued handles.
	Len() int
	// PushBack queues h last.
	PushBack(h *Handle)
	// PopFront removes and returns the next handle; the queue is not empty.
	PopFront() *Handle
	// Insert queues h so that pos handles run before it; 0 <= pos <= Len().
	Insert(pos int, h *Handle)
	// Remove takes h out of the queue, reporting whether it was there.
	Remove(h *Handle) bool
	// Find returns the handle nearest the back for which pred is true, or
	// nil.
	Find(pred func(*Handle) bool) *Handle
}

// FrontQueue is a Queue that can show the handle PopFront would return,
// without removing it. A loop whose queue is one lets a task about to park
// resume the parked task next in line itself, one coroutine switch
// instead of two through the scheduler; the order of everything is the
// same. The default queue is one, and so is package priority's.
type FrontQueue interface {
	Queue
	// Front returns the handle PopFront would return; the queue is not
	// empty.
	Front() *Handle
}

// deque is the default Queue: a ring buffer of handles. Push, pop and
// Remove are O(1): Remove marks the handle's entry stale (its generation no
// longer matches) and later pops skip it. Insert at pos is O(pos).
type deque struct {
	ring ring.Buffer[entry] // stale entries included
	live int
}

type entry struct {
	h   *Handle
	gen uint32
}

func (e *entry) stale() bool { return e.h.gen != e.gen }

var _ Queue = (*deque)(nil)

func (q *deque) Len() int { return q.live }

func (q *deque) PushBack(h *Handle) {
	if q.ring.Full() {
		q.makeRoom()
	}
	h.gen++
	q.ring.Put(entry{h, h.gen})
	q.live++
}

// skip drops stale entries at the front.
func (q *deque) skip() {
	for q.ring.Len() > 0 && q.ring.Front().stale() {
		q.ring.PopFront()
	}
}

// front returns the next handle without removing it; the queue is not
// empty.
func (q *deque) front() *Handle {
	q.skip()
	return q.ring.Front().h
}

// Front implements FrontQueue.
func (q *deque) Front() *Handle { return q.front() }

func (q *deque) PopFront() *Handle {
	q.skip()
	h := q.ring.PopFront().h
	q.ring.Fit()
	q.live--
	h.gen++
	return h
}

func (q *deque) Remove(h *Handle) bool {
	if !h.queued {
		return false
	}
	h.gen++ // its entry is stale now
	q.live--
	return true
}

func (q *deque) Insert(pos int, h *Handle) {
	if pos >= q.live {
		q.PushBack(h)
		return
	}
	if q.ring.Full() {
		q.makeRoom()
	}
	q.skip()
	// The slot of the pos-th live entry, stale entries before it counted.
	i, seen := 0, 0
	for ; seen < pos || q.ring.At(i).stale(); i++ {
		if !q.ring.At(i).stale() {
			seen++
		}
	}
	h.gen++
	if i == 0 {
		q.ring.PushFront(entry{h, h.gen})
	} else {
		q.ring.Insert(i, entry{h, h.gen})
	}
	q.live++
}

func (q *deque) Find(pred func(*Handle) bool) *Handle {
	for i := q.ring.Len() - 1; i >= 0; i-- {
		if e := q.ring.At(i); !e.stale() && pred(e.h) {
			return e.h
		}
	}
	return nil
}

// makeRoom, for a full ring, drops stale entries in place when they are
// at least half of it, so that moving tasks about does not allocate;
// otherwise it doubles the ring.
func (q *deque) makeRoom() {
	if q.ring.Cap() > 0 && 2*q.live <= q.ring.Cap() {
		k := 0
		for i := range q.ring.Len() {
			if e := *q.ring.At(i); !e.stale() {
				*q.ring.At(k) = e
				k++
			}
		}
		q.ring.Truncate(k)
		return
	}
	q.ring.Grow()
}

// push, pop and queued call the ready queue, directly when it is the
// default one: these are the hottest calls of the loop.
func (l *Loop) push(h *Handle) {
	h.queued = true
	if l.fifo != nil {
		l.fifo.PushBack(h)
	} else {
		l.ready.PushBack(h)
	}
}

// front returns the handle pop returns next; the queue is not empty and
// shows its next handle (l.peek is set).
func (l *Loop) front() *Handle {
	if l.fifo != nil {
		return l.fifo.front()
	}
	return l.peek.Front()
}

func (l *Loop) pop() *Handle {
	var h *Handle
	if l.fifo != nil {
		h = l.fifo.PopFront()
	} else {
		h = l.ready.PopFront()
	}
	h.queued = false
	return h
}

// insert queues h at pos with list-insert semantics: past the end
// appends, a negative pos counts from the end.
func (l *Loop) insert(pos int, h *Handle) {
	n := l.queued()
	if pos < 0 {
		pos = max(pos+n, 0)
	}
	h.queued = true
	if l.fifo != nil {
		l.fifo.Insert(min(pos, n), h)
	} else {
		l.ready.Insert(min(pos, n), h)
	}
}

// remove takes a queued h out of the ready queue.
func (l *Loop) remove(h *Handle) bool {
	if !h.queued {
		return false
	}
	if l.fifo != nil {
		l.fifo.Remove(h)
	} else if !l.ready.Remove(h) {
		return false
	}
	h.queued = false
	return true
}

func (l *Loop) queued() int {
	if l.fifo != nil {
		return l.fifo.live
	}
	return l.ready.Len()
}

func (l *Loop) enqueue(c *core) {
	if !l.closed {
		l.push(&c.h)
	}
}
