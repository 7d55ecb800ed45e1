package task

import (
	"context"
	"log"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
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

	current  *core
	starting *core // the task in its eager start, if any
	factory  TaskFactory
	// Live tasks in creation order; a finished task leaves a nil behind
	// until compaction, so that unlinking is O(1) and the order stays.
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
	unretrieved []Any                    // failed with nobody waiting; reported at Close or when many
	trimming    bool                     // a callback to report the older half is queued
	warm        int                      // coroutines to make ready at NewLoop

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

// LoopOption configures a Loop.
type LoopOption interface{ applyLoop(*Loop) }

type queueOption struct{ q Queue }

func (o queueOption) applyLoop(l *Loop) { l.ready = o.q }

// WithQueue makes the loop use q as its ready queue (a priority queue, for
// instance) instead of the default FIFO ring buffer. q must be empty.
func WithQueue(q Queue) LoopOption { return queueOption{q} }

type handlerOption func(Exception)

func (o handlerOption) applyLoop(l *Loop) { l.handler = o }

// WithExceptionHandler sets the function that receives errors nobody else
// can: panics of callbacks, and errors of tasks that nobody retrieved. The
// default logs them, with the logger of [WithLogger] or else the standard
// log package.
func WithExceptionHandler(fn func(Exception)) LoopOption { return handlerOption(fn) }

type loggerOption struct{ l *slog.Logger }

func (o loggerOption) applyLoop(l *Loop) { l.logger = o.l }

// WithLogger makes the loop report through logger: the default exception
// handler logs each [Exception] as an error (its attributes: "err", and
// "task" with the task's name and number), and the loop's warnings (a
// panicking exception handler, the debug mode's findings) are logged as
// warnings. Without it the loop uses the standard log package. A nil
// logger is the same as none.
func WithLogger(logger *slog.Logger) LoopOption { return loggerOption{logger} }

type factoryOption struct{ f TaskFactory }

func (o factoryOption) applyLoop(l *Loop) { l.factory = o.f }

// WithTaskFactory makes f the loop's task factory (see SetTaskFactory):
// task.Run(ctx, main, task.WithTaskFactory(eager.TaskFactory)) runs main
// on a loop whose tasks start eagerly.
func WithTaskFactory(f TaskFactory) LoopOption { return factoryOption{f} }

type poolOption int

func (o poolOption) applyLoop(l *Loop) { l.pool = coro.NewPool(int(o)) }

// WithPoolSize sets how many idle coroutines the loop keeps for reuse
// (default 1024). A task that blocks holds a coroutine until it finishes;
// the pool keeps the ones freed since, so that a burst of blocking tasks
// does not start goroutines anew. Idle coroutines are goroutines parked
// "in state coroutine", a few KiB of stack each; Close stops them all.
func WithPoolSize(n int) LoopOption { return poolOption(max(n, 0)) }

type warmOption int

func (o warmOption) applyLoop(l *Loop) { l.warm = int(o) }

// WithWarmPool makes n coroutines ready for the loop's pool when the loop
// is made (at most the pool's size), each with an 8 KiB stack. The first
// park of a task on a fresh coroutine pays for making the goroutine and
// growing its stack: about 0.7 µs more than on a warm one on an idle
// machine (BenchmarkFirstPark), and up to tens of microseconds on a
// loaded one, which a latency-sensitive program may rather pay up front.
// Each costs about 8 KiB while it waits.
func WithWarmPool(n int) LoopOption { return warmOption(max(n, 0)) }

// NewLoop returns a loop that is not running yet.
func NewLoop(opts ...LoopOption) *Loop {
	l := &Loop{wake: make(chan struct{}, 1)}
	for _, o := range opts {
		o.applyLoop(l)
	}
	if l.ready == nil {
		l.fifo = new(deque)
		l.ready = l.fifo
	}
	l.peek, _ = l.ready.(FrontQueue)
	if l.pool == nil {
		l.pool = coro.NewPool(1024)
	}
	if l.handler == nil {
		l.handler = l.logException
	}
	if l.debug == nil && debugFromEnv() {
		l.debug = newDebug(DebugOptions{})
	}
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
	l.push(&Handle{fn: fn})
}

// Time is [Loop.Now], under asyncio's name (loop.time).
func (l *Loop) Time() time.Time { return l.now() }

// CallSoonThreadsafe schedules fn to run on the loop, from any goroutine,
// and wakes the loop if it sleeps. It returns ErrClosed if the loop is
// closed. Callbacks posted before Close but not yet run are run by Close.
func (l *Loop) CallSoonThreadsafe(fn func()) error {
	l.made("task.Loop.CallSoonThreadsafe")
	if l.explorer != nil && coro.InWorker() {
		// Posted by the loop's own code (a Submit from a task): an
		// arrival in program order, not the outside world's doing.
		return l.explorer.arrive(l.explorer.start(), fn)
	}
	l.mu.Lock()
	if l.shut.Load() {
		l.mu.Unlock()
		return ErrClosed
	}
	l.inbox = append(l.inbox, fn)
	l.hasInbox.Store(true)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

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

// scheduler is the loop seen as the job its host runs.
type scheduler Loop

// RunJob is the scheduling loop. It runs on a pooled coroutine and may be
// abandoned there when a task borrows that coroutine: then it must return
// at once, without touching the loop again (see internal/coro).
func (s *scheduler) RunJob() {
	l := (*Loop)(s)
	w := l.host.Current()
	for {
		if l.todo == 0 || l.queued() == 0 {
			// (The queue can run dry before todo does when handles are
			// removed from it during the iteration.)
			if l.ranOnce && l.stopping.Load() {
				return
			}
			l.prepare()
			l.todo = l.queued()
			l.ranOnce = true
			if l.todo > l.count.readyMax {
				l.count.readyMax = l.todo
			}
			continue
		}
		h := l.pop()
		l.todo--
		if h.task != nil {
			h.task.step()
			if !l.host.Owns(w) {
				return
			}
		} else if h.fn != nil {
			l.runCallback(h.fn)
		}
		if l.debug != nil {
			l.checkInvariants()
		}
	}
}

// handoff runs the loop from the coroutine of c, a task about to park,
// as long as what is next in the ready queue is c itself or another parked
// task: c resumes that task from its own coroutine (one switch instead of
// two through the scheduler) and, when the queue comes back to c, returns
// true without c ever parking (its Suspend returns at once). Anything else
// at the head (a callback, a new task, an empty queue, a stop) returns
// false: c parks and the scheduler carries on. Iterations are kept exactly
// as the scheduler keeps them; only tasks the scheduler resumed directly
// hand off, so the chain is at most driver, scheduler, c, next task.
func (l *Loop) handoff(c *core, co *coro.Co) bool {
	co.SetWaiting(true)
	defer co.SetWaiting(false)
	for {
		if l.todo == 0 {
			if l.stopping.Load() || l.queued() == 0 && !l.hasInbox.Load() {
				return false
			}
			l.prepareNoWait()
			l.todo = l.queued()
			if l.todo == 0 {
				return false
			}
		}
		h := l.front()
		if h == &c.h {
			l.pop()
			l.todo--
			l.recordStep(c)
			l.count.steps++ // c goes on without a switch
			co.SetResume(nil, c.takeError())
			return true
		}
		next := h.task
		if next == nil || next.co.State() != coro.Suspended || next.reyield {
			// Anything but a plain parked task (an eager start's first
			// step, in particular) is the scheduler's to run.
			return false
		}
		l.pop()
		l.todo--
		l.recordStep(next)
		l.current = next
		l.count.steps++
		l.count.handOffs++
		l.count.switches++
		next.co.Resume(co, nil, next.takeError())
		l.current = c
	}
}

// prepare starts an iteration: takes in posted callbacks, sleeps if there
// is nothing to do, and moves due timers to the ready queue.
func (l *Loop) prepare() {
	if l.explorer != nil {
		l.explorer.prepare()
		return
	}
	if l.hasInbox.Load() {
		l.drainInbox()
	}
	if l.queued() == 0 && !l.stopping.Load() {
		l.idle()
		if l.rec != nil {
			l.ev.Time = l.now()
		}
	}
	l.fireTimers()
}

// prepareNoWait is prepare for a loop with work ready: it never sleeps.
func (l *Loop) prepareNoWait() {
	if l.hasInbox.Load() {
		l.drainInbox()
	}
	l.fireTimers()
}

func (l *Loop) fireTimers() {
	if len(l.timers) == 0 {
		// Only a recording needs the time now. Reading the clock costs as
		// much as a hand-off between two tasks, so while nothing is timed
		// a recording's time is read every 64 iterations (and after the
		// loop slept): at most a few microseconds behind on a busy loop.
		if l.ticks++; l.ticks%64 == 0 {
			l.publish()
			if l.rec != nil {
				l.ev.Time = l.now()
			}
		}
		return
	}
	if l.ticks++; l.ticks%64 == 0 {
		l.publish()
	}
	at := l.nowOffset()
	if l.rec != nil {
		l.ev.Time = l.origin.Add(time.Duration(at))
	}
	for len(l.timers) > 0 && l.timers[0].at <= at {
		tm := l.timers.pop()
		if l.rec != nil {
			l.record(EventTimer, 0)
		}
		if l.explorer != nil {
			l.explorer.newCause()
		}
		l.push(&tm.h)
	}
}

func (l *Loop) idle() {
	l.publish()
	if l.debug != nil {
		defer l.debugIdle()()
	}
	l.sleeping.Store(true)
	defer l.sleeping.Store(false)
	if l.clock != nil {
		l.idleOn(l.clock)
	} else if len(l.timers) == 0 {
		<-l.wake
	} else if d := time.Until(l.timers[0].When()); d > 0 {
		if l.sleeper == nil {
			l.sleeper = time.NewTimer(d)
		} else {
			l.sleeper.Reset(d)
		}
		select {
		case <-l.wake:
			l.sleeper.Stop()
		case <-l.sleeper.C:
		}
	}
	if l.hasInbox.Load() {
		l.drainInbox()
	}
}

// idleOn lets clock decide how the idle loop waits, and records a jump.
func (l *Loop) idleOn(clock Clock) {
	var next time.Time
	if len(l.timers) > 0 {
		next = l.timers[0].When()
	}
	before := l.now()
	clock.Idle(next, l.wake, l.inflight.Load() > 0 || l.hasInbox.Load())
	if now := l.now(); now.After(before) && l.rec != nil {
		l.ev.Time = now
		l.event(EventJump, 0).Dur = now.Sub(before)
		l.emit()
	}
}

func (l *Loop) drainInbox() {
	l.mu.Lock()
	in := l.inbox
	l.inbox, l.spare = l.spare[:0], nil
	l.hasInbox.Store(false)
	l.mu.Unlock()
	for i, fn := range in {
		if l.explorer != nil {
			l.explorer.newCause()
		}
		l.push(&Handle{fn: fn})
		in[i] = nil
	}
	l.spare = in[:0]
}

func (l *Loop) runCallback(fn func()) {
	l.count.callbacks++
	if l.rec != nil {
		l.record(EventCallback, 0)
	}
	defer func() {
		if r := recover(); r != nil {
			l.report(Exception{Message: "callback panicked", Err: iterco.Recovered(r)})
		}
	}()
	if l.debug != nil {
		l.debugCallback(fn)
		return
	}
	fn()
}

// maxUnretrieved bounds the failed tasks a loop keeps to report at Close:
// past it, the older half is reported at once, so that a loop that runs
// for weeks does not grow with the failures nobody looked at.
const maxUnretrieved = 1024

// keepUnretrieved keeps t, which failed while nothing waited for it, to
// report its error at Close unless somebody reads it first.
func (l *Loop) keepUnretrieved(t Any) {
	l.unretrieved = append(l.unretrieved, t)
	if len(l.unretrieved) >= maxUnretrieved && !l.trimming {
		// Reported from a callback: the handler is user code, and this
		// runs as the task ends.
		l.trimming = true
		l.CallSoon(func() {
			l.trimming = false
			n := len(l.unretrieved) - maxUnretrieved/2
			if n <= 0 {
				return
			}
			l.reportUnretrieved(n)
			k := copy(l.unretrieved, l.unretrieved[n:])
			clear(l.unretrieved[k:])
			l.unretrieved = l.unretrieved[:k]
		})
	}
}

// reportUnretrieved reports the errors of the oldest n kept tasks that
// nobody read.
func (l *Loop) reportUnretrieved(n int) {
	for _, t := range l.unretrieved[:n] {
		if !t.retrieved() {
			l.report(Exception{Message: "task error was never retrieved", Err: t.outcome(), Task: t})
		}
	}
}

// CallExceptionHandler hands e to the loop's exception handler (asyncio's
// call_exception_handler), for code that finds an error nobody else can
// receive. Call it on the loop's goroutine. A panicking handler is logged
// and ignored.
func (l *Loop) CallExceptionHandler(e Exception) { l.report(e) }

// report hands e to the exception handler, which must not take the loop
// down: a panicking handler is logged and ignored.
func (l *Loop) report(e Exception) {
	defer func() {
		if r := recover(); r != nil {
			l.warn("exception handler panicked", slog.Any("panic", r), slog.Any("handling", e))
		}
	}()
	l.handler(e)
}

// logException is the default exception handler: it logs e, as an error,
// with the loop's logger, or else the standard log package.
func (l *Loop) logException(e Exception) {
	if l.logger != nil {
		l.logger.LogAttrs(context.Background(), slog.LevelError, "asynkit: "+e.Message, e.attrs()...)
		return
	}
	log.Printf("asynkit: %s", e)
}

// warn logs what the loop finds wrong with the program: with its logger,
// as a warning, or else with the standard log package.
func (l *Loop) warn(msg string, attrs ...slog.Attr) {
	if l.logger != nil {
		l.logger.LogAttrs(context.Background(), slog.LevelWarn, "asynkit: "+msg, attrs...)
		return
	}
	var b strings.Builder
	b.WriteString("asynkit: " + msg)
	for _, a := range attrs {
		b.WriteString(" " + a.String())
	}
	log.Print(b.String())
}

// push, pop and queued call the ready queue, directly when it is the
// default one: these are the hottest calls of the loop.
func (l *Loop) push(h *Handle) {
	h.queued = true
	if l.fifo != nil {
		l.fifo.PushBack(h)
	} else {
		l.ready.PushBack(h)
	}
}

// front returns the handle pop returns next; the queue is not empty and
// shows its next handle (l.peek is set).
func (l *Loop) front() *Handle {
	if l.fifo != nil {
		return l.fifo.front()
	}
	return l.peek.Front()
}

func (l *Loop) pop() *Handle {
	var h *Handle
	if l.fifo != nil {
		h = l.fifo.PopFront()
	} else {
		h = l.ready.PopFront()
	}
	h.queued = false
	return h
}

// insert queues h at pos with list-insert semantics: past the end
// appends, a negative pos counts from the end.
func (l *Loop) insert(pos int, h *Handle) {
	n := l.queued()
	if pos < 0 {
		pos = max(pos+n, 0)
	}
	h.queued = true
	if l.fifo != nil {
		l.fifo.Insert(min(pos, n), h)
	} else {
		l.ready.Insert(min(pos, n), h)
	}
}

// remove takes a queued h out of the ready queue.
func (l *Loop) remove(h *Handle) bool {
	if !h.queued {
		return false
	}
	if l.fifo != nil {
		l.fifo.Remove(h)
	} else if !l.ready.Remove(h) {
		return false
	}
	h.queued = false
	return true
}

func (l *Loop) queued() int {
	if l.fifo != nil {
		return l.fifo.live
	}
	return l.ready.Len()
}

func (l *Loop) enqueue(c *core) {
	if !l.closed {
		l.push(&c.h)
	}
}

func (l *Loop) link(c *core) {
	c.idx = int32(len(l.live))
	l.live = append(l.live, c)
	l.ntasks++
}

func (l *Loop) unlink(c *core) {
	if c.idx < 0 {
		return // not linked
	}
	l.live[c.idx] = nil
	c.idx = -1
	l.ntasks--
	if dead := len(l.live) - l.ntasks; dead > 32 && dead > l.ntasks {
		k := 0
		for _, t := range l.live {
			if t != nil {
				t.idx = int32(k)
				l.live[k] = t
				k++
			}
		}
		clear(l.live[k:])
		l.live = l.live[:k]
	}
}

// tasks returns the live tasks in creation order.
func (l *Loop) tasks() []Any {
	all := make([]Any, 0, l.ntasks)
	for _, c := range l.live {
		if c != nil {
			all = append(all, c.self())
		}
	}
	return all
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
		l.push(&Handle{fn: a.fn})
	}
	if l.hasInbox.Load() {
		l.drainInbox()
	}
	// Run what was posted; tasks created now are closed below.
	for l.queued() > 0 {
		h := l.pop()
		if h.fn != nil {
			l.runCallback(h.fn)
		}
	}
	l.closed = true
	for l.ntasks > 0 {
		for _, c := range l.live {
			if c != nil {
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
