package task

import (
	"context"
	"fmt"
	"math"
	"runtime/trace"
	"strconv"
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
	runBody(co *coro.Co)
	panicked(err error)
	retrieved() bool
	outcome() error
}

// core is the part of a task that does not depend on its result type. It
// lives inside the Task, so a task is one allocation.
type core struct {
	h    Handle // the task's step in the ready queue
	loop *Loop
	// co is the task's coroutine from its first step until it is done,
	// and nil before and after: it comes from its loop's free list (see
	// takeCo), so a task that is not running or parked carries none.
	co *coro.Co
	// x holds what most tasks never use (see extra): nil while the task
	// has none of it, or a carrier its creator shares with the other
	// tasks it made, which holds the base of their contexts only.
	x *extra

	id uint32 // the task's number on its loop, from 1
	// cancels counts the cancel requests not withdrawn (see cancelCount).
	cancels uint8
	marks   marks
	phase   phase // where it is in its life (see phase.go)
	fate    fate  // how it ended, and whether that was read
}

// fate is how a task ended, once it has, and whether its outcome was
// read (before that, whether its function is running): one byte of the
// record, where a future keeps two.
type fate uint8

const (
	fatePending fate = iota
	fateValue
	fateError
	fateCancelled
	// fateEnd masks how it ended.
	fateEnd fate = 3
	// fateRead: Result, Err or Await read the outcome.
	fateRead fate = 4
	// fateHanded: a future took the outcome over (see Task.handTo).
	fateHanded fate = 8
	// fateInBody: the task's function is running, or parked midway (a
	// panic is its own, see bodyPanicked); not yet how it ends.
	fateInBody fate = 16
)

// marks are a task's yes-or-no properties, one bit each: the record is
// what every task costs, so it is kept to its size class.
type marks uint8

const (
	// markReyield: eagerly started; the first step registers its suspension.
	markReyield marks = 1 << iota
	// markClosing: ended by its loop's Close.
	markClosing
	// markDetach: the context's base carries its creator's values only.
	markDetach
	// markEager: an option asked for an eager start.
	markEager
	// markWatchContext: a Context option's context cancels the task.
	markWatchContext
	// markMustCancel: a cancel is to be delivered at the next step.
	markMustCancel
	// markCancelSent: a cancel was delivered to what the task waits on,
	// which will resume it with the cancellation. Either way a cancel is
	// pending until the task next runs (see cancelPending).
	markCancelSent
	// markLive: among its loop's live tasks (see link).
	markLive
)

// is reports whether the task has one of marks m.
func (c *core) is(m marks) bool { return c.marks&m != 0 }

// mark gives the task marks m, or takes them away.
func (c *core) mark(m marks, on bool) {
	if on {
		c.marks |= m
	} else {
		c.marks &^= m
	}
}

// extra holds what most tasks never use, so that they do not pay for it.
//
// A task's own extra is made on first need (see extra). A carrier is an
// extra that holds one thing, the base of a context (what a task's own
// context derives from): a task makes one for the tasks it creates, which
// all share it, so that inheriting a base costs a task no more than the
// pointer it has anyway. A carrier is never written to: a task that
// has one and needs an extra of its own makes one, which keeps the
// carrier (from).
type extra struct {
	// base is a carrier's base; a task's own extra has none.
	base context.Context
	// from is the carrier of the task's base, nil for none.
	from *extra
	// carrier is the task's context as the base of the tasks it creates,
	// made on first need.
	carrier *extra
	// moreCancels counts the cancel requests beyond what the record's
	// counter holds.
	moreCancels int

	name      string
	cancelMsg string
	ctx       context.Context
	cancelCtx context.CancelCauseFunc
	thrown    error       // delivered at the next step (Throw)
	cause     error       // of the pending cancellation, if it has one
	stopWatch func() bool // stops watching a Context option's context
	attached  []attachment
	born      time.Time // when it was made, in debug mode
	labels    []string  // Labels
	trace     *trace.Task
	region    *trace.Region // of the step that runs, when traced
}

// carries reports whether x is a carrier.
func (x *extra) carries() bool { return x.base != nil }

// extra returns the task's own extra, made now if it has none (keeping
// the carrier it had, if any).
func (c *core) extra() *extra {
	if x := c.own(); x != nil {
		return x
	}
	c.x = &extra{from: c.x}
	return c.x
}

