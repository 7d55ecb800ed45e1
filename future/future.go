package future

import (
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// Loop is the part of an event loop a Future uses: somewhere to schedule
// done callbacks. *task.Loop implements it. Only the loop's own goroutine
// calls it. Its one method, CallSoon(fn func()), schedules fn to run on
// the loop after what is already ready.
type Loop = coro.Loop

// Waiter is woken by a [Waitable] when it is done. Its one method, Wake(),
// is called once, inside the call that completes the Waitable: it must
// only schedule work, never run user code.
type Waiter = coro.Waiter

// Waitable is the non-generic face of a future: what a coroutine suspends
// on, and what its driver waits for. *Future[T] and *task.Task[T]
// implement it.
type Waitable interface {
	// Done reports whether it is complete.
	Done() bool
	// AddWaiter registers w to be woken on completion, binding an unbound
	// Waitable to loop l. It returns false, registering nothing, if the
	// Waitable belongs to another loop. On a done Waitable w is woken at
	// once.
	AddWaiter(l Loop, w Waiter) bool
	// RemoveWaiter unregisters w, reporting whether it was registered.
	RemoveWaiter(w Waiter) bool
	// Cancel requests cancellation with msg, reporting whether it took
	// effect (false if already done).
	Cancel(msg string) bool
}

// Awaitable is anything a coroutine can await for a T. Await runs inside
// the awaiting coroutine and may suspend it.
type Awaitable[T any] interface {
	// Await waits, suspending co, for the outcome and returns it.
	Await(co *iterco.Co) (T, error)
}

// Await suspends co until a is done and returns its result and error. An
// awaitable that is already done returns at once, without suspending or
// allocating. A nil a returns ErrInvalidState.
func Await[T any](co *iterco.Co, a Awaitable[T]) (v T, err error) {
	if a == nil {
		return v, errNilAwaitable
	}
	return a.Await(co)
}

var errNilAwaitable = wrapState("await of a nil awaitable")

type state uint8

const (
	pending state = iota
	succeeded
	failed
	cancelled
)

// Future is the result of work not yet done: a value or an error that is
// set once, and awaited by coroutines.
//
// The zero Future is pending and unbound (see the package doc); [New]
// makes one bound to a loop. A Future must not be copied after first use
// and is not safe for concurrent use.
type Future[T any] struct {
	outcome
	result T
}

// outcome is the part of a Future that does not depend on T, with the
// methods that need nothing more. Its methods are the Future's, and
// through an interface (Waitable) they are called right away: a generic
// type's own method would run under a wrapper frame, and AddWaiter is the
// deepest call of a task's suspension, whose stack decides whether the
// task parks on 2 KB.
type outcome struct {
	loop      Loop
	state     state
	retrieved bool
	err       error
	// waiters holds the waiters in registration order, in one word pair
	// (no allocation for one waiter): a Future of a word-sized T is 64
	// bytes.
	waiters coro.Waiters
}

var (
	_ Awaitable[int] = (*Future[int])(nil)
	_ Waitable       = (*Future[int])(nil)
)

// New returns a pending Future bound to loop l (nil: unbound).
func New[T any](l Loop) *Future[T] { return &Future[T]{outcome: outcome{loop: l}} }

// Bind binds an unbound future to loop l, reporting false (and changing
// nothing) if it belongs to another loop already.
func (f *outcome) Bind(l Loop) bool {
	if f.loop == nil {
		f.loop = l
		return true
	}
	return f.loop == l
}

// Loop returns the loop the future belongs to, nil while unbound.
func (f *outcome) Loop() Loop { return f.loop }

// Done reports whether the future has a result, an error, or was
// cancelled.
func (f *outcome) Done() bool { return f.state != pending }

// Cancelled reports whether the future was cancelled.
func (f *outcome) Cancelled() bool { return f.state == cancelled }

// SetResult completes the future with v and schedules its waiters. It
// returns ErrInvalidState if the future is already done.
func (f *Future[T]) SetResult(v T) error {
	if f.state != pending {
		return wrapState("SetResult of a done future")
	}
	f.result, f.state = v, succeeded
	f.waiters.Wake()
	return nil
}

// SetError completes the future with err and schedules its waiters. An err
// that matches ErrCancelled cancels the future instead. It returns
// ErrInvalidState if the future is already done, and panics on a nil err.
func (f *outcome) SetError(err error) error {
	if err == nil {
		panic("future.SetError: nil error")
	}
	if f.state != pending {
		return wrapState("SetError of a done future")
	}
	f.err, f.state = err, failed
	if isCancel(err) {
		f.state = cancelled
	}
	f.waiters.Wake()
	return nil
}

// Cancel cancels a pending future with the error CancelError(msg) and
// schedules its waiters. It reports whether it did: false if the future
// was already done.
func (f *outcome) Cancel(msg string) bool {
	if f.state != pending {
		return false
	}
	f.err, f.state = CancelError(msg), cancelled
	f.waiters.Wake()
	return true
}

// CancelCause is Cancel with a cause: the future's error is
// CancelCauseError(cause), which matches ErrCancelled and unwraps to cause.
func (f *outcome) CancelCause(cause error) bool {
	if f.state != pending {
		return false
	}
	f.err, f.state = CancelCauseError(cause), cancelled
	f.waiters.Wake()
	return true
}

// Result returns the future's value and error: the value set, the error
// set, or a cancellation error that matches ErrCancelled. It returns
// ErrInvalidState if the future is not done.
func (f *Future[T]) Result() (T, error) {
	if f.state == pending {
		var zero T
		return zero, wrapState("Result of a pending future")
	}
	f.retrieved = true
	return f.result, f.err
}

// Reset makes a done future pending again, so that one future carries
// one hand-off after another without an allocation each: the consumer,
// once it has read the outcome, resets the future before the producer
// sets the next one. The future keeps its loop. Reset returns
// ErrInvalidState, and changes nothing, if the future is pending or its
// outcome was not read yet (by Result, Err or Await). A done callback
// already scheduled runs after the reset, and sees the future pending.
func (f *Future[T]) Reset() error {
	switch {
	case f.state == pending:
		return wrapState("Reset of a pending future")
	case !f.retrieved:
		return wrapState("Reset of a future whose outcome was not read")
	}
	// A done future holds no waiters: they were woken when it completed,
	// and those that came later were woken at once.
	var zero T
	f.state, f.retrieved, f.result, f.err = pending, false, zero, nil
	return nil
}

// Err returns the future's error (nil for a value), or ErrInvalidState if
// it is not done.
func (f *Future[T]) Err() error {
	_, err := f.Result()
	return err
}

// Retrieved reports whether the outcome was read by Result, Err or Await.
// Loops use it to report errors nobody looked at.
func (f *outcome) Retrieved() bool { return f.retrieved }

// Await suspends co until the future is done and returns its outcome. It is
// what [Await] calls; a done future returns at once, in about 4 ns and with
// no allocation (BenchmarkAwaitDone). An error thrown into
// the coroutine while it waits (a task's cancellation or interruption) is
// returned as is, and the future is left untouched.
func (f *Future[T]) Await(co *iterco.Co) (T, error) {
	if co == nil && f.state == pending {
		panic("future.Future.Await: nil Co")
	}
	for f.state == pending {
		if _, err := co.Suspend(f); err != nil {
			var zero T
			return zero, err
		}
	}
	return f.Result()
}

// AddWaiter implements Waitable.
func (f *outcome) AddWaiter(l Loop, w Waiter) bool {
	if !f.Bind(l) {
		return false
	}
	if f.state != pending {
		w.Wake()
		return true
	}
	f.waiters.Add(w)
	return true
}

// RemoveWaiter implements Waitable.
func (f *outcome) RemoveWaiter(w Waiter) bool { return f.waiters.Remove(w) }

// HasWaiters reports whether anything waits on the future.
func (f *outcome) HasWaiters() bool { return f.waiters.Any() }

// Callback is a done callback registered with [Future.AddDoneCallback].
type Callback[T any] struct {
	f  *Future[T]
	fn func(*Future[T])
}

// Wake implements Waiter: it schedules the callback on the future's loop.
func (c *Callback[T]) Wake() { c.f.loop.CallSoon(c.run) }

func (c *Callback[T]) run() { c.fn(c.f) }

// AddDoneCallback arranges for fn to run on the future's loop once the
// future is done (at once, in a later step, if it already is), after the
// callbacks and waiters registered before it. It panics if the future is
// not bound to a loop, since there is then nowhere to run fn.
func (f *Future[T]) AddDoneCallback(fn func(*Future[T])) *Callback[T] {
	if f.loop == nil {
		panic("future.AddDoneCallback: future is not bound to a loop")
	}
	c := &Callback[T]{f: f, fn: fn}
	f.AddWaiter(f.loop, c)
	return c
}

// RemoveDoneCallback unregisters c, reporting whether it was still
// registered (false once it has been scheduled).
func (f *Future[T]) RemoveDoneCallback(c *Callback[T]) bool { return f.RemoveWaiter(c) }
