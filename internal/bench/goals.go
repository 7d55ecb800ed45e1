package bench

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Goal is what one of a case's figures must be: the ratio of asynkit's
// time to a baseline's at most Max, and asynkit's allocations and bytes
// per op at most MaxAllocs and MaxBytes (when their Has fields say so).
// A goal with a Metric and no Baseline bounds asynkit's own figure of
// that metric by Max (1M parked tasks: at most 3 GB).
type Goal struct {
	// Baseline names the kernel the ratio is to ("" for none: the
	// allocation goals, or a bound on Metric itself).
	Baseline string
	// Max bounds the ratio; 0 means no ratio goal.
	Max float64
	// MaxAllocs bounds allocs/op when HasAllocs.
	MaxAllocs int64
	HasAllocs bool
	// MaxBytes bounds B/op when not 0.
	MaxBytes int64
	// Metric, if set, names a b.ReportMetric unit that the ratio is taken
	// of instead of ns/op (for memory cases: "B/task").
	Metric string
}

// goals are the performance goals of the core, by case.
var goals = map[string][]Goal{
	"Create":         {{Baseline: "go+WaitGroup", Max: 0.25, MaxAllocs: 1, HasAllocs: true, MaxBytes: 96}},
	"CreateBlocking": {{Baseline: "go+WaitGroup", Max: 0.9}},
	"EagerStart":     {{Baseline: "go+WaitGroup", Max: 0.35}},
	"Handoff":        {{Baseline: "iter.Pull", Max: 1.3, HasAllocs: true}, {Baseline: "chan", Max: 0.5}},
	"HandoffReused":  {{Baseline: "iter.Pull", Max: 1.3, HasAllocs: true}, {Baseline: "chan", Max: 0.5}},
	"Switch":         {{Baseline: "iter.Pull", Max: 1.3}},
	"GroupChildren":  {{Baseline: "errgroup-style", Max: 0.5, MaxAllocs: 1, HasAllocs: true}},
	"ParkedMemory":   {{Baseline: "goroutine", Max: 1.25, Metric: "B/task"}},
	"LockContended":  {{Baseline: "sync.Mutex, alternating", Max: 0.5}},
	"TwoLoops":       {{Baseline: "1 loop", Max: 1 / 1.8}},
	"HotPairParked":  {{Baseline: "1k parked", Max: 2}},
	"ExploreRandom":  {{Baseline: "plain loop", Max: 2}},
	"ExplorePCT":     {{Baseline: "plain loop", Max: 2}},
}

// GoalCases are the cases that only the goals need.
var GoalCases = []Case{
	{
		Name: "GroupChildren", What: "a child of a group of 1,000 (WithGroup and Go), per child",
		Ours:      Kernel{"task.Group", GroupChildren},
		Baselines: []Kernel{{"errgroup-style", GroupGoroutines}},
	},
	{
		Name: "ParkedMemory", What: "memory in use per parked task, 100,000 parked (B/task)",
		Ours:      Kernel{"task", ParkedTasks(parkedCount(), false)},
		Baselines: []Kernel{{"goroutine", ParkedGoroutines(parkedCount(), false)}},
		Fresh:     true,
	},
	{
		Name: "ParkedDeep", What: "the same, each parking from a call that holds 256 bytes of frame (B/task)",
		Ours:      Kernel{"task", ParkedTasks(parkedCount(), true)},
		Baselines: []Kernel{{"goroutine", ParkedGoroutines(parkedCount(), true)}},
		Fresh:     true,
		Metric:    "B/task",
	},
}

func init() {
	Cases = append(Cases, GoalCases...)
	for i := range Cases {
		Cases[i].Goals = goals[Cases[i].Name]
		if f, ok := floors[Cases[i].Name]; ok {
			Cases[i].Baselines = append(Cases[i].Baselines, f.Kernel)
			Cases[i].Floor = f.Name
			if f.base != nil {
				Cases[i].Baselines = append(Cases[i].Baselines, *f.base)
				Cases[i].FloorBase = f.base.Name
			}
		}
	}
}

// GroupChildren starts children in groups of 1,000 with WithGroup and Go,
// each returning at once. One op is one child.
func GroupChildren(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		for n := b.N; n > 0; n -= batch {
			err := task.WithGroup(co, func(g *task.Group) error {
				for range min(n, batch) {
					g.Go(co, func(*iterco.Co) error { return nil })
				}
				return nil
			})
			if err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// GroupGoroutines is errgroup's pattern: a goroutine per child, a
// WaitGroup, and a Once for the first error. One op is one child.
func GroupGoroutines(b *testing.B) {
	b.ReportAllocs()
	for n := b.N; n > 0; n -= batch {
		var wg sync.WaitGroup
		var once sync.Once
		var first error
		for range min(n, batch) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := func() error { return nil }(); err != nil {
					once.Do(func() { first = err })
				}
			}()
		}
		wg.Wait()
		if first != nil {
			b.Fatal(first)
		}
	}
}