// own returns the task's own extra, nil if it has none.
func (c *core) own() *extra {
	if c.x == nil || c.x.carries() {
		return nil
	}
	return c.x
}

// baseContext returns the base of the task's context: its creator's, or a
// Context option's; nil for none (context.Background).
func (c *core) baseContext() context.Context {
	x := c.x
	if x != nil && !x.carries() {
		x = x.from
	}
	if x == nil {
		return nil
	}
	return x.base
}

// carrierForChildren returns the carrier of the base the tasks c creates
// derive their contexts from: c's own context once it has one (or
// labels, which it needs one for), else c's own base.
func (c *core) carrierForChildren() *extra {
	x := c.x
	if x == nil || x.carries() {
		return x
	}
	if x.ctx == nil && len(x.labels) == 0 {
		return x.from
	}
	if x.carrier == nil {
		x.carrier = &extra{base: c.context()}
	}
	return x.carrier
}

// cancelCount returns the cancel requests not withdrawn.
func (c *core) cancelCount() int {
	n := int(c.cancels)
	if x := c.own(); x != nil {
		n += x.moreCancels
	}
	return n
}

// addCancel counts one more cancel request.
func (c *core) addCancel() {
	if c.cancels < math.MaxUint8 {
		c.cancels++
		return
	}
	c.extra().moreCancels++
}

// dropCancel withdraws one cancel request; there is at least one.
func (c *core) dropCancel() {
	if x := c.own(); x != nil && x.moreCancels > 0 {
		x.moreCancels--
		return
	}
	c.cancels--
}

// self returns the Task that holds c.
func (c *core) self() Any { return c.h.Task() }

// waitingOn returns what the task waits on, nil if nothing. It is kept
// with the task's coroutine (see setWaitingOn), which a waiting task has.
func (c *core) waitingOn() future.Waitable {
	if c.co == nil {
		return nil
	}
	w, _ := c.co.Note().(future.Waitable)
	return w
}

// setWaitingOn records what the task waits on, or nil; the task has its
// coroutine.
func (c *core) setWaitingOn(w future.Waitable) { c.co.SetNote(w) }

// coState returns the state of the task's coroutine, New before its first
// step and Done after its last.
func (c *core) coState() coro.State {
	if c.co != nil {
		return c.co.State()
	}
	if c.phase == phaseDone {
		return coro.Done
	}
	return coro.New
}

// takeCo gives the task its coroutine for its first step: one from the
// loop's free list, or a new one.
//
//go:noinline
func (c *core) takeCo() *coro.Co {
	l := c.loop
	var co *coro.Co
	if n := len(l.cos); n > 0 {
		co = l.cos[n-1]
		l.cos[n-1] = nil
		l.cos = l.cos[:n-1]
	} else {
		co = new(coro.Co)
	}
	co.Init((*runner)(c))
	if c.x != nil && c.x.trace != nil {
		co.NotifyResumed()
	}
	c.co = co
	return co
}

// keepReady makes sure, before a task's step, that an eager start in the
// step finds a coroutine record ready: allocated there, from the task's
// own code, it would take more of its stack than a wait does, and a
// parked task keeps the stack it grew (see Task). The scheduler calls it
// from its own frame, near the bottom of its stack. (The coroutine
// itself is kept ready by the host: see coro.Pool.KeepOne.)
func (l *Loop) keepReady() {
	if len(l.cos) == 0 && l.poolSize > 0 {
		l.keepCo()
	}
}

//go:noinline
func (l *Loop) keepCo() { l.cos = append(l.cos, new(coro.Co)) }

// releaseCo takes the coroutine of a task that is done back to the loop's
// free list, and does nothing while the task is not done. It is called by
// whoever resumed the coroutine, once that returns: nothing of the
// coroutine layer touches it after that. The check is inlined into the
// scheduler's step; the rest is not.
func (c *core) releaseCo() {
	if co := c.co; co != nil && co.State() == coro.Done {
		c.giveBackCo(co)
	}
}

//go:noinline
func (c *core) giveBackCo(co *coro.Co) {
	c.co = nil
	*co = coro.Co{}
	if l := c.loop; len(l.cos) < l.poolSize {
		l.cos = append(l.cos, co)
	}
}

