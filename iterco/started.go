package iterco

import (
	"context"
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// ErrReused reports awaiting, throwing into or sending to a coroutine that
// was awaited already (Python's "cannot reuse already awaited coroutine").
var ErrReused = errors.New("iterco: cannot reuse already awaited coroutine")

// ErrIgnored reports a coroutine that suspended again instead of finishing
// when an error was thrown into it (Python's "coroutine ignored X"); it
// wraps the error thrown: ErrSynchronousAbort under AwaitSync.
var ErrIgnored = errors.New("iterco: coroutine ignored the error thrown in")

// ErrNotDone is AsFuture's error for a coroutine that has not finished
// (asynkit: "CoroStart not done").
var ErrNotDone = errors.New("iterco: coroutine not done")

// child is the body of a coroutine started from another: it parks at
// every suspension, handing the value to the code that started it, which
// forwards what it does not own to its own driver.
type child[T any] struct {
	fn     Func[T]
	result T
	err    error
	owner  any
	pool   *coro.Pool
	ctx    context.Context // its own, or nil to use the owner's
}

func (c *child[T]) RunBody(co *coro.Co) {
	if err := co.StartErr(); err != nil {
		c.err = err
		return
	}
	c.result, c.err = Call((*Co)(co), c.fn)
}

func (c *child[T]) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (c *child[T]) Owner() any                                     { return c.owner }
func (c *child[T]) Pool() *coro.Pool                               { return c.pool }

// Context is the child's context: its own, or its owner's.
func (c *child[T]) Context() context.Context {
	if c.ctx != nil {
		return c.ctx
	}
	if o, ok := c.owner.(coro.Contexter); ok {
		return o.Context()
	}
	return context.Background()
}

// inherit sets the child up to run under parent: its owner, its pool, and
// its context when the parent has one of its own.
func (c *child[T]) inherit(parent *Co) {
	p := parent.raw()
	c.owner = p.Owner()
	if b := p.Body(); b != nil {
		c.pool = b.Pool()
		if pc, ok := b.(ownContexter); ok && c.ctx == nil {
			c.ctx = pc.ownContext()
		}
	}
}

// ownContexter is a child of any result type: it may carry a context of
// its own, which its children inherit.
type ownContexter interface{ ownContext() context.Context }

func (c *child[T]) ownContext() context.Context { return c.ctx }

// Started is a coroutine started with Start: it ran until it first
// suspended, and waits there to be continued (asynkit's CoroStart). It is
// done, if it finished during its start; pending, if it suspended and was
// not continued yet; or continued, once it was awaited or closed.
//
// A Started is awaitable (a future.Awaitable): awaiting it continues it in
// place, in the awaiting coroutine's chain. task.Continue makes it a task.
// Use it from the coroutine that started it; it must not be copied. A
// pending Started holds a parked goroutine until it is awaited or closed:
// do one or the other, as with iter.Pull's stop. (On a task loop, one that
// is forgotten is closed with the loop.)
type Started[T any] struct {
	c         coro.Co
	body      child[T]
	continued bool
}

// StartOption configures Start.
type StartOption interface{ applyStart(*startOptions) }

type startOptions struct{ ctx context.Context }

type withContext struct{ ctx context.Context }

func (o withContext) applyStart(s *startOptions) { s.ctx = o.ctx }

// WithContext runs the started coroutine, and everything it does later, in
// ctx: co.Context() inside it is ctx (asynkit's context= argument).
func WithContext(ctx context.Context) StartOption { return withContext{ctx} }

// Start runs fn at once, from parent's coroutine, until it first suspends
// or finishes, and returns it as a Started. fn runs on a coroutine of its
// own (pooled, when parent runs on a loop), under parent's task. Start
// panics if fn is nil.
func Start[T any](parent *Co, fn Func[T], opts ...StartOption) *Started[T] {
	if fn == nil {
		panic("iterco.Start: nil function")
	}
	if parent == nil {
		panic("iterco.Start: nil parent (from plain code, use New or AwaitSync)")
	}
	var o startOptions
	for _, opt := range opts {
		opt.applyStart(&o)
	}
	s := &Started[T]{}
	s.body.fn, s.body.ctx = fn, o.ctx
	s.body.inherit(parent)
	s.c.Init(&s.body)
	s.c.StartAside(parent.raw())
	return s
}

// AwaitContext runs fn with ctx as its context, to its end, and returns its
// outcome (asynkit's coro_await with context=): changes fn would make to
// its context stay in ctx.
func AwaitContext[T any](co *Co, ctx context.Context, fn Func[T]) (T, error) {
	return Start(co, fn, WithContext(ctx)).Await(co)
}

// Done reports whether the coroutine finished during its start.
func (s *Started[T]) Done() bool { return !s.continued && s.c.State() == coro.Done }

// Pending reports whether it suspended during its start and was not
// continued yet.
func (s *Started[T]) Pending() bool { return !s.continued && s.c.State() == coro.Suspended }

// Continued reports whether it was awaited or closed.
func (s *Started[T]) Continued() bool { return s.continued }

// Result returns the outcome of a coroutine that finished during its
// start; future.ErrInvalidState otherwise.
func (s *Started[T]) Result() (T, error) {
	if !s.Done() {
		var zero T
		return zero, errInvalidState("coroutine not done")
	}
	return s.body.result, s.body.err
}

// Err returns the error of a coroutine that finished during its start (nil
// for success); future.ErrInvalidState otherwise.
func (s *Started[T]) Err() error {
	_, err := s.Result()
	return err
}

// Await continues the coroutine in co's chain until it finishes and returns
// its outcome: at once if it finished during its start. What it suspends on
// goes to co's driver, and what co is resumed with goes back to it. A
// second Await returns ErrReused.
func (s *Started[T]) Await(co *Co) (T, error) {
	if s.continued {
		var zero T
		return zero, ErrReused
	}
	s.continued = true
	return s.drive(co)
}

// drive forwards the suspensions of the coroutine to co's driver until it
// finishes.
func (s *Started[T]) drive(co *Co) (T, error) {
	// From now on the coroutine runs under co's task: what its code asks
	// of its task (a timeout's expiry, say) goes there.
	s.body.owner = co.raw().Owner()
	for s.c.State() == coro.Suspended {
		in, err := co.Suspend(s.c.Out())
		s.body.owner = co.raw().Owner()
		s.c.Resume(co.raw(), in, err)
	}
	return s.body.result, s.body.err
}

// Throw delivers err at the suspension point of a pending coroutine and
// runs it, from the calling code, until it finishes (returning its
// outcome) or suspends again, in which case Throw returns an error wrapping
// ErrIgnored and the coroutine is pending at its new suspension point.
// Throw of a coroutine that is done or continued returns ErrReused.
func (s *Started[T]) Throw(err error) (T, error) { return s.ThrowTries(err, 1) }

// ThrowTries is Throw that throws err again, up to tries times in all, at
// each new suspension point.
func (s *Started[T]) ThrowTries(err error, tries int) (T, error) {
	var zero T
	if err == nil {
		panic("iterco.Started.Throw: nil error")
	}
	if !s.Pending() {
		return zero, ErrReused
	}
	for range max(tries, 1) {
		s.c.Resume(nil, nil, err)
		if s.c.State() == coro.Done {
			s.continued = true
			return s.body.result, s.body.err
		}
	}
	return zero, fmt.Errorf("%w: %w", ErrIgnored, err)
}

// AThrow delivers err at the suspension point and then continues the
// coroutine in co's chain to its end, so that its clean-up may await; it
// returns the coroutine's outcome.
func (s *Started[T]) AThrow(co *Co, err error) (T, error) {
	var zero T
	if err == nil {
		panic("iterco.Started.AThrow: nil error")
	}
	if !s.Pending() {
		return zero, ErrReused
	}
	s.continued = true
	s.c.Resume(co.raw(), nil, err)
	return s.drive(co)
}

// Close ends a pending coroutine: ErrClosed at its suspension point, and
// it must finish without suspending. It returns ErrCloseIgnored if it
// suspended again (it stays pending), the coroutine's error if it failed
// with another, and nil otherwise. Closing a done coroutine only marks it
// continued; closing twice is fine.
func (s *Started[T]) Close() error {
	if !s.Pending() {
		s.continued = true
		return nil
	}
	s.c.Resume(nil, nil, ErrClosed)
	if s.c.State() != coro.Done {
		return ErrCloseIgnored
	}
	s.continued = true
	if s.body.err == nil || errors.Is(s.body.err, ErrClosed) {
		return nil
	}
	return s.body.err
}

// AClose closes a pending coroutine and lets its clean-up await, in co's
// chain. It does nothing unless the coroutine is pending.
func (s *Started[T]) AClose(co *Co) error {
	if !s.Pending() {
		return nil
	}
	_, err := s.AThrow(co, ErrClosed)
	if errors.Is(err, ErrClosed) {
		return nil
	}
	return err
}

// AsFuture returns the outcome of a coroutine that finished during its
// start as a done future (asynkit's CoroStart.as_future for a done
// coroutine): an [Outcome] that awaits, gathers and waits like any done
// future. The Started is not consumed and can still be awaited once. It
// returns ErrNotDone for a pending coroutine, which only a driver can
// finish: to give a pending one a future, continue it in a task with
// task.Continue, which works whatever the state. It returns ErrReused once
// the Started was awaited or closed.
func (s *Started[T]) AsFuture() (*Outcome[T], error) {
	switch {
	case s.continued:
		return nil, ErrReused
	case !s.Done():
		return nil, ErrNotDone
	}
	return &Outcome[T]{v: s.body.result, err: s.body.err}, nil
}

// IsNew reports false: a Started has always started.
func (s *Started[T]) IsNew() bool { return false }

// IsSuspended reports whether the coroutine is parked at a suspension.
func (s *Started[T]) IsSuspended() bool { return s.c.State() == coro.Suspended }

// IsDone reports whether the coroutine's function has returned.
func (s *Started[T]) IsDone() bool { return s.c.State() == coro.Done }

// Stack returns the stack of the suspended coroutine, or nil.
func (s *Started[T]) Stack() []byte { return s.c.Stack() }
