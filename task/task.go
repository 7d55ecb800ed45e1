package task

import (
	"context"
	"errors"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// Any is the non-generic view of a *Task[T], for sets of tasks of mixed
// types. Only this package's tasks implement it.
type Any interface {
	future.Waitable
	// Name returns the task's name.
	Name() string
	// Cancelled reports whether the task ended cancelled.
	Cancelled() bool
	// Err returns the task's error once done (nil on success), else
	// future.ErrInvalidState.
	Err() error
	// Loop returns the loop the task runs on.
	Loop() *Loop
	// Cancelling returns the number of pending cancel requests.
	Cancelling() int
	// Uncancel withdraws one cancel request.
	Uncancel() int
	// ID returns the task's number on its loop, from 1 in creation order:
	// how recordings name it (0 for a task that failed at creation).
	ID() uint64

	base() *core
	retrieved() bool
	outcome() error
}

// core is the part of a task that does not depend on its result type. It
// lives inside the Task, so a task is one allocation.
type core struct {
	h    Handle // the task's step in the ready queue
	loop *Loop
	co   coro.Co // its owner is the *Task

	waitingOn future.Waitable
	// base holds the parent of the task's context, made on first use: its
	// values only, when detach is set. Tasks share their creator's base.
	base *ctxBase
	x    *extra

	insertPos      int32 // where SleepInsert and Switch queue the task
	cancelRequests int32
	idx            int32  // in the loop's live tasks; -1 once unlinked
	id             uint32 // the task's number on its loop, from 1
	// mustCancel: a cancel is to be delivered at the next step.
	// cancelSent: a cancel was delivered to what the task waits on, which
	// will resume it with the cancellation. Either way a cancel is pending
	// until the task next runs (see cancelPending).
	mustCancel bool
	cancelSent bool
	reyield    bool // eagerly started: the first step registers its suspension
	closing    bool // ended by its loop's Close
	detach     bool
	// watchContext: a Context option's context cancels the task.
	watchContext bool
}

// extra holds what most tasks never use, so that they do not pay for it.
type extra struct {
	name      string
	cancelMsg string
	ctx       context.Context
	cancelCtx context.CancelCauseFunc
	asBase    *ctxBase    // ctx, as the base of the tasks this one creates
	thrown    error       // delivered at the next step (Throw)
	cause     error       // of the pending cancellation, if it has one
	stopWatch func() bool // stops watching a Context option's context
	attached  []attachment
	born      time.Time // when it was made, in debug mode
	labels    []string  // Labels
	trace     *trace.Task
	region    *trace.Region // of the step that runs, when traced
}

// attachment is a value a package keeps on a task (see Attach).
type attachment struct{ key, value any }

type attachOption attachment

func (attachOption) option() {}

// Attach gives the new task value under key: a way for a package built on
// this one to keep state per task (package priority keeps a task's
// priority so). Use a key of a type of the package's own, as for
// context.WithValue. Tasks that are given nothing pay nothing.
func Attach(key, value any) Option { return attachOption{key, value} }

// Attached returns the value t has under key, or nil.
func Attached(t Any, key any) any {
	if x := t.base().x; x != nil {
		for _, a := range x.attached {
			if a.key == key {
				return a.value
			}
		}
	}
	return nil
}

// SetAttached gives t value under key, replacing what it had.
func SetAttached(t Any, key, value any) { t.base().attach(key, value) }

func (c *core) attach(key, value any) {
	x := c.extra()
	for i, a := range x.attached {
		if a.key == key {
			x.attached[i].value = value
			return
		}
	}
	x.attached = append(x.attached, attachment{key, value})
}

// ctxBase is a context that tasks derive theirs from. It is shared by
// pointer: a task costs 8 bytes for it, not an interface's 16.
type ctxBase struct{ ctx context.Context }

func newBase(ctx context.Context) *ctxBase {
	if ctx == nil {
		return nil
	}
	return &ctxBase{ctx}
}

func (c *core) extra() *extra {
	if c.x == nil {
		c.x = new(extra)
	}
	return c.x
}

func (c *core) cancelMsg() string {
	if c.x == nil {
		return ""
	}
	return c.x.cancelMsg
}

// cancelError is the error a pending cancellation delivers: with its cause
// if it has one, else with its message.
func (c *core) cancelError() error {
	if c.x != nil && c.x.cause != nil {
		return future.CancelCauseError(c.x.cause)
	}
	return future.CancelError(c.cancelMsg())
}

// causeCanceller is what a waitable that keeps a cancellation's cause has;
// futures and tasks do.
type causeCanceller interface{ CancelCause(cause error) bool }

// self returns the Task that holds c.
func (c *core) self() Any { return c.co.Owner().(Any) }

// Task drives an async function on a loop: it runs the function's
// coroutine step by step, waking it when what it awaits is done, and holds
// its outcome. Awaiting a task waits for that outcome; cancelling it
// delivers future.ErrCancelled at the point where it is suspended.
//
// Tasks are made with [Create] (from a coroutine) or [Spawn] (from loop
// code outside any coroutine). All methods are for the loop's goroutine.
// A task is one allocation of about 224 bytes; one that finishes without
// blocking takes about 100 ns from Create to done (BenchmarkCreate). A
// Task must not be copied.
type Task[T any] struct {
	c   core
	fut future.Future[T]
	fn  iterco.Func[T]
}

var (
	_ future.Awaitable[int] = (*Task[int])(nil)
	_ Any                   = (*Task[int])(nil)
)

// Option configures a new task.
type Option interface{ option() }

type nameOption string

func (nameOption) option() {}

// Name sets the task's name (default "Task-N" in creation order per
// process, as in asyncio).
func Name(name string) Option { return nameOption(name) }

type contextOption struct{ ctx context.Context }

func (contextOption) option() {}

// Context makes ctx the parent of the task's context instead of a copy of
// its creator's, and ties the task to it: when ctx is done the task is
// cancelled (from whatever goroutine ctx is cancelled on), and the error
// it gets at its suspension point matches future.ErrCancelled, ctx.Err()
// and context.Cause(ctx), as work given a context expects (errgroup,
// net/http).
func Context(ctx context.Context) Option { return contextOption{ctx} }

type eagerStart bool

func (eagerStart) option() {}

// EagerStart with true runs the new task at once, in the caller's turn, until
// it first blocks (Python 3.12's eager tasks): a task that finishes then
// is done when Create returns and was never queued; one that blocks
// continues as any task. Eager starts happen only on a running loop. The
// new task is the current task during its eager part. EagerStart(false)
// asks for a lazy start even where a task factory makes tasks eager.
func EagerStart(on bool) Option { return eagerStart(on) }

// applyOptions sets a new task's fields from opts and reports whether it
// starts eagerly. A type switch rather than a method call keeps the core
// from escaping through an interface.
func (c *core) applyOptions(opts []Option) (eager bool) {
	for _, o := range opts {
		switch o := o.(type) {
		case nameOption:
			c.extra().name = string(o)
		case contextOption:
			c.base, c.detach = newBase(o.ctx), false
			c.watchContext = o.ctx != nil && o.ctx.Done() != nil
		case eagerStart:
			eager = bool(o)
		case attachOption:
			c.attach(o.key, o.value)
		case labelsOption:
			x := c.extra()
			x.labels = append(x.labels, o...)
		}
	}
	return eager
}

// Create makes a task that runs fn on the loop that runs co, queued behind
// what is already ready, and returns it. The task's context copies the
// values of co's. If co runs on no loop, the task returned is already done
// with ErrNoLoop and fn never runs; on a loop that is closing (code run by
// its Close, a clean-up), done with ErrClosed. Create panics if fn is nil.
func Create[T any](co *iterco.Co, fn iterco.Func[T], opts ...Option) *Task[T] {
	if fn == nil {
		panic("task.Create: nil function")
	}
	parent := coreOf(co)
	if parent == nil {
		return failed[T](ErrNoLoop, opts)
	}
	if parent.loop.closed {
		// Code that runs while the loop closes (a clean-up): nothing
		// would ever run the task.
		return failed[T](ErrClosed, opts)
	}
	base := parent.base
	if x := parent.x; x != nil && (x.ctx != nil || len(x.labels) > 0) {
		parent.context()
		if x.asBase == nil {
			x.asBase = &ctxBase{x.ctx}
		}
		base = x.asBase
	}
	return start(parent.loop, co, fn, base, true, opts)
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
	return start(l, nil, fn, nil, false, opts)
}

var taskCounter atomic.Uint64

// start makes a task and starts it: queued, or eagerly from co.
func start[T any](l *Loop, co *iterco.Co, fn iterco.Func[T], base *ctxBase, detach bool, opts []Option) *Task[T] {
	t := &Task[T]{fn: fn}
	c := &t.c
	c.h.task = c
	c.loop = l
	c.base, c.detach = base, detach
	eager := c.applyOptions(l.taskOptions(opts))
	t.fut.Bind(l)
	c.co.Init((*body[T])(t))
	l.link(c)
	l.created++
	c.id = l.created
	if c.watchContext {
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
		l.startEager(c, co)
	} else {
		l.enqueue(c)
	}
	return t
}

// startEager runs a new task's first step now, from the caller's
// coroutine co (nil from a callback), on a coroutine of its own: the caller
// resumes when the task first suspends or finishes. As in asynkit, what
// the task suspended on is dealt with by its first queued step (reyield),
// so its orderings afterwards are those of a task created then.
func (l *Loop) startEager(c *core, co *iterco.Co) {
	prevCurrent, prevStarting := l.current, l.starting
	l.current, l.starting = c, c
	l.recordStep(c)
	l.count.steps++
	l.count.switches += 2
	c.co.StartAside((*coro.Co)(co))
	l.current, l.starting = prevCurrent, prevStarting
	if c.co.State() == coro.Suspended {
		c.reyield = true
		l.enqueue(c)
	}
}

// failed returns a task that never ran, done with err, named as opts say.
func failed[T any](err error, opts []Option) *Task[T] {
	t := &Task[T]{}
	t.c.idx = -1
	t.c.co.Init((*body[T])(t))
	t.c.applyOptions(opts)
	t.fut.SetError(err)
	return t
}

func coreOf(co *iterco.Co) *core {
	if co == nil {
		return nil
	}
	if a, ok := co.Owner().(Any); ok {
		return a.base()
	}
	return nil
}

// body runs the task's function; it is the Task seen by its coroutine.
type body[T any] Task[T]

func (b *body[T]) RunBody(co *coro.Co) {
	t := (*Task[T])(b)
	var v T
	err := co.StartErr()
	if err == nil {
		l := t.c.loop
		l.count.bodies++
		if l.tracing || l.labelling {
			t.c.bodyStarts()
		}
		v, err = iterco.Call((*iterco.Co)(co), t.fn)
		if l.tracing || l.labelling {
			t.c.bodyEnds()
		}
		l.count.bodies--
	}
	t.finish(v, err)
}

// finish records the outcome, wakes the waiters and unlinks the task.
func (t *Task[T]) finish(v T, err error) {
	c := &t.c
	nobody := !t.fut.HasWaiters()
	if c.mustCancel && err == nil {
		// Cancelled right before it returned: asyncio counts it cancelled.
		err = c.cancelError()
	}
	if c.loop.rec != nil {
		c.loop.event(EventDone, c.id).Err = err
		c.loop.emit()
	}
	if c.loop.debug != nil {
		c.loop.debugStepEnd(c)
		if err == nil && !t.fut.Retrieved() {
			c.loop.track(tracked{task: t, f: &t.fut})
		}
	}
	if err != nil {
		t.fut.SetError(err)
	} else {
		t.fut.SetResult(v)
	}
	c.mustCancel, c.cancelSent = false, false
	c.waitingOn = nil
	t.fn = nil
	c.loop.unlink(c)
	if c.loop.count.done++; err != nil && !t.fut.Cancelled() {
		c.loop.count.failed++
	}
	if c.x != nil {
		if c.x.trace != nil {
			c.x.trace.End()
		}
		if c.x.cancelCtx != nil {
			c.x.cancelCtx(context.Canceled)
		}
		if c.x.stopWatch != nil {
			c.x.stopWatch()
		}
	}
	if err != nil && nobody && !t.fut.Cancelled() && !(c.closing && errors.Is(err, iterco.ErrClosed)) {
		c.loop.keepUnretrieved(t)
	}
}

// step resumes the task's coroutine; it is what the task's handle runs.
// When the task borrowed the scheduler's coroutine and later finishes
// elsewhere, the end of this call runs in the abandoned scheduler frame:
// it must stay free of anything but idempotent bookkeeping.
func (c *core) step() {
	l := c.loop
	var err error
	if c.reyield {
		// The first step after an eager start: handle what the task
		// suspended on then, unless a cancel came meanwhile.
		c.reyield = false
		if !c.cancelPending() && !c.hasThrown() {
			if err = c.registerGuarded(c.co.Out()); err == nil {
				return
			}
		}
	}
	if err == nil {
		err = c.takeError()
	}
	l.recordStep(c)
	l.current = c
	l.count.steps++
	l.count.switches += 2
	c.co.Resume(nil, nil, err)
	l.current = nil
}

// takeError returns the error the task's next step delivers: a pending
// cancellation, an error thrown in, or nil.
func (c *core) takeError() error {
	c.cancelSent = false
	if c.mustCancel {
		c.mustCancel = false
		return c.cancelError()
	}
	if c.hasThrown() {
		err := c.x.thrown
		c.x.thrown = nil
		return err
	}
	return nil
}

func (c *core) hasThrown() bool { return c.x != nil && c.x.thrown != nil }

// cancelPending reports whether a cancellation will reach the task when it
// next runs: either still to deliver, or already delivered to what it
// waits on.
func (c *core) cancelPending() bool { return c.mustCancel || c.cancelSent }

func (b *body[T]) Suspending(co *coro.Co, v any) bool { return b.c.suspending(co, v) }
func (b *body[T]) Owner() any                         { return (*Task[T])(b) }
func (b *body[T]) Pool() *coro.Pool                   { return b.c.loop.pool }

// suspending is the task's side of the suspension protocol: it arranges
// the wake-up for what the coroutine suspends on, before it parks.
func (c *core) suspending(co *coro.Co, v any) bool {
	l := c.loop
	if l.debug != nil {
		l.debugStepEnd(c)
	}
	if l.tracing {
		c.endRegion()
	}
	if l.starting == c {
		if l.rec != nil {
			l.recordSuspend(c, v)
		}
		return true // an eager start: its first queued step registers v
	}
	if err := c.register(v); err != nil {
		co.SetResume(nil, err)
		return false
	}
	if l.rec != nil {
		l.recordSuspend(c, v)
	}
	if co.Direct() && !co.Borrowed() && l.peek != nil && l.handoff(c, co) {
		return false
	}
	// It parks: whatever runs next on this loop is not this task. (A step
	// that borrowed the scheduler's coroutine never returns to reset it.)
	l.current = nil
	return true
}

// register arranges for the task to run again after suspending on v: at
// once in the queue (a bare yield, or at a position), or when the waitable
// v is done. It returns the error to resume the task with instead.
func (c *core) register(v any) error {
	l := c.loop
	if v == insertHere {
		l.insert(int(c.insertPos), &c.h)
		return nil
	}
	if v == nil {
		if !c.h.queued {
			l.enqueue(c)
		}
		return nil
	}
	w, ok := v.(future.Waitable)
	if !ok {
		return badSuspend(v)
	}
	c.waitingOn = w
	if !w.AddWaiter(l, c) {
		c.waitingOn = nil
		return ErrWrongLoop
	}
	if c.mustCancel && c.waitingOn != nil && c.cancelWaited() {
		c.mustCancel, c.cancelSent = false, true
	}
	return nil
}

// registerGuarded is register run outside the task's coroutine (the first
// step after an eager start): a panic in the awaitable's waiter hook
// becomes the error the task is resumed with, as it would have been in
// the task had it registered there.
func (c *core) registerGuarded(v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.waitingOn = nil
			err = iterco.Recovered(r)
		}
	}()
	return c.register(v)
}

