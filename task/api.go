package task

import (
	"context"
	"runtime"
	"strconv"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// Current returns the task whose coroutine chain co belongs to, or nil if
// co runs in no task (a coroutine driven by hand, or under AwaitSync).
func Current(co *iterco.Co) Any {
	if c := coreOf(co); c != nil {
		return c.self()
	}
	return nil
}

// ContextOf returns the context of the task that runs co (see
// [Task.Context]): cancelled when the task is, carrying its values, its
// trace task ([WithTrace]) and its profiler labels ([Labels]). Outside a
// task it returns context.Background().
func ContextOf(co *iterco.Co) context.Context {
	if c := coreOf(co); c != nil {
		return c.context()
	}
	return context.Background()
}

// LoopOf returns the loop that runs co, or nil if none does.
func LoopOf(co *iterco.Co) *Loop {
	if c := coreOf(co); c != nil {
		return c.loop
	}
	return nil
}

// NewFuture returns a pending future bound to the loop that runs co. If
// co runs on no loop the future is unbound; the first task to await it
// binds it.
func NewFuture[T any](co *iterco.Co) *future.Future[T] {
	if l := LoopOf(co); l != nil {
		f := future.New[T](l)
		if l.debug != nil {
			site := "?"
			if _, file, line, ok := runtime.Caller(1); ok {
				site = file + ":" + strconv.Itoa(line)
			}
			l.track(tracked{site: site, f: f})
		}
		return f
	}
	return new(future.Future[T])
}

// Yield suspends co for one trip through the ready queue: everything ready
// before it runs first (asyncio's sleep(0)). It returns the error thrown in
// while suspended, such as a cancellation. Under AwaitSync it returns at
// once.
func Yield(co *iterco.Co) error {
	mustCo(co, "task.Yield")
	_, err := co.Suspend(nil)
	return err
}

// Sleep suspends co for d; d <= 0 is Yield. It returns nil when the time is
// up, a cancellation error if the task is cancelled meanwhile, and
// ErrNoLoop outside a loop.
func Sleep(co *iterco.Co, d time.Duration) error {
	mustCo(co, "task.Sleep")
	if d <= 0 {
		return Yield(co)
	}
	c := coreOf(co)
	if c == nil {
		return ErrNoLoop
	}
	s := c.loop.newSleep(d)
	return s.end(s.await(co))
}

// newSleep returns a sleep of d on l, its timer armed. (Not inlined: the
// times and the timer's arguments would take room in Sleep's frame, which
// is under the task's suspension while it sleeps, on a stack that must
// fit 2 KB.)
//
//go:noinline
func (l *Loop) newSleep(d time.Duration) *sleep {
	s := new(sleep)
	s.Bind(l)
	s.tm.h.job = s
	l.arm(&s.tm, l.now().Add(d))
	return s
}

// sleep is what Sleep waits on: the future and the timer that completes
// it, in one allocation. A task suspends on the sleep itself, so that
// WaitingOn and recordings can say it sleeps. The future is embedded: the
// methods of future.Waitable are its own, which an interface reaches
// with a jump, not through a frame of the sleep's on top of the sleeping
// task's stack.
type sleep struct {
	future.Future[struct{}]
	tm Timer
}

var _ future.Waitable = (*sleep)(nil)

// base makes a sleep a job: its timer's, which wakes it (see wakeSleep).
func (*sleep) base() *core { return nil }

// await is the future's Await, suspending on s.
func (s *sleep) await(co *iterco.Co) error {
	for !s.Done() {
		if _, err := co.Suspend(s); err != nil {
			return err
		}
	}
	return s.Err()
}

// end returns err, the timer stopped. (Not inlined: Sleep's frame, under
// the task's suspension while it sleeps, keeps no room for err.)
//
//go:noinline
func (s *sleep) end(err error) error {
	s.tm.Cancel()
	return err
}

// String says when the sleep ends, on the loop's clock.
func (s *sleep) String() string { return "sleep until " + s.tm.When().Format(time.RFC3339Nano) }

// mustCo panics, naming call, if co is nil: a programming error that
// would otherwise be a nil dereference deep inside.
func mustCo(co *iterco.Co, call string) {
	if co == nil {
		nilCo(call)
	}
}

// nilCo is mustCo's panic. (Not inlined: the message's concatenation
// would take room in the frame of every function that checks, some of
// which stay under a task's suspension while it is parked.)
//
//go:noinline
func nilCo(call string) { panic(call + ": nil Co") }

// All returns the live (not yet done) tasks of l in creation order.
func All(l *Loop) []Any { return l.tasks() }

// RunUntilComplete runs l until a new task running fn is done and returns
// its outcome. Other tasks stay as they are. It returns ErrLoopRunning if l
// is running already (or this is a task of a running loop), ErrClosed if l
// is closed, and ErrStopped if the loop was stopped before the task
// finished.
func RunUntilComplete[T any](l *Loop, fn iterco.Func[T], opts ...Option) (T, error) {
	var zero T
	if fn == nil {
		panic("task.RunUntilComplete: nil function")
	}
	if l.running || coro.InWorker() {
		return zero, ErrLoopRunning
	}
	if l.closed {
		return zero, ErrClosed
	}
	t := Spawn(l, fn, opts...)
	return runUntil(l, t)
}

func runUntil[T any](l *Loop, t *Task[T]) (T, error) {
	t.AddWaiter(l, stopper{l})
	if err := l.runForever(); err != nil {
		var zero T
		return zero, err
	}
	t.RemoveWaiter(stopper{l})
	if !t.Done() {
		var zero T
		return zero, ErrStopped
	}
	return t.Result()
}

// stopper stops its loop in the step after the task it waits for is done,
// as asyncio's run_until_complete does with a done callback.
type stopper struct{ l *Loop }

func (s stopper) Wake() { s.l.CallSoon(s.l.Stop) }

// Run runs main as the main task of a new loop and returns its outcome, as
// asyncio.run does: when main is done it cancels the tasks still alive and
// waits for them, reports errors nobody retrieved to the exception handler,
// and closes the loop, so no goroutine is left behind. Cancelling ctx
// cancels main, with ctx's error and cause (a deadline that passes gives
// an error matching both [future.ErrCancelled] and
// context.DeadlineExceeded); main's context carries ctx's values and
// deadline.
//
// Run returns ErrLoopRunning if called from inside a running loop's task;
// run nested work as a task instead, or use Submit for another loop.
func Run[T any](ctx context.Context, main iterco.Func[T], opts ...LoopOption) (T, error) {
	var zero T
	if main == nil {
		panic("task.Run: nil function")
	}
	if coro.InWorker() {
		return zero, ErrLoopRunning
	}
	l := NewLoop(opts...)
	defer l.Close()
	t := Spawn(l, main, Context(ctx)) // which cancels main when ctx is done
	v, err := runUntil(l, t)
	l.cancelAll(0)
	return v, err
}

// cancelAll cancels every live task and runs the loop until they are done,
// then reports errors nobody retrieved (asyncio.run's _cancel_all_tasks);
// rounds > 0 gives up after that many rounds (tasks that swallow the
// cancellation and block again are then left to Close).
func (l *Loop) cancelAll(rounds int) {
	for round := 1; l.ntasks > 0; round++ {
		if rounds > 0 && round > rounds {
			return
		}
		live := l.tasks()
		for _, t := range live {
			t.Cancel("")
		}
		g := &gatherDone{l: l, n: len(live)}
		for _, t := range live {
			t.AddWaiter(l, g)
		}
		if l.runForever() != nil {
			return
		}
		for _, t := range live {
			if err := t.outcome(); err != nil && !t.Cancelled() {
				l.report(Exception{Message: "unhandled error during shutdown", Err: err, Task: t})
			}
		}
	}
}

// gatherDone stops its loop once n waitables are done.
type gatherDone struct {
	l *Loop
	n int
}

func (g *gatherDone) Wake() {
	if g.n--; g.n == 0 {
		g.l.CallSoon(g.l.Stop)
	}
}

// Continue makes a task that continues a coroutine started with
// [iterco.Start], on co's loop: the Go form of asynkit's CoroStart.as_future
// for a coroutine in any state. A coroutine that finished during its start
// gives a task that is done at its first step; for such a one,
// [iterco.Started.AsFuture] gives a done future with no task at all,
// without consuming the Started.
func Continue[T any](co *iterco.Co, s *iterco.Started[T], opts ...Option) *Task[T] {
	return Create(co, s.Await, opts...)
}
