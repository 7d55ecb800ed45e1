package task

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/iterco"
)

// EventKind says what an [Event] records.
type EventKind uint8

// The kinds of events a loop records.
const (
	// EventCreate: Task was created, by task By (0: from loop code outside
	// any task), eagerly if Eager, named Name if it was given one.
	EventCreate EventKind = iota + 1
	// EventStep: a step of Task starts running.
	EventStep
	// EventSuspend: Task's step ended, suspended on On.
	EventSuspend
	// EventWake: what Task waited on is done; By is the task that ran then
	// (0: a callback or a timer).
	EventWake
	// EventCancel: Task was asked to cancel, by By.
	EventCancel
	// EventThrow: Err was thrown into Task, by By.
	EventThrow
	// EventDone: Task finished, with Err (nil on success).
	EventDone
	// EventCallback: a callback ran.
	EventCallback
	// EventTimer: a timer came due and its callback was queued.
	EventTimer
	// EventJump: the clock had nothing to wait for and jumped Dur ahead.
	EventJump
)

var kindNames = [...]string{
	EventCreate: "create", EventStep: "step", EventSuspend: "suspend",
	EventWake: "wake", EventCancel: "cancel", EventThrow: "throw",
	EventDone: "done", EventCallback: "callback", EventTimer: "timer",
	EventJump: "jump",
}