// Wake implements future.Waiter: what the task waits on is done.
func (c *core) Wake() {
	if c.loop.rec != nil {
		c.loop.recordTask(EventWake, c, nil)
	}
	c.waitingOn = nil
	c.loop.enqueue(c)
}

// close ends a task whose loop is closing: a suspended coroutine is resumed
// with iterco.ErrClosed, and stopped outright if it suspends again.
func (c *core) close() {
	c.closing = true
	l := c.loop
	switch c.co.State() {
	case coro.New:
		l.recordStep(c)
		c.co.Resume(nil, nil, iterco.ErrClosed)
	case coro.Suspended:
		if c.waitingOn != nil {
			c.waitingOn.RemoveWaiter(c)
			c.waitingOn = nil
		}
		l.recordStep(c)
		c.co.Resume(nil, nil, iterco.ErrClosed)
		if c.co.State() == coro.Suspended {
			l.recordStep(c)
			c.co.Kill()
		}
	}
	c.loop.unlink(c) // in case the coroutine could not finish
}

func (c *core) context() context.Context {
	x := c.extra()
	if x.ctx == nil {
		base := context.Background()
		if c.base != nil {
			base = c.base.ctx
			if c.detach {
				base = context.WithoutCancel(base)
			}
		}
		x.ctx, x.cancelCtx = context.WithCancelCause(base)
		if len(x.labels) > 0 {
			x.ctx = pprof.WithLabels(x.ctx, pprof.Labels(x.labels...))
		}
		if c.cancelRequests > 0 || c.self().Done() {
			cause := x.cause
			if cause == nil {
				cause = context.Canceled
			}
			x.cancelCtx(cause)
		}
	}
	return x.ctx
}

