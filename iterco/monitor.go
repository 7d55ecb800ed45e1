package iterco

import (
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/internal/coro"
)

var (
	// ErrMonitorNotActive is OOB's error when nothing awaits through the
	// monitor.
	ErrMonitorNotActive = errors.New("iterco: monitor not active")
	// ErrMonitorActive reports awaiting through a monitor that is already
	// awaiting ("Monitor cannot be re-entered").
	ErrMonitorActive = errors.New("iterco: monitor cannot be re-entered")
	// ErrNoOOB is Start's error for a coroutine that returned without
	// calling OOB.
	ErrNoOOB = errors.New("iterco: coroutine did not call Monitor.OOB")
	// ErrSendToNew reports a value sent into a coroutine that has not
	// started: it has no suspension point to receive it.
	ErrSendToNew = errors.New("iterco: non-nil value sent to a new coroutine")
	// ErrOOBReturned reports a coroutine under a Monitor that returned an
	// *OOBData as its error instead of handing the data out with OOB
	// (asynkit: "coroutine raised OOBData"). The *OOBData is named in the
	// message but not wrapped, so that it cannot be mistaken for data.
	ErrOOBReturned = errors.New("iterco: coroutine returned OOBData as its error")
)

// Monitor lets a coroutine hand out-of-band data to whoever awaits it
// through the monitor, without tasks or a loop (asynkit's Monitor): inside,
// OOB(co, data) suspends the coroutine; outside, the await through the
// monitor returns a *OOBData[T] error holding data, and the next one
// resumes the coroutine, OOB returning the value sent. Ordinary suspensions
// pass through to the awaiting coroutine's driver, so monitored code can
// await futures on a loop, or run under AwaitSync. The zero Monitor is
// ready to use; it must not be copied.
type Monitor[T any] struct {
	active bool
	data   T
}

// OOBData is the error an await through a Monitor returns when the
// coroutine handed out data with OOB.
type OOBData[T any] struct {
	// Data is what the coroutine handed out.
	Data T
}

// Error implements error.
func (e *OOBData[T]) Error() string { return fmt.Sprintf("iterco: out-of-band data: %v", e.Data) }

// OOB hands data to whoever awaits this coroutine through m, suspending
// until the next await through m, and returns the value sent then (nil for
// a plain Await). It returns ErrMonitorNotActive if nothing awaits through
// m. Code the coroutine calls may call OOB too, with the same co.
func (m *Monitor[T]) OOB(co *Co, data T) (any, error) {
	if !m.active {
		return nil, ErrMonitorNotActive
	}
	m.data = data
	return co.Suspend(m)
}

// Bound is a coroutine bound to a Monitor (asynkit's BoundMonitor): each
// await through it continues the coroutine until it finishes or hands out
// data. Make one with Bind. Drive it from one coroutine chain at a time.
// Once started, it holds a parked goroutine until it finishes or is
// closed: run it to its end or Close it.
type Bound[T, R any] struct {
	m    *Monitor[T]
	c    coro.Co
	body child[R]
}

// Bind binds fn, not started yet, to m.
func Bind[T, R any](m *Monitor[T], fn Func[R]) *Bound[T, R] {
	if m == nil || fn == nil {
		panic("iterco.Bind: nil monitor or function")
	}
	b := &Bound[T, R]{m: m}
	b.body.fn = fn
	b.c.Init(&b.body)
	return b
}

// Await continues the coroutine (starting it the first time) until it
// finishes, returning its outcome, or hands out data, returning a
// *OOBData[T] error; OOB returns nil inside.
func (b *Bound[T, R]) Await(co *Co) (R, error) { return b.run(co, nil, nil) }

// Send is Await that resumes the coroutine's OOB with data. A new
// coroutine takes only a nil data: it has no OOB waiting (ErrSendToNew).
func (b *Bound[T, R]) Send(co *Co, data any) (R, error) { return b.run(co, data, nil) }

// Throw is Await that delivers err at the coroutine's suspension point; a
// coroutine not started yet ends with err without running.
func (b *Bound[T, R]) Throw(co *Co, err error) (R, error) {
	if err == nil {
		panic("iterco.Bound.Throw: nil error")
	}
	return b.run(co, nil, err)
}

