package record

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/asynkit-go/asynkit/task"
)

// Chrome is a [task.Recorder] that writes the Chrome trace-event format (a
// JSON array): track 0 is the loop (callbacks, timers, clock jumps), track
// N is task N, named after it; each step is a slice, and a wake-up is an
// arrow from the step (or callback) that caused it to the woken task's
// next step. Times are microseconds from the first event; since a loop's
// events share the time of their iteration (and all of a virtual clock's
// stand still), each event is placed at least a microsecond after the one
// before, so that every step has a width and the order shows. Call Close
// once the loop is closed, to end the array. To record several loops in
// one trace, one after another, call NextLoop before each: each loop is a
// process of its own in the trace.
type Chrome struct {
	w       io.Writer
	pid     int
	started bool
	start   time.Time
	last    int64
	inCall  bool   // a callback slice is open on track 0
	ending  uint64 // a task done whose last slice is still open
	endArgs map[string]any
	open    map[uint64]bool // tasks with a step slice open
	flows   map[uint64]uint64
	flowID  uint64
	n       int // events written
	err     error
}

var _ task.Recorder = (*Chrome)(nil)

// NewChrome returns a Chrome recorder writing to w.
func NewChrome(w io.Writer) *Chrome {
	return &Chrome{w: w, pid: 1, open: map[uint64]bool{}, flows: map[uint64]uint64{}}
}

// NextLoop starts the recording of another loop, named name: what the
// previous one left open is closed, and its events go to a new process.
func (c *Chrome) NextLoop(name string) {
	if c.started || c.n > 0 {
		c.closeOpen()
		c.pid++
	}
	c.started, c.last = false, 0
	c.write(traceEvent{Name: "process_name", Ph: "M", Args: map[string]any{"name": name}})
	c.write(traceEvent{Name: "process_sort_index", Ph: "M", Args: map[string]any{"sort_index": c.pid}})
}

type traceEvent struct {
	Name  string         `json:"name"`
	Cat   string         `json:"cat,omitempty"`
	Ph    string         `json:"ph"`
	Ts    int64          `json:"ts"`
	Pid   int            `json:"pid"`
	Tid   uint64         `json:"tid"`
	ID    uint64         `json:"id,omitempty"`
	Bp    string         `json:"bp,omitempty"`
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// Record implements [task.Recorder].
func (c *Chrome) Record(e *task.Event) {
	if c.err != nil {
		return
	}
	if !c.started {
		c.started, c.start = true, e.Time
		c.write(traceEvent{Name: "thread_name", Ph: "M", Args: map[string]any{"name": "loop"}})
	}
	ts := max(e.Time.Sub(c.start).Microseconds(), c.last+1)
	c.last = ts
	if c.ending != 0 && !(e.Kind == task.EventWake && e.By == c.ending) {
		// A task's last step ends after the wake-ups its end causes.
		c.endStep(c.ending, ts, c.endArgs)
		c.ending, c.endArgs = 0, nil
	}
	switch e.Kind {
	case task.EventCallback, task.EventTimer, task.EventJump, task.EventStep:
		c.endCallback(ts)
	}
	switch e.Kind {
	case task.EventCreate:
		name := "t" + strconv.FormatUint(e.Task, 10)
		if e.Name != "" {
			name += " " + e.Name
		}
		c.write(traceEvent{Name: "thread_name", Ph: "M", Tid: e.Task, Args: map[string]any{"name": name}})
		c.write(traceEvent{Name: "thread_sort_index", Ph: "M", Tid: e.Task, Args: map[string]any{"sort_index": e.Task}})
		args := map[string]any{"task": name}
		if e.Eager {
			args["eager"] = true
		}
		c.write(traceEvent{Name: "create", Ph: "i", Scope: "t", Ts: ts, Tid: e.By, Args: args})
	case task.EventStep:
		c.write(traceEvent{Name: "step", Ph: "B", Ts: ts, Tid: e.Task})
		c.open[e.Task] = true
		if id, ok := c.flows[e.Task]; ok {
			delete(c.flows, e.Task)
			c.write(traceEvent{Name: "wake", Cat: "wake", Ph: "f", Bp: "e", Ts: ts, Tid: e.Task, ID: id})
		}
	case task.EventSuspend:
		c.endStep(e.Task, ts, map[string]any{"on": e.OnString()})
	case task.EventDone:
		args := map[string]any{"outcome": "ok"}
		if e.Err != nil {
			args["outcome"] = e.Err.Error()
		}
		c.ending, c.endArgs = e.Task, args
	case task.EventWake:
		c.flowID++
		c.flows[e.Task] = c.flowID
		c.write(traceEvent{Name: "wake", Cat: "wake", Ph: "s", Ts: ts, Tid: e.By, ID: c.flowID})
	case task.EventCancel, task.EventThrow:
		args := map[string]any{"by": e.By}
		if e.Err != nil {
			args["err"] = e.Err.Error()
		}
		c.write(traceEvent{Name: e.Kind.String(), Ph: "i", Scope: "t", Ts: ts, Tid: e.Task, Args: args})
	case task.EventCallback:
		c.write(traceEvent{Name: "callback", Ph: "B", Ts: ts})
		c.inCall = true
	case task.EventTimer:
		c.write(traceEvent{Name: "timer", Ph: "i", Scope: "t", Ts: ts})
	case task.EventJump:
		c.write(traceEvent{Name: "jump", Ph: "i", Scope: "g", Ts: ts, Args: map[string]any{"by": e.Dur.String()}})
	}
}

// closeOpen ends every slice still open.
func (c *Chrome) closeOpen() {
	c.last++
	c.endCallback(c.last)
	if c.ending != 0 {
		c.endStep(c.ending, c.last, c.endArgs)
		c.ending = 0
	}
	for _, t := range slices.Sorted(maps.Keys(c.open)) {
		c.endStep(t, c.last, nil)
	}
	clear(c.flows)
}

func (c *Chrome) endStep(t uint64, ts int64, args map[string]any) {
	if c.open[t] {
		delete(c.open, t)
		c.write(traceEvent{Name: "step", Ph: "E", Ts: ts, Tid: t, Args: args})
	}
}

func (c *Chrome) endCallback(ts int64) {
	if c.inCall {
		c.inCall = false
		c.write(traceEvent{Name: "callback", Ph: "E", Ts: ts})
	}
}

func (c *Chrome) write(ev traceEvent) {
	if c.err != nil {
		return
	}
	ev.Pid = c.pid
	b, err := json.Marshal(ev)
	if err != nil {
		c.err = err
		return
	}
	sep := ",\n"
	if c.n == 0 {
		sep = "[\n"
	}
	_, c.err = io.WriteString(c.w, sep+string(b))
	c.n++
}

// Close ends what is still open and the JSON array, and returns the first
// write error.
func (c *Chrome) Close() error {
	c.closeOpen()
	if c.err != nil {
		return c.err
	}
	if c.n == 0 {
		_, c.err = io.WriteString(c.w, "[")
	}
	if c.err == nil {
		_, c.err = io.WriteString(c.w, "\n]\n")
	}
	return c.err
}
