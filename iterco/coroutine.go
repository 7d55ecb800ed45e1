package iterco

import (
	"github.com/asynkit-go/asynkit/internal/coro"
)

// Coroutine is an async function driven by hand: each [Coroutine.Send]
// runs it until it next suspends, returning what it suspended on, until it
// finishes. It is the Go form of a Python coroutine object, with Send,
// Throw and Close.
//
// A Coroutine runs on its own goroutine-backed coroutine (iter.Pull), which
// is released when the function returns or the Coroutine is closed. One
// that is never run to its end or closed keeps that goroutine parked: close
// it, as you would stop an iter.Pull. Drive a Coroutine from one goroutine
// at a time; it must not be copied.
type Coroutine[T any] struct {
	co     coro.Co
	fn     Func[T]
	result T
	err    error
}

// New returns a new, not yet started Coroutine running fn. It panics if fn
// is nil.
func New[T any](fn Func[T]) *Coroutine[T] {
	if fn == nil {
		panic("iterco.New: nil function")
	}
	c := &Coroutine[T]{fn: fn}
	c.co.Init((*coroutineBody[T])(c))
	return c
}

// coroutineBody is the Coroutine seen by its Co: it runs the function and
// parks at every suspension, handing the value to Send's caller.
type coroutineBody[T any] Coroutine[T]

func (b *coroutineBody[T]) RunBody(co *coro.Co) {
	if err := co.StartErr(); err != nil {
		b.err = err
		return
	}
	b.result, b.err = Call((*Co)(co), b.fn)
}

func (b *coroutineBody[T]) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (b *coroutineBody[T]) Owner() any                                     { return nil }
func (b *coroutineBody[T]) Pool() *coro.Pool                               { return nil }

// Send resumes the coroutine with v: Suspend returns v inside it. It runs
// until the function next suspends, returning what it suspended on, or
// until it returns, reporting done. A new coroutine must be started with a
// nil v (Python's "can't send non-None value to a just-started coroutine"):
// Send panics otherwise, and on a coroutine that is done or running.
func (c *Coroutine[T]) Send(v any) (suspended any, done bool) {
	if c.co.State() == coro.New && v != nil {
		panic("iterco.Coroutine.Send: non-nil value sent to a new coroutine")
	}
	return c.resume(v, nil)
}

// Throw resumes the coroutine with err: Suspend returns err inside it. A
// new coroutine ends at once with err, running none of its code. Throw
// panics on a coroutine that is done or running.
func (c *Coroutine[T]) Throw(err error) (suspended any, done bool) {
	if err == nil {
		panic("iterco.Coroutine.Throw: nil error")
	}
	return c.resume(nil, err)
}

func (c *Coroutine[T]) resume(v any, err error) (any, bool) {
	switch c.co.State() {
	case coro.Done:
		panic("iterco.Coroutine: resumed after it finished")
	case coro.Running:
		panic("iterco.Coroutine: resumed while running")
	}
	c.co.Resume(nil, v, err)
	if c.co.State() == coro.Done {
		return nil, true
	}
	return c.co.Out(), false
}

// Close ends the coroutine. A new one ends without running; a suspended one
// is resumed with [ErrClosed] and must return. Close returns nil if it did
// (with ErrClosed, or with no error), the function's error if it returned
// another, and [ErrCloseIgnored] if it suspended again instead, in which
// case it stays suspended. Closing a finished coroutine does nothing.
func (c *Coroutine[T]) Close() error {
	switch c.co.State() {
	case coro.Done:
		return nil
	case coro.Running:
		panic("iterco.Coroutine.Close: coroutine is running")
	}
	if _, done := c.resume(nil, ErrClosed); !done {
		return ErrCloseIgnored
	}
	if c.err == ErrClosed {
		return nil
	}
	return c.err
}

// Result returns the function's result and error once it is done, and
// future.ErrInvalidState before.
func (c *Coroutine[T]) Result() (T, error) {
	if c.co.State() != coro.Done {
		var zero T
		return zero, errInvalidState("coroutine not done")
	}
	return c.result, c.err
}

// IsNew reports whether the coroutine has not started yet.
func (c *Coroutine[T]) IsNew() bool { return c.co.State() == coro.New }

// IsSuspended reports whether the coroutine is parked in Suspend.
func (c *Coroutine[T]) IsSuspended() bool { return c.co.State() == coro.Suspended }

// IsDone reports whether the function has returned. A running coroutine
// is neither new, suspended nor done.
func (c *Coroutine[T]) IsDone() bool { return c.co.State() == coro.Done }

// Stack returns the stack trace of a suspended coroutine, read in its own
// goroutine, or nil if it is not suspended.
func (c *Coroutine[T]) Stack() []byte { return c.co.Stack() }
