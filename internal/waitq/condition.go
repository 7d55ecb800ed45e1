package waitq

import (
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// Locker is the lock of a condition variable.
type Locker interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
}

// Release begins a condition variable's wait on l: it releases lock and
// lists a waiter for co's task (with key and who, as Add), or returns the
// Release error, and no waiter, if the task does not hold lock. The
// condition waits for the waiter with Wait, from its own frame, and ends
// with Reacquire whatever the wait ended with:
//
//	w, err := l.Release(co, loop, key, who, lock)
//	if w == nil {
//		return err
//	}
//	notified, err := l.Wait(co, w)
//	return l.Reacquire(co, lock, notified, err)
//
// Three calls, not one, so that the frame a parked task keeps under its
// suspension is the condition's own and small (see Wait).
func (l *List) Release(co *iterco.Co, loop future.Loop, key int, who any, lock Locker) (*Waiter, error) {
	if err := lock.Release(co); err != nil {
		return nil, err
	}
	return l.Add(loop, key, who), nil
}

// Reacquire ends a condition variable's wait on l, which Wait ended with
// notified and err: it re-acquires lock, on every path, and returns err,
// or else the first error a re-acquisition ended with. A waiter notified
// that leaves with an error passes its notification on to the next.
func (l *List) Reacquire(co *iterco.Co, lock Locker, notified bool, err error) error {
	for {
		e := lock.Acquire(co)
		if e == nil {
			break
		}
		if err == nil {
			err = e
		}
	}
	if err != nil && notified {
		l.WakeN(1) // the notification it got goes to another
	}
	return err
}

// WaitFor is a condition variable's WaitFor: it calls wait until pred is
// true, checking it first and after each wake-up, and returns the first
// error wait returns.
func WaitFor(co *iterco.Co, pred func() bool, wait func(*iterco.Co) error) error {
	for !pred() {
		if err := wait(co); err != nil {
			return err
		}
	}
	return nil
}
