package task

import (
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/asynkit-go/asynkit/internal/explore"
	"github.com/asynkit-go/asynkit/iterco"
)

// Schedule exploration (package tasktest) replaces the loop's ready queue
// with an explorer, which leaves open what the program did not order and
// asks a Chooser to decide it:
//
//   - Which chain runs next. What one step or callback queues in a row is
//     a chain and keeps its order: callbacks it schedules, and its own
//     next step. A task made ready by the step (created, or woken by what
//     the step did) starts a chain of its own, and so does each timer and
//     each arrival from another goroutine. The candidates are the chain
//     heads in queue order.
//   - Handles queued at a position (SleepInsert, Switch, CreateDescend,
//     Reinsert) keep it: nothing queued behind one runs before it.
//   - When results arrive: the results of task.Go functions and awaited
//     Submissions are held back until the Chooser picks their arrival (or
//     nothing else can run). Then the loop waits for all work in flight to
//     post its result and queues each as a chain, in the order the work
//     was started, so that which goroutine finished first never shows.
//
// With a Chooser that always picks 0 the loop runs the plain FIFO
// schedule, results of work in flight arriving when nothing else is
// ready. The explorer never hands off between tasks (a hand-off is the
// FIFO order's shortcut, and the explorer has no fixed order).

func init() { explore.Run = runExplore }

// maxCandidates bounds the chain heads offered at one choice, so that a
// long ready queue does not make every pop slow.
const maxCandidates = 64

type explorer struct {
	l       *Loop
	chooser explore.Chooser
	q       []xentry

	chains    uint64 // chains started
	cause     uint64 // the chain of what runs now
	causeTask Any    // the task whose step runs now, if one does
	cands     []explore.Candidate
	at        []int // the queue index of each candidate

	// Work whose result arrives in the inbox: arrivals posted (guarded
	// by the loop's mu), started counts it as it starts, on the loop.
	arrivals []arrival
	started  uint64
	waiting  int // started, not yet queued

	maxSteps   int
	steps      int
	decisions  int
	stuck      []string // the blocked tasks, the first time nothing could run
	stuckAt    uint64   // the last event then
	deadlocked bool
	unfinished bool
	foreign    bool // the inbox got work from a goroutine the loop did not start
	slowBridge bool // a Go function waited for the loop
}

type xentry struct {
	h      *Handle
	chain  uint64
	pinned bool // queued at a position: nothing behind it runs first
}

type arrival struct {
	seq uint64
	fn  func()
}

type exploreOption struct{ x *explorer }

func (o exploreOption) applyLoop(l *Loop) {
	o.x.l = l
	l.explorer, l.ready, l.fifo = o.x, o.x, nil
}

var _ Queue = (*explorer)(nil)

func (x *explorer) Len() int { return len(x.q) }

// newCause starts a chain for what is queued next: a timer, an arrival.
func (x *explorer) newCause() {
	x.chains++
	x.cause, x.causeTask = x.chains, nil
}

func (x *explorer) PushBack(h *Handle) {
	chain := x.cause
	if t := h.Task(); t != nil && t != x.causeTask {
		x.chains++
		chain = x.chains
	}
	x.q = append(x.q, xentry{h: h, chain: chain})
}

func (x *explorer) Insert(pos int, h *Handle) {
	if pos >= len(x.q) {
		x.PushBack(h)
		return
	}
	x.q = slices.Insert(x.q, pos, xentry{h: h, chain: x.cause, pinned: true})
}

func (x *explorer) Remove(h *Handle) bool {
	for i := range x.q {
		if x.q[i].h == h {
			x.q = slices.Delete(x.q, i, i+1)
			return true
		}
	}
	return false
}

func (x *explorer) Find(pred func(*Handle) bool) *Handle {
	for i := len(x.q) - 1; i >= 0; i-- {
		if pred(x.q[i].h) {
			return x.q[i].h
		}
	}
	return nil
}

// candidates lists the chain heads ahead of the first pinned handle (or
// that handle, if it is at the front).
func (x *explorer) candidates() {
	x.cands, x.at = x.cands[:0], x.at[:0]
scan:
	for i, e := range x.q {
		if e.pinned {
			if len(x.at) == 0 {
				x.add(i)
			}
			break
		}
		for _, c := range x.cands {
			if c.Chain == e.chain {
				continue scan
			}
		}
		x.add(i)
		if len(x.at) == maxCandidates {
			break
		}
	}
}

func (x *explorer) add(i int) {
	e := x.q[i]
	var id uint64
	if t := e.h.Task(); t != nil {
		id = t.ID()
	}
	x.cands = append(x.cands, explore.Candidate{Task: id, Chain: e.chain})
	x.at = append(x.at, i)
}

func (x *explorer) PopFront() *Handle {
	for {
		x.candidates()
		if x.waiting > 0 && !x.slowBridge || x.l.hasInbox.Load() {
			// (Once work in flight has not come back, its results are
			// taken when nothing else can run: see deliver.)
			x.cands = append(x.cands, explore.Candidate{Arrival: true})
		}
		pick := 0
		if len(x.cands) > 1 {
			x.decisions++
			pick = x.chooser.Pick(x.cands)
			if pick < 0 || pick >= len(x.cands) {
				panic(fmt.Sprintf("task: explorer: pick %d of %d candidates", pick, len(x.cands)))
			}
		}
		if x.cands[pick].Arrival {
			x.deliver()
			continue
		}
		i := x.at[pick]
		h := x.q[i].h
		x.q = slices.Delete(x.q, i, i+1)
		x.chains++
		x.cause, x.causeTask = x.chains, h.Task()
		if x.steps++; x.maxSteps > 0 && x.steps >= x.maxSteps {
			// And the clean-up that follows stops at once too.
			x.unfinished = true
			x.l.stopping.Store(true)
		}
		return h
	}
}

