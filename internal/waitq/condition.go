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

// WaitReleased is a condition variable's wait on l: it releases lock,
// parks co's task in l (with key and who, as Add), and re-acquires lock
// before it returns, on every path; the error is the first one the wait
// or a re-acquisition ended with. A waiter notified that leaves with an
// error passes its notification on to the next. If the task does not hold
// lock, the Release error is returned at once.
func (l *List) WaitReleased(co *iterco.Co, loop future.Loop, key int, who any, lock Locker) error {
	if err := lock.Release(co); err != nil {
		return err
	}
	notified, waitErr := l.Wait(co, l.Add(loop, key, who))
	for {
		err := lock.Acquire(co)
		if err == nil {
			break
		}
		if waitErr == nil {
			waitErr = err
		}
	}
	if waitErr != nil && notified {
		l.WakeN(1) // the notification it got goes to another
	}
	return waitErr
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
