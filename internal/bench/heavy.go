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
			{"iter.Pull, 12 frames", ParkedPullFramesHeap(million)},
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
	return parkedPulls(n, func(yield func(int) bool) { yield(0) })
}

// ParkedPullFramesHeap is ParkedPullHeap with each coroutine parked under
// as many frames as a parked lazy task: six more functions between its
// function and its yield, each keeping a pointer for after it returns.
// It shows what the depth of a parked stack costs a collection, with
// none of a task's records.
//
// A collection unwinds every parked stack frame by frame and looks up,
// for each frame, two values in its function's tables (the frame's size
// and its map of pointers) at the frame's return address. The runtime
// keeps the last lookups in a cache of two sets of 8 entries, the set
// chosen by the return address (pcvalueCache, runtime/symtab.go): a
// million stacks alike decode those tables only when their lookups do
// not fit it. A bare coroutine's stack has 6 frames: the runtime's
// switch, the yield, the function, iter.Pull's body, the runtime's start
// and goexit. A parked lazy task's has 12: those five besides the
// function, and seven more: Suspend, Await, the task's function, its body
// and the generic body's wrapper (which tracebacks leave out), the
// scheduler's step and the worker's loop. Which set a lookup falls in
// depends on where the code lies, so two stacks of the same depth can
// cost differently: this is not a floor.
func ParkedPullFramesHeap(n int) func(*testing.B) {
	return parkedPulls(n, func(yield func(int) bool) { frame1(yield) })
}

// parkedPulls parks n iter.Pull coroutines of seq, each in its first
// yield, and reports the heap as ParkedHeap does.
func parkedPulls(n int, seq iter.Seq[int]) func(*testing.B) {
	return func(b *testing.B) {
		before := inUse()
		stops := make([]func(), n)
		for i := range stops {
			next, stop := iter.Pull(seq)
			next()
			stops[i] = stop
		}
		reportHeap(b, before)
		for _, stop := range stops {
			stop()
		}
	}
}

// frame1 to frame6 are the six frames ParkedPullFramesHeap adds: distinct
// functions, each with its own return address, each keeping its argument
// alive across its call, as a task's frames keep their records.

//go:noinline
func frame1(yield func(int) bool) { frame2(yield); runtime.KeepAlive(yield) }

//go:noinline
func frame2(yield func(int) bool) { frame3(yield); runtime.KeepAlive(yield) }

//go:noinline
func frame3(yield func(int) bool) { frame4(yield); runtime.KeepAlive(yield) }

//go:noinline
func frame4(yield func(int) bool) { frame5(yield); runtime.KeepAlive(yield) }

//go:noinline
func frame5(yield func(int) bool) { frame6(yield); runtime.KeepAlive(yield) }

//go:noinline
func frame6(yield func(int) bool) { yield(0); runtime.KeepAlive(yield) }

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
