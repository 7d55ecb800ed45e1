package task

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// DebugOptions tune the debug mode that [WithDebug] turns on; a zero
// field takes its default.
type DebugOptions struct {
	// SlowStep is how long a task step or a callback may run before the
	// loop warns about it (default 100 ms): code that blocks the loop.
	SlowStep time.Duration
	// Stall is how long the loop may have nothing ready while tasks wait
	// before it reports them all, with what they wait on and their stacks
	// (default 1 s).
	Stall time.Duration
}

// ErrInvariant is the error of the exception a loop in debug mode reports
// when it finds its own state broken (a bug of the loop or of a custom
// Queue).
var ErrInvariant = errors.New("task: loop invariant broken")

type debugOption DebugOptions

func (o debugOption) applyLoop(l *Loop) { l.debug = newDebug(DebugOptions(o)) }

// WithDebug turns on the loop's debug mode (asyncio's debug mode), which
// costs a clock read per step and is meant for development:
//
//   - a task step or callback that runs longer than SlowStep is reported,
//     naming the task (or the callback's function) and where it was;
//   - a loop with nothing ready for longer than Stall while tasks wait
//     reports every task, what it waits on and its stack, once per stall;
//   - a task that finished with a value nobody retrieved, or a future made
//     with NewFuture whose outcome nobody retrieved, is reported when the
//     loop closes (or, past 4096 such, when it becomes one of the oldest);
//   - after every step and callback the loop checks its own state (the
//     ready queue against its length, the live tasks against their
//     count); a broken invariant goes to the exception handler as
//     ErrInvariant;
//   - [TaskInfo.Age] is kept.
//
// Reports are warnings in the loop's log (see [WithLogger]). Setting the
// environment variable ASYNKIT_DEBUG to 1 (or true) turns debug mode on,
// with the defaults, for every loop made.
func WithDebug(o DebugOptions) LoopOption { return debugOption(o) }

// debugFromEnv reports whether ASYNKIT_DEBUG asks for debug mode.
func debugFromEnv() bool {
	on, err := strconv.ParseBool(os.Getenv("ASYNKIT_DEBUG"))
	return err == nil && on
}

// maxTracked bounds what the debug mode keeps to check at Close.
const maxTracked = 4096

type debugState struct {
	DebugOptions
	stepStart time.Time
	stepTask  *core

	stallGen   uint64
	stalled    bool   // the current stall was reported
	stallSteps uint64 // steps when it was

	tracked []tracked
	skip    int // steps since the last invariant check

	onPhase func(c *core, p phase) // tests: each move of a task's phase
}

// tracked is an outcome the debug mode checks was retrieved: a task's,
// or that of a future f made at site.
type tracked struct {
	task Any
	site string
	f    interface{ Retrieved() bool }
}

// retrieved reports whether the outcome was read.
func (t tracked) retrieved() bool {
	if t.task != nil {
		return t.task.retrieved()
	}
	return t.f.Retrieved()
}

func newDebug(o DebugOptions) *debugState {
	if o.SlowStep <= 0 {
		o.SlowStep = 100 * time.Millisecond
	}
	if o.Stall <= 0 {
		o.Stall = time.Second
	}
	return &debugState{DebugOptions: o}
}

// Debugging reports whether the loop runs in debug mode.
func (l *Loop) Debugging() bool { return l.debug != nil }

// debugStepStart notes that c's step starts.
func (l *Loop) debugStepStart(c *core) {
	l.debug.stepStart, l.debug.stepTask = time.Now(), c
}

// debugStepEnd notes that c's step ends, on c's coroutine: as it
// suspends or finishes. A slow step is reported with where c is now.
func (l *Loop) debugStepEnd(c *core) {
	d := l.debug
	if d.stepTask != c {
		return
	}
	d.stepTask = nil
	if took := time.Since(d.stepStart); took > d.SlowStep {
		t := c.self()
		l.warn("slow task step: the loop was blocked", slog.String("task", t.Name()), slog.Uint64("id", t.ID()),
			slog.Duration("took", took), slog.String("at", trimStack(string(coro.StackTrace()))))
	}
}