// String returns the kind's name as the text recording writes it.
func (k EventKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is one thing that happened on a loop. Tasks are named by their
// number on the loop, 1 for the first created, so that a recording does
// not depend on what else the process did.
type Event struct {
	// Seq numbers the loop's events from 1.
	Seq uint64
	// Time is the loop's time at the start of the iteration the event
	// happened in (what timers are compared with); Seq orders events
	// within it. Under a VirtualClock it is exact: time stands still
	// during an iteration. On the wall clock, while no timer is pending,
	// it is read every 64 iterations and whenever the loop wakes from
	// sleep, so it may lag by a few microseconds on a busy loop.
	Time time.Time
	// Kind says what happened.
	Kind EventKind
	// Eager marks a task created with an eager start.
	Eager bool
	// Task is the task concerned, 0 for none.
	Task uint64
	// By is the task that caused the event, 0 for none (loop code).
	By uint64
	// On is what a task suspended on: nil for a bare yield, "position"
	// for a suspension queued at a position (SleepInsert, Switch), else
	// the waitable itself (an Any for a task); see OnString.
	On any
	// Name is a created task's name, if it was given one.
	Name string
	// Err is a done task's error, or the error thrown into a task.
	Err error
	// Dur is how far the clock jumped.
	Dur time.Duration
}

// String renders the event as one line of a text recording: its number,
// its time relative to zero, its kind and its details, with nothing that
// changes from run to run for a program on a VirtualClock.
func (e Event) String() string { return e.Format(time.Time{}) }

// Format is String with times relative to start (the zero Time: none).
func (e Event) Format(start time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d ", e.Seq)
	if start.IsZero() {
		b.WriteString(e.Time.Format(time.RFC3339Nano))
	} else {
		b.WriteString("+" + e.Time.Sub(start).String())
	}
	b.WriteString(" " + e.Kind.String())
	if e.Task != 0 {
		b.WriteString(" t" + strconv.FormatUint(e.Task, 10))
	}
	switch e.Kind {
	case EventCreate:
		if e.Name != "" {
			b.WriteString(" " + strconv.Quote(e.Name))
		}
		if e.Eager {
			b.WriteString(" eager")
		}
	case EventSuspend:
		b.WriteString(" on " + e.OnString())
	case EventDone, EventThrow:
		if e.Err != nil {
			b.WriteString(" err=" + strconv.Quote(e.Err.Error()))
		}
	case EventJump:
		b.WriteString(" " + e.Dur.String())
	}
	if e.By != 0 {
		b.WriteString(" by t" + strconv.FormatUint(e.By, 10))
	}
	return b.String()
}

// OnString describes what a suspension waits on: "yield", "position",
// "task tN", "sleep", the kind of a primitive of package sync
// ("asyncsync.Lock"), or the waitable's type.
func (e Event) OnString() string {
	switch x := e.On.(type) {
	case nil:
		return "yield"
	case string:
		return x
	case Any:
		return "task t" + strconv.FormatUint(x.ID(), 10)
	case *sleep:
		return "sleep"
	case interface{ Kind() string }:
		if k := x.Kind(); k != "" {
			return k
		}
	}
	return fmt.Sprintf("%T", e.On)
}

// Recorder is told of every event of a loop, in order, on the loop's
// goroutine (see "Recording the schedule" in the package doc). The Event
// is the loop's own, valid only during the call: a recorder must not
// change it, and one that keeps it keeps a copy (*e). It must not call
// back into the loop. A recorder that panics is removed from the loop,
// and the panic goes to the exception handler.
type Recorder interface {
	// Record is told of one event.
	Record(e *Event)
}

type recorderOption struct{ r Recorder }

func (o recorderOption) applyLoop(l *Loop) { l.rec = o.r }

// WithRecorder makes the loop tell r of everything it does (nil: nothing,
// the default).
func WithRecorder(r Recorder) LoopOption { return recorderOption{r} }

// RecorderFunc makes a function a Recorder.
type RecorderFunc func(*Event)

// Record calls f(e).
func (f RecorderFunc) Record(e *Event) { f(e) }

// event starts the loop's next event, in place: the recorder is handed
// the loop's own Event, so that recording copies and allocates nothing.
// Callers check l.rec first, so that a loop without one pays a nil check.
func (l *Loop) event(kind EventKind, task uint32) *Event {
	e := &l.ev
	e.Seq++
	e.Kind, e.Task = kind, uint64(task)
	e.By, e.Eager, e.Dur = 0, false, 0
	// Pointer fields are written only when set: each write is a write
	// barrier while the collector runs.
	if e.On != nil {
		e.On = nil
	}
	if e.Err != nil {
		e.Err = nil
	}
	if e.Name != "" {
		e.Name = ""
	}
	return e
}

// emit hands the event to the recorder.
func (l *Loop) emit() {
	done := false
	defer func() {
		if !done { // recover only on the way out of a panic: it costs a runtime call
			l.recorderPanicked(recover())
		}
	}()
	l.rec.Record(&l.ev)
	done = true
}

// recorderPanicked removes a recorder that panicked with r and reports it.
func (l *Loop) recorderPanicked(r any) {
	l.rec = nil
	l.report(Exception{Message: "recorder panicked; removed", Err: iterco.Recovered(r)})
}

// record records an event of kind about task (0: none).
func (l *Loop) record(kind EventKind, task uint32) {
	l.event(kind, task)
	l.emit()
}

// recordStep records that a step of c starts, if the loop records. (It
// inlines: every step passes here, nearly always with nothing to do.)
func (l *Loop) recordStep(c *core) {
	if l.rec != nil || l.debug != nil {
		l.recordStepStart(c)
	}
}

func (l *Loop) recordStepStart(c *core) {
	if l.rec != nil {
		l.record(EventStep, c.id)
	}
	if l.debug != nil {
		l.debugStepStart(c)
	}
}

// recordTask records an event about c caused by the current task.
func (l *Loop) recordTask(kind EventKind, c *core, err error) {
	e := l.event(kind, c.id)
	e.By, e.Err = l.currentID(), err
	l.emit()
}

func (l *Loop) currentID() uint64 {
	if l.current == nil {
		return 0
	}
	return uint64(l.current.id)
}

// recordSuspend records that c's step ended suspended on v. (A method of
// the task's, not the loop's: one argument fewer for Suspending to make
// room for, on top of a parking task's stack.)
func (c *core) recordSuspend(v any) {
	l := c.loop
	e := l.event(EventSuspend, c.id)
	// Kept as it is: what it is is worked out only by a recorder that
	// asks (OnString), not on the loop's path.
	e.On = v
	if v == any(insertHere) {
		e.On = "position"
	}
	l.emit()
}