// Name returns the task's name.
func (t *Task[T]) Name() string {
	x := t.c.extra()
	if x.name == "" {
		x.name = "Task-" + strconv.FormatUint(taskCounter.Add(1), 10)
	}
	return x.name
}

// ID returns the task's number on its loop, from 1 in creation order, as
// recordings ([Event]) name it; 0 for a task that failed at creation.
func (t *Task[T]) ID() uint64 { return uint64(t.c.id) }

// SetName renames the task.
func (t *Task[T]) SetName(name string) { t.c.extra().name = name }

// String returns the task's name.
func (t *Task[T]) String() string { return t.Name() }

// Loop returns the loop the task runs on (nil for a task that failed at
// creation).
func (t *Task[T]) Loop() *Loop { return t.c.loop }

// Context returns the task's context: created on first use, with the values
// of its creator's context, and cancelled when the task is cancelled or
// done. Code inside the task reaches it as co.Context().
func (t *Task[T]) Context() context.Context { return t.c.context() }

// Done reports whether the task has finished.
func (t *Task[T]) Done() bool { return t.fut.Done() }

// Cancelled reports whether the task ended cancelled: its function
// returned an error matching future.ErrCancelled, or it was cancelled
// before it could run.
func (t *Task[T]) Cancelled() bool { return t.fut.Cancelled() }

