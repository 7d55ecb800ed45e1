package task

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClockInUse reports running a loop on a [VirtualClock] that another
// loop, not closed yet, runs on: two loops would each jump it to their own
// timers.
var ErrClockInUse = errors.New("task: virtual clock is in use by another loop")

// Clock is a loop's source of time (see "Time" in the package doc). A
// loop calls it only from its own goroutine; an implementation is told
// when the loop has nothing to do, and decides how time passes then.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Idle blocks while the loop has nothing ready, until the time next
	// (the zero Time: no timer is pending) or until wake receives,
	// whichever comes first; it may return early. busy reports work in
	// flight (a Go function, a Submission awaited from this loop) whose
	// result will arrive on wake.
	Idle(next time.Time, wake <-chan struct{}, busy bool)
}

type clockOption struct{ c Clock }

func (o clockOption) applyLoop(l *Loop) { l.clock = o.c }

// WithClock makes the loop read c for all its time (see "Time" in the
// package doc). nil is the wall clock, the default.
func WithClock(c Clock) LoopOption { return clockOption{c} }

// VirtualClock is a [Clock] whose time moves only when its loop has
// nothing else to do, jumping straight to the next timer, or when
// [VirtualClock.Advance] moves it. A program on it runs the same way on
// every run, and sleeps of any length cost nothing. Make one with
// [NewVirtualClock]; it serves one loop at a time. Its methods are safe
// from any goroutine.
type VirtualClock struct {
	base time.Time
	off  atomic.Int64 // the time: nanoseconds from base; read without the lock

	mu    sync.Mutex // guards what follows, and orders writes of off
	owner *Loop
	kick  chan struct{} // closed by Advance while the loop idles
}

var _ Clock = (*VirtualClock)(nil)

// NewVirtualClock returns a virtual clock that reads start. The zero Time
// starts it at [VirtualEpoch] instead, so that none of its times is the
// zero Time, which means "no deadline" to [WithDeadline].
func NewVirtualClock(start time.Time) *VirtualClock {
	if start.IsZero() {
		start = VirtualEpoch
	}
	return &VirtualClock{base: start}
}

// VirtualEpoch is where a VirtualClock made with the zero Time starts:
// 2000-01-01 00:00:00 UTC.
var VirtualEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Now returns the clock's time.
func (c *VirtualClock) Now() time.Time { return c.base.Add(time.Duration(c.off.Load())) }

// Advance moves the clock d on, from any goroutine: timers that come due
// fire at the loop's next iteration, and an idle loop wakes for them. It
// panics if d is negative: virtual time does not go back.
func (c *VirtualClock) Advance(d time.Duration) {
	if d < 0 {
		panic("task.VirtualClock.Advance: negative duration")
	}
	c.mu.Lock()
	c.off.Add(int64(d))
	if c.kick != nil {
		close(c.kick)
		c.kick = nil
	}
	c.mu.Unlock()
}

// Idle implements Clock: with nothing in flight and a timer pending it
// jumps to that timer at once; otherwise it waits for wake or Advance.
func (c *VirtualClock) Idle(next time.Time, wake <-chan struct{}, busy bool) {
	c.mu.Lock()
	if !next.IsZero() {
		at := int64(next.Sub(c.base))
		switch {
		case at <= c.off.Load():
			// Due already (Advance moved the clock past it): nothing to
			// wait for, in flight or not.
			c.mu.Unlock()
			return
		case !busy:
			c.off.Store(at)
			c.mu.Unlock()
			return
		}
	}
	kick := make(chan struct{})
	c.kick = kick
	c.mu.Unlock()
	select {
	case <-wake:
	case <-kick:
	}
	c.mu.Lock()
	if c.kick == kick {
		c.kick = nil
	}
	c.mu.Unlock()
}

// bind makes l the clock's loop, unless another open loop has it.
func (c *VirtualClock) bind(l *Loop) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.owner != nil && c.owner != l {
		return ErrClockInUse
	}
	c.owner = l
	return nil
}

func (c *VirtualClock) unbind(l *Loop) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.owner == l {
		c.owner = nil
	}
}

// now returns the loop's time: never earlier than the last it saw.
func (l *Loop) now() time.Time {
	if l.clock == nil {
		return time.Now()
	}
	t := l.clock.Now()
	if t.Before(l.lastNow) {
		return l.lastNow
	}
	l.lastNow = t
	return t
}

// Now returns the loop's time: the wall clock's, or that of the clock
// given with [WithClock]. Call it on the loop's goroutine.
func (l *Loop) Now() time.Time { return l.now() }
