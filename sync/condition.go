package sync

import (
	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
)

// Condition is a condition variable for tasks (asyncio.Condition, which
// asynkit's InterruptCondition fixed): tasks wait for a notification while
// they hold its lock. Make one with NewCondition; the zero Condition has a
// lock of its own, made on first use. It must not be copied.
type Condition struct {
	binding
	lock    *Lock
	waiters waitq.List
}

// NewCondition returns a condition over lock; a nil lock gets a new one.
func NewCondition(lock *Lock) *Condition {
	if lock == nil {
		lock = new(Lock)
	}
	return &Condition{lock: lock}
}

// Lock returns the condition's lock.
func (c *Condition) Lock() *Lock {
	if c.lock == nil {
		c.lock = new(Lock)
	}
	return c.lock
}

// Acquire acquires the condition's lock.
func (c *Condition) Acquire(co *iterco.Co) error { return c.Lock().Acquire(co) }

// Release releases the condition's lock.
func (c *Condition) Release(co *iterco.Co) error { return c.Lock().Release(co) }

// Locked reports whether the condition's lock is held.
func (c *Condition) Locked() bool { return c.Lock().Locked() }

// Wait releases the lock, waits for a notification, and re-acquires the
// lock before it returns, on every path: when it returns an error (a
// cancellation while waiting or while re-acquiring) the task holds the lock
// all the same. A waiter that was notified but leaves with an error passes
// its notification on. The task must hold the lock: otherwise Wait returns
// ErrNotOwner (or ErrNotLocked) at once.
func (c *Condition) Wait(co *iterco.Co) error {
	if err := c.release(co); err != nil {
		return err
	}
	// Little is kept across the wait: this frame stays under the
	// suspension while the task is parked (see waitq.List.Join).
	notified, err := c.waiters.Wait(co, c.waiters.Join(c.loop))
	if err != nil && notified {
		return c.reacquireNotified(co, err)
	}
	return c.reacquire(co, err)
}

// release is Wait up to its wait: the lock released, unless the task
// does not hold it. (Not inlined, with reacquire, so that Wait's frame
// keeps room for neither.)
//
//go:noinline
func (c *Condition) release(co *iterco.Co) error {
	if _, err := c.bind(co); err != nil {
		return err
	}
	if c.waiters.Label == nil {
		c.waiters.Kind, c.waiters.Label = "asyncsync.Condition", func() string { return "asyncsync.Condition" }
	}
	return c.Lock().Release(co)
}

// reacquire is Wait after a wait that err ended, and reacquireNotified
// after one that err ended although the task was notified: it passes the
// notification on (see waitq.List.Reacquire). Two functions, not one
// with a flag, so that their arguments take a word less of Wait's frame.
//
//go:noinline
func (c *Condition) reacquire(co *iterco.Co, err error) error {
	return c.waiters.Reacquire(co, c.lock, false, err)
}

//go:noinline
func (c *Condition) reacquireNotified(co *iterco.Co, err error) error {
	return c.waiters.Reacquire(co, c.lock, true, err)
}

// WaitFor waits until pred is true, checking it first and after each
// notification, with the lock held throughout the checks.
func (c *Condition) WaitFor(co *iterco.Co, pred func() bool) error {
	return waitq.WaitFor(co, pred, c.Wait)
}

// Notify wakes up to n waiters that have not been woken yet, in the order
// they began to wait. The caller should hold the lock, as asyncio
// requires; Notify does not check.
func (c *Condition) Notify(n int) { c.waiters.WakeN(n) }

// NotifyAll wakes every waiter.
func (c *Condition) NotifyAll() { c.waiters.WakeAll() }
