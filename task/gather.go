package task

import (
	"errors"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// ErrNilAwaitable reports a nil awaitable or task handed to a combinator.
var ErrNilAwaitable = errors.New("task: nil awaitable")

// outcome is what the combinators wait on: a future or a task, with its
// typed result.
type outcome[T any] interface {
	future.Waitable
	Result() (T, error)
	Err() error
}

// member is the untyped side of an outcome.
type member interface {
	future.Waitable
	Err() error
}

// ensure turns an awaitable into something to wait on: futures and tasks
// as they are, anything else awaited by a new task (asyncio's
// ensure_future).
func ensure[T any](co *iterco.Co, as []future.Awaitable[T]) ([]outcome[T], error) {
	out := make([]outcome[T], len(as))
	for i, a := range as {
		switch x := a.(type) {
		case nil:
			return nil, ErrNilAwaitable
		case *future.Future[T]:
			if x == nil {
				return nil, ErrNilAwaitable
			}
			out[i] = x
		case *Task[T]:
			if x == nil {
				return nil, ErrNilAwaitable
			}
			out[i] = x
		}
	}
	for i, a := range as {
		if out[i] == nil {
			out[i] = Create(co, a.Await)
		}
	}
	return out, nil
}

func members[T any](os []outcome[T]) []member {
	ms := make([]member, len(os))
	for i, o := range os {
		ms[i] = o
	}
	return ms
}

// Gather waits for every awaitable and returns their results in argument
// order. Futures and tasks are awaited as they are; any other awaitable is
// awaited by a new task. The same future or task may appear more than
// once: it is awaited once and its result appears at each place.
//
// Unlike asyncio's gather, which leaves the others running, the first error
// cancels the awaitables not yet done; Gather waits for them to finish and
// returns that first error, so nothing it started outlives it. Cancelling
// the caller cancels them all the same way and returns the cancellation.
// Use GatherAll to collect every outcome instead. No awaitables: an empty
// result at once.
func Gather[T any](co *iterco.Co, as ...future.Awaitable[T]) ([]T, error) {
	os, err := ensure(co, as)
	var g *gathering
	if err == nil {
		g, err = startGathering(co, members(os), true)
	}
	if g != nil {
		// waitMembers' wait, here: a frame fewer under the suspension.
		_, err = g.wake.Await(co)
		err = g.end(co, err)
	}
	if err != nil {
		return nil, err
	}
	return results(os), nil
}

// results returns the results of outcomes that are done. (Not inlined:
// Gather's frame, under the task's suspension while it waits, keeps no
// room for it.)
//
//go:noinline
func results[T any](os []outcome[T]) []T {
	vs := make([]T, len(os))
	for i, o := range os {
		vs[i], _ = o.Result()
	}
	return vs
}

// GatherOf is Gather over a slice of tasks of one type, as Create returns
// them: task.GatherOf(co, tasks), with no conversion to awaitables.
func GatherOf[T any](co *iterco.Co, ts []*Task[T]) ([]T, error) {
	os, err := outcomesOf(ts)
	if err == nil {
		err = waitMembers(co, members(os), true)
	}
	if err != nil {
		return nil, err
	}
	return results(os), nil
}

// outcomesOf returns the tasks as outcomes, or ErrNilAwaitable.
func outcomesOf[T any](ts []*Task[T]) ([]outcome[T], error) {
	os := make([]outcome[T], len(ts))
	for i, t := range ts {
		if t == nil {
			return nil, ErrNilAwaitable
		}
		os[i] = t
	}
	return os, nil
}

// GatherAll waits for every awaitable, whatever happens to the others,
// and returns all the results and all the errors in argument order
// (asyncio's gather with return_exceptions=True). The error it returns is
// the caller's own cancellation, or ErrNilAwaitable; cancelling the caller
// cancels the awaitables and waits for them.
func GatherAll[T any](co *iterco.Co, as ...future.Awaitable[T]) ([]T, []error, error) {
	os, err := ensure(co, as)
	if err != nil {
		return nil, nil, err
	}
	if err := waitMembers(co, members(os), false); err != nil {
		return nil, nil, err
	}
	vs, errs := make([]T, len(os)), make([]error, len(os))
	for i, o := range os {
		vs[i], errs[i] = o.Result()
	}
	return vs, errs, nil
}

// GatherTasks is Gather over tasks of any result types: it waits for them
// all and returns the first error, cancelling the others when one fails.
// Read each task's result from the task.
func GatherTasks(co *iterco.Co, ts ...Any) error {
	ms := make([]member, len(ts))
	for i, t := range ts {
		if t == nil {
			return ErrNilAwaitable
		}
		ms[i] = t
	}
	return waitMembers(co, ms, true)
}

// gathering counts the members still running and holds the first error.
type gathering struct {
	ms       []member
	waiters  []gatherWaiter
	left     int
	failFast bool
	first    error
	wake     *future.Future[struct{}]
}

type gatherWaiter struct {
	g *gathering
	i int
}

func (w *gatherWaiter) Wake() {
	g := w.g
	g.left--
	if err := g.ms[w.i].Err(); err != nil && g.first == nil && g.failFast {
		g.first = err
	}
	if g.left == 0 || g.first != nil {
		g.wake.SetResult(struct{}{})
	}
}

// waitMembers waits until every member is done, or with failFast until one
// fails, then cancels the rest and waits for them. It returns the first
// error (failFast) or the caller's cancellation. It awaits from its own
// frame, which stays under the task's suspension while it waits, and
// keeps little there: what comes before and after the wait is in calls
// of its own (see Task on the 2 KB a parked task's stack fits).
func waitMembers(co *iterco.Co, ms []member, failFast bool) error {
	g, err := startGathering(co, ms, failFast)
	if g == nil {
		return err
	}
	_, err = g.wake.Await(co)
	return g.end(co, err)
}

// startGathering registers a waiter on every member, returning nil and
// the error when there is nothing to wait for.
//
//go:noinline
func startGathering(co *iterco.Co, ms []member, failFast bool) (*gathering, error) {
	c := coreOf(co)
	if c == nil {
		return nil, ErrNoLoop
	}
	if len(ms) == 0 {
		return nil, nil
	}
	// Count every member before the first registers: a member that is done
	// already wakes its waiter inside AddWaiter.
	g := &gathering{ms: ms, waiters: make([]gatherWaiter, len(ms)), failFast: failFast, left: len(ms)}
	g.wake = future.New[struct{}](c.loop)
	for i, m := range ms {
		g.waiters[i] = gatherWaiter{g, i}
		if !m.AddWaiter(c.loop, &g.waiters[i]) {
			for j := range i {
				ms[j].RemoveWaiter(&g.waiters[j])
			}
			return nil, ErrWrongLoop
		}
	}
	return g, nil
}

// end finishes a gathering whose wake-up's Await returned err: on a
// failure or a cancellation it cancels the members not done and waits
// for them.
//
//go:noinline
func (g *gathering) end(co *iterco.Co, err error) error {
	if err == nil && g.first == nil {
		return nil
	}
	// Failed or cancelled: cancel the rest and wait for them.
	for _, m := range g.ms {
		if !m.Done() {
			m.Cancel("")
		}
	}
	for g.left > 0 {
		g.wake = future.New[struct{}](g.wake.Loop())
		g.failFast = false
		g.wake.Await(co) //nolint:errcheck // draining: the first error wins
	}
	if err != nil {
		return err
	}
	return g.first
}
