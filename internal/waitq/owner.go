package waitq

import (
	"errors"

	"github.com/asynkit-go/asynkit/task"
)

// OwnerWatch notices the end of a primitive's owner (a lock's): while
// tasks wait, the primitive watches its owner through the owner task's
// waiter list, and is told if the owner ends still owning. An owner that
// nobody waits for is not watched: the next task that asks finds it done.
// The zero OwnerWatch watches nothing.
type OwnerWatch struct {
	on task.Any
	p  Owned
}

// Owned is a primitive with an owner: told when its owner ended.
type Owned interface {
	// OwnerEnded is called, inside the completion of t, when t ends while
	// watched; it must only schedule work (it runs as a Waiter's Wake).
	OwnerEnded(t task.Any)
}

// Watch watches owner for p, in place of the task watched before; it
// costs nothing if owner is watched already.
func (w *OwnerWatch) Watch(loop *task.Loop, owner task.Any, p Owned) {
	if owner == nil || w.on == owner {
		return
	}
	w.Stop()
	w.on, w.p = owner, p
	owner.AddWaiter(loop, w)
}

// Stop stops watching.
func (w *OwnerWatch) Stop() {
	if w.on != nil {
		w.on.RemoveWaiter(w)
		w.on = nil
	}
}

// Wake implements future.Waiter: the task watched has ended.
func (w *OwnerWatch) Wake() {
	t := w.on
	w.on = nil
	if t != nil {
		w.p.OwnerEnded(t)
	}
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
