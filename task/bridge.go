package task

import (
	"context"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// Go runs fn on a new goroutine, for blocking Go code, and returns a future
// on co's loop that completes with fn's outcome. fn's context derives from
// the task's: it is cancelled when the task is cancelled or done, and when
// the returned future is cancelled. A panic in fn is returned as a
// *iterco.PanicError. The loop's Close waits for fn to return. Outside a
// loop the future is returned done with ErrNoLoop.
func Go[T any](co *iterco.Co, fn func(ctx context.Context) (T, error)) *future.Future[T] {
	c := coreOf(co)
	if c == nil {
		f := new(future.Future[T])
		f.SetError(ErrNoLoop)
		return f
	}
	l := c.loop
	f := future.New[T](l)
	ctx, cancel := context.WithCancelCause(c.context())
	f.AddWaiter(l, cancelOnDone(cancel))
	l.bridges.Add(1)
	go func() {
		defer l.bridges.Done()
		v, err := callGo(ctx, fn)
		if l.CallSoonThreadsafe(func() {
			if !f.Done() {
				if err != nil {
					f.SetError(err)
				} else {
					f.SetResult(v)
				}
			}
		}) != nil {
			cancel(ErrClosed)
		}
	}()
	return f
}

type cancelOnDone context.CancelCauseFunc

func (c cancelOnDone) Wake() { c(context.Canceled) }

func callGo[T any](ctx context.Context, fn func(context.Context) (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &iterco.PanicError{Value: r, Stack: coro.StackTrace()}
		}
	}()
	return fn(ctx)
}

// Submission is a task submitted to a loop from another goroutine with
// [Submit]: a way for that goroutine to wait for its outcome.
type Submission[T any] struct {
	l    *Loop
	done chan struct{}
	t    *Task[T] // set on the loop
	v    T
	err  error
}

// Submit starts a task running fn on l from any goroutine (the loop may be
// running or about to run) and returns a Submission to wait for it. If l is
// closed, the Submission is done with ErrClosed.
func Submit[T any](l *Loop, fn iterco.Func[T], opts ...Option) *Submission[T] {
	if fn == nil {
		panic("task.Submit: nil function")
	}
	s := &Submission[T]{l: l, done: make(chan struct{})}
	err := l.CallSoonThreadsafe(func() {
		s.t = Spawn(l, fn, opts...)
		if s.t.Done() {
			s.Wake()
			return
		}
		s.t.AddWaiter(l, s)
	})
	if err != nil {
		s.err = err
		close(s.done)
	}
	return s
}

// Wake implements future.Waiter; it runs on the loop when the task is done.
func (s *Submission[T]) Wake() {
	s.v, s.err = s.t.Result()
	close(s.done)
}

// Done returns a channel closed when the task is done.
func (s *Submission[T]) Done() <-chan struct{} { return s.done }

// Wait blocks until the task is done or ctx is, and returns the task's
// outcome or ctx's error. Do not call it on the loop's own goroutine: the
// loop could never run the task.
func (s *Submission[T]) Wait(ctx context.Context) (T, error) {
	select {
	case <-s.done:
		return s.v, s.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Cancel asks the loop to cancel the task, from any goroutine.
func (s *Submission[T]) Cancel() {
	_ = s.l.CallSoonThreadsafe(func() {
		if s.t != nil {
			s.t.Cancel("")
		}
	})
}
