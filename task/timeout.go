package task

import (
	"context"
	"errors"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// ErrTimeout is the error of a deadline that passed (Python's TimeoutError);
// errors.Is(err, context.DeadlineExceeded) is true for it.
var ErrTimeout error = timeoutError{}

// ErrDeadlineOver reports moving the deadline of a timeout block that has
// expired or ended (asyncio: "Cannot change state of expiring Timeout").
var ErrDeadlineOver = errors.New("task: the timeout block has expired or ended")

type timeoutError struct{}

func (timeoutError) Error() string { return "task: timeout" }

// Is makes ErrTimeout match context.DeadlineExceeded.
func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout runs fn in the calling task with a deadline d from now
// (asyncio.timeout): when it passes, the task is cancelled, and the
// cancellation that reaches the end of fn is turned into ErrTimeout. d <= 0
// expires at the next iteration of the loop, so fn runs until it first
// blocks. Timeouts nest; the one that expires first is the one reported,
// and an inner block sees an outer deadline as a plain cancellation. A
// cancel from outside is never turned into a timeout: the task's cancel
// count is restored on the way out (Uncancel), so it stays visible. Use
// [WithDeadline] for a block that reads or moves its deadline.
func Timeout[T any](co *iterco.Co, d time.Duration, fn iterco.Func[T]) (T, error) {
	c := coreOf(co)
	if c == nil {
		var zero T
		return zero, ErrNoLoop
	}
	return TimeoutAt(co, c.loop.now().Add(d), fn)
}

// TimeoutAt is Timeout with an absolute deadline on the loop's clock.
func TimeoutAt[T any](co *iterco.Co, when time.Time, fn iterco.Func[T]) (T, error) {
	if fn == nil {
		panic("task.TimeoutAt: nil function")
	}
	return WithDeadline(co, when, func(co *iterco.Co, _ *Deadline) (T, error) { return fn(co) })
}

// WaitFor runs fn with a deadline d from now and returns ErrTimeout if it
// passes first, as asyncio.wait_for: fn is cancelled at the deadline and
// its clean-up runs before WaitFor returns. A cancel of the caller from
// outside stays a cancellation. d <= 0 gives fn until it first blocks.
// Since Python 3.12 wait_for is timeout underneath, and so it is here:
// WaitFor is Timeout.
func WaitFor[T any](co *iterco.Co, d time.Duration, fn iterco.Func[T]) (T, error) {
	return Timeout(co, d, fn)
}

// Deadline is the handle of a running [WithDeadline] block, the Go form of
// the asyncio.Timeout object that `async with asyncio.timeout(...) as cm`
// gives: the block's code reads its deadline, moves it, disables it or
// sets a disabled one later. It is valid on the task that runs the block.
type Deadline struct {
	co      *iterco.Co // the block's: its task is cancelled at expiry
	l       *Loop
	when    time.Time // zero: disabled
	timer   *Timer    // the expiry, when it is due later
	soon    *Handle   // the expiry, when it is due at once
	expired *core     // the task cancelled at expiry
	over    bool      // the block has returned
}

// WithDeadline runs fn in the calling task with a deadline at when, as
// Timeout does, and hands fn the block's [Deadline] so that it can read and
// move it (asyncio.timeout_at with its context manager object). A zero when
// starts with no deadline, to be set later with Reschedule
// (asyncio.timeout(None)). It returns ErrNoLoop outside a loop and panics
// if fn is nil.
func WithDeadline[T any](co *iterco.Co, when time.Time, fn func(co *iterco.Co, d *Deadline) (T, error)) (T, error) {
	if fn == nil {
		panic("task.WithDeadline: nil function")
	}
	c := coreOf(co)
	if c == nil {
		var zero T
		return zero, ErrNoLoop
	}
	before := c.cancelCount()
	d := &Deadline{co: co, l: c.loop}
	d.arm(when)
	v, err := func() (T, error) {
		defer d.end() // a panic must not leave the timer armed
		return fn(co, d)
	}()
	if d.expired == nil {
		return v, err
	}
	// The cancel went to the task that ran the block when it expired: the
	// one that started it, or one that continued it (task.Continue).
	if d.expired != c {
		before = 0
	}
	if d.expired.withdraw(int(before)) && errors.Is(err, future.ErrCancelled) {
		var zero T
		return zero, ErrTimeout
	}
	return v, err
}

// When returns the deadline, and false if there is none.
func (d *Deadline) When() (time.Time, bool) { return d.when, !d.when.IsZero() }

// Expired reports whether the deadline passed and the task was cancelled
// for it.
func (d *Deadline) Expired() bool { return d.expired != nil }

// Reschedule moves the deadline to when; a zero when disables it. A time
// already past expires at the next iteration of the loop, as Timeout's
// does. It returns ErrDeadlineOver once the deadline expired or the block
// ended.
func (d *Deadline) Reschedule(when time.Time) error {
	if d.expired != nil || d.over {
		return ErrDeadlineOver
	}
	d.disarm()
	d.arm(when)
	return nil
}

func (d *Deadline) arm(when time.Time) {
	d.when = when
	switch {
	case when.IsZero():
	case when.After(d.l.now()):
		d.timer = d.l.CallAt(when, d.expire)
	default:
		// Already due: queued behind what is ready, as asyncio does, so
		// the body runs until it first blocks.
		d.soon = d.l.CallPos(d.l.queued(), d.expire)
	}
}

func (d *Deadline) end() {
	d.over = true
	d.disarm()
}

func (d *Deadline) disarm() {
	if d.timer != nil {
		d.timer.Cancel()
		d.timer = nil
	}
	if d.soon != nil {
		d.soon.Cancel()
		d.soon = nil
	}
}

func (d *Deadline) expire() {
	d.timer, d.soon = nil, nil
	// The task that runs the block now: a coroutine started with
	// iterco.Start and continued by another task has moved to it.
	c := coreOf(d.co)
	if c == nil || c.loop != d.l {
		return
	}
	d.expired = c
	c.self().Cancel("")
}
