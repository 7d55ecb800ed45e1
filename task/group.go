package task

import (
	"errors"
	"fmt"
	"slices"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// ErrNotStarted is the error of GroupStart when the child returned without
// calling its started callback (anyio's "Child exited without calling
// task_status.started()").
var ErrNotStarted = errors.New("task: child returned without calling started")

// ErrGroupClosed reports adding a child to a group whose body has ended.
var ErrGroupClosed = errors.New("task: group is closed")

// ErrGroupAborting reports adding a child to a group that a failure or a
// cancellation is shutting down: the child is never started (asyncio's
// "TaskGroup is shutting down").
var ErrGroupAborting = errors.New("task: group is shutting down")

// Group is a set of child tasks whose lifetime is a block of code, made by
// [WithGroup] (asyncio's TaskGroup, anyio's task group, errgroup): the block
// does not end before every child has, the first failure cancels the
// others, and the errors come back joined. A Group is only valid inside
// its WithGroup call, on its loop.
type Group struct {
	c    *core    // the task running the body
	opts []Option // for every child
	// first holds the first children, in the group itself, and blocks
	// the others, made 32 at a time (see groupBlock); spare is the unused
	// end of the last, where the next child is made.
	first    [4]groupChild
	blocks   [][]groupChild
	spare    []groupChild
	left     int
	errs     []error
	closed   bool
	aborting bool
	// cancelledParent is set when the group cancelled the body's task
	// because a child failed; that cancel is withdrawn on the way out.
	cancelledParent bool
	wake            *future.Future[struct{}]

	// SetLimit's: at most limit children started by Go at once (-1: no
	// limit; the zero Group has none, hence limit is kept minus one).
	limitM1 int
	active  int
	slots   []*future.Future[struct{}] // Go calls waiting for a slot
	// outside is a cancellation of the body's task that ended its wait
	// for a slot: WithGroup returns it, as if the body had.
	outside error
	// cancel is a cancellation of the body's task that the body returned
	// or that ended WithGroup's wait for the children; it goes before
	// outside.
	cancel error
}

type groupChild struct {
	g       *Group
	t       Any
	counted bool // holds one of SetLimit's slots
	// silent, while true, sends the child's error to GroupStart's caller
	// instead of the group.
	silent *bool
}

// WithGroup runs body with a new Group and returns once body and every
// child started in it have finished. If body or a child fails (returns an
// error other than a cancellation, or panics), the other children are
// cancelled, and so is body if it is still waiting, and WithGroup returns
// the errors joined with errors.Join; panics arrive as *[iterco.PanicError].
// A cancellation of the calling task from outside cancels the children
// too, and is returned as it is. Children cannot outlive the call. opts
// apply to every child (task.EagerStart, say).
func WithGroup(co *iterco.Co, body func(g *Group) error, opts ...Option) error {
	if body == nil {
		panic("task.WithGroup: nil body")
	}
	c := coreOf(co)
	if c == nil {
		return ErrNoLoop
	}
	g := &Group{c: c, opts: opts}
	g.spare = g.first[:]
	g.bodyEnded(runBody(g, body))
	// The children are awaited from this frame, which stays under the
	// task's suspension while it waits: what comes before and after is in
	// calls of its own (see Task on the 2 KB a parked task's stack fits).
	for g.left > 0 {
		g.wake = future.New[struct{}](c.loop)
		_, err := g.wake.Await(co)
		g.woke(err)
	}
	return g.end()
}

// bodyEnded takes the error the body returned: a cancellation of the
// task is kept to return, a failure joins the group's errors; either
// shuts the group down.
//
//go:noinline
func (g *Group) bodyEnded(err error) {
	if err == nil {
		return
	}
	if isCancel(err) {
		g.cancel = err
	} else {
		g.errs = append(g.errs, err)
	}
	g.abort()
}

// woke takes the error of a wait for the children: a cancellation of the
// task from outside, unless the group is shutting down already, which
// shuts it down.
//
//go:noinline
func (g *Group) woke(err error) {
	if err != nil && !g.aborting {
		g.cancel = err
		g.abort()
	}
}

// end closes the group, every child done, and returns what WithGroup
// returns.
//
//go:noinline
func (g *Group) end() error {
	c := g.c
	outside := g.cancel
	if outside == nil {
		outside = g.outside
	}
	g.closed = true
	c.loop.keepGroupBlocks(g.blocks) // every child is done: none is woken again
	g.blocks, g.spare = nil, nil
	// Withdraw the cancel the group sent its own task; a cancellation
	// still pending after that came from outside and goes on.
	if g.cancelledParent && c.withdraw(0) {
		outside = nil
	}
	self := c.self()
	if len(g.errs) > 0 {
		if self.Cancelling() > 0 {
			// The errors win, but a cancel from outside is not lost: it is
			// sent again, at the same count, so the task's next await sees
			// it (asyncio's TaskGroup does the same).
			msg := c.cancelMsg()
			self.Uncancel()
			self.Cancel(msg)
		}
		return errors.Join(g.errs...)
	}
	return outside
}

func runBody(g *Group, body func(g *Group) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = iterco.Recovered(r)
		}
	}()
	return body(g)
}

