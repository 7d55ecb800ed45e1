package waitq

import (
	"errors"

	"github.com/asynkit-go/asynkit/task"
)

// OwnerWatch notices the end of a primitive's owner (a lock's): while
// tasks wait, the primitive watches its owner through the owner task's
// waiter list, and is told if the owner ends. An owner that nobody waits
// for is not watched: the next task that asks finds it done. The zero
// OwnerWatch watches nothing.
//
// A watch outlives the ownership: it stays on a task until that task
// ends, or a third owner needs its slot, or Stop (which the primitive
// calls once nobody waits for it). Two tasks that take a contended lock
// in turn are each watched once, not once per acquisition, which would
// be a registration and a removal on each hand-off. So the primitive is
// told of the end of tasks that no longer own it, and must check (its
// owner, in OwnerEnded) that the task that ended still does.
type OwnerWatch struct {
	slots [2]ownerSlot
	// older is the slot a new owner takes: the one watched longer ago.
	older uint8
}

// ownerSlot watches one task: the Waiter in its waiter list.
type ownerSlot struct {
	on task.Any
	p  Owned
}

// Owned is a primitive with an owner: told when a task it watched ended.
type Owned interface {
	// OwnerEnded is called, inside the completion of t, when t ends while
	// watched, whether it still owns the primitive or not; it must only
	// schedule work (it runs as a Waiter's Wake).
	OwnerEnded(t task.Any)
}

// Watch watches owner for p. It costs nothing if owner is watched
// already; otherwise owner takes the place of the task watched longer
// ago, which is let go.
func (w *OwnerWatch) Watch(loop *task.Loop, owner task.Any, p Owned) {
	if owner == nil {
		return
	}
	for i := range w.slots {
		if w.slots[i].on == owner {
			w.older = uint8(1 - i)
			return
		}
	}
	s := &w.slots[w.older]
	s.stop()
	s.on, s.p = owner, p
	owner.AddWaiter(loop, s)
	w.older = 1 - w.older
}

// Watching returns how many tasks are watched.
func (w *OwnerWatch) Watching() int {
	n := 0
	for i := range w.slots {
		if w.slots[i].on != nil {
			n++
		}
	}
	return n
}

// Stop stops watching every task. A primitive that nobody waits for
// calls it, so that an idle primitive is in no task's waiter list.
func (w *OwnerWatch) Stop() {
	for i := range w.slots {
		w.slots[i].stop()
	}
}

func (s *ownerSlot) stop() {
	if s.on != nil {
		s.on.RemoveWaiter(s)
		s.on = nil
	}
}

// Wake implements future.Waiter: the task watched has ended.
func (s *ownerSlot) Wake() {
	t := s.on
	s.on = nil
	if t != nil {
		s.p.OwnerEnded(t)
	}
}

// HandOn hands a free owned primitive (a lock) to the first waiter in
// l; with nobody waiting, it stops w, so that an idle primitive is in no
// task's waiter list (one that goes out of use is not kept alive by a
// task that once owned it).
func HandOn(l *List, w *OwnerWatch) {
	if l.Len() == 0 {
		w.Stop()
		return
	}
	l.WakeHead()
}

// ReportAbandoned tells loop's exception handler that t ended holding a
// lock that was released for it: with err, joined with t's own error if
// it failed.
func ReportAbandoned(loop *task.Loop, t task.Any, err error) {
	if terr := t.Err(); terr != nil {
		err = errors.Join(err, terr)
	}
	loop.CallExceptionHandler(task.Exception{Message: "task ended holding a lock; released for it", Err: err, Task: t})
}
