package priority

import (
	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Condition is a condition variable over a priority Lock: Notify wakes
// the most urgent waiters first (by their effective priority when they
// began to wait), FIFO among equals. Otherwise it is sync.Condition: Wait
// re-acquires the lock on every path, cancellation and interruption
// included, and a notified waiter that leaves with an error passes its
// notification on. Make one with NewCondition; it must not be copied.
type Condition struct {
	lock    *Lock
	loop    *task.Loop
	waiters waitq.List
}

// NewCondition returns a condition over l; a nil l gets a new Lock.
func NewCondition(l *Lock) *Condition {
	if l == nil {
		l = new(Lock)
	}
	c := &Condition{lock: l}
	c.waiters.Order = byPriority
	return c
}

// Lock returns the condition's lock.
func (c *Condition) Lock() *Lock { return c.lock }

// Acquire acquires the condition's lock.
func (c *Condition) Acquire(co *iterco.Co) error { return c.lock.Acquire(co) }

// Release releases the condition's lock.
func (c *Condition) Release(co *iterco.Co) error { return c.lock.Release(co) }

// Locked reports whether the condition's lock is held.
func (c *Condition) Locked() bool { return c.lock.Locked() }

// Wait releases the lock, waits for a notification, and re-acquires the
// lock before it returns, on every path. The task must hold the lock:
// otherwise Wait returns sync.ErrNotOwner (or sync.ErrNotLocked) at once.
func (c *Condition) Wait(co *iterco.Co) error {
	w, err := c.release(co)
	if w == nil {
		return err
	}
	notified, err := c.waiters.Wait(co, w)
	return c.waiters.Reacquire(co, c.lock, notified, err)
}

// release is Wait up to its wait (see waitq.List.Release), in a call of
// its own: Wait's frame stays under the suspension while the task is
// parked, and keeps little.
//
//go:noinline
func (c *Condition) release(co *iterco.Co) (*waitq.Waiter, error) {
	me := task.Current(co)
	if me == nil {
		return nil, task.ErrNoLoop
	}
	if c.loop == nil {
		c.loop = me.Loop()
	} else if c.loop != me.Loop() {
		return nil, task.ErrWrongLoop
	}
	if c.waiters.Label == nil {
		c.waiters.Kind, c.waiters.Label = "priority.Condition", func() string { return "priority.Condition" }
	}
	return c.waiters.Release(co, c.loop, Effective(me), me, c.lock)
}

// WaitFor waits until pred is true, checking it first and after each
// notification, with the lock held throughout the checks.
func (c *Condition) WaitFor(co *iterco.Co, pred func() bool) error {
	return waitq.WaitFor(co, pred, c.Wait)
}

// Notify wakes up to n waiters that have not been woken yet, most urgent
// first. The caller should hold the lock.
func (c *Condition) Notify(n int) { c.waiters.WakeN(n) }

// NotifyAll wakes every waiter.
func (c *Condition) NotifyAll() { c.waiters.WakeAll() }