// Result returns the task's value and error once it is done, and
// future.ErrInvalidState before.
func (t *Task[T]) Result() (T, error) { return t.fut.Result() }

// Future returns the future that holds the task's outcome, for code that
// deals in futures. Completing it is the task's business: a SetResult or
// SetError on it before the task is done breaks the task.
func (t *Task[T]) Future() *future.Future[T] { return &t.fut }

// Err returns the task's error once done (nil on success), else
// future.ErrInvalidState.
func (t *Task[T]) Err() error { return t.fut.Err() }

// Await waits for the task to finish and returns its outcome. Cancelling
// the awaiting task cancels this one too (as in asyncio); use Shield to
// prevent that. A task awaiting itself gets ErrAwaitSelf.
func (t *Task[T]) Await(co *iterco.Co) (T, error) {
	mustCo(co, "task.Task.Await")
	if !t.fut.Done() && coreOf(co) == &t.c {
		var zero T
		return zero, ErrAwaitSelf
	}
	for !t.fut.Done() {
		if _, err := co.Suspend(t); err != nil {
			var zero T
			return zero, err
		}
	}
	return t.fut.Result()
}

// CancelCause is Cancel with a cause, as context.CancelCauseFunc: the error
// delivered is future.CancelCauseError(cause), which matches
// future.ErrCancelled and unwraps to cause, and context.Cause of the
// task's context is cause. A nil cause is Cancel("").
func (t *Task[T]) CancelCause(cause error) bool {
	if cause == nil {
		return t.Cancel("")
	}
	return t.c.cancel("", cause)
}

