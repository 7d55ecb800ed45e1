package task

import (
	"errors"
	"iter"
	"time"

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
	if err != nil {
		return nil, err
	}
	if err := waitMembers(co, members(os), true); err != nil {
		return nil, err
	}
	vs := make([]T, len(os))
	for i, o := range os {
		vs[i], _ = o.Result()
	}
	return vs, nil
}

// GatherOf is Gather over a slice of tasks of one type, as Create returns
// them: task.GatherOf(co, tasks), with no conversion to awaitables.
func GatherOf[T any](co *iterco.Co, ts []*Task[T]) ([]T, error) {
	as := make([]future.Awaitable[T], len(ts))
	for i, t := range ts {
		if t == nil {
			return nil, ErrNilAwaitable
		}
		as[i] = t
	}
	return Gather(co, as...)
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
// error (failFast) or the caller's cancellation.
func waitMembers(co *iterco.Co, ms []member, failFast bool) error {
	c := coreOf(co)
	if c == nil {
		return ErrNoLoop
	}
	if len(ms) == 0 {
		return nil
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
			return ErrWrongLoop
		}
	}
	_, err := g.wake.Await(co)
	if err == nil && g.first == nil {
		return nil
	}
	// Failed or cancelled: cancel the rest and wait for them.
	for _, m := range ms {
		if !m.Done() {
			m.Cancel("")
		}
	}
	for g.left > 0 {
		g.wake = future.New[struct{}](c.loop)
		g.failFast = false
		g.wake.Await(co) //nolint:errcheck // draining: the first error wins
	}
	if err != nil {
		return err
	}
	return g.first
}

// WaitMode says when Wait returns.
type WaitMode int

const (
	// AllCompleted returns when every task is done.
	AllCompleted WaitMode = iota
	// FirstCompleted returns when any task is done.
	FirstCompleted
	// FirstError returns when any task ends with an error (a cancellation
	// counts), or when all are done.
	FirstError
)

// NoTimeout makes Wait wait as long as it takes.
const NoTimeout time.Duration = 1<<63 - 1

// Wait waits for tasks as mode says, or until timeout passes, and returns
// them split into those done and those still pending, each in argument
// order. Nothing is cancelled. A timeout of zero or less returns at once,
// after a check; pass NoTimeout to wait without limit. Its error is the
// caller's own cancellation, ErrNilAwaitable, or ErrWrongLoop. No tasks:
// empty sets at once.
func Wait(co *iterco.Co, ts []Any, mode WaitMode, timeout time.Duration) (done, pending []Any, err error) {
	c := coreOf(co)
	if c == nil {
		return nil, nil, ErrNoLoop
	}
	for _, t := range ts {
		if t == nil {
			return nil, nil, ErrNilAwaitable
		}
	}
	w := &waitState{ts: ts, mode: mode, wake: future.New[struct{}](c.loop)}
	if !w.satisfied() && timeout > 0 && len(ts) > 0 {
		for i, t := range ts {
			if !t.AddWaiter(c.loop, w) {
				for _, u := range ts[:i] {
					u.RemoveWaiter(w)
				}
				return nil, nil, ErrWrongLoop
			}
		}
		var tm *Timer
		if timeout != NoTimeout {
			tm = c.loop.CallLater(timeout, func() { w.wake.SetResult(struct{}{}) })
		}
		_, err = w.wake.Await(co)
		if tm != nil {
			tm.Cancel()
		}
		for _, t := range ts {
			t.RemoveWaiter(w)
		}
	}
	for _, t := range ts {
		if t.Done() {
			done = append(done, t)
		} else {
			pending = append(pending, t)
		}
	}
	return done, pending, err
}

type waitState struct {
	ts   []Any
	mode WaitMode
	wake *future.Future[struct{}]
}

func (w *waitState) satisfied() bool {
	all := true
	for _, t := range w.ts {
		if !t.Done() {
			all = false
			continue
		}
		switch {
		case w.mode == FirstCompleted:
			return true
		case w.mode == FirstError && t.Err() != nil:
			return true
		}
	}
	return all
}

func (w *waitState) Wake() {
	if !w.wake.Done() && w.satisfied() {
		w.wake.SetResult(struct{}{})
	}
}

// AsCompleted yields the outcomes of the awaitables in the order they
// finish, suspending co between them. Breaking out of the loop stops
// waiting without cancelling what is left. If co is cancelled while it
// waits, the sequence yields that error and ends.
func AsCompleted[T any](co *iterco.Co, as ...future.Awaitable[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		c := coreOf(co)
		if c == nil {
			yield(zero, ErrNoLoop)
			return
		}
		os, err := ensure(co, as)
		if err != nil {
			yield(zero, err)
			return
		}
		ac := &asCompleted[T]{}
		ws := make([]completionWaiter[T], len(os))
		for i, o := range os {
			ws[i] = completionWaiter[T]{ac, o}
			if !o.AddWaiter(c.loop, &ws[i]) {
				yield(zero, ErrWrongLoop)
				return
			}
		}
		defer func() {
			for i, o := range os {
				o.RemoveWaiter(&ws[i])
			}
		}()
		for range os {
			for len(ac.ready) == 0 {
				ac.wake = future.New[struct{}](c.loop)
				if _, err := ac.wake.Await(co); err != nil {
					ac.wake = nil
					yield(zero, err)
					return
				}
			}
			o := ac.ready[0]
			ac.ready = ac.ready[1:]
			if !yield(o.Result()) {
				return
			}
		}
	}
}

type asCompleted[T any] struct {
	ready []outcome[T]
	wake  *future.Future[struct{}]
}

type completionWaiter[T any] struct {
	ac *asCompleted[T]
	o  outcome[T]
}

func (w *completionWaiter[T]) Wake() {
	w.ac.ready = append(w.ac.ready, w.o)
	if w.ac.wake != nil && !w.ac.wake.Done() {
		w.ac.wake.SetResult(struct{}{})
	}
}

// Shield awaits a but keeps a cancellation of the caller from reaching it:
// the caller sees the cancellation at once, and a's work goes on. An
// error a ends with after that reaches the loop's exception handler,
// unless somebody else retrieves it. A plain
// awaitable (not a future or task) is first given a task of its own.
func Shield[T any](co *iterco.Co, a future.Awaitable[T]) (T, error) {
	var zero T
	c := coreOf(co)
	if c == nil {
		return zero, ErrNoLoop
	}
	os, err := ensure(co, []future.Awaitable[T]{a})
	if err != nil {
		return zero, err
	}
	inner := os[0]
	if inner.Done() {
		return inner.Result()
	}
	outer := future.New[T](c.loop)
	w := &shieldWaiter[T]{inner, outer}
	if !inner.AddWaiter(c.loop, w) {
		return zero, ErrWrongLoop
	}
	v, err := outer.Await(co)
	if !outer.Done() || outer.Cancelled() {
		// The caller gave up: nobody waits for inner any more, so an error
		// it ends with is reported as never retrieved, as without a shield.
		inner.RemoveWaiter(w)
	}
	return v, err
}

type shieldWaiter[T any] struct {
	inner outcome[T]
	outer *future.Future[T]
}

func (w *shieldWaiter[T]) Wake() {
	if w.outer.Done() {
		return
	}
	v, err := w.inner.Result()
	if err != nil {
		w.outer.SetError(err)
	} else {
		w.outer.SetResult(v)
	}
}
