package iterco

import (
	"errors"
	"fmt"
	"iter"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// ErrSynchronousAbort is what Suspend returns inside a coroutine run by
// AwaitSync when it would block: it should return, and AwaitSync reports a
// *SynchronousError (Python's SynchronousAbort).
var ErrSynchronousAbort = errors.New("iterco: synchronous abort")

// errIgnoredAbort is a SynchronousError's Err for a coroutine that
// suspended again after it was aborted.
var errIgnoredAbort = fmt.Errorf("%w: %w", ErrIgnored, ErrSynchronousAbort)

// SynchronousError reports a coroutine run by AwaitSync that could not
// finish without blocking. Stack is where it first blocked.
type SynchronousError struct {
	// Stack is the goroutine's stack where the coroutine first suspended.
	Stack []byte
	// Caught is set if the coroutine handled ErrSynchronousAbort and
	// returned as if nothing had happened.
	Caught bool
	// Err is the error the coroutine returned instead, if any. For a
	// coroutine that suspended again after the abort it is an error
	// matching both ErrIgnored and ErrSynchronousAbort, whatever the
	// coroutine returned in the end.
	Err error
}

// Error implements error.
func (e *SynchronousError) Error() string {
	switch {
	case e.Caught:
		return "iterco: coroutine failed to complete synchronously (it handled the abort)"
	case errors.Is(e.Err, ErrIgnored):
		return "iterco: coroutine failed to complete synchronously (it ignored the abort)"
	case e.Err != nil:
		return "iterco: coroutine failed to complete synchronously: " + e.Err.Error()
	}
	return "iterco: coroutine failed to complete synchronously"
}

// Unwrap returns the error the coroutine returned, or ErrSynchronousAbort.
func (e *SynchronousError) Unwrap() error {
	if e.Err != nil {
		return e.Err
	}
	return ErrSynchronousAbort
}

// SyncOption configures AwaitSync.
type SyncOption interface{ applySync(*syncBody) }

type strict struct{}

func (strict) applySync(b *syncBody) { b.strict = true }

// Strict makes every suspension a failure, a bare yield included (asynkit
// 0.17's rule). By default a bare yield resumes at once, since there is
// nothing else to run (asynkit 0.19's ignore_nullsleep).
func Strict() SyncOption { return strict{} }

// syncBody drives a coroutine with no loop, on the calling goroutine:
// every suspension is resolved in place.
type syncBody struct {
	run     func(co *Co)
	strict  bool
	stack   []byte
	aborted bool
	after   int // suspensions after the abort
}

func (b *syncBody) RunBody(co *coro.Co) { b.run((*Co)(co)) }
func (b *syncBody) Owner() any          { return nil }
func (b *syncBody) Pool() *coro.Pool    { return nil }

func (b *syncBody) Suspending(co *coro.Co, _ *coro.Co) (*coro.Co, bool) {
	switch {
	case co.On() == nil && !b.strict && !b.aborted:
		co.SetResume(nil, nil) // a bare yield: nothing else could run
	case !b.aborted:
		b.aborted = true
		b.stack = coro.StackTrace()
		co.SetResume(nil, ErrSynchronousAbort)
	default:
		if b.after++; b.after > 3 {
			panic("iterco.AwaitSync: coroutine keeps suspending after it was aborted")
		}
		co.SetResume(nil, ErrClosed)
	}
	return nil, false
}

// AwaitSync runs fn to its end on the calling goroutine, with no loop, and
// returns its outcome unchanged: for code that only awaits things that are
// already done (a done future never suspends). If fn would block, Suspend
// returns ErrSynchronousAbort inside it, and AwaitSync returns a
// *SynchronousError holding the stack where it blocked. If fn suspends
// again instead of returning, it ignored the abort: that Suspend returns
// ErrClosed, and the error matches ErrIgnored whatever fn returns; loop code inside
// fn (task.Sleep, task.Create) sees task.ErrNoLoop. No goroutine is used
// or left behind, except by coroutines fn itself starts.
func AwaitSync[T any](fn Func[T], opts ...SyncOption) (T, error) {
	if fn == nil {
		panic("iterco.AwaitSync: nil function")
	}
	var v T
	var err error
	b := &syncBody{run: func(co *Co) { v, err = Call(co, fn) }}
	for _, o := range opts {
		o.applySync(b)
	}
	var c coro.Co
	c.Init(b)
	c.RunHere()
	if !b.aborted {
		return v, err
	}
	var zero T
	switch {
	case b.after > 0:
		return zero, &SynchronousError{Stack: b.stack, Err: errIgnoredAbort}
	case err == nil:
		return zero, &SynchronousError{Stack: b.stack, Caught: true}
	case errors.Is(err, ErrSynchronousAbort):
		return zero, &SynchronousError{Stack: b.stack}
	}
	return zero, &SynchronousError{Stack: b.stack, Err: err}
}

// SyncFunc turns an async function into a plain one that runs it with
// AwaitSync (asynkit's syncfunction).
func SyncFunc[T any](fn Func[T], opts ...SyncOption) func() (T, error) {
	if fn == nil {
		panic("iterco.SyncFunc: nil function")
	}
	return func() (T, error) { return AwaitSync(fn, opts...) }
}

// AsyncFunc turns a plain function into an async one that calls it and
// never suspends (asynkit's asyncfunction).
func AsyncFunc[T any](f func() (T, error)) Func[T] {
	if f == nil {
		panic("iterco.AsyncFunc: nil function")
	}
	return func(*Co) (T, error) { return f() }
}

// AsyncIterator is an async iterator: Next returns ErrExhausted after the
// last item. *Generator implements it.
type AsyncIterator[T any] interface {
	// Next returns the next item, or ErrExhausted after the last.
	Next(co *Co) (T, error)
	// Close ends the iteration early, releasing what it holds.
	Close(co *Co) error
}

// SyncIter drives an async iterator with AwaitSync, one item at a time, as
// a sequence for range (asynkit's aiter_sync). An item whose production
// would block ends the sequence with a *SynchronousError; breaking out of
// the loop closes the iterator.
func SyncIter[T any](it AsyncIterator[T], opts ...SyncOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := AwaitSync(it.Next, opts...)
			if errors.Is(err, ErrExhausted) {
				return
			}
			if !yield(v, err) || err != nil {
				AwaitSync(func(co *Co) (struct{}, error) { return struct{}{}, it.Close(co) })
				return
			}
		}
	}
}
