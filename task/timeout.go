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
func Timeout[T any](co *iterco.Co, d time.Duration, fn iterco.Func[T]) (v T, err error) {
	if fn == nil {
		panic("task.Timeout: nil function")
	}
	b := beginAfter(co, d)
	if b == nil {
		return v, ErrNoLoop
	}
	defer endBlock(b) // a panic must not leave the timer armed
	if v, err = fn(co); b.timedOut(err) {
		var zero T
		return zero, ErrTimeout
	}
	return v, err
}

// TimeoutAt is Timeout with an absolute deadline on the loop's clock.
func TimeoutAt[T any](co *iterco.Co, when time.Time, fn iterco.Func[T]) (v T, err error) {
	if fn == nil {
		panic("task.TimeoutAt: nil function")
	}
	b := beginAt(co, when)
	if b == nil {
		return v, ErrNoLoop
	}
	defer endBlock(b)
	if v, err = fn(co); b.timedOut(err) {
		var zero T
		return zero, ErrTimeout
	}
	return v, err
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
	first   *Timer    // the timer for the first arming, made with d
	soon    *Handle   // the expiry, when it is due at once
	expired *core     // the task cancelled at expiry
	start   *core     // the task that started the block
	before  int32     // start's cancel requests when the block started
	over    bool      // the block has returned
}

// WithDeadline runs fn in the calling task with a deadline at when, as
// Timeout does, and hands fn the block's [Deadline] so that it can read and
// move it (asyncio.timeout_at with its context manager object). A zero when
// starts with no deadline, to be set later with Reschedule
// (asyncio.timeout(None)). It returns ErrNoLoop outside a loop and panics
// if fn is nil.
func WithDeadline[T any](co *iterco.Co, when time.Time, fn func(co *iterco.Co, d *Deadline) (T, error)) (v T, err error) {
	if fn == nil {
		panic("task.WithDeadline: nil function")
	}
	b := beginAt(co, when)
	if b == nil {
		return v, ErrNoLoop
	}
	defer endBlock(b)
	if v, err = fn(co, b); b.timedOut(err) {
		var zero T
		return zero, ErrTimeout
	}
	return v, err
}

// The blocks with a deadline (Timeout, TimeoutAt, WithDeadline) run their
// function right in their own frame, which stays under the task's
// suspensions while it waits in the block; what they share is in the
// functions below, none of which is on the stack while the function runs.
// A parked task's stack fits the 2 KB a goroutine starts with only while
// its frames are small (see Task), and the deepest point the task reaches
// counts too: beginAt reads the clock and arms a timer, calls that go
// about as deep from the block's frame as a suspension in its function.

// beginAfter starts a block of the task running co with a deadline d from
// now, nil outside a loop.
//
//go:noinline
func beginAfter(co *iterco.Co, d time.Duration) *Deadline {
	c := coreOf(co)
	if c == nil {
		return nil
	}
	b := c.newBlock(co, d > 0)
	b.armAt(c.loop.now().Add(d), d > 0)
	return b
}

// beginAt starts a block of the task running co with a deadline at when
// (zero: none), nil outside a loop.
//
//go:noinline
func beginAt(co *iterco.Co, when time.Time) *Deadline {
	c := coreOf(co)
	if c == nil {
		return nil
	}
	b := c.newBlock(co, !when.IsZero())
	b.arm(when)
	return b
}

// armSoon arms a deadline that is already due: its expiry is queued
// behind what is ready, as asyncio does, so the body runs until it first
// blocks. (Not inlined: armAt's frame keeps no room for it.)
//
//go:noinline
func (d *Deadline) armSoon() { d.soon = d.l.CallPos(d.l.queued(), d.expire) }

// newBlock returns the Deadline of a block that c starts, not yet armed,
// with the timer of its first arming made if timed: here, not deeper in
// armAt.
func (c *core) newBlock(co *iterco.Co, timed bool) *Deadline {
	d := &Deadline{co: co, l: c.loop, start: c, before: int32(c.cancelCount())}
	if timed {
		d.first = d.newTimer()
	}
	return d
}

// newTimer returns a timer that runs d's expiry, not armed.
func (d *Deadline) newTimer() *Timer { return &Timer{h: Handle{job: callback(d.expire)}} }

// timedOut ends the block, whose function returned err, and reports
// whether err is the cancellation its expiry caused, which the block
// turns into ErrTimeout: the expiry's cancel is withdrawn, and a cancel
// from outside stays.
//
//go:noinline
func (d *Deadline) timedOut(err error) bool {
	d.end()
	if d.expired == nil {
		return false
	}
	// The cancel went to the task that ran the block when it expired: the
	// one that started it, or one that continued it (task.Continue).
	before := d.before
	if d.expired != d.start {
		before = 0
	}
	return d.expired.withdraw(int(before)) && errors.Is(err, future.ErrCancelled)
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

// arm sets the deadline to when: a zero when disables it.
func (d *Deadline) arm(when time.Time) {
	if when.IsZero() {
		d.when = when
		return
	}
	d.armAt(when, when.After(d.l.now()))
}

// armAt sets the deadline to when, which is not zero and is later than
// the loop's time or not. (The clock is read by the caller: reading it
// here would make the deepest call of a block's start deeper.)
func (d *Deadline) armAt(when time.Time, later bool) {
	d.when = when
	if !later {
		d.armSoon()
		return
	}
	tm := d.first
	if tm == nil {
		tm = d.newTimer()
	}
	d.first = nil
	d.l.arm(tm, when)
	d.timer = tm
}

// endBlock is d.end for a defer, which saves a word of the block's frame
// over a method value.
func endBlock(d *Deadline) { d.end() }

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