// debugCallback runs a callback, reporting it if it is slow.
func (l *Loop) debugCallback(fn func()) {
	start := time.Now()
	defer func() {
		if took := time.Since(start); took > l.debug.SlowStep {
			name := "?"
			if f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()); f != nil {
				name = f.Name()
			}
			l.warn("slow callback: the loop was blocked", slog.String("callback", name), slog.Duration("took", took))
		}
	}()
	fn()
}

// debugIdle arms the stall report as the loop goes idle with tasks
// waiting, and returns the function that disarms it.
func (l *Loop) debugIdle() func() {
	d := l.debug
	if l.ntasks == 0 || d.stalled && d.stallSteps == l.count.steps {
		return func() {}
	}
	d.stalled = false
	d.stallGen++
	gen, idleSince := d.stallGen, time.Now()
	timer := time.AfterFunc(d.Stall, func() {
		l.CallSoonThreadsafe(func() { l.reportStall(gen, idleSince) })
	})
	return func() { timer.Stop() }
}

// reportStall reports every task, if the stall armed as generation gen is
// still on: nothing ran since.
func (l *Loop) reportStall(gen uint64, since time.Time) {
	d := l.debug
	if d.stallGen != gen || d.stalled {
		return
	}
	d.stalled, d.stallSteps = true, l.count.steps
	var b strings.Builder
	WriteTasks(&b, l.Tasks())
	l.warn("loop stalled: nothing is ready and tasks wait", slog.Duration("for", time.Since(since)),
		slog.String("tasks", b.String()))
}

// track keeps an outcome to check at Close.
func (l *Loop) track(t tracked) {
	d := l.debug
	if len(d.tracked) >= maxTracked {
		l.checkTracked(d.tracked[:maxTracked/2])
		d.tracked = append(d.tracked[:0], d.tracked[maxTracked/2:]...)
	}
	d.tracked = append(d.tracked, t)
}

func (l *Loop) checkTracked(ts []tracked) {
	for _, t := range ts {
		switch {
		case t.retrieved():
		case t.task != nil:
			l.warn(fmt.Sprintf("never awaited: the result of task %s (t%d)", t.task.Name(), t.task.ID()))
		default:
			l.warn("never awaited: the future made at " + t.site)
		}
	}
}

// checkInvariants checks the loop's state between steps: after every
// step while the loop holds fewer than 256 tasks and handles, and every
// n/256 steps for n of them, so that checking costs at most a bounded
// amount a step.
func (l *Loop) checkInvariants() {
	d := l.debug
	if n := (l.queued() + len(l.live)) / 256; n > 0 {
		if d.skip++; d.skip <= n {
			return
		}
		d.skip = 0
	}
	var problems []string
	n := 0
	l.ready.Find(func(h *Handle) bool {
		n++
		if !h.queued {
			problems = append(problems, "a handle in the ready queue is not marked queued")
		}
		return false
	})
	if q := l.queued(); n != q {
		problems = append(problems, fmt.Sprintf("the ready queue holds %d handles and says %d", n, q))
	}
	live := 0
	for _, c := range l.live {
		if !c.is(markLive) {
			if !c.self().Done() {
				problems = append(problems, fmt.Sprintf("task t%d is not done and not live", c.id))
			}
			continue
		}
		live++
		if c.self().Done() {
			problems = append(problems, fmt.Sprintf("task t%d is done and still live", c.id))
		}
	}
	if live != l.ntasks {
		problems = append(problems, fmt.Sprintf("%d live tasks, counted %d", live, l.ntasks))
	}
	if l.current != nil {
		problems = append(problems, fmt.Sprintf("task t%d is current between steps", l.current.id))
	}
	for _, p := range problems {
		l.report(Exception{Message: "debug check", Err: fmt.Errorf("%w: %s", ErrInvariant, p)})
	}
}