// Close ends the coroutine: ErrClosed at its suspension point (one not
// started yet ends without running). It returns nil if the coroutine
// finished (with ErrClosed or no error), ErrCloseIgnored if it handed out
// data instead, and its error otherwise. Closing a finished coroutine does
// nothing.
func (b *Bound[T, R]) Close(co *Co) error {
	if b.c.State() == coro.Done {
		return nil
	}
	_, err := b.run(co, nil, ErrClosed)
	var oob *OOBData[T]
	switch {
	case errors.As(err, &oob):
		return ErrCloseIgnored
	case err == nil || errors.Is(err, ErrClosed):
		return nil
	}
	return err
}

// Start runs the coroutine until it first hands out data, and returns that
// data (the parser pattern: a parser announces it wants input). It returns
// ErrNoOOB if the coroutine finished instead.
func (b *Bound[T, R]) Start(co *Co) (T, error) {
	_, err := b.Await(co)
	var oob *OOBData[T]
	if errors.As(err, &oob) {
		return oob.Data, nil
	}
	var zero T
	if err == nil {
		err = ErrNoOOB
	}
	return zero, err
}

// TryAwait is Send that tells data handed out apart from an outcome: ok is
// false if the coroutine handed out data (which is dropped), and the
// outcome is in v and err otherwise.
func (b *Bound[T, R]) TryAwait(co *Co, data any) (v R, ok bool, err error) {
	v, err = b.Send(co, data)
	if oob, isOOB := err.(*OOBData[T]); isOOB && oob != nil {
		var zero R
		return zero, false, nil
	}
	return v, true, err
}

// IsNew reports whether the coroutine has not started.
func (b *Bound[T, R]) IsNew() bool { return b.c.State() == coro.New }

// IsSuspended reports whether the coroutine is parked.
func (b *Bound[T, R]) IsSuspended() bool { return b.c.State() == coro.Suspended }

// IsDone reports whether the coroutine finished.
func (b *Bound[T, R]) IsDone() bool { return b.c.State() == coro.Done }

// Stack returns the stack of the suspended coroutine, or nil.
func (b *Bound[T, R]) Stack() []byte { return b.c.Stack() }

// Step is Send for drivers that expect data handed out often (a parser
// handing out values): it reports data handed out in out and oob instead
// of as a *OOBData error, and so allocates nothing for it.
func (b *Bound[T, R]) Step(co *Co, data any) (out T, oob bool, v R, err error) {
	return b.step(co, data, nil)
}

func (b *Bound[T, R]) run(co *Co, data any, err error) (R, error) {
	out, oob, v, err := b.step(co, data, err)
	if oob {
		var zero R
		return zero, &OOBData[T]{Data: out}
	}
	return v, err
}

func (b *Bound[T, R]) step(co *Co, data any, err error) (out T, oob bool, v R, _ error) {
	if co == nil {
		panic("iterco.Bound: nil Co (from plain code, await it inside AwaitSync)")
	}
	m := b.m
	switch {
	case m.active:
		return out, false, v, ErrMonitorActive
	case b.c.State() == coro.Done:
		return out, false, v, ErrReused
	case b.c.State() == coro.New && data != nil:
		return out, false, v, ErrSendToNew
	}
	m.active = true
	defer func() { m.active = false }()
	if b.c.State() == coro.New {
		b.body.inherit(co)
		if err != nil {
			b.c.Resume(co.raw(), nil, err) // ends it without running
		} else {
			b.c.StartAside(co.raw())
		}
	} else {
		b.body.owner = co.raw().Owner()
		b.c.Resume(co.raw(), data, err)
	}
	for b.c.State() == coro.Suspended {
		s := b.c.Out()
		if s == any(m) {
			out = m.data
			var zero T
			m.data = zero
			return out, true, v, nil
		}
		in, err := co.Suspend(s) // not ours: forward it
		b.body.owner = co.raw().Owner()
		b.c.Resume(co.raw(), in, err)
	}
	var bad *OOBData[T]
	if errors.As(b.body.err, &bad) {
		return out, false, v, fmt.Errorf("%w: %v", ErrOOBReturned, b.body.err)
	}
	return out, false, b.body.result, b.body.err
}
