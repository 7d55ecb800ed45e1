package sync

import (
	"container/heap"
	"errors"
	"fmt"
	"iter"

	"github.com/asynkit-go/asynkit/internal/ring"
	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
)

// Queue is a queue of items between tasks (asyncio.Queue): Put waits while
// it is full, Get while it is empty, TryPut and TryGet never wait, and Join
// waits until every item put has been marked done with TaskDone. Make one
// with NewQueue, NewPriorityQueue or NewLifoQueue; the zero Queue is an
// unbounded FIFO queue, ready to use. It must not be copied.
// Passing an item from one task to another through a bounded queue costs
// about 40 ns and no allocation (BenchmarkQueueTransfer).
type Queue[T any] struct {
	binding
	items    store[T]
	maxsize  int // 0: unbounded
	getters  waitq.List
	putters  waitq.List
	finished waitq.List // Join's waiters
	unfinish int
	shutdown bool
}

// store is how a queue keeps its items: FIFO, LIFO, or a heap.
type store[T any] interface {
	push(v T)
	pop() T
	len() int
}

// NewQueue returns a FIFO queue holding at most maxsize items (0 or less:
// unbounded).
func NewQueue[T any](maxsize int) *Queue[T] { return newQueue[T](maxsize, &fifo[T]{}) }

// NewLifoQueue returns a queue that gives the item put last first
// (asyncio.LifoQueue).
func NewLifoQueue[T any](maxsize int) *Queue[T] { return newQueue[T](maxsize, &lifo[T]{}) }

// NewPriorityQueue returns a queue that gives the least item first, by
// less (asyncio.PriorityQueue); items that compare equal come in no set
// order. It panics if less is nil.
func NewPriorityQueue[T any](maxsize int, less func(a, b T) bool) *Queue[T] {
	if less == nil {
		panic("sync.NewPriorityQueue: nil less")
	}
	return newQueue[T](maxsize, &prio[T]{less: less})
}

func newQueue[T any](maxsize int, s store[T]) *Queue[T] {
	return &Queue[T]{items: s, maxsize: max(maxsize, 0)}
}

// store returns the queue's items, made FIFO on first use of a zero Queue.
func (q *Queue[T]) store() store[T] {
	if q.items == nil {
		q.items = &fifo[T]{}
	}
	return q.items
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int { return q.store().len() }

// Cap returns the maximum number of items, 0 for unbounded.
func (q *Queue[T]) Cap() int { return q.maxsize }

// Empty reports whether the queue has no items.
func (q *Queue[T]) Empty() bool { return q.store().len() == 0 }

// Full reports whether a bounded queue is at its maximum.
func (q *Queue[T]) Full() bool { return q.maxsize > 0 && q.store().len() >= q.maxsize }

// Put adds v, waiting while the queue is full. It returns ErrQueueShutDown
// once the queue is shut down, and the error that ended a wait (a
// cancellation), in which case v was not added and the room it may have
// been handed goes to the next putter.
func (q *Queue[T]) Put(co *iterco.Co, v T) error {
	if _, err := q.bind(co); err != nil {
		return err
	}
	for q.Full() {
		if q.shutdown {
			return ErrQueueShutDown
		}
		if q.putters.Label == nil {
			q.putters.Kind, q.putters.Label = "asyncsync.Queue.Put", func() string { return fmt.Sprintf("asyncsync.Queue.Put (full: %d items)", q.Len()) }
		}
		if _, err := q.putters.Wait(co, q.putters.Join(q.loop)); err != nil {
			return q.putNone(err)
		}
	}
	return q.TryPut(v)
}

// putNone ends a Put whose wait err ended: the room it may have been
// handed goes on to the next putter. (Not inlined: Put's frame, which
// stays under the suspension while the task is parked, keeps no room
// for it.)
//
//go:noinline
func (q *Queue[T]) putNone(err error) error {
	if !q.Full() {
		q.putters.WakeFirst()
	}
	return err
}

// TryPut adds v without waiting: ErrQueueFull if there is no room,
// ErrQueueShutDown after Shutdown.
func (q *Queue[T]) TryPut(v T) error {
	switch {
	case q.shutdown:
		return ErrQueueShutDown
	case q.Full():
		return ErrQueueFull
	}
	q.store().push(v)
	q.unfinish++
	q.getters.WakeFirst()
	return nil
}

// Get removes and returns an item, waiting while the queue is empty. It
// returns ErrQueueShutDown once the queue is shut down and empty (at once,
// after an immediate shutdown), and the error that ended a wait (a
// cancellation), in which case nothing was taken.
func (q *Queue[T]) Get(co *iterco.Co) (T, error) {
	if _, err := q.bind(co); err != nil {
		var zero T
		return zero, err
	}
	for q.Empty() {
		if q.shutdown {
			var zero T
			return zero, ErrQueueShutDown
		}
		if q.getters.Label == nil {
			q.getters.Kind, q.getters.Label = "asyncsync.Queue.Get", func() string { return "asyncsync.Queue.Get (empty)" }
		}
		if _, err := q.getters.Wait(co, q.getters.Join(q.loop)); err != nil {
			var zero T
			return zero, q.getNone(err)
		}
	}
	return q.TryGet()
}

// getNone ends a Get whose wait err ended: the item it may have been
// woken for goes on to the next getter. (Not inlined: Get's frame, which
// stays under the suspension while the task is parked, keeps no room
// for it.)
//
//go:noinline
func (q *Queue[T]) getNone(err error) error {
	if !q.Empty() {
		q.getters.WakeFirst()
	}
	return err
}

// All returns an iterator over the items co's task gets from the queue,
// for a consumer: it waits while the queue is empty, and the range ends
// once the queue is shut down and drained. Shutdown(false) is to a Queue
// what close is to a channel; an immediate shutdown ends the range at
// once. A wait that fails otherwise (the task is cancelled) yields the
// zero item with the error, then ends:
//
//	for v, err := range q.All(co) {
//		if err != nil {
//			return err
//		}
//		use(v)
//	}
func (q *Queue[T]) All(co *iterco.Co) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := q.Get(co)
			switch {
			case err == nil:
				if !yield(v, nil) {
					return
				}
			case errors.Is(err, ErrQueueShutDown):
				return
			default:
				yield(v, err)
				return
			}
		}
	}
}

