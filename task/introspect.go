package task

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// TaskState says where a task is in its life.
type TaskState uint8

// The states of a task.
const (
	// StateNew: created, its first step not run yet.
	StateNew TaskState = iota + 1
	// StateReady: queued to run its next step.
	StateReady
	// StateRunning: its step runs now.
	StateRunning
	// StateWaiting: suspended until what it waits on is done.
	StateWaiting
	// StateDone: finished.
	StateDone
)

var stateNames = [...]string{
	StateNew: "new", StateReady: "ready", StateRunning: "running",
	StateWaiting: "waiting", StateDone: "done",
}

// String returns the state's name: "new", "ready", "running", "waiting"
// or "done".
func (s TaskState) String() string {
	if int(s) < len(stateNames) && stateNames[s] != "" {
		return stateNames[s]
	}
	return fmt.Sprintf("TaskState(%d)", s)
}

// TaskInfo describes a task at one moment.
type TaskInfo struct {
	// ID is the task's number on its loop (Task.ID).
	ID uint64
	// Name is the task's name.
	Name string
	// State is where it is in its life.
	State TaskState
	// WaitingOn says what a waiting task waits on (see [WaitingOn]).
	WaitingOn string
	// Stack is a suspended task's stack (see [Stack]).
	Stack string
	// Age is how long ago, on the loop's clock, the task was created; it
	// is kept in debug mode only ([WithDebug]), and 0 otherwise.
	Age time.Duration
}

// StateOf returns t's state. Call it on t's loop.
func StateOf(t Any) TaskState {
	c := t.base()
	switch {
	case t.Done():
		return StateDone
	case c.loop != nil && c.loop.current == c, c.coState() == coro.Running:
		return StateRunning
	case c.h.queued && c.coState() == coro.New:
		return StateNew
	case c.h.queued:
		return StateReady
	}
	return StateWaiting
}

// WaitingOn describes what t waits on: "task NAME (tN)" for a task, the
// String of a waitable that has one (a sleep says when it is due, a
// primitive of package sync what it is and who holds it), "task.Go call"
// for the future of a function running in a goroutine, "task.Recv call"
// and "task.Send call" for a channel operation waited for in one, and
// the type of any other; "" if t waits on nothing. Call it on t's loop.
func WaitingOn(t Any) string {
	c := t.base()
	switch w := c.waitingOn().(type) {
	case nil:
		return ""
	case Any:
		return fmt.Sprintf("task %s (t%d)", w.Name(), w.ID())
	case fmt.Stringer:
		return w.String()
	default:
		if c.loop != nil && c.loop.goCalls[w] {
			return "task.Go call"
		}
		return fmt.Sprintf("%T", w)
	}
}

// Stack returns the stack of a suspended task: its frames, innermost
// first, in runtime.Stack's format, without the frames of the loop that
// runs it. It is "" for a task that runs now, is done, or has not
// started. Call it on t's loop; it switches to t's coroutine and back to
// read the stack there (some microseconds).
func Stack(t Any) string {
	c := t.base()
	if c.coState() != coro.Suspended || c.loop != nil && c.loop.current == c {
		return ""
	}
	return trimStack(string(c.co.Stack()))
}

// trimStack keeps the frames of a task's own code from a coroutine's
// stack: it drops the goroutine line, the suspension machinery on top
// (coroutines, wait lists), and the coroutine's entry and the scheduler's
// frames below.
func trimStack(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > 0 && strings.HasPrefix(lines[0], "goroutine ") {
		lines = lines[1:]
	}
	var out []string
	top := true
	for i := 0; i+1 < len(lines); i += 2 {
		fn, at := lines[i], lines[i+1]
		if strings.HasPrefix(fn, module+"task.(*Task[") && strings.Contains(fn, ").runBody(") ||
			strings.HasPrefix(fn, module+"iterco.Call[") || strings.HasPrefix(fn, "created by ") ||
			strings.Contains(fn, ".Proc.func") && strings.Contains(at, "/task/proc.go:") {
			break // the coroutine's entry, and Proc's adapter above it
		}
		if top && (strings.HasPrefix(fn, module+"internal/") || strings.HasPrefix(fn, module+"iterco.(*Co).Suspend")) {
			continue
		}
		top = false
		out = append(out, fn, at)
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

const module = "github.com/asynkit-go/asynkit/"

// Tasks describes every live task of l, in creation order. Call it on the
// loop's goroutine (from a task or callback, or from the goroutine that
// runs the loop while it does not); from elsewhere, use [Loop.Snapshot].
func (l *Loop) Tasks() []TaskInfo {
	infos := make([]TaskInfo, 0, l.ntasks)
	for _, c := range l.live {
		if !c.is(markLive) {
			continue
		}
		t := c.self()
		info := TaskInfo{ID: t.ID(), Name: t.Name(), State: StateOf(t), WaitingOn: WaitingOn(t), Stack: Stack(t)}
		if c.x != nil && !c.x.born.IsZero() {
			info.Age = l.now().Sub(c.x.born)
		}
		infos = append(infos, info)
	}
	return infos
}

// Snapshot is [Loop.Tasks] from any goroutine: it asks the loop, through
// its inbox, and waits for the answer, which comes at the loop's next
// iteration (an idle loop wakes for it; a loop that is not running
// answers when it runs). Called from a task or callback of l it reads l
// directly. It returns ctx's error if ctx ends first, and ErrClosed for
// a closed loop. Do not call it from a task of another loop: that loop
// would block until l answers.
func (l *Loop) Snapshot(ctx context.Context) ([]TaskInfo, error) {
	l.made("task.Loop.Snapshot")
	if l.shut.Load() {
		return nil, ErrClosed
	}
	if coro.InWorker() {
		return l.Tasks(), nil
	}
	answer := make(chan []TaskInfo, 1)
	if err := l.CallSoonThreadsafe(func() { answer <- l.Tasks() }); err != nil {
		return nil, err
	}
	select {
	case infos := <-answer:
		return infos, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Dump writes every live task of l (see [Loop.Snapshot]) to w, as text: a
// line per task with its number, name, state, what it waits on and its
// age (in debug mode), then its stack, indented:
//
//	2 tasks
//	t1 "holder" waiting on *future.Future[int]
//	    github.com/asynkit-go/asynkit/future.(*Future[...]).Await(...)
//	    	/src/future/future.go:206 +0x66
//	    main.hold(...)
//	    	/src/main.go:34 +0xbb
//	t2 "w1" waiting on asyncsync.Lock held by holder (t1)
//	    github.com/asynkit-go/asynkit/sync.(*Lock).Acquire(...)
//	    ...
//
// It is what to look at when a program hangs:
// which task waits on what, and where.
func (l *Loop) Dump(ctx context.Context, w io.Writer) error {
	infos, err := l.Snapshot(ctx)
	if err != nil {
		return err
	}
	return WriteTasks(w, infos)
}

// WriteTasks writes infos to w in Dump's format.
func WriteTasks(w io.Writer, infos []TaskInfo) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d tasks\n", len(infos))
	for _, t := range infos {
		fmt.Fprintf(&b, "t%d %q %s", t.ID, t.Name, t.State)
		if t.WaitingOn != "" {
			fmt.Fprintf(&b, " on %s", t.WaitingOn)
		}
		if t.Age > 0 {
			fmt.Fprintf(&b, " (age %v)", t.Age)
		}
		b.WriteByte('\n')
		if t.Stack != "" {
			for _, line := range strings.Split(strings.TrimRight(t.Stack, "\n"), "\n") {
				b.WriteString("    " + line + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
