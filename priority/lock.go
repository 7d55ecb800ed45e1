package priority

import (
	"fmt"
	"slices"

	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// Lock is a task lock whose waiters are served by effective priority,
// FIFO among equals (each placed by its priority when it began to wait),
// and whose owner inherits the priority of its waiters, transitively (see
// the package doc). It has the methods of sync.Lock, and the same rules:
// fair (a newcomer queues behind waiters), owned (only the owner
// releases: sync.ErrNotOwner), not reentrant (sync.ErrDeadlock), and a
// task that ends holding it has it released for it (the exception handler
// is told with sync.ErrAbandoned). The zero
// Lock is unlocked; it must not be copied after first use. An uncontended
// Acquire and Release cost what sync.Lock's do and allocate nothing: a lock
// touches its owner's state only while tasks wait for it. A task's first
// wait for any priority Lock gives it its priority state (unless
// priority.Of gave it one), in calls shallow enough that the task still
// parks on a goroutine's first 2 KB of stack (from a call holding 128
// bytes of frame; see task.Task).
type Lock struct {
	loop    *task.Loop
	locked  bool
	owner   task.Any
	waiters waitq.List
	// lending: the lock is in its owner's list of held locks, which it is
	// only while tasks wait for it, since only then does it lend the
	// owner a priority: an uncontended lock touches no task's state.
	lending bool
	watch   waitq.OwnerWatch
}

// lockOwner is the lock as waitq.Owned sees it: told when its owner ends.
type lockOwner Lock

// OwnerEnded releases the lock for t, which ended holding it while tasks
// waited, as sync.Lock does.
func (o *lockOwner) OwnerEnded(t task.Any) {
	l := (*Lock)(o)
	if l.locked && l.owner == t {
		l.loop.CallSoon(func() { waitq.ReportAbandoned(l.loop, t, asyncsync.ErrAbandoned) })
		l.free(t)
		l.wakeNext()
	}
}

// wakeNext hands the free lock on (see waitq.HandOn).
func (l *Lock) wakeNext() { waitq.HandOn(&l.waiters, &l.watch) }

// reclaim releases a lock whose owner ended holding it while nobody
// waited. It costs nothing on a free lock.
func (l *Lock) reclaim() {
	if l.locked && l.owner != nil && l.owner.Done() {
		t := l.owner
		l.free(t)
		waitq.ReportAbandoned(l.loop, t, asyncsync.ErrAbandoned)
	}
}

// free unlocks the lock held by t, which no longer inherits from it.
func (l *Lock) free(t task.Any) {
	l.locked, l.owner = false, nil // the watch stays while tasks wait: t may own the lock again
	if l.lending {
		l.lending = false
		s := stateOf(t)
		if i := slices.Index(s.held, l); i >= 0 {
			s.held = slices.Delete(s.held, i, i+1)
		}
		if !t.Done() {
			changed(t)
		}
	}
}

func byPriority(a, b *waitq.Waiter) bool { return a.Key < b.Key }

func (l *Lock) bind(co *iterco.Co) (task.Any, error) {
	t := task.Current(co)
	if t == nil {
		return nil, task.ErrNoLoop
	}
	switch {
	case l.loop == nil:
		l.loop = t.Loop()
		l.waiters.Order = byPriority
	case l.loop != t.Loop():
		return nil, task.ErrWrongLoop
	}
	return t, nil
}

// Acquire takes the lock, suspending co's task until it is free; while it
// waits, the owner runs with at least its effective priority. It returns
// nil once the task holds the lock, or the error that ended the wait (a
// cancellation), in which case it does not hold it, and the owner's
// priority drops back.
func (l *Lock) Acquire(co *iterco.Co) error {
	me, err := l.bind(co)
	if err != nil {
		return err
	}
	l.reclaim()
	if !l.locked && l.waiters.AllCancelled() {
		l.take(me)
		return nil
	}
	if l.owner == me {
		return asyncsync.ErrDeadlock
	}
	s := stateOf(me)
	s.waitingOn = l
	l.lend()
	l.watch.Watch(l.loop, l.owner, (*lockOwner)(l))
	if l.waiters.Label == nil {
		l.waiters.Kind, l.waiters.Label = "priority.Lock", l.String
	}
	w := l.waiters.Add(l.loop, effective(me, 0), me)
	l.ownerChanged() // it waits now: the owner inherits its priority
	_, err = l.waiters.Wait(co, w)
	s.waitingOn = nil
	if err != nil {
		return l.giveUp(err)
	}
	l.take(me)
	return nil
}

// giveUp ends a wait that err ended: the lock it may have been handed
// goes on to the next waiter, and the owner no longer inherits from it.
// (Not inlined: Acquire's frame, under the suspension while the task is
// parked, keeps no room for it.)
//
//go:noinline
func (l *Lock) giveUp(err error) error {
	if !l.locked {
		l.wakeNext()
	}
	l.ownerChanged()
	return err
}

// TryAcquire takes the lock if it is free and nobody waits, without
// suspending, and reports whether it did.
func (l *Lock) TryAcquire(co *iterco.Co) bool {
	me, err := l.bind(co)
	if err != nil {
		return false
	}
	l.reclaim()
	if l.locked || !l.waiters.AllCancelled() {
		return false
	}
	l.take(me)
	return true
}

// take gives the lock to me. If others still wait behind it, it lends
// them to me and watches me: the owner they watched, if any, released the
// lock, and a task that waited while the lock was on its way to me found
// no owner to watch. (Not inlined: the watch's arguments would take room
// in Acquire's frame, which stays under the suspension while the task is
// parked.)
//
//go:noinline
func (l *Lock) take(me task.Any) {
	l.locked, l.owner = true, me
	if l.waiters.Len() > 0 {
		l.lend()
		l.watch.Watch(l.loop, me, (*lockOwner)(l))
	}
}

// lend puts the lock in its owner's list of held locks, so that the
// owner's effective priority counts its waiters.
func (l *Lock) lend() {
	if !l.lending && l.owner != nil {
		s := stateOf(l.owner)
		s.held = append(s.held, l)
		l.lending = true
	}
}

// Release unlocks the lock and wakes the most urgent waiter, which takes
// it when it runs; the releasing task's priority drops back to what it
// has without this lock's waiters. It returns sync.ErrNotLocked if the
// lock is not locked and sync.ErrNotOwner if co's task does not hold it.
func (l *Lock) Release(co *iterco.Co) error {
	if !l.locked {
		return asyncsync.ErrNotLocked
	}
	me := task.Current(co)
	if l.owner != me {
		return asyncsync.ErrNotOwner
	}
	l.free(me)
	l.wakeNext()
	return nil
}

// Locked reports whether the lock is held.
func (l *Lock) Locked() bool { return l.locked }

// Owner returns the task that holds the lock, or nil.
func (l *Lock) Owner() task.Any { return l.owner }

// String describes the lock and its owner, as task introspection shows
// what a task waits on: "priority.Lock held by NAME (tN)".
func (l *Lock) String() string {
	if l.owner == nil {
		return "priority.Lock"
	}
	return fmt.Sprintf("priority.Lock held by %s (t%d)", l.owner.Name(), l.owner.ID())
}

// EffectivePriority returns the best effective priority among the tasks
// waiting for the lock; ok is false while nobody waits.
func (l *Lock) EffectivePriority() (p int, ok bool) { return l.effective(0) }

func (l *Lock) effective(depth int) (p int, ok bool) {
	for w := range l.waiters.All() {
		t, isTask := w.Who.(task.Any)
		if !isTask || w.Done() {
			continue // granted or leaving: no longer waiting
		}
		if q := effective(t, depth); !ok || q < p {
			p, ok = q, true
		}
	}
	return p, ok
}

// ownerChanged tells the owner its waiters changed.
func (l *Lock) ownerChanged() {
	if l.owner != nil {
		changed(l.owner)
	}
}
