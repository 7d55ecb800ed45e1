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
	return create[T](co, pendingFunc[T](fn), opts)
}

// create is Create of a task that runs start: a pendingFunc[T] or a
// pendingProc.
func create[T any](co *iterco.Co, start error, opts []Option) *Task[T] {
	t, eager := prepare[T](co, start, opts)
	if eager {
		// Started here rather than inside prepare: every frame under the
		// switch to the new task costs its return a misprediction.
		t.c.loop.startEager(&t.c, co)
	}
	return t
}

// prepare makes the task that create starts, queued unless it reports
// that its caller is to start it eagerly.
func prepare[T any](co *iterco.Co, start error, opts []Option) (_ *Task[T], eager bool) {
	parent := coreOf(co)
	if parent == nil {
		return failed[T](ErrNoLoop, opts), false
	}
	if parent.loop.closed {
		// Code that runs while the loop closes (a clean-up): nothing
		// would ever run the task.
		return failed[T](ErrClosed, opts), false
	}
	return made[T](parent.loop, start, parent.carrierForChildren(), true, opts)
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
	t, eager := made[T](l, pendingFunc[T](fn), nil, false, opts)
	if eager {
		l.startEager(&t.c, nil)
	}
	return t
}

var taskCounter atomic.Uint64

// made makes a task that runs start (see create) and queues it, unless
// it reports that it is to start eagerly. carrier holds the base of its
// context (see extra).
func made[T any](l *Loop, start error, carrier *extra, detached bool, opts []Option) (_ *Task[T], eager bool) {
	t := new(Task[T])
	t.err = start
	c := &t.c
	c.h.job = t
	c.loop = l
	c.x = carrier
	c.mark(markDetach, detached)
	eager = c.applyOptions(l.taskOptions(opts))
	l.link(c)
	l.created++
	c.id = l.created
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
		e.By, e.Eager = l.currentID(), eager && l.running
		if c.x != nil {
			e.Name = c.x.name
		}
		l.emit()
	}
	if eager && l.running {
		return t, true
	}
	l.enqueue(c)
	return t, false
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
	t := &Task[T]{}
	t.c.phase = phaseDone
	t.c.h.job = t
	t.c.applyOptions(opts)
	t.settle(*new(T), err)
	return t
}
