package priority

import (
	"errors"

	"github.com/asynkit-go/asynkit/task"
)

// The named priorities; any int is a priority.
const (
	High   = -10
	Normal = 0
	Low    = 10
)

var (
	// ErrDone reports setting the priority of a task that is done.
	ErrDone = errors.New("priority: task is done")
)

// state is what the package keeps on a task.
type state struct {
	base      int
	held      []*Lock // priority locks the task holds
	waitingOn *Lock   // the priority lock it waits for, if any
}

// stateKey is the key of a task's state: a pointer, so that finding it
// is a pointer comparison.
var stateKey = new(byte)

// stateOf returns t's state, made (Normal) on first use.
func stateOf(t task.Any) *state {
	if s, ok := task.Attached(t, stateKey).(*state); ok {
		return s
	}
	s := &state{}
	task.SetAttached(t, stateKey, s)
	return s
}

// peek returns t's state, or nil if it has none.
func peek(t task.Any) *state {
	s, _ := task.Attached(t, stateKey).(*state)
	return s
}

// Of is a task option giving the new task priority p:
//
//	task.Create(co, fn, priority.Of(priority.High))
func Of(p int) task.Option { return task.Attach(stateKey, &state{base: p}) }

// Set changes t's own priority, at any time (a handler raising its own
// priority, say). If t is queued it moves to its new place, and a task it
// waits on through a Lock inherits the change. It returns ErrDone for a
// task that is done, and [task.ErrWrongLoop] when called from outside t's
// loop while that loop sleeps. Call it on t's loop.
func Set(t task.Any, p int) error {
	switch {
	case t.Done():
		return ErrDone
	case t.Loop() != nil && t.Loop().Sleeping():
		return task.ErrWrongLoop
	}
	stateOf(t).base = p
	changed(t)
	return nil
}

// Base returns t's own priority: what Of or Set gave it, Normal if
// nothing did.
func Base(t task.Any) int {
	if s := peek(t); s != nil {
		return s.base
	}
	return Normal
}

// Effective returns t's effective priority: the best (lowest) of its own
// and of every task waiting, directly or along a chain of locks, on a
// Lock it holds. It costs O(tasks waiting on what t holds, transitively).
func Effective(t task.Any) int { return effective(t, 0) }

// maxDepth bounds the walk along chains of locks: only a deadlock, a
// cycle of tasks each waiting on a lock the next holds, goes deeper.
const maxDepth = 1000

func effective(t task.Any, depth int) int {
	s := peek(t)
	if s == nil {
		return Normal
	}
	p := s.base
	if depth < maxDepth {
		for _, l := range s.held {
			if q, ok := l.effective(depth + 1); ok && q < p {
				p = q
			}
		}
	}
	return p
}

// changed is called when t's effective priority may have changed: a
// queued t moves to its place, and the change travels on to the owner of
// the lock t waits for, and so on along the chain.
func changed(t task.Any) {
	for range maxDepth {
		if t.Loop() == nil {
			return
		}
		if q, ok := t.Loop().Queue().(*Queue); ok {
			q.fix(task.HandleOf(t))
		}
		s := peek(t)
		if s == nil || s.waitingOn == nil || s.waitingOn.owner == nil {
			return
		}
		t = s.waitingOn.owner
	}
}
