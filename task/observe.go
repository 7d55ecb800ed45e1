package task

import (
	"context"
	"runtime/pprof"
	"runtime/trace"

	"github.com/asynkit-go/asynkit/internal/coro"
)

type traceOption struct{}

func (traceOption) applyLoop(l *Loop) { l.tracing = true }

// WithTrace makes the loop show its tasks in runtime/trace's execution
// traces (go tool trace): each task created while a trace is being taken
// is a trace task named after the task, nested in its creator's, and each
// of its steps is a region "step" of it. A task's Context carries its
// trace task, so that trace.WithRegion and trace.Log in the task's code
// belong to it. While no trace is being taken it costs a check per task
// created; see cmd/asynkit bench -run Trace for the cost while one is.
func WithTrace() LoopOption { return traceOption{} }

type profileOption struct{}

func (profileOption) applyLoop(l *Loop) { l.labelling = true }

// WithProfileLabels makes the goroutine that runs each task's code carry
// the task's profiler labels, so that a CPU profile (runtime/pprof) splits
// by task: the label "task" with the task's name, and the labels of the
// task's Context (see [Labels]), inherited from its creator. Labels a task
// sets with pprof.Do or pprof.SetGoroutineLabels stay with it across its
// suspensions, since each task's code runs on a goroutine of its own. It
// costs a context and a label set per task created.
func WithProfileLabels() LoopOption { return profileOption{} }

type labelsOption []string

func (o labelsOption) applyTask(c *core) {
	x := c.extra()
	x.labels = append(x.labels, o...)
}

// Labels gives the new task profiler labels, as key-value pairs: they are
// in its Context (pprof.Label reads them), tasks it creates inherit them,
// and, on a loop made WithProfileLabels, its code runs under them. It
// panics on an odd number of strings.
func Labels(kv ...string) Option {
	if len(kv)%2 != 0 {
		panic("task.Labels: odd number of strings")
	}
	return labelsOption(kv)
}

// observe makes a new task a trace task, if a trace is being taken.
func (l *Loop) observe(c *core) {
	if !trace.IsEnabled() {
		return
	}
	x := c.extra()
	x.ctx, x.trace = trace.NewTask(c.context(), c.self().Name())
	// Its coroutine, when it gets one, tells it as each suspension ends
	// (see takeCo).
}

// bodyStarts runs on the task's coroutine as its function starts: it
// labels the goroutine and opens the first step's region.
func (c *core) bodyStarts() {
	l := c.loop
	if l.labelling {
		pprof.SetGoroutineLabels(pprof.WithLabels(c.labelBase(), pprof.Labels("task", c.self().Name())))
	}
	if x := c.x; x != nil && x.trace != nil {
		x.region = trace.StartRegion(x.ctx, "step")
	}
}

// labelBase is the context whose labels the task's goroutine carries: its
// own context if it has one, or else its creator's, with its Labels, made
// without the cancellable context the task would need for Context.
func (c *core) labelBase() context.Context {
	x := c.x
	if x != nil && x.ctx != nil {
		return x.ctx
	}
	ctx := context.Background()
	if b := c.baseContext(); b != nil {
		ctx = b
	}
	if x != nil && len(x.labels) > 0 {
		ctx = pprof.WithLabels(ctx, pprof.Labels(x.labels...))
	}
	return ctx
}

// bodyEnds runs on the task's coroutine as its function returns.
func (c *core) bodyEnds() {
	l := c.loop
	if l.tracing {
		c.endRegion()
	}
	if l.labelling {
		pprof.SetGoroutineLabels(context.Background())
	}
}

// Resumed implements coro.Resumer: a traced task's step starts.
func (r *runner) Resumed(*coro.Co) {
	r.x.region = trace.StartRegion(r.x.ctx, "step")
}

func (c *core) endRegion() {
	if x := c.x; x != nil && x.region != nil {
		x.region.End()
		x.region = nil
	}
}
