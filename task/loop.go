package task

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
)

// Loop is a cooperative event loop: a ready queue of callbacks and task
// steps, a heap of timers, and a thread-safe inbox. One goroutine runs it
// ([Loop.RunForever], [RunUntilComplete] or [Run]); everything it runs, task
// code included, runs one piece at a time on that goroutine's behalf, so
// tasks of one loop share data without locks.
//
// # Iterations
//
// Each iteration runs the handles that were ready when it began, in order;
// what they schedule runs in the next iteration (asyncio's rule). Before an
// iteration the loop moves due timers to the ready queue, in deadline
// order, timers due at the same time in the order they were armed. A loop
// with nothing ready sleeps until its next timer or until another
// goroutine posts to its inbox: an idle loop burns no CPU.
//
// # Who may call what
//
// Methods are for the loop's own goroutine (its tasks and callbacks)
// unless their doc says "from any goroutine": [Loop.CallSoonThreadsafe]
// and [Submit] are the ways in from elsewhere. A Loop must not be copied.
type Loop struct {
	ready Queue
	fifo  *deque     // ready, when it is the default queue: a direct call
	peek  FrontQueue // ready, when it can show its next handle: hand-offs
	// passedTo is the task a hand-off resumed (see Loop.pass), until it
	// parks or finishes: hand-offs do not nest.
	passedTo *core
	// explorer, when package tasktest explores schedules, is the ready
	// queue, and decides what the program left open (see explore.go).
	explorer *explorer

	todo    int  // handles left in the current iteration
	ranOnce bool // this run did at least one iteration
	timers  timerHeap
	seq     uint64
	sleeper *time.Timer
	clock   Clock     // nil: the wall clock, read directly
	origin  time.Time // where the timers' timeline starts
	lastNow time.Time // the latest time read from clock
	rec     Recorder  // nil: nothing recorded
	// ev is the event being recorded, handed to rec in place. Its Seq
	// counts events and its Time is set when an iteration starts, so that
	// recording an event writes only what changes.
	ev      Event
	ticks   uint32 // iterations, for reading the time now and then
	count   counters
	created uint32 // tasks created, which numbers them

	pool *coro.Pool
	host *coro.Host
	// cos are coroutines of tasks that are done, for the next tasks to
	// start: at most poolSize of them.
	cos []*coro.Co
	// groupBlocks are blocks of group children that ended groups gave
	// back, for the next groups (see Group.adopt).
	groupBlocks [][]groupChild

	current  *core
	starting *core // the task in its eager start, if any
	factory  TaskFactory
	// Live tasks in creation order, and finished ones until compaction
	// (see registry.go).
	live   []*core
	ntasks int

	running bool
	closed  bool

	handler     func(Exception)
	goCalls     map[future.Waitable]bool // futures of Go functions running
	logger      *slog.Logger             // nil: the standard log package
	debug       *debugState              // nil: not in debug mode
	tracing     bool                     // WithTrace
	labelling   bool                     // WithProfileLabels
	unretrieved []unread                 // failed with nobody waiting; reported at Close or when many
	trimming    bool                     // a callback to report the older half is queued
	warm        int                      // coroutines to make ready at NewLoop
	poolSize    int                      // idle coroutines the pool keeps

	// Shared with other goroutines.
	mu       sync.Mutex
	inbox    []func()
	spare    []func()
	hasInbox atomic.Bool
	shut     atomic.Bool
	wake     chan struct{}
	bridges  sync.WaitGroup
	stopping atomic.Bool
	sleeping atomic.Bool // idle, waiting for a timer or the inbox
	// inflight counts work whose result will arrive in the inbox (Go
	// functions, Submissions awaited from here): a virtual clock does not
	// jump while it is not zero.
	inflight atomic.Int32
}

var _ future.Loop = (*Loop)(nil)

// NewLoop returns a loop that is not running yet.
func NewLoop(opts ...LoopOption) *Loop {
	// Defaults first, then the options over them, then what is built from
	// the result.
	l := &Loop{wake: make(chan struct{}, 1), poolSize: 1024}
	l.fifo = new(deque)
	l.ready = l.fifo
	l.handler = l.logException
	if debugFromEnv() {
		l.debug = newDebug(DebugOptions{})
	}
	for _, o := range opts {
		o.applyLoop(l)
	}
	l.peek, _ = l.ready.(FrontQueue)
	l.pool = coro.NewPool(l.poolSize)
	l.host = coro.NewHost(l.pool)
	l.pool.Warm(l.warm, 8<<10)
	l.origin = l.now()
	l.ev.Time = l.origin
	return l
}