// Task drives an async function on a loop: it runs the function's
// coroutine step by step, waking it when what it awaits is done, and holds
// its outcome. Awaiting a task waits for that outcome; cancelling it
// delivers [future.ErrCancelled] at the point where it is suspended.
//
// Tasks are made with [Create] (from a coroutine) or [Spawn] (from loop
// code outside any coroutine). All methods are for the loop's goroutine.
// A task is one allocation of 96 bytes (for a word-sized T); while it
// runs or waits it also holds a coroutine, which it takes from its loop
// and gives back when done. One that finishes without blocking takes
// about 70–90 ns from Create to done (BenchmarkCreate). A parked task's
// stack holds the loop's frames and the suspension's under and over its
// own: about 750 bytes, at their deepest, of the 2 KB a goroutine's stack
// starts with. Built with Go 1.26, a task parks on 2 KB while its own
// frames take up to about 330 bytes (a call holding 256 bytes of frame
// fits, awaiting a Future directly or through an interface; one holding
// 384 does not; Sleep and an Event's Wait fit from a call holding 256
// bytes too, and so does a task that created a child before it awaits,
// lazily or eagerly (by the option; under eager.TaskFactory from one
// holding 224); a Lock's Acquire, a Semaphore's, a Queue's Get and a
// Condition's Wait from one holding 224, Wait from one holding 192, Recv
// and Send from one holding 160 (with a goroutine parked on 2 KB
// besides), Gather, a Timeout block around an Await, an awaited Go call
// (with its goroutine), a first wait for a priority.Lock (which attaches
// the task's priority state) and the second of two tasks awaiting one
// future from one holding 128, and WithGroup, waiting for its children
// or in its body after starting one, from one holding 64), and on 4 KB
// from deeper code, where a goroutine would still fit 2 KB (the
// ParkedMemory and ParkedDeep rows of BENCHMARKS.md, and
// TestAParkedTaskFitsAGoroutinesFirstStack). Older
// compilers make deeper frames: with Go 1.23 a call holding 96 bytes
// fits, one holding 128 does not. A Task must not be copied.
type Task[T any] struct {
	waitable
	// result and err are the outcome once the task is done (c.fate says
	// whether it is). Until then err is free, and before its first step
	// it holds the task's function (see pendingFunc): a task is its
	// outcome, not a future besides, so that it fits 96 bytes.
	result T
	err    error
}

// waitable is the part of a Task that does not depend on T, with the
// methods of future.Waitable. They are the Task's, and through the
// interface they are called right away: a generic type's own method
// would run under a wrapper frame, and AddWaiter is the deepest call of
// a suspension on a task, whose stack decides whether the awaiting task
// parks on 2 KB.
type waitable struct {
	c       core
	waiters coro.Waiters
}

// pendingFunc is a task's function while it waits for its first step,
// kept in the slot of the error it will end with: a func is one word, so
// holding it in an interface allocates nothing. It is never an outcome.
type pendingFunc[T any] iterco.Func[T]

func (pendingFunc[T]) Error() string { return "task: not started" }

// pendingProc is pendingFunc for a procedure, a function that returns only
// an error (a group's Go): the task ends with its error and T's zero
// value, with no closure to adapt one function to the other.
type pendingProc func(co *iterco.Co) error

func (pendingProc) Error() string { return "task: not started" }

var (
	_ future.Awaitable[int] = (*Task[int])(nil)
	_ Any                   = (*Task[int])(nil)
)

