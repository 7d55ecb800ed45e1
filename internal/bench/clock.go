package bench

import (
	"context"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// ClockCases compare the loop with a recorder and a virtual clock against
// the plain loop, and its timers against the runtime's.
var ClockCases = []Case{
	{
		Name: "Recorder", What: "a task created, 4 yields between two tasks (pure scheduling: the worst case), recorded and discarded",
		Ours:      Kernel{"recorded", recordedWork(true, 0)},
		Baselines: []Kernel{{"no recorder", recordedWork(false, 0)}},
	},
	{
		Name: "RecorderWork", What: "the same with about 220 ns of work in each step, recorded and discarded",
		Ours:      Kernel{"recorded", recordedWork(true, workIterations)},
		Baselines: []Kernel{{"no recorder", recordedWork(false, workIterations)}},
	},
	{
		Name: "VirtualSleeps", What: "one of 1,000,000 sleeps of 1 ms to 1 h on a virtual clock (1,000 tasks)",
		Ours: Kernel{"virtual clock", VirtualSleeps},
	},
	{
		Name: "FirstPark", What: "a fresh loop's first task that parks once: on a warm coroutine against a cold one",
		Ours:      Kernel{"WithWarmPool", FirstPark(true)},
		Baselines: []Kernel{{"cold", FirstPark(false)}},
	},
	{
		Name: "TimerArm", What: "a timer armed and cancelled on the wall clock",
		Ours:      Kernel{"Loop.CallLater", TimerArm},
		Baselines: []Kernel{{"time.AfterFunc", AfterFuncArm}},
	},
	{
		Name: "TimeoutBlock", What: "a Timeout block around a function that returns at once, on the wall clock",
		Ours:      Kernel{"task.Timeout", TimeoutBlock},
		Baselines: []Kernel{{"context.WithTimeout", ContextTimeout}},
	},
}

func init() { Cases = append(Cases, ClockCases...) }

// recordedWork runs a mix of what a loop records most: tasks created,
// yields and hand-offs between two tasks, each step doing iterations of
// work. One op is one task created and four yields.
func recordedWork(recorded bool, iterations int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		var opts []task.LoopOption
		if recorded {
			opts = append(opts, task.WithRecorder(task.RecorderFunc(func(*task.Event) {})))
		}
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			b.ResetTimer()
			for range b.N {
				t := task.Create(co, func(co *iterco.Co) (int, error) {
					sink += work(iterations)
					task.Yield(co)
					sink += work(iterations)
					return 0, task.Yield(co)
				})
				sink += work(iterations)
				task.Yield(co)
				sink += work(iterations)
				task.Yield(co)
				if _, err := future.Await[int](co, t); err != nil {
					return 0, err
				}
			}
			return 0, nil
		}, opts...)
		if err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(sink)
	}
}

// VirtualSleeps has 1,000 tasks sleep random lengths, from a millisecond
// to an hour, on a virtual clock. One op is one sleep.
func VirtualSleeps(b *testing.B) {
	b.ReportAllocs()
	const tasks = 1000
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		ts := make([]*task.Task[int], 0, tasks)
		per := (b.N + tasks - 1) / tasks
		for i := range tasks {
			rng := rand.New(rand.NewPCG(uint64(i), 0))
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				for range per {
					d := time.Millisecond + time.Duration(rng.Int64N(int64(time.Hour)))
					if err := task.Sleep(co, d); err != nil {
						return 0, err
					}
				}
				return 0, nil
			}))
		}
		for _, t := range ts {
			if _, err := future.Await[int](co, t); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}, task.WithClock(task.NewVirtualClock(time.Time{})))
	if err != nil {
		b.Fatal(err)
	}
}

// TimerArm arms a timer on a running loop and cancels it.
func TimerArm(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		l := task.LoopOf(co)
		b.ResetTimer()
		for range b.N {
			l.CallLater(time.Hour, nop0).Cancel()
		}
		return 0, nil
	})
}

// AfterFuncArm is TimerArm's baseline: time.AfterFunc and Stop.
func AfterFuncArm(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		time.AfterFunc(time.Hour, nop0).Stop()
	}
}

func nop0() {}

// TimeoutBlock runs a function that returns at once inside task.Timeout:
// the deadline armed, and disarmed when the block ends.
func TimeoutBlock(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		for range b.N {
			if _, err := task.Timeout(co, time.Hour, nop); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// ContextTimeout is TimeoutBlock's baseline: a context with a timeout,
// cancelled when the work is done, as Go code bounds a call.
func ContextTimeout(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		if ctx.Err() != nil {
			sink++
		}
		cancel()
	}
}

// sink keeps the benchmarks' work from being optimised away.
var sink int

// FirstPark times a task's first park on a fresh loop: on a coroutine the
// loop makes then (cold) against one made ready with WithWarmPool.
func FirstPark(warm bool) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		var opts []task.LoopOption
		if warm {
			opts = append(opts, task.WithWarmPool(2))
		}
		// Loops are made and closed in batches with the timer stopped:
		// stopping it costs more than what is timed.
		loops := make([]*task.Loop, 0, 256)
		for n := b.N; n > 0; n -= cap(loops) {
			b.StopTimer()
			loops = loops[:0]
			for range min(n, cap(loops)) {
				loops = append(loops, task.NewLoop(opts...))
			}
			b.StartTimer()
			for _, l := range loops {
				if _, err := task.RunUntilComplete(l, yieldOnce); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			for _, l := range loops {
				l.Close()
			}
			b.StartTimer()
		}
	}
}
