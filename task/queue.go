package task

// Handle is one entry of a loop's ready queue: a callback, or the next step
// of a task. A task's handle is a field of the task, so queueing a task
// allocates nothing.
type Handle struct {
	fn   func() // nil once cancelled
	task *core
}

// Cancel keeps a queued callback from running. Cancelling a task's handle
// is not possible this way: cancel the task.
func (h *Handle) Cancel() { h.fn = nil }

// Cancelled reports whether the handle is a callback that was cancelled.
func (h *Handle) Cancelled() bool { return h.fn == nil && h.task == nil }

// Queue is a loop's ready queue. The loop pushes at the back and pops at
// the front; a custom queue (a priority queue, say) may order entries its
// own way. It is used only on the loop's goroutine.
type Queue interface {
	// Len returns the number of queued handles.
	Len() int
	// PushBack queues h last.
	PushBack(h *Handle)
	// PopFront removes and returns the next handle; the queue is not empty.
	PopFront() *Handle
}

// deque is the default Queue: a ring buffer of handles, O(1) at both ends.
type deque struct {
	buf  []*Handle
	head int
	n    int
}

func (q *deque) Len() int { return q.n }

func (q *deque) PushBack(h *Handle) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = h
	q.n++
}

func (q *deque) front() *Handle { return q.buf[q.head] }

func (q *deque) PopFront() *Handle {
	h := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	return h
}

func (q *deque) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 16
	}
	buf := make([]*Handle, size)
	for i := range q.n {
		buf[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = buf, 0
}