// TryGet removes and returns an item without waiting: ErrQueueEmpty if
// there is none (ErrQueueShutDown if the queue is also shut down).
func (q *Queue[T]) TryGet() (T, error) {
	if q.Empty() {
		var zero T
		if q.shutdown {
			return zero, ErrQueueShutDown
		}
		return zero, ErrQueueEmpty
	}
	v := q.store().pop()
	q.putters.WakeFirst()
	return v, nil
}

// TaskDone marks one item taken with Get as processed. When every item put
// is done, Join's waiters wake. More calls than items put return
// ErrTaskDoneTooMany.
func (q *Queue[T]) TaskDone() error {
	if q.unfinish <= 0 {
		return ErrTaskDoneTooMany
	}
	q.unfinish--
	if q.unfinish == 0 {
		q.finished.WakeAll()
	}
	return nil
}

// Join waits until every item put has been marked done.
func (q *Queue[T]) Join(co *iterco.Co) error {
	if _, err := q.bind(co); err != nil {
		return err
	}
	if q.unfinish == 0 {
		return nil
	}
	if q.finished.Label == nil {
		q.finished.Kind, q.finished.Label = "asyncsync.Queue.Join", func() string { return fmt.Sprintf("asyncsync.Queue.Join (%d items not done)", q.unfinish) }
	}
	_, err := q.finished.Wait(co, q.finished.Join(q.loop))
	return err
}

// Shutdown shuts the queue down (Python 3.13): Put fails from now on with
// ErrQueueShutDown, and so does Get once the queue is empty; waiting
// putters and getters wake with that error. With immediate, the items left
// are dropped (each counted done for Join) and Get fails at once.
func (q *Queue[T]) Shutdown(immediate bool) {
	q.shutdown = true
	if immediate {
		for q.store().len() > 0 {
			q.store().pop()
			if q.unfinish > 0 {
				q.unfinish--
			}
		}
		if q.unfinish == 0 {
			q.finished.WakeAll()
		}
	}
	q.getters.WakeAll()
	q.putters.WakeAll()
}

// fifo serves values in the order they came.
type fifo[T any] struct{ ring.Buffer[T] }

func (f *fifo[T]) len() int { return f.Len() }
func (f *fifo[T]) push(v T) { f.PushBack(v) }
func (f *fifo[T]) pop() T {
	v := f.PopFront()
	f.Fit()
	return v
}

// lifo serves the latest value first.
type lifo[T any] struct{ ring.Buffer[T] }

func (l *lifo[T]) len() int { return l.Len() }
func (l *lifo[T]) push(v T) { l.PushBack(v) }
func (l *lifo[T]) pop() T {
	v := l.PopBack()
	l.Fit()
	return v
}

type prio[T any] struct {
	s    []T
	less func(a, b T) bool
}

func (p *prio[T]) len() int { return len(p.s) }
func (p *prio[T]) push(v T) { heap.Push((*prioHeap[T])(p), v) }
func (p *prio[T]) pop() T   { return heap.Pop((*prioHeap[T])(p)).(T) }

type prioHeap[T any] prio[T]

func (h *prioHeap[T]) Len() int           { return len(h.s) }
func (h *prioHeap[T]) Less(i, j int) bool { return h.less(h.s[i], h.s[j]) }
func (h *prioHeap[T]) Swap(i, j int)      { h.s[i], h.s[j] = h.s[j], h.s[i] }
func (h *prioHeap[T]) Push(x any)         { h.s = append(h.s, x.(T)) }
func (h *prioHeap[T]) Pop() any {
	var zero T
	v := h.s[len(h.s)-1]
	h.s[len(h.s)-1] = zero
	h.s = h.s[:len(h.s)-1]
	return v
}
