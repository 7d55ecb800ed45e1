package task

import (
	"errors"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// Recv receives from the Go channel ch in the task co, without blocking
// the loop: a value ready now is taken at once; otherwise the task waits
// while a goroutine receives. ok is false once ch is closed and drained,
// as for a receive in Go. If the task is cancelled while it waits, Recv
// returns the cancellation, and a value the goroutine took in the same
// instant is lost (as with any receive that races a cancellation in a
// select).
func Recv[T any](co *iterco.Co, ch <-chan T) (v T, ok bool, err error) {
	mustCo(co, "task.Recv")
	select {
	case v, ok = <-ch:
		return v, ok, nil
	default:
	}
	r, err := waitOnChannel(co, "task.Recv call", func(stop <-chan struct{}) (received[T], error) {
		select {
		case v, ok := <-ch:
			return received[T]{v, ok}, nil
		case <-stop:
			return received[T]{}, errStopped
		}
	})
	return r.v, r.ok, err
}

type received[T any] struct {
	v  T
	ok bool
}

// Send sends v on the Go channel ch from the task co, without blocking the
// loop: at once if a receiver or buffer space is ready, otherwise from a
// goroutine while the task waits. If the task is cancelled while it
// waits, v is not sent, unless the goroutine sent it in the same instant.
// A send on a closed channel panics, as in Go (a panic of the goroutine
// comes back as an *[iterco.PanicError]).
func Send[T any](co *iterco.Co, ch chan<- T, v T) error {
	mustCo(co, "task.Send")
	select {
	case ch <- v:
		return nil
	default:
	}
	_, err := waitOnChannel(co, "task.Send call", func(stop <-chan struct{}) (struct{}, error) {
		select {
		case ch <- v:
			return struct{}{}, nil
		case <-stop:
			return struct{}{}, errStopped
		}
	})
	return err
}

// errStopped is what a channel operation returns once its task stopped
// waiting for it: nobody reads it.
var errStopped = errors.New("task: channel operation stopped")

// waitOnChannel runs op, a channel operation that would block, on a
// goroutine while the task co waits for its outcome: [Go] made lean for
// the one thing Recv and Send need, which is to stop. op returns once
// its operation is done or stop is closed, which happens once the task
// stops waiting: cancelled, or its loop closing. Besides the task, a wait
// costs a goroutine parked on the channel, the record the task waits on
// (named for WaitingOn), the channel that stops the goroutine and the
// closures that run it; Go's context, derived from the task's, is not
// made, nor the task's own, and the future has the task as its only
// waiter.
func waitOnChannel[R any](co *iterco.Co, what string, op func(stop <-chan struct{}) (R, error)) (R, error) {
	var zero R
	c := coreOf(co)
	if c == nil {
		return zero, ErrNoLoop
	}
	w := &channelOp[R]{channelWait: channelWait{what: what}}
	w.Bind(c.loop)
	stop := make(chan struct{})
	bridge(c.loop, &w.Future, func() (struct{}, error) {
		var err error
		w.r, err = op(stop)
		return struct{}{}, err
	}, nil)
	var err error
	for !w.Done() && err == nil {
		_, err = co.Suspend(&w.channelWait)
	}
	if err == nil {
		err = w.Err()
	}
	if err != nil {
		// The task was cancelled, or its loop closes, and the goroutine
		// stops (Close waits for it); or the operation failed, and it is
		// done. (Closed here rather than by a waiter of w's, whose second
		// waiter would take an allocation on top of the task's stack as
		// it parks.)
		close(stop)
		return zero, err
	}
	return w.r, nil
}

// channelWait is what a task in Recv or Send waits on: a future that
// the goroutine completes, named for WaitingOn (it is not generic: a
// generic type's promoted methods are called through a wrapper's frame,
// one more on top of a parking task's stack).
type channelWait struct {
	future.Future[struct{}]
	what string
}

func (w *channelWait) String() string { return w.what }

// channelOp is a channelWait with the operation's outcome, which the
// goroutine stores before it posts its completion.
type channelOp[R any] struct {
	channelWait
	r R
}