// Go starts fn as a child task of the group (created as Create does). It
// returns the child; a task done with ErrGroupClosed, never started, once
// the group's block has ended; and one done with ErrGroupAborting, never
// started, while a failure or a cancellation shuts the group down.
//
// Under a limit (SetLimit) Go first waits, suspending co's task, until
// fewer than the limit of the children it started are running. If that
// wait is cancelled, the child is not started and the returned task is
// done with the cancellation; a cancellation of the body's own task
// shuts the group down, and WithGroup returns it.
func (g *Group) Go(co *iterco.Co, fn func(co *iterco.Co) error) *Task[struct{}] {
	if fn == nil {
		panic("task.Group.Go: nil function")
	}
	if err := g.waitSlot(co); err != nil {
		return g.refused(err)
	}
	if err := g.Accepting(); err != nil {
		return g.refused(err)
	}
	// The child is made right here, not in a call of its own: see startChild.
	t := new(Task[struct{}])
	if create(co, t, pendingProc(fn), g.opts) {
		t.c.loop.startEager(&t.c, co)
	}
	g.adopt(t, nil, g.limitM1 > 0)
	return t
}

// TryGo starts fn as a child, as Go does, only if that takes no waiting:
// the group takes children and is below its limit. It reports whether
// it started one; if not, the task is nil at the limit, and done with
// Go's error (never started) when the group is closed or shutting down.
func (g *Group) TryGo(co *iterco.Co, fn func(co *iterco.Co) error) (*Task[struct{}], bool) {
	if fn == nil {
		panic("task.Group.TryGo: nil function")
	}
	if err := g.Accepting(); err != nil {
		return g.refused(err), false
	}
	if g.full() {
		return nil, false
	}
	t := new(Task[struct{}])
	if create(co, t, pendingProc(fn), g.opts) {
		t.c.loop.startEager(&t.c, co)
	}
	g.adopt(t, nil, g.limitM1 > 0)
	return t, true
}

// SetLimit limits the children that Go and TryGo start to at most n
// running at once (errgroup's SetLimit): for children that do blocking
// work through task.Go, a bound on the goroutines and connections in use.
// A negative n removes the limit; 0 lets no child start. It panics if
// children started under a limit are still running.
func (g *Group) SetLimit(n int) {
	if g.active > 0 {
		panic(fmt.Sprintf("task.Group.SetLimit: limit changed while %d children are running", g.active))
	}
	g.limitM1 = max(n, -1) + 1
}

func (g *Group) full() bool { return g.limitM1 > 0 && g.active >= g.limitM1-1 }