// coreOf returns the task that co runs, or that owns the coroutine that
// co runs (one it started), nil if none.
func coreOf(co *iterco.Co) *core {
	if co == nil {
		return nil
	}
	if r, ok := (*coro.Co)(co).Body().(*runner); ok {
		return (*core)(r)
	}
	if a, ok := co.Owner().(Any); ok {
		return a.base()
	}
	return nil
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

// Done reports whether the task has finished.
func (t *waitable) Done() bool { return t.c.fate&fateEnd != fatePending }

// Cancelled reports whether the task ended cancelled: its function
// returned an error matching [future.ErrCancelled], or it was cancelled
// before it could run.
func (t *Task[T]) Cancelled() bool { return t.c.fate&fateEnd == fateCancelled }

// Result returns the task's value and error once it is done, and
// [future.ErrInvalidState] before.
func (t *Task[T]) Result() (T, error) {
	if !t.Done() {
		var zero T
		return zero, errPendingResult
	}
	t.c.fate |= fateRead
	return t.result, t.err
}

var errPendingResult = fmt.Errorf("task: %w: Result of a pending task", future.ErrInvalidState)

// Future returns a future that holds the task's outcome, for code that
// deals in futures: done at once if the task is, else completed when it
// finishes. Each call makes a new future. The loop reports an error that
// nobody read, from the task or from the first future that took it.
func (t *Task[T]) Future() *future.Future[T] {
	if t.Done() {
		f := new(future.Future[T])
		t.handTo(f)
		return f
	}
	v := &outcomeFuture[T]{t: t}
	v.f.Bind(t.c.loop)
	t.waiters.Add(v)
	return &v.f
}

// handTo completes f, a new future, with the outcome of the task, which
// is done. The first future the outcome is handed to takes over the
// task's place among the errors its loop reports if nobody reads them:
// an error read from the task or from that future is read.
func (t *Task[T]) handTo(f *future.Future[T]) {
	c := &t.c
	f.Bind(c.loop)
	if c.fate&(fateRead|fateHanded) == 0 && c.loop != nil && c.unreadError(t.err) {
		c.loop.keepUnretrieved(unread{task: t, f: f})
	}
	c.fate |= fateHanded
	if t.err != nil {
		f.SetError(t.err)
	} else {
		f.SetResult(t.result)
	}
}

// outcomeFuture is a future made by [Task.Future], with the task it
// follows.
type outcomeFuture[T any] struct {
	f future.Future[T]
	t *Task[T]
}

// Wake hands the task's outcome to the future, once the task is done.
func (v *outcomeFuture[T]) Wake() { v.t.handTo(&v.f) }

// settle records the task's outcome and wakes its waiters; the task is
// pending.
func (t *Task[T]) settle(v T, err error) {
	t.result, t.err = v, err
	switch {
	case err == nil:
		t.c.fate |= fateValue
	case isCancel(err):
		t.c.fate |= fateCancelled
	default:
		t.c.fate |= fateError
	}
	t.waiters.Wake()
}

// Err returns the task's error once done (nil on success), else
// [future.ErrInvalidState].
func (t *Task[T]) Err() error {
	_, err := t.Result()
	return err
}

// Await waits for the task to finish and returns its outcome. Cancelling
// the awaiting task cancels this one too (as in asyncio); use Shield to
// prevent that. A task awaiting itself gets ErrAwaitSelf.
func (t *Task[T]) Await(co *iterco.Co) (T, error) {
	mustCo(co, "task.Task.Await")
	if !t.Done() && coreOf(co) == &t.c {
		var zero T
		return zero, ErrAwaitSelf
	}
	for !t.Done() {
		if _, err := co.Suspend(t); err != nil {
			var zero T
			return zero, err
		}
	}
	return t.Result()
}

// AddWaiter implements [future.Waitable]: w is woken once the task is
// done (at once if it is). It returns false for a loop l other than the
// task's.
func (t *waitable) AddWaiter(l future.Loop, w future.Waiter) bool {
	if t.c.loop != nil && l != future.Loop(t.c.loop) {
		return false
	}
	if t.Done() {
		w.Wake()
	} else {
		t.waiters.Add(w)
	}
	return true
}

// RemoveWaiter implements [future.Waitable].
func (t *waitable) RemoveWaiter(w future.Waiter) bool { return t.waiters.Remove(w) }

// AddDoneCallback arranges for fn to run on the loop once the task is done,
// after the callbacks and waiters registered before it.
func (t *Task[T]) AddDoneCallback(fn func(*Task[T])) {
	t.AddWaiter(t.c.loop, &doneCallback[T]{t: t, fn: fn})
}

type doneCallback[T any] struct {
	t  *Task[T]
	fn func(*Task[T])
}

func (d *doneCallback[T]) Wake() { d.t.c.loop.CallSoon(d.run) }
func (d *doneCallback[T]) run()  { d.fn(d.t) }

func (t *Task[T]) base() *core     { return &t.c }
func (t *Task[T]) retrieved() bool { return t.c.fate&(fateRead|fateHanded) != 0 }

// outcome returns the task's error once done, without counting as a read.
func (t *Task[T]) outcome() error {
	if !t.Done() {
		return nil
	}
	return t.err
}
