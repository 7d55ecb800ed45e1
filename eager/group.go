package eager

import (
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Group is a task group whose children start eagerly (anyio's eager task
// group, asynkit's create_eager_task_group). It is only valid inside its
// WithGroup call.
type Group struct{ g *task.Group }

// WithGroup is [task.WithGroup] with children that start eagerly: a child
// runs at once, in the caller's turn, until it first blocks, and only then
// becomes a task the group waits for.
func WithGroup(co *iterco.Co, body func(g *Group) error) error {
	if body == nil {
		panic("eager.WithGroup: nil body")
	}
	return task.WithGroup(co, func(g *task.Group) error { return body(&Group{g}) }, task.EagerStart(true))
}

// Go runs fn eagerly and returns its task, as [task.Group.Go] does. If fn
// finishes during its eager start, the task comes back done and its
// error is the caller's, not the group's (as anyio's eager start_soon
// raises it): read it with Err, or the loop reports it as never
// retrieved. If fn blocks, it continues as a child of the group, whose
// error goes to the group. While the group shuts down (a child failed, or
// it was cancelled) or after its block ended, fn is never started and the
// task is done with [task.ErrGroupAborting] or [task.ErrGroupClosed].
func (g *Group) Go(co *iterco.Co, fn func(co *iterco.Co) error) *task.Task[struct{}] {
	if fn == nil {
		panic("eager.Group.Go: nil function")
	}
	if g.g.Accepting() != nil {
		return g.g.Go(co, fn) // done, never started
	}
	t := task.Create(co, task.Proc(fn), task.EagerStart(true))
	if !t.Done() {
		if err := g.g.Adopt(t); err != nil {
			t.Cancel(err.Error()) // (not reached: the group took children a moment ago)
		}
	}
	return t
}

// Start is GroupStart with an untyped value, as a method.
func (g *Group) Start(co *iterco.Co, fn func(co *iterco.Co, started func(any)) error) (any, error) {
	return GroupStart(co, g, fn)
}

// GroupStart is [task.GroupStart] on an eager group: fn runs at once, and if
// it calls started during its eager part, GroupStart returns without
// suspending.
func GroupStart[T any](co *iterco.Co, g *Group, fn func(co *iterco.Co, started func(T)) error) (T, error) {
	return task.GroupStart(co, g.g, fn)
}
