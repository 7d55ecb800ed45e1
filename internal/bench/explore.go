package bench

import (
	"context"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
	"github.com/asynkit-go/asynkit/tasktest"
)

// ExploreCases compare a run of a program under tasktest.Check with a run
// of it on a plain loop.
var ExploreCases = []Case{
	{
		Name: "ExploreRandom", What: "one run of 10 tasks of 10 steps, under Check's Random strategy (trace recorded)",
		Ours:      Kernel{"tasktest.Random", explored(func(int) tasktest.Option { return tasktest.Random() })},
		Baselines: []Kernel{{"plain loop", plainProgram}},
	},
	{
		Name: "ExplorePCT", What: "the same under PCT(3)",
		Ours:      Kernel{"tasktest.PCT(3)", explored(func(int) tasktest.Option { return tasktest.PCT(3) })},
		Baselines: []Kernel{{"plain loop", plainProgram}},
	},
	{
		Name: "ExploreExhaustive", What: "the same under Exhaustive, one schedule a run",
		Ours:      Kernel{"tasktest.Exhaustive", explored(tasktest.Exhaustive)},
		Baselines: []Kernel{{"plain loop", plainProgram}},
	},
}

func init() { Cases = append(Cases, ExploreCases...) }

// tenByTen is 10 tasks of 10 steps each, awaited by the body.
func tenByTen(co *iterco.Co) error {
	tasks := make([]future.Awaitable[int], 10)
	for i := range tasks {
		tasks[i] = task.Create(co, func(co *iterco.Co) (int, error) {
			for range 9 {
				if err := task.Yield(co); err != nil {
					return 0, err
				}
			}
			return i, nil
		})
	}
	_, err := task.Gather(co, tasks...)
	return err
}

func plainProgram(b *testing.B) {
	b.ReportAllocs()
	clock := task.WithClock(task.NewVirtualClock(task.VirtualEpoch))
	for range b.N {
		if _, err := task.Run(context.Background(), func(co *iterco.Co) (struct{}, error) {
			return struct{}{}, tenByTen(co)
		}, clock); err != nil {
			b.Fatal(err)
		}
	}
}

func explored(strategy func(n int) tasktest.Option) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		tasktest.Check(quietB{b}, tenByTen, strategy(b.N), tasktest.Runs(b.N))
	}
}

// quietB keeps Exhaustive's log line out of the bench's output.
type quietB struct{ *testing.B }

func (quietB) Logf(string, ...any) {}
