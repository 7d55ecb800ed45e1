package task

import (
	"expvar"
	"sync/atomic"
)

// Stats are a loop's counters. The loop counts as it goes, at the cost of
// an increment, and publishes a copy every 64 iterations, before it
// sleeps and when it stops: [Loop.Stats] reads the latest copy, from any
// goroutine. (On a [VirtualClock], a jump to the next timer is not a
// sleep.)
type Stats struct {
	// Steps counts the task steps run.
	Steps uint64
	// HandOffs counts the steps of other tasks that a parking task ran
	// itself, from its own coroutine, instead of parking for the scheduler
	// to run them: two switches for such a step and the return to the
	// task that ran it, where a round through the scheduler takes four.
	HandOffs uint64
	// Switches counts the coroutine switches the steps made: two for a
	// step run on the task's own coroutine, into it and back out, whether
	// the scheduler or a hand-off ran it; none for a first step that runs
	// right on the scheduler's coroutine and ends there (a lazy task that
	// does not block), two if it parks instead (the coroutine stays the
	// task's, and the scheduler goes on on another); none for a step whose
	// suspension came back to the task before it parked.
	Switches uint64
	// Callbacks counts the callbacks run (timers' included).
	Callbacks uint64
	// Created, Done and Failed count the tasks created, finished, and
	// finished with an error that is not a cancellation.
	Created, Done, Failed uint64
	// Live is the number of tasks not done.
	Live int
	// Parked is the number of tasks suspended in the middle of their
	// function, each holding a coroutine.
	Parked int
	// Ready is the length of the ready queue, and ReadyMax the longest it
	// was as an iteration started.
	Ready, ReadyMax int
	// Timers is the number of timers pending.
	Timers int
	// InFlight is the number of task.Go functions running and of
	// Submissions of other loops awaited.
	InFlight int
	// Pooled is the number of idle coroutines kept for reuse.
	Pooled int
}

// counters are what the loop counts for Stats, on its goroutine.
type counters struct {
	steps, handOffs, switches uint64
	callbacks                 uint64
	done, failed              uint64
	bodies                    int // task functions started and not returned
	readyMax                  int
	pub                       publication
}

// publication is where the loop publishes its Stats for other goroutines
// without allocating: two copies, written in turn. The loop writes only
// the copy that is not current and that no reader is in; a reader counts
// itself in the current copy, checks that it is still current, and only
// then reads it. (Atomics are sequentially consistent: a reader that finds
// the copy current after counting itself in is seen by the loop's next
// check of that copy, and the loop's store of current orders its writes
// before the reader's reads.) When a slow reader still holds the copy
// the loop would write, the loop writes a new one: a publication is never
// skipped.
type publication struct {
	current atomic.Pointer[statsCopy]
	copies  [2]statsCopy
}

type statsCopy struct {
	readers atomic.Int32
	s       Stats
}

// Stats returns the loop's counters as of their latest publication (see
// [Stats]); it is safe from any goroutine, takes no lock and allocates
// nothing.
func (l *Loop) Stats() Stats {
	p := &l.count.pub
	for {
		c := p.current.Load()
		if c == nil {
			return Stats{}
		}
		c.readers.Add(1)
		if p.current.Load() == c {
			s := c.s
			c.readers.Add(-1)
			return s
		}
		c.readers.Add(-1) // the loop moved on meanwhile: read the new copy
	}
}

// publish makes a copy of the counters for Stats.
func (l *Loop) publish() {
	p := &l.count.pub
	cur := p.current.Load()
	var c *statsCopy
	for i := range p.copies {
		if x := &p.copies[i]; x != cur && x.readers.Load() == 0 {
			c = x
			break
		}
	}
	if c == nil {
		c = new(statsCopy)
	}
	k := &l.count
	c.s = Stats{
		Steps:     k.steps,
		HandOffs:  k.handOffs,
		Switches:  k.switches,
		Callbacks: k.callbacks,
		Created:   uint64(l.created),
		Done:      k.done,
		Failed:    k.failed,
		Live:      l.ntasks,
		Parked:    k.bodies,
		Ready:     l.queued(),
		ReadyMax:  k.readyMax,
		Timers:    len(l.timers),
		InFlight:  int(l.inflight.Load()),
		Pooled:    l.pool.Len(),
	}
	p.current.Store(c)
}

// PublishExpvar publishes the loop's Stats with package expvar under
// name, so that /debug/vars shows them. Like expvar.Publish it panics if
// name is taken.
func (l *Loop) PublishExpvar(name string) {
	expvar.Publish(name, expvar.Func(func() any { return l.Stats() }))
}
