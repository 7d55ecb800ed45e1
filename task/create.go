package task

import (
	"sync/atomic"

	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// Create makes a task that runs fn on the loop that runs co, queued behind
// what is already ready, and returns it. The task's context copies the
// values of co's. If co runs on no loop, the task returned is already done
// with ErrNoLoop and fn never runs; on a loop that is closing (code run by
// its Close, a clean-up), done with ErrClosed. Create panics if fn is nil.
func Create[T any](co *iterco.Co, fn iterco.Func[T], opts ...Option) *Task[T] {
	if fn == nil {
		panic("task.Create: nil function")
	}
	t := new(Task[T])
	if create(co, t, pendingFunc[T](fn), opts) {
		t.c.loop.startEager(&t.c, co)
	}
	return t
}

// create sets up t, a new task that runs start (a pendingFunc[T] or a
// pendingProc), and queues it, or reports that it is to start eagerly:
// its caller starts it then, with startEager. The caller allocates t,
// and create does all but made's part itself: a task that creates
// another reaches two frames under Create's, about as deep as when it
// waits, and keeps that stack while it is parked (see Task). The eager
// start's switch, the deepest of a creation, is made from the caller's
// frame: every frame under it is stack the creating task keeps, and a
// return the processor mispredicts when the switch comes back.
func create[T any](co *iterco.Co, t *Task[T], start error, opts []Option) (eager bool) {
	parent := coreOf(co)
	switch {
	case parent == nil:
		fail(t, ErrNoLoop, opts)
		return false
	case parent.loop.closed:
		// Code that runs while the loop closes (a clean-up): nothing
		// would ever run the task.
		fail(t, ErrClosed, opts)
		return false
	}
	t.err, t.c.h.job = start, t
	t.c.x = parent.carrierForChildren()
	t.c.mark(markDetach, true)
	return t.c.made(parent.loop, opts)
}

// Spawn makes a task that runs fn on l, for code that runs on the loop but
// in no coroutine (a callback), or before the loop runs. Its context
// derives from context.Background unless the Context option says
// otherwise. On a closed loop the task is returned done with ErrClosed.
// Spawn panics if fn is nil.
func Spawn[T any](l *Loop, fn iterco.Func[T], opts ...Option) *Task[T] {
	if fn == nil {
		panic("task.Spawn: nil function")
	}
	l.made("task.Spawn")
	if l.closed || l.shut.Load() {
		return failed[T](ErrClosed, opts)
	}
	t := new(Task[T])
	t.err, t.c.h.job = pendingFunc[T](fn), t
	if t.c.made(l, opts) {
		l.startEager(&t.c, nil)
	}
	return t
}

var taskCounter atomic.Uint64

// made sets up c, a new task's core on l, and queues it, unless it
// reports that it is to start eagerly. Its caller has set what depends
// on the task's type (its function, in the slot of its error, and its
// step's job) and the base of its context (see extra); made takes few
// arguments, since a task that creates another keeps the stack the call
// reaches (see create).
func (c *core) made(l *Loop, opts []Option) (eager bool) {
	c.loop = l
	eager = c.applyOptions(l.taskOptions(opts))
	l.link(c)
	l.created++
	c.id = l.created
	if c.is(markWatchContext) || l.debug != nil || l.tracing || l.rec != nil {
		c.announce(eager && l.running)
	}
	if eager && l.running {
		return true
	}
	l.enqueue(c)
	return false
}

// announce does for a new task what only some tasks and loops need:
// watching the task's context, and telling the loop's debug mode, its
// trace and its recorder. (A call of its own keeps made's frame small.)
//
//go:noinline
func (c *core) announce(eager bool) {
	l := c.loop
	if c.is(markWatchContext) {
		c.watch()
	}
	if l.debug != nil {
		c.extra().born = l.now()
	}
	if l.tracing {
		l.observe(c)
	}
	if l.rec != nil {
		e := l.event(EventCreate, c.id)
		e.By, e.Eager = l.currentID(), eager
		if c.x != nil {
			e.Name = c.x.name
		}
		l.emit()
	}
}

// startEager runs a new task's first step now, from the caller's
// coroutine co (nil from a callback), on a coroutine of its own: the caller
// resumes when the task first suspends or finishes. As in asynkit, what
// the task suspended on is dealt with by its first queued step (reyield),
// so its orderings afterwards are those of a task created then.
func (l *Loop) startEager(c *core, co *iterco.Co) {
	prevCurrent, prevStarting := l.current, l.starting
	l.current, l.starting = c, c
	c.phase = phaseEager
	l.recordStep(c)
	l.count.steps++
	l.count.switches += 2
	c.takeCo().StartAside((*coro.Co)(co))
	l.current, l.starting = prevCurrent, prevStarting
	if c.co.State() == coro.Suspended {
		c.moveTo(phaseReyield)
		c.mark(markReyield, true)
		l.enqueue(c)
	} else {
		c.releaseCo()
	}
}

// failed returns a task that never ran, done with err, named as opts say.
func failed[T any](err error, opts []Option) *Task[T] {
	return fail(new(Task[T]), err, opts)
}

// fail makes t, a new task, one that is done with err and never ran.
func fail[T any](t *Task[T], err error, opts []Option) *Task[T] {
	t.c.phase = phaseDone
	t.c.h.job = t
	t.c.applyOptions(opts)
	t.settle(*new(T), err)
	return t
}