// Cancel asks the task to stop: future.CancelError(msg) is delivered at its
// current suspension point (cancelling what it waits on, if that accepts),
// or at its next one if it is running or queued. A task that never ran
// ends without running. The task's context is cancelled at once. Cancel
// reports false if the task is already done. The task may refuse by
// handling the error; each call counts one request (see Cancelling).
func (t *Task[T]) Cancel(msg string) bool { return t.c.cancel(msg, nil) }

func (c *core) cancel(msg string, cause error) bool {
	if c.self().Done() {
		return false
	}
	c.cancelRequests++
	if c.loop.rec != nil {
		c.loop.recordTask(EventCancel, c, nil)
	}
	// Kept for a cancel sent again later (a group's): a cancel without a
	// message or cause does not erase the reason an earlier one gave.
	if msg != "" {
		c.extra().cancelMsg = msg
	}
	if cause != nil {
		c.extra().cause = cause
	}
	if c.x != nil && c.x.cancelCtx != nil {
		if cause == nil {
			cause = context.Canceled
		}
		c.x.cancelCtx(cause)
	}
	if c.waitingOn != nil && c.cancelWaited() {
		c.cancelSent = true
		return true
	}
	c.mustCancel = true
	return true
}

// cancelWaited cancels what the task waits on with the pending
// cancellation's cause or message, reporting whether it took.
func (c *core) cancelWaited() bool {
	if c.x != nil && c.x.cause != nil {
		if cc, ok := c.waitingOn.(causeCanceller); ok {
			return cc.CancelCause(c.x.cause)
		}
	}
	return c.waitingOn.Cancel(c.cancelMsg())
}

