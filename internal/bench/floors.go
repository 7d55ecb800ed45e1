package bench

import (
	"iter"
	"sync/atomic"
	"testing"
)

// The floors: what a case's asynkit kernel cannot avoid, written with raw
// iter.Pull coroutines and plain allocations. A floor makes the switches
// one op of the kernel makes, and allocates the records it allocates,
// sized as they are, with pointers in them as the collector sees them;
// it does none of a loop's bookkeeping. A case's floor runs as one more
// of its baselines, so the table shows asynkit's time over the floor (what
// the bookkeeping costs) and, beside each goal, the floor's ratio to the
// goal's baseline in the same rounds: the lowest the goal's ratio could
// read with no bookkeeping at all.
var floors = map[string]floor{
	"Create":         {Kernel: Kernel{"floor: 96 B", FloorTask}, switches: 0},
	"CreateBlocking": {Kernel: Kernel{"floor: 4 switches, 96 B", FloorBlockingTask}, switches: 4},
	"EagerStart":     {Kernel: Kernel{"floor: 2 switches, 160 B", FloorEagerStart}, switches: 2},
	"Handoff":        {Kernel: Kernel{"floor: 1 switch, 64 B", FloorHandoff(true)}, switches: 1},
	"HandoffReused":  {Kernel: Kernel{"floor: 1 switch", FloorHandoff(false)}, switches: 1},
	"Switch":         {Kernel: Kernel{"floor: 1 switch", FloorHandoff(false)}, switches: 1},
	"LockContended":  {Kernel: Kernel{"floor: 1 switch", FloorHandoff(false)}, switches: 1},
	"GroupChildren":  {Kernel: Kernel{"floor: 96 B", FloorTask}, switches: 0},
	// Two loops against one: the floor is the same work with no tasks on
	// two goroutines against one, how much the machine lets a second
	// goroutine gain while the case runs.
	"TwoLoops": {
		Kernel: Kernel{"floor: 2 goroutines", GoroutinesWork(2)},
		base:   &Kernel{"floor: 1 goroutine", GoroutinesWork(1)},
	},
}

// floor is a case's floor kernel and, for a goal whose baseline is
// asynkit too (TwoLoops), the floor of that baseline, which the floor's
// ratio is taken to instead.
type floor struct {
	Kernel
	base *Kernel
	// switches is how many coroutine switches one op of the floor makes:
	// as many as the case's asynkit kernel makes, by its loop's Stats (a
	// test holds the two together).
	switches int
}

// record96 is a record the size of a task, record64 one the size of a
// future: their fields are there for their size and their pointers.
type (
	record96 struct {
		_ [6]*record96
		_ [6]uint64
	}
	record64 struct {
		_ [4]*record64
		_ [4]uint64
	}
)

// kept holds the last records made, so that every one is a heap
// allocation.
var kept struct {
	r96 *record96
	r64 *record64
}

// parkForever is a coroutine that parks at once and again each time it
// is resumed: every resume is two switches, in and back out.
func parkForever(yield func(struct{}) bool) {
	for yield(struct{}{}) {
	}
}

// parked returns a coroutine of parkForever's, parked, and its stop.
func parked() (resume func() (struct{}, bool), stop func()) {
	resume, stop = iter.Pull(parkForever)
	resume()
	return resume, stop
}

// FloorTask is the floor of a task that finishes without blocking: its
// 96-byte record, kept until its batch is done, and no switch (the task
// runs on its scheduler's coroutine). One op is one record.
func FloorTask(b *testing.B) {
	b.ReportAllocs()
	live := make([]*record96, 0, batch)
	for n := b.N; n > 0; n -= batch {
		for range min(n, batch) {
			live = append(live, new(record96))
		}
		clear(live)
		live = live[:0]
	}
}

// FloorBlockingTask is the floor of a task that yields once: its record
// and four switches (in and out for each of its two steps) to a
// coroutine parked among a batch of them, whose stacks are as cold as
// parked tasks' are. The coroutines are made once and reused, as a loop's
// pool reuses its workers. One op is one task.
func FloorBlockingTask(b *testing.B) {
	b.ReportAllocs()
	resume := make([]func() (struct{}, bool), batch)
	for i := range resume {
		var stop func()
		resume[i], stop = parked()
		defer stop()
	}
	live := make([]*record96, 0, batch)
	b.ResetTimer()
	for n := b.N; n > 0; n -= batch {
		k := min(n, batch)
		for i := range k {
			live = append(live, new(record96))
			resume[i]()
		}
		for i := range k {
			resume[i]()
		}
		clear(live)
		live = live[:0]
	}
}

// FloorEagerStart is the floor of an eager start that finishes at once,
// its result in hand: the task's record and the future's, and two
// switches, into the task's coroutine and back. One op is one start.
func FloorEagerStart(b *testing.B) {
	b.ReportAllocs()
	resume, stop := parked()
	defer stop()
	b.ResetTimer()
	for range b.N {
		kept.r96 = new(record96)
		resume()
		kept.r64 = new(record64)
	}
}

// FloorHandoff returns the floor of a hand-off between two tasks: one
// switch, and withFuture the 64-byte future it goes through. One resume
// of a parked coroutine is two switches, so two ops.
func FloorHandoff(withFuture bool) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		resume, stop := parked()
		defer stop()
		b.ResetTimer()
		for range b.N / 2 {
			if withFuture {
				kept.r64 = new(record64)
				kept.r64 = new(record64)
			}
			resume()
		}
	}
}

// GoroutinesWork is TwoLoops' work with no tasks: each op is 1 µs of work
// in 4 slices, the ops shared among n goroutines.
func GoroutinesWork(n int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		splitOver(n, b.N, func(share int) {
			sink := 0
			for range share {
				for range 4 {
					sink += work(workIterations)
				}
			}
			workDone.Add(int64(sink))
		})
	}
}

// workDone keeps GoroutinesWork's work from being optimised away.
var workDone atomic.Int64