// made panics, naming call, on a zero Loop: one that NewLoop did not make
// has no inbox, pool or host, and would fail somewhere deeper.
func (l *Loop) made(call string) {
	if l.wake == nil {
		panic(call + ": zero Loop; make one with task.NewLoop")
	}
}

// CallSoon schedules fn to run on the loop after everything already ready.
// A panic in fn goes to the exception handler and the loop carries on.
// Callbacks scheduled on a closed loop are dropped.
func (l *Loop) CallSoon(fn func()) {
	l.made("task.Loop.CallSoon")
	if l.sleeping.Load() {
		// Only another goroutine can call while the loop sleeps. (One that
		// calls while the loop works is a data race the race detector
		// reports.)
		panic("task.Loop.CallSoon: called from outside the loop while it sleeps; use CallSoonThreadsafe")
	}
	if l.closed {
		return
	}
	l.push(&Handle{job: callback(fn)})
}

// Time is [Loop.Now], under asyncio's name (loop.time).
func (l *Loop) Time() time.Time { return l.now() }

// Stop makes a running loop return once the current iteration is over,
// from any goroutine: a loop that sleeps wakes for it.
func (l *Loop) Stop() {
	l.stopping.Store(true)
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Sleeping reports whether the loop is idle, waiting for a timer or for
// another goroutine; safe from any goroutine.
func (l *Loop) Sleeping() bool { return l.sleeping.Load() }

// IsRunning reports whether the loop is running.
func (l *Loop) IsRunning() bool { return l.running }

// IsClosed reports whether the loop is closed.
func (l *Loop) IsClosed() bool { return l.closed }

// RunForever runs the loop until Stop is called. It returns ErrLoopRunning
// if the loop is running already or if called from inside a task of a
// running loop, and ErrClosed on a closed loop.
func (l *Loop) RunForever() error {
	l.made("task.Loop.RunForever")
	switch {
	case l.closed:
		return ErrClosed
	case l.running || coro.InWorker():
		return ErrLoopRunning
	}
	return l.runForever()
}

// runForever is RunForever for callers that checked already that no loop
// runs here (the check walks the stack: a few microseconds).
func (l *Loop) runForever() error {
	if l.running {
		return ErrLoopRunning
	}
	if vc, ok := l.clock.(*VirtualClock); ok {
		if err := vc.bind(l); err != nil {
			return err
		}
	}
	l.running, l.ranOnce = true, false
	if l.rec != nil {
		l.ev.Time = l.now()
	}
	// Deferred so that a runtime.Goexit inside a task (t.FailNow in a
	// test), which unwinds through here, still leaves a loop that Close
	// can release.
	defer func() {
		l.running, l.current, l.todo = false, nil, 0
		l.publish()
		l.stopping.Store(false)
	}()
	l.host.Run((*scheduler)(l))
	return nil
}

// Close releases the loop: it closes the coroutine of every task still
// alive (each sees iterco.ErrClosed at its suspension point and its
// deferred clean-up runs), runs callbacks still in the thread-safe inbox,
// reports task errors nobody retrieved to the exception handler, stops the
// loop's idle coroutines, and waits for functions started with [Go] to
// return (their contexts are cancelled with their tasks). Close of a
// running loop returns ErrLoopRunning; a second Close does nothing.
func (l *Loop) Close() error {
	l.made("task.Loop.Close")
	if l.running {
		return ErrLoopRunning
	}
	if l.closed {
		return nil
	}
	l.mu.Lock()
	l.shut.Store(true)
	var held []arrival
	if l.explorer != nil {
		held, l.explorer.arrivals = l.explorer.arrivals, nil
	}
	l.mu.Unlock()
	for _, a := range held {
		l.push(&Handle{job: callback(a.fn)})
	}
	if l.hasInbox.Load() {
		l.drainInbox()
	}
	// Run what was posted; tasks created now are closed below.
	for l.queued() > 0 {
		l.runCall(l.pop().job)
	}
	l.closed = true
	for l.ntasks > 0 {
		for _, c := range l.live {
			// Closing a task may compact l.live under this loop, which
			// then meets cleared entries: the outer loop goes round again.
			if c != nil && c.is(markLive) {
				c.close()
			}
		}
	}
	for l.queued() > 0 {
		l.pop()
	}
	l.reportUnretrieved(len(l.unretrieved))
	l.unretrieved = nil
	if l.debug != nil {
		l.checkTracked(l.debug.tracked)
		l.debug.tracked = nil
	}
	l.timers = nil
	l.groupBlocks = nil
	if l.sleeper != nil {
		l.sleeper.Stop()
	}
	l.pool.Close()
	l.bridges.Wait()
	if vc, ok := l.clock.(*VirtualClock); ok {
		vc.unbind(l)
	}
	return nil
}
