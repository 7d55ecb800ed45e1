package bench

import (
	"context"
	"io"
	"runtime/trace"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// ObserveCases measure what seeing a loop costs: tracing, profiler
// labels, debug mode, against the same work on a plain loop.
var ObserveCases = []Case{
	{
		Name: "TraceOff", What: "a task created that yields once, on a loop WithTrace while no trace is taken",
		Ours:      Kernel{"WithTrace", observed(false, task.WithTrace())},
		Baselines: []Kernel{{"plain loop", observed(false)}},
	},
	{
		Name: "TraceOn", What: "the same while runtime/trace takes a trace (to io.Discard)",
		Ours:      Kernel{"WithTrace", observed(true, task.WithTrace())},
		Baselines: []Kernel{{"plain loop, tracing", observed(true)}},
	},
	{
		Name: "TraceSteps", What: "a step of one of two tasks that yield to each other, on a loop WithTrace, while a trace is taken",
		Ours:      Kernel{"WithTrace", stepped(true, task.WithTrace())},
		Baselines: []Kernel{{"plain loop, tracing", stepped(true)}},
	},
	{
		Name: "ProfileLabelSteps", What: "the same on a loop WithProfileLabels, no trace taken",
		Ours:      Kernel{"WithProfileLabels", stepped(false, task.WithProfileLabels())},
		Baselines: []Kernel{{"plain loop", stepped(false)}},
	},
	{
		Name: "ProfileLabels", What: "the same on a loop WithProfileLabels",
		Ours:      Kernel{"WithProfileLabels", observed(false, task.WithProfileLabels())},
		Baselines: []Kernel{{"plain loop", observed(false)}},
	},
	{
		Name: "DebugMode", What: "the same on a loop in debug mode",
		Ours:      Kernel{"WithDebug", observed(false, task.WithDebug(task.DebugOptions{}))},
		Baselines: []Kernel{{"plain loop", observed(false)}},
	},
}

func init() { Cases = append(Cases, ObserveCases...) }

// stepped runs two tasks that yield to each other on a loop made with
// opts, with a trace being taken if tracing. One op is one step.
func stepped(tracing bool, opts ...task.LoopOption) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		if tracing {
			defer startTrace(b)()
		}
		yieldPair(b, opts...)
	}
}

// startTrace starts taking a trace to io.Discard and returns what stops
// it; it skips b if a trace is being taken already.
func startTrace(b *testing.B) (stop func()) {
	if trace.IsEnabled() {
		b.Skip("a trace is being taken already")
	}
	if err := trace.Start(io.Discard); err != nil {
		b.Fatal(err)
	}
	return trace.Stop
}

// observed creates tasks that yield once, 1,000 at a time, and awaits
// each, on a loop made with opts, with a trace being taken if tracing.
// One op is one task.
func observed(tracing bool, opts ...task.LoopOption) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		if tracing {
			defer startTrace(b)()
		}
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			b.ResetTimer()
			tasks := make([]*task.Task[int], 0, batch)
			for n := b.N; n > 0; n -= batch {
				tasks = tasks[:0]
				for range min(n, batch) {
					tasks = append(tasks, task.Create(co, yieldOnce))
				}
				for _, t := range tasks {
					if _, err := future.Await[int](co, t); err != nil {
						return 0, err
					}
				}
			}
			return 0, nil
		}, opts...)
		if err != nil {
			b.Fatal(err)
		}
	}
}
