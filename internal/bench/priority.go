package bench

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	"github.com/asynkit-go/asynkit/task"
)

// PriorityCases compare the priority package with the plain loop and
// sync.Lock.
var PriorityCases = []Case{
	{
		Name: "PriorityLoop", What: "one yield of one of 1,000 runnable tasks of random priorities: priority loop against the FIFO loop",
		Ours:      Kernel{"priority", priorityYields(true)},
		Baselines: []Kernel{{"fifo", priorityYields(false)}},
	},
	{
		Name: "PriorityQueueOps", What: "a handle popped and queued again: 100,000 queued against 10 (O(log n))",
		Ours:      Kernel{"100000 queued", queueCycle(100_000)},
		Baselines: []Kernel{{"1000 queued", queueCycle(1000)}, {"10 queued", queueCycle(10)}},
	},
	{
		Name: "PriorityFix", What: "a queued task's priority changed: 100,000 queued against 10 (O(log n))",
		Ours:      Kernel{"100000 queued", priorityFix(100_000)},
		Baselines: []Kernel{{"10 queued", priorityFix(10)}},
	},
	{
		Name: "PriorityLockUncontended", What: "an Acquire and Release of a free lock",
		Ours:      Kernel{"priority.Lock", priorityLockUncontended},
		Baselines: []Kernel{{"asyncsync.Lock", LockUncontended}},
	},
	{
		Name: "InheritanceChain", What: "the effective priority at the end of a chain of 3 locks, beside 1,000 unrelated waiting tasks against 10 (O(chain))",
		Ours:      Kernel{"1000 others", chainEffective(1000)},
		Baselines: []Kernel{{"10 others", chainEffective(10)}},
	},
}

func init() { Cases = append(Cases, PriorityCases...) }

// priorityYields runs 1,000 tasks of random priorities that yield until
// b.N yields are done. One op is one yield.
func priorityYields(prio bool) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		var opts []task.LoopOption
		if prio {
			opts = append(opts, task.WithQueue(priority.NewQueue()))
		}
		const tasks = 1000
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			rng := rand.New(rand.NewPCG(1, 2))
			per := (b.N + tasks - 1) / tasks
			ts := make([]*task.Task[int], tasks)
			for i := range ts {
				ts[i] = task.Create(co, func(co *iterco.Co) (int, error) {
					for range per {
						if err := task.Yield(co); err != nil {
							return 0, err
						}
					}
					return 0, nil
				}, priority.Of(rng.IntN(21)-10))
			}
			b.ResetTimer()
			_, err := task.GatherOf(co, ts)
			return 0, err
		}, opts...)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// queuedTasksOn makes n tasks of random priorities queued on l, which
// does not run.
func queuedTasksOn(l *task.Loop, n int) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range n {
		task.Spawn(l, nop, priority.Of(rng.IntN(21)-10))
	}
}

// queueCycle pops the next handle of a priority queue holding n and
// queues it again. One op is one pop and one push.
func queueCycle(n int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		l := priority.NewLoop()
		defer l.Close()
		queuedTasksOn(l, n)
		q := l.Queue()
		b.ResetTimer()
		for range b.N {
			q.PushBack(q.PopFront())
		}
	}
}

// priorityFix changes the priority of a queued task among n. One op is
// one change.
func priorityFix(n int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		l := priority.NewLoop()
		defer l.Close()
		queuedTasksOn(l, n)
		t := task.Spawn(l, nop)
		b.ResetTimer()
		for i := range b.N {
			priority.Set(t, i%21-10)
		}
	}
}

func priorityLockUncontended(b *testing.B) { lockUncontended(b, new(priority.Lock)) }

// chainEffective builds a chain of three locks (t0 waits for a lock t1
// holds, t1 for one t2 holds, t2 for one t3 holds) beside others tasks
// waiting on an unrelated lock, and asks t3's effective priority.
func chainEffective(others int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		runMain(b, func(co *iterco.Co) (int, error) {
			locks := make([]*priority.Lock, 3)
			for i := range locks {
				locks[i] = new(priority.Lock)
			}
			var unrelated priority.Lock
			if err := unrelated.Acquire(co); err != nil {
				return 0, err
			}
			gate := future.New[int](task.LoopOf(co))
			stop := future.New[int](task.LoopOf(co)) // the end holds on until then
			var ts []*task.Task[int]
			hold := func(mine, next *priority.Lock, p int) {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
					if mine != nil {
						mine.Acquire(co)
						defer mine.Release(co)
					}
					wait := gate
					if next == nil {
						wait = stop
					}
					if _, err := wait.Await(co); err != nil {
						return 0, err
					}
					if next != nil {
						next.Acquire(co)
						next.Release(co)
					}
					return 0, nil
				}, priority.Of(p)))
				task.Yield(co)
			}
			hold(locks[2], nil, 0)
			hold(locks[1], locks[2], 0)
			hold(locks[0], locks[1], 0)
			hold(nil, locks[0], priority.High)
			end := ts[0]
			for range others {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
					if err := unrelated.Acquire(co); err != nil {
						return 0, err
					}
					return 0, unrelated.Release(co)
				}))
			}
			gate.SetResult(0)
			task.Yield(co)
			task.Yield(co)
			if priority.Effective(end) != priority.High {
				b.Fatal("the chain did not form")
			}
			b.ResetTimer()
			for range b.N {
				sink += priority.Effective(end)
			}
			b.StopTimer()
			stop.SetResult(0)
			unrelated.Release(co)
			_, _, err := task.GatherAll[int](co, asAwaitables(ts)...)
			return 0, err
		})
	}
}

func asAwaitables(ts []*task.Task[int]) []future.Awaitable[int] {
	as := make([]future.Awaitable[int], len(ts))
	for i, t := range ts {
		as[i] = t
	}
	return as
}