// waitSlot waits until the group is below its limit, or has stopped
// taking children.
func (g *Group) waitSlot(co *iterco.Co) error {
	for g.full() && g.Accepting() == nil {
		f := future.New[struct{}](g.c.loop)
		g.slots = append(g.slots, f)
		if _, err := f.Await(co); err != nil {
			if i := slices.Index(g.slots, f); i >= 0 {
				g.slots = slices.Delete(g.slots, i, i+1)
			}
			if g.aborting {
				// The group's own cancel of the body: a child failed.
				return ErrGroupAborting
			}
			if coreOf(co) == g.c {
				g.outside = err
				g.abort()
			}
			return err
		}
	}
	return nil
}

// freeSlot gives a slot back, and wakes the first Go waiting for one.
func (g *Group) freeSlot() {
	g.active--
	if len(g.slots) > 0 {
		f := g.slots[0]
		g.slots = slices.Delete(g.slots, 0, 1)
		f.SetResult(struct{}{})
	}
}

// startChild makes a child that runs start (see create); silent is
// GroupStart's. A body that starts a child and then waits keeps, while it
// is parked, the stack the start reached: Go and TryGo, which a body
// calls most, make their child themselves, a frame less deep.
func (g *Group) startChild(co *iterco.Co, start error, silent *bool) *Task[struct{}] {
	if err := g.Accepting(); err != nil {
		return g.refused(err)
	}
	t := new(Task[struct{}])
	if create(co, t, start, g.opts) {
		t.c.loop.startEager(&t.c, co)
	}
	g.adopt(t, silent, g.limitM1 > 0)
	return t
}

// refused returns a child that is done with err and never started.
//
//go:noinline
func (g *Group) refused(err error) *Task[struct{}] { return failed[struct{}](err, g.opts) }

// Accepting reports whether the group takes new children: nil while it
// does, ErrGroupClosed once its block has ended, and ErrGroupAborting
// while a failure or a cancellation shuts it down. Code that creates a
// task itself before adopting it asks first.
func (g *Group) Accepting() error {
	switch {
	case g.closed:
		return ErrGroupClosed
	case g.aborting:
		return ErrGroupAborting
	}
	return nil
}

// Adopt makes t, a task of the group's loop created elsewhere, a child of
// the group: the group waits for it and sees its error. It returns
// ErrGroupClosed once the group's block has ended, and ErrWrongLoop for a
// task of another loop.
func (g *Group) Adopt(t Any) error {
	switch {
	case g.closed:
		return ErrGroupClosed
	case t.Loop() != g.c.loop:
		return ErrWrongLoop
	}
	g.adopt(t, nil, false)
	return nil
}

// adopt makes t a child; counted, it holds one of SetLimit's slots until
// it is done.
func (g *Group) adopt(t Any, silent *bool, counted bool) {
	if len(g.spare) == 0 {
		g.newBlock()
	}
	gc := &g.spare[0]
	g.spare = g.spare[1:]
	*gc = groupChild{g: g, t: t, silent: silent, counted: counted && !t.Done()}
	if gc.counted {
		g.active++
	}
	g.left++
	t.AddWaiter(g.c.loop, gc)
	if g.aborting {
		t.Cancel("")
	}
}

// newBlock makes room for more children: a block the loop kept, or a
// new one. (A call of its own keeps adopt's frame small: a body that
// starts a child and then waits keeps the stack the start reached.)
//
//go:noinline
func (g *Group) newBlock() {
	g.spare = g.c.loop.groupBlock()
	g.blocks = append(g.blocks, g.spare)
}

// groupBlockLen is how many children a block holds, and keptGroupBlocks
// how many blocks a loop keeps for reuse: those of a thousand children,
// 40 KB.
const (
	groupBlockLen   = 32
	keptGroupBlocks = 32
)

