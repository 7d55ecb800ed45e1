package sync

import (
	"fmt"
	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Lock is a mutual exclusion lock for tasks (asyncio.Lock). The zero Lock
// is unlocked. It must not be copied after first use.
//
// Lock is fair: a task that arrives while others wait queues behind them,
// even if the lock is free at that moment because it was just released to
// the first of them. Ownership is tracked: only the task that acquired the
// lock may release it (a priority lock needs to know its owner to lend it
// priority), and Release says so with ErrNotOwner.
//
// An uncontended Acquire and Release take about 16 ns together and
// allocate nothing; a hand-off between two tasks that both want the lock
// costs about 150 ns, and allocates nothing either
// (BenchmarkLockUncontended, BenchmarkLockContended).
//
// # An owner that ends holding the lock
//
// Only the owner may release the lock, so a task that ends without
// releasing it would leave it held forever, its waiters and Run's clean-up
// hanging. Instead the lock is released for it: passed to the first
// waiter, or taken by the next task that asks, and the loop's exception
// handler is told once with an error matching ErrAbandoned (joined with
// the task's own error, if it failed). To notice the end at once, a lock
// that has waiters watches its owner; an uncontended lock pays nothing.
// While tasks wait, a watch stays on a task after it releases the lock,
// until it ends or the lock has watched two others since, so that two
// tasks that take a contended lock in turn are watched once each, not at
// every hand-off.
type Lock struct {
	binding
	locked  bool
	owner   task.Any
	waiters waitq.List
	watch   waitq.OwnerWatch
}

// lockOwner is the lock as waitq.Owned sees it: told when its owner ends.
type lockOwner Lock

// OwnerEnded releases the lock for t, which ended holding it while tasks
// waited.
func (o *lockOwner) OwnerEnded(t task.Any) {
	l := (*Lock)(o)
	if l.locked && l.owner == t {
		l.loop.CallSoon(func() { waitq.ReportAbandoned(l.loop, t, ErrAbandoned) })
		l.locked, l.owner = false, nil
		l.wakeNext()
	}
}

// wakeNext hands the free lock on (see waitq.HandOn).
func (l *Lock) wakeNext() { waitq.HandOn(&l.waiters, &l.watch) }

// reclaim releases a lock whose owner ended holding it, which happens only
// if nobody waited while it did. It costs nothing on a free lock.
func (l *Lock) reclaim() {
	if l.locked && l.owner != nil && l.owner.Done() {
		t := l.owner
		l.locked, l.owner = false, nil
		waitq.ReportAbandoned(l.loop, t, ErrAbandoned)
	}
}

// Acquire takes the lock, suspending co's task until it is free. It
// returns nil once the task holds the lock, or the error that ended the
// wait (a cancellation), in which case the task does not hold it and the
// lock is as if it had never waited. A task that holds the lock already
// gets ErrDeadlock at once: the Lock is not reentrant. Uncontended, it neither suspends nor
// allocates.
func (l *Lock) Acquire(co *iterco.Co) error {
	me, loop, err := l.bindTask(co)
	if err != nil {
		return err
	}
	l.reclaim()
	if !l.locked && l.waiters.AllCancelled() {
		l.locked, l.owner = true, me
		return nil
	}
	if l.owner == me {
		return ErrDeadlock
	}
	l.watchOwner()
	if _, err := l.waiters.Wait(co, l.waiters.Join(loop)); err != nil {
		return l.giveUp(err)
	}
	l.locked, l.owner = true, me
	if l.waiters.Len() > 0 {
		l.watchOwner() // for those behind it: whom they watched released the lock
	}
	if l.loop.Debugging() {
		l.check(l.loop)
	}
	return nil
}

// watchOwner has the lock told when its owner ends, now that a task
// waits for it, and labels the waiters: the task that waits first while
// it holds the lock has it watched, and so does each waiter that takes
// the lock with others still behind it (a task that waited while the
// lock was on its way to the first waiter found no owner to watch). (Not
// inlined: the watch's arguments would take room in Acquire's frame,
// which stays under the suspension while the task is parked.)
//
//go:noinline
func (l *Lock) watchOwner() {
	l.watch.Watch(l.loop, l.owner, (*lockOwner)(l))
	if l.waiters.Label == nil {
		l.waiters.Kind, l.waiters.Label = "asyncsync.Lock", l.String
	}
}

// giveUp ends a wait that err ended: the lock it may have been handed
// goes on to the next waiter. (Not inlined: Acquire's frame keeps no room
// for it.)
//
//go:noinline
func (l *Lock) giveUp(err error) error {
	if !l.locked {
		l.wakeNext()
	}
	return err
}

// check reports, in debug mode, a lock that a waiter was also handed: two
// tasks would hold it.
func (l *Lock) check(loop *task.Loop) {
	for w := range l.waiters.All() {
		if w.Granted && !w.Cancelled() {
			loop.CallExceptionHandler(task.Exception{Message: "debug check",
				Err: fmt.Errorf("%w: %s was handed to a waiter too", task.ErrInvariant, l)})
			return
		}
	}
}

// TryAcquire takes the lock if it is free and nobody waits, without
// suspending, and reports whether it did.
func (l *Lock) TryAcquire(co *iterco.Co) bool {
	if _, err := l.bind(co); err != nil {
		return false
	}
	l.reclaim()
	if l.locked || !l.waiters.AllCancelled() {
		return false
	}
	l.locked, l.owner = true, task.Current(co)
	return true
}

// Release unlocks the lock and wakes the first waiter, which takes it when
// it runs. It returns ErrNotLocked if the lock is not locked and
// ErrNotOwner if co's task does not hold it. Use it with defer:
//
//	if err := lock.Acquire(co); err != nil {
//		return err
//	}
//	defer lock.Release(co)
func (l *Lock) Release(co *iterco.Co) error {
	if !l.locked {
		return ErrNotLocked
	}
	if l.owner != nil && l.owner != task.Current(co) {
		return ErrNotOwner
	}
	l.locked, l.owner = false, nil
	l.wakeNext() // a task waiting: the watch stays, for co's task may own the lock again
	return nil
}

// String describes the lock and its owner, as task introspection shows
// what a task waits on: "asyncsync.Lock held by NAME (tN)".
func (l *Lock) String() string { return describeLock("asyncsync.Lock", l.owner) }

// Locked reports whether the lock is held.
func (l *Lock) Locked() bool { return l.locked }

// Owner returns the task that holds the lock, or nil.
func (l *Lock) Owner() task.Any { return l.owner }
