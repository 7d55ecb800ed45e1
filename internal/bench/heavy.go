package bench

import (
	"iter"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/asynkit-go/asynkit/iterco"
)

// HeavyCases take gigabytes or minutes: a million parked tasks. The bench
// command runs them when asked (-heavy); the tests run their kernels on a
// few thousand tasks.
var HeavyCases = []Case{
	{
		Name: "MillionParked", What: "1,000,000 tasks parked on a future: memory in use (GB) and a full collection (s)",
		Ours: Kernel{"task", ParkedHeap(million)},
		Baselines: []Kernel{
			{"goroutine", ParkedGoroutineHeap(million)},
			{"floor: iter.Pull", ParkedPullHeap(million)},
		},
		Goals: []Goal{{Metric: "GB", Max: 3}, {Metric: "GC-s", Max: 1.5}},
		Fresh: true,
	},
	{
		Name: "HotPairParked", What: "a hand-off between two tasks while 1,000,000 others are parked, against 1,000",
		Ours:      Kernel{"1M parked", HotPair(million)},
		Baselines: []Kernel{{"1k parked", HotPair(1_000)}},
		Goals:     goals["HotPairParked"],
	},
}

const million = 1_000_000

// ParkedHeap parks n tasks on one future and reports the memory in use
// with them parked (GB, heap and stacks after a collection) and how long
// a full collection takes then (GC-s). It measures once, whatever b.N.
func ParkedHeap(n int) func(*testing.B) {
	return func(b *testing.B) {
		before := inUse()
		withParkedTasks(b, n, false, func(*iterco.Co) error {
			reportHeap(b, before)
			return nil
		})
	}
}

// ParkedGoroutineHeap is ParkedHeap for goroutines parked on a channel.
func ParkedGoroutineHeap(n int) func(*testing.B) {
	return func(b *testing.B) {
		before := inUse()
		withParkedGoroutines(n, false, func() { reportHeap(b, before) })
	}
}

// ParkedPullHeap is ParkedHeap for raw iter.Pull coroutines, each parked
// in its function's yield as a task parks in its coroutine, with nothing
// else: the floor of MillionParked, what any loop built on iter.Pull
// pays for its parked coroutines (their goroutines, iter.Pull's records
// and the runtime's).
func ParkedPullHeap(n int) func(*testing.B) {
	return func(b *testing.B) {
		before := inUse()
		stops := make([]func(), n)
		for i := range stops {
			next, stop := iter.Pull(func(yield func(int) bool) { yield(0) })
			next()
			stops[i] = stop
		}
		reportHeap(b, before)
		for _, stop := range stops {
			stop()
		}
	}
}

// reportHeap reports the memory in use since before, in GB, and the time
// of a full collection, in seconds: the median of three, as other work on
// the machine lengthens some.
func reportHeap(b *testing.B, before int64) {
	var gc [3]time.Duration
	for i := range gc {
		start := time.Now()
		runtime.GC()
		gc[i] = time.Since(start)
	}
	slices.Sort(gc[:])
	b.ReportMetric(float64(inUse()-before)/1e9, "GB")
	b.ReportMetric(gc[1].Seconds(), "GC-s")
}

// HotPair hands off between two tasks through new futures, as
// HandoffTask does, while n other tasks are parked on a future: what a
// large population of parked tasks costs the hot path (the collector
// scans them). One op is one hand-off.
func HotPair(n int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		withParkedTasks(b, n, false, func(co *iterco.Co) error {
			runtime.GC()
			return pingPong(co, b, false)
		})
	}
}