// groupBlock returns an empty block for group children: one an ended
// group gave back, or a new one.
func (l *Loop) groupBlock() []groupChild {
	if n := len(l.groupBlocks); n > 0 {
		b := l.groupBlocks[n-1]
		l.groupBlocks[n-1] = nil
		l.groupBlocks = l.groupBlocks[:n-1]
		return b
	}
	return make([]groupChild, groupBlockLen)
}

// keepGroupBlocks takes back the blocks of a group whose children are all
// done, emptied, as many as the loop keeps. Reused blocks spare the next
// groups their allocation and, more, the first touch of fresh memory.
func (l *Loop) keepGroupBlocks(blocks [][]groupChild) {
	for _, b := range blocks {
		if len(l.groupBlocks) == keptGroupBlocks {
			return
		}
		clear(b)
		l.groupBlocks = append(l.groupBlocks, b)
	}
}

// Wake implements [future.Waiter]: a child is done.
func (gc *groupChild) Wake() {
	g := gc.g
	g.left--
	if gc.counted {
		gc.counted = false
		g.freeSlot()
	}
	if err := gc.t.Err(); err != nil && !isCancel(err) && (gc.silent == nil || !*gc.silent) {
		g.errs = append(g.errs, err)
		g.abort()
		// Stop the body too, even when it is what runs now (a child that
		// failed during its eager start): its next await is cancelled.
		if !g.closed && !g.cancelledParent {
			g.cancelledParent = true
			g.c.self().Cancel("")
		}
	}
	if g.left == 0 && g.wake != nil && !g.wake.Done() {
		g.wake.SetResult(struct{}{})
	}
}

func (g *Group) abort() {
	g.aborting = true
	for _, f := range g.slots {
		f.SetResult(struct{}{}) // Go sees the group shutting down
	}
	g.slots = nil
	// The children there are now, every slot before spare: a
	// cancellation adds none, but the count is read once all the same.
	n := len(g.first) - len(g.spare)
	for _, b := range g.blocks {
		n += len(b)
	}
	cancelChildren(g.first[:min(n, len(g.first))])
	n -= len(g.first)
	for _, b := range g.blocks {
		cancelChildren(b[:min(n, len(b))])
		n -= len(b)
	}
}

func cancelChildren(children []groupChild) {
	for k := range children {
		if t := children[k].t; !t.Done() {
			t.Cancel("")
		}
	}
}

// Start is GroupStart with an untyped value, as a method: it starts fn as
// a child and returns the value the child passes to started.
func (g *Group) Start(co *iterco.Co, fn func(co *iterco.Co, started func(any)) error) (any, error) {
	return GroupStart(co, g, fn)
}

// GroupStart starts fn as a child of g and waits until it calls started
// (anyio's TaskGroup.start): it returns the value passed to started, while
// the child goes on in the group. If the child fails before calling
// started, GroupStart returns its error (the group does not see it); if it
// returns without calling started, ErrNotStarted. An error after started
// goes to the group as usual.
func GroupStart[T any](co *iterco.Co, g *Group, fn func(co *iterco.Co, started func(T)) error) (T, error) {
	if fn == nil {
		panic("task.GroupStart: nil function")
	}
	var zero T
	c := coreOf(co)
	if c == nil {
		return zero, ErrNoLoop
	}
	ready := future.New[T](c.loop)
	silent := true
	t := g.startChild(co, pendingFunc[struct{}](func(co *iterco.Co) (struct{}, error) {
		err := fn(co, func(v T) {
			if !ready.Done() {
				ready.SetResult(v)
				silent = false
			}
		})
		if !ready.Done() {
			if err == nil {
				err = ErrNotStarted
			}
			ready.SetError(err)
		}
		return struct{}{}, err
	}), &silent)
	if t.Done() && !ready.Done() {
		return zero, t.Err() // the group is closed
	}
	return ready.Await(co)
}

func isCancel(err error) bool { return errors.Is(err, future.ErrCancelled) }