// MutexAlternating has two goroutines take a mutex strictly in turn, each
// waiting on a condition for its turn: every acquisition is a hand-off
// from the other goroutine, as LockContended's are. One op is one
// acquisition.
func MutexAlternating(b *testing.B) {
	b.ReportAllocs()
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	turn := 0
	var wg sync.WaitGroup
	n := b.N / 2
	for me := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				mu.Lock()
				for turn != me {
					cond.Wait()
				}
				turn = 1 - me
				cond.Signal()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// parkedCount is how many tasks the memory cases park: 100,000, or 2,000
// under the race detector.
func parkedCount() int {
	if raceEnabled {
		return 2_000
	}
	return 100_000
}

// ParkedTasks parks n tasks on a future, from awaitDeep if deep, and
// reports the heap and stack memory in use per task (B/task). Its time is
// not a figure: it measures at most 3 times, whatever b.N.
func ParkedTasks(n int, deep bool) func(*testing.B) {
	return func(b *testing.B) {
		for range min(b.N, 3) {
			before := inUse()
			withParkedTasks(b, n, deep, func(*iterco.Co) error {
				b.ReportMetric(float64(inUse()-before)/float64(n), "B/task")
				return nil
			})
		}
	}
}

// ParkedGoroutines parks n goroutines on a channel, from awaitDeep if
// deep, and reports the memory in use per goroutine (B/task), at most 3
// times.
func ParkedGoroutines(n int, deep bool) func(*testing.B) {
	return func(b *testing.B) {
		for range min(b.N, 3) {
			before := inUse()
			withParkedGoroutines(n, deep, func() {
				b.ReportMetric(float64(inUse()-before)/float64(n), "B/task")
			})
		}
	}
}

// withParkedTasks runs measure in a task of a loop where n tasks are
// parked on a future (from awaitDeep if deep), and lets them finish
// afterwards. Like the goroutines of withParkedGoroutines, the tasks
// share one function and are counted, not kept: what is measured is what
// a parked task costs.
func withParkedTasks(b *testing.B, n int, deep bool, measure func(co *iterco.Co) error) {
	runMain(b, func(co *iterco.Co) (int, error) {
		release := task.NewFuture[int](co)
		wait := func(co *iterco.Co) (int, error) { return release.Await(co) }
		if deep {
			wait = func(co *iterco.Co) (int, error) { return awaitDeep(co, release) }
		}
		for range n {
			task.Create(co, wait)
		}
		task.Yield(co) // every task parks
		if err := measure(co); err != nil {
			return 0, err
		}
		release.SetResult(1)
		// The tasks are queued in front of this one, which runs again once
		// they have finished.
		task.Yield(co)
		if left := len(task.All(task.LoopOf(co))); left != 1 {
			return 0, fmt.Errorf("%d parked tasks are left", left-1)
		}
		return 0, nil
	})
}

// withParkedGoroutines runs measure while n goroutines are parked on a
// channel (from awaitDeep if deep), and lets them finish afterwards.
func withParkedGoroutines(n int, deep bool, measure func()) {
	release := make(chanAwaitable)
	var parked, done sync.WaitGroup
	parked.Add(n)
	done.Add(n)
	for range n {
		if deep {
			go func() {
				parked.Done()
				awaitDeep(nil, release)
				done.Done()
			}()
			continue
		}
		go func() {
			parked.Done()
			<-release
			done.Done()
		}()
	}
	parked.Wait()
	measure()
	close(release)
	done.Wait()
}

// awaitDeep awaits a from a call that holds 256 bytes of frame of its
// own, as code a few calls deep does: what a parked task's stack holds
// besides the loop's frames.
//
//go:noinline
func awaitDeep(co *iterco.Co, a future.Awaitable[int]) (int, error) {
	var scratch [256]byte
	scratch[deepIndex] = 1
	v, err := a.Await(co)
	return v + int(scratch[deepIndex+1]), err
}

// deepIndex is a variable, so that awaitDeep's scratch stays in its frame.
var deepIndex = 1

// chanAwaitable is a channel a goroutine awaits as a task awaits a
// future.
type chanAwaitable chan struct{}

func (c chanAwaitable) Await(*iterco.Co) (int, error) {
	<-c
	return 1, nil
}

// inUse is the memory in use after a full collection: heap and stacks.
func inUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc + m.StackInuse)
}