// watch cancels the task when the context of its Context option is done.
// The cancel is posted to the loop, since the context may be cancelled on
// any goroutine; it is stopped when the task is done.
func (c *core) watch() {
	ctx, l := c.base.ctx, c.loop
	c.extra().stopWatch = context.AfterFunc(ctx, func() {
		_ = l.CallSoonThreadsafe(func() { c.cancel("", context.Cause(ctx)) })
	})
}

// Cancelling returns the number of cancel requests not yet withdrawn with
// Uncancel (Python 3.11's Task.cancelling).
func (t *Task[T]) Cancelling() int { return int(t.c.cancelRequests) }

// Uncancel withdraws one cancel request and returns the number left. When
// none are left a pending cancellation is dropped. Code that handles a
// cancellation it caused (a timeout) calls it, so that an outer cancel is
// not swallowed.
func (t *Task[T]) Uncancel() int {
	c := &t.c
	if c.cancelRequests > 0 {
		c.cancelRequests--
		if c.cancelRequests == 0 {
			c.mustCancel = false
			if c.x != nil {
				c.x.cancelMsg, c.x.cause = "", nil
			}
		}
	}
	return int(c.cancelRequests)
}

// AddWaiter implements future.Waitable.
func (t *Task[T]) AddWaiter(l future.Loop, w future.Waiter) bool { return t.fut.AddWaiter(l, w) }

// RemoveWaiter implements future.Waitable.
func (t *Task[T]) RemoveWaiter(w future.Waiter) bool { return t.fut.RemoveWaiter(w) }

// AddDoneCallback arranges for fn to run on the loop once the task is done,
// after the callbacks and waiters registered before it.
func (t *Task[T]) AddDoneCallback(fn func(*Task[T])) {
	t.fut.AddWaiter(t.c.loop, &doneCallback[T]{t: t, fn: fn})
}

type doneCallback[T any] struct {
	t  *Task[T]
	fn func(*Task[T])
}

func (d *doneCallback[T]) Wake() { d.t.c.loop.CallSoon(d.run) }
func (d *doneCallback[T]) run()  { d.fn(d.t) }

func (t *Task[T]) base() *core     { return &t.c }
func (t *Task[T]) retrieved() bool { return t.fut.Retrieved() }

func (t *Task[T]) outcome() error {
	if !t.fut.Done() {
		return nil
	}
	_, err := t.fut.Result()
	return err
}