// start counts work whose result will arrive in the inbox and returns its
// number; call it on the loop as the work starts.
func (x *explorer) start() uint64 {
	x.started++
	x.waiting++
	return x.started
}

// arrive is CallSoonThreadsafe for the result of work numbered seq.
func (x *explorer) arrive(seq uint64, fn func()) error {
	l := x.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shut.Load() {
		return ErrClosed
	}
	x.arrivals = append(x.arrivals, arrival{seq, fn})
	return nil
}

// deliver waits for every piece of work in flight to post its result and
// queues the results in the order the work started, then what other
// goroutines posted. It reports whether it queued anything.
//
// Work that waits for the loop never posts while the loop waits for it:
// work that waits for something posted to the loop, which shows after
// about a second, and work that waits for its context, which only the
// loop cancels, and which shows in nothing but the time it takes: after
// about ten seconds, deliver stops waiting. Either way the run is
// reported as uncontrolled (the order is the world's now), and from then
// on deliver waits for work in flight only when nothing else can run.
func (x *explorer) deliver() bool {
	l := x.l
	var start time.Time
	for spin := 0; l.inflight.Load() > 0 && !(x.slowBridge && len(x.q) > 0); spin++ {
		if spin < 64 {
			runtime.Gosched()
			continue
		}
		if start.IsZero() {
			start = time.Now()
		}
		if waited := time.Since(start); waited > time.Second && l.hasInbox.Load() || waited > 10*time.Second {
			x.slowBridge = true
			break
		}
		time.Sleep(50 * time.Microsecond)
	}
	l.mu.Lock()
	in := x.arrivals
	x.arrivals = nil
	l.mu.Unlock()
	slices.SortFunc(in, func(a, b arrival) int { return int(a.seq - b.seq) })
	for _, a := range in {
		x.newCause()
		l.push(&Handle{job: callback(a.fn)})
		x.waiting--
	}
	posted := l.hasInbox.Load()
	if posted {
		x.foreign = true
		l.drainInbox()
	}
	return len(in) > 0 || posted
}

// prepare starts an iteration of an exploring loop: with nothing ready
// it lets results arrive, or jumps the clock to the next timer, or, with
// neither, reports a deadlock and stops the loop.
func (x *explorer) prepare() {
	l := x.l
	if len(x.q) == 0 && !l.stopping.Load() {
		switch {
		case x.waiting > 0 || l.hasInbox.Load() || l.inflight.Load() > 0:
			if !x.deliver() && x.slowBridge {
				// Nothing can run, and the work in flight did not come
				// back in ten seconds: it waits for the loop.
				x.stop()
			}
		case len(l.timers) > 0:
			l.idleOn(l.clock)
		case x.postedLate():
			x.foreign = true
			l.drainInbox()
		default:
			x.stop()
		}
	}
	l.fireTimers()
}

// stop ends a run in which nothing can run, as a deadlock.
func (x *explorer) stop() {
	if x.stuck == nil {
		x.stuck, x.stuckAt = x.blocked(), x.l.ev.Seq
	}
	x.deadlocked = true
	x.l.stopping.Store(true)
}

// postedLate reports whether, with nothing else to wait for, something is
// posted to the loop within a few milliseconds: a goroutine the loop did
// not start is at work, which a deadlock report would misname. (Only a
// program about to be reported deadlocked pays for the wait.)
func (x *explorer) postedLate() bool {
	for range 20 {
		if x.l.hasInbox.Load() {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return x.l.hasInbox.Load()
}

// blocked describes each live task: its name and what it waits on.
func (x *explorer) blocked() []string {
	lines := []string{}
	for _, c := range x.l.live {
		if !c.is(markLive) {
			continue
		}
		t := c.self()
		on := WaitingOn(t)
		if on == "" {
			on = "nothing (" + StateOf(t).String() + ")"
		}
		lines = append(lines, fmt.Sprintf("%s (t%d) waits on %s", t.Name(), t.ID(), on))
	}
	return lines
}

func runExplore(body func(co *iterco.Co) error, cfg explore.Config) (out explore.Outcome) {
	x := &explorer{chooser: cfg.Chooser, maxSteps: cfg.MaxSteps}
	opts := make([]LoopOption, 0, len(cfg.Options)+3)
	for _, o := range cfg.Options {
		opts = append(opts, o.(LoopOption))
	}
	opts = append(opts,
		WithClock(NewVirtualClock(time.Time{})),
		WithExceptionHandler(func(e Exception) { out.Exceptions = append(out.Exceptions, e.String()) }),
		exploreOption{x})
	l := NewLoop(opts...)
	defer func() {
		// Also when a task called runtime.Goexit (t.FailNow): nothing of
		// the loop may outlive the run.
		l.Close()
		out.Steps, out.Decisions = x.steps, x.decisions
		out.Deadlock, out.DeadlockAt, out.Unfinished = x.stuck, x.stuckAt, x.unfinished
		switch {
		case x.foreign:
			out.Uncontrolled = "work was posted to the loop by a goroutine it did not start (use task.Go)"
		case x.slowBridge:
			out.Uncontrolled = "a function run by task.Go waited for the loop (for something posted to it, or for its context, which only the loop cancels)"
		}
	}()
	main := Spawn(l, func(co *iterco.Co) (struct{}, error) { return struct{}{}, body(co) }, Name("main"))
	_, err := runUntil(l, main)
	if main.Done() {
		out.Err = err
	}
	// Cancel what is left, as Run does, a bounded number of times: a task
	// that swallows its cancellation and blocks again is closed instead.
	l.cancelAll(3)
	return out
}
