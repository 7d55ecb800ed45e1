package task

import (
	"context"

	"github.com/asynkit-go/asynkit/iterco"
)

// Recv receives from the Go channel ch in the task co, without blocking
// the loop: a value ready now is taken at once; otherwise the task waits
// while a goroutine receives (through [Go]). ok is false once ch is
// closed and drained, as for a receive in Go. If the task is cancelled
// while it waits, Recv returns the cancellation, and a value the
// goroutine took in the same instant is lost (as with any receive that
// races a cancellation in a select).
func Recv[T any](co *iterco.Co, ch <-chan T) (v T, ok bool, err error) {
	mustCo(co, "task.Recv")
	select {
	case v, ok = <-ch:
		return v, ok, nil
	default:
	}
	type received struct {
		v  T
		ok bool
	}
	r, err := Go(co, func(ctx context.Context) (received, error) {
		select {
		case v, ok := <-ch:
			return received{v, ok}, nil
		case <-ctx.Done():
			return received{}, context.Cause(ctx)
		}
	}).Await(co)
	return r.v, r.ok, err
}

// Send sends v on the Go channel ch from the task co, without blocking the
// loop: at once if a receiver or buffer space is ready, otherwise from a
// goroutine (through [Go]) while the task waits. If the task is cancelled
// while it waits, v is not sent, unless the goroutine sent it in the same
// instant. A send on a closed channel panics, as in Go (a panic of the
// goroutine comes back as an *[iterco.PanicError]).
func Send[T any](co *iterco.Co, ch chan<- T, v T) error {
	mustCo(co, "task.Send")
	select {
	case ch <- v:
		return nil
	default:
	}
	_, err := Go(co, func(ctx context.Context) (struct{}, error) {
		select {
		case ch <- v:
			return struct{}{}, nil
		case <-ctx.Done():
			return struct{}{}, context.Cause(ctx)
		}
	}).Await(co)
	return err
}
