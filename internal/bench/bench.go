package bench

import (
	"context"
	"iter"
	"runtime"
	"sync"
	"testing"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// Kernel is one side of a comparison.
type Kernel struct {
	Name string
	F    func(b *testing.B)
}

// Case is an asynkit kernel and its baselines.
type Case struct {
	Name      string
	What      string // what one op is
	Ours      Kernel
	Baselines []Kernel
	Goals     []Goal
}

// Cases are the comparisons of the core: task creation, hand-offs, and
// awaiting done futures.
var Cases = []Case{
	{
		Name: "Create", What: "a task created, run and completed without blocking",
		Ours:      Kernel{"task", CreateTask},
		Baselines: []Kernel{{"go+WaitGroup", CreateGo}},
	},
	{
		Name: "CreateBlocking", What: "a task that yields once before it completes",
		Ours:      Kernel{"task", CreateBlockingTask},
		Baselines: []Kernel{{"go+WaitGroup", CreateBlockingGo}},
	},
	{
		Name: "Handoff", What: "one hand-off between two tasks through a new Future",
		Ours:      Kernel{"task", HandoffTask},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}, {"chan", HandoffChan}},
	},
	{
		Name: "Yield", What: "one hand-off between two tasks through the ready queue",
		Ours:      Kernel{"task", YieldTask},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}, {"chan", HandoffChan}},
	},
	{
		Name: "AwaitDone", What: "an Await of a future that is already done",
		Ours: Kernel{"future", AwaitDone},
	},
	{
		Name: "Gather", What: "one of 1000 tasks gathered: created, run, result collected",
		Ours:      Kernel{"task.Gather", GatherTasks},
		Baselines: []Kernel{{"errgroup-style", GatherGoroutines}},
	},
	{
		Name: "TwoLoops", What: "a task doing 1µs of work in 4 slices: two loops on two goroutines against one loop",
		Ours:      Kernel{"2 loops", LoopsWork(2)},
		Baselines: []Kernel{{"1 loop", LoopsWork(1)}},
	},
	{
		Name: "EagerStart", What: "an eager start that finishes without blocking, its result in hand",
		Ours:      Kernel{"eager.Start", EagerStartSync},
		Baselines: []Kernel{{"go+WaitGroup", GoAndWait}, {"lazy task", LazyStartSync}},
	},
	{
		Name: "FirstSuspension", What: "from starting a task until it first blocks",
		Ours:      Kernel{"eager", FirstSuspension(true)},
		Baselines: []Kernel{{"lazy", FirstSuspension(false)}},
	},
	{
		Name: "EagerFactory", What: "a task that finishes at once, with the eager task factory",
		Ours:      Kernel{"eager factory", createWithFactory(true, nop)},
		Baselines: []Kernel{{"lazy", createWithFactory(false, nop)}},
	},
	{
		Name: "EagerFactoryBlocking", What: "a task that yields once, with the eager task factory",
		Ours:      Kernel{"eager factory", createWithFactory(true, yieldOnce)},
		Baselines: []Kernel{{"lazy", createWithFactory(false, yieldOnce)}},
	},
	{
		Name: "LockUncontended", What: "an Acquire and Release of a free lock",
		Ours:      Kernel{"asyncsync.Lock", LockUncontended},
		Baselines: []Kernel{{"sync.Mutex", MutexUncontended}},
	},
	{
		Name: "LockContended", What: "one lock hand-off between two tasks that both want it",
		Ours:      Kernel{"asyncsync.Lock", LockContended},
		Baselines: []Kernel{{"sync.Mutex", MutexContended}},
	},
	{
		Name: "QueueTransfer", What: "one item through a bounded queue (64) from one task to another",
		Ours:      Kernel{"asyncsync.Queue", QueueTransfer},
		Baselines: []Kernel{{"chan", ChanTransfer}},
	},
	{
		Name: "Switch", What: "one task.Switch from one task to another",
		Ours:      Kernel{"task", SwitchTask},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}},
	},
	{
		Name: "Reinsert", What: "moving a queued task to the front: 10,000 queued against 10",
		Ours:      Kernel{"10000 queued", ReinsertAmong(10000)},
		Baselines: []Kernel{{"10 queued", ReinsertAmong(10)}},
	},
	{
		Name: "IsRunnable", What: "asking whether a queued task is runnable: 10,000 queued against 10",
		Ours:      Kernel{"10000 queued", IsRunnableAmong(10000)},
		Baselines: []Kernel{{"10 queued", IsRunnableAmong(10)}},
	},
}

// Run runs c's kernels as sub-benchmarks of b.
func Run(b *testing.B, c Case) {
	b.Run(c.Ours.Name, c.Ours.F)
	for _, k := range c.Baselines {
		b.Run(k.Name, k.F)
	}
}

// Find returns the case named name.
func Find(name string) Case {
	for _, c := range Cases {
		if c.Name == name {
			return c
		}
	}
	panic("bench: no case " + name)
}

const batch = 1000

// CreateTask creates tasks in batches of a thousand from a main task and
// awaits the last of each batch. One op is one task.
func CreateTask(b *testing.B) { createTasks(b, nop) }

// CreateBlockingTask is CreateTask for tasks that yield once, so each needs
// a coroutine of its own while it is parked.
func CreateBlockingTask(b *testing.B) { createTasks(b, yieldOnce) }

func createTasks(b *testing.B, fn iterco.Func[int]) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		for n := b.N; n > 0; n -= batch {
			var last *task.Task[int]
			for range min(n, batch) {
				last = task.Create(co, fn)
			}
			if _, err := future.Await[int](co, last); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// CreateGo is the baseline of CreateTask: goroutines and a WaitGroup.
func CreateGo(b *testing.B) { createGoroutines(b, func() {}) }

// CreateBlockingGo is the baseline of CreateBlockingTask: goroutines that
// yield the processor once.
func CreateBlockingGo(b *testing.B) { createGoroutines(b, runtime.Gosched) }

func createGoroutines(b *testing.B, fn func()) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	for n := b.N; n > 0; n -= batch {
		k := min(n, batch)
		wg.Add(k)
		for range k {
			go func() {
				fn()
				wg.Done()
			}()
		}
		wg.Wait()
	}
}

// HandoffTask passes control between two tasks and back through futures,
// a new future for each hand-off. One op is one hand-off.
func HandoffTask(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		l := task.LoopOf(co)
		toPong := future.New[int](l)
		var toPing *future.Future[int]
		n := b.N / 2
		pong := task.Create(co, func(co *iterco.Co) (int, error) {
			for range n {
				if _, err := toPong.Await(co); err != nil {
					return 0, err
				}
				toPong = future.New[int](l)
				toPing.SetResult(0)
			}
			return 0, nil
		})
		task.Yield(co)
		b.ResetTimer()
		for range n {
			toPing = future.New[int](l)
			toPong.SetResult(0)
			if _, err := toPing.Await(co); err != nil {
				return 0, err
			}
		}
		return future.Await[int](co, pong)
	})
}

// YieldTask passes control between two tasks through the ready queue
// alone. One op is one hand-off.
func YieldTask(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		n := b.N / 2
		other := task.Create(co, func(co *iterco.Co) (int, error) {
			for range n {
				task.Yield(co)
			}
			return 0, nil
		})
		b.ResetTimer()
		for range n {
			task.Yield(co)
		}
		return future.Await[int](co, other)
	})
}

// SwitchTask has two tasks switch to each other with task.Switch. One op is
// one switch.
func SwitchTask(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		n := b.N / 2
		var a *task.Task[int]
		other := task.Create(co, func(co *iterco.Co) (int, error) {
			for range n {
				if err := task.Switch(co, a); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
		a = task.Current(co).(*task.Task[int])
		b.ResetTimer()
		for range n {
			if err := task.Switch(co, other); err != nil {
				return 0, err
			}
		}
		return future.Await[int](co, other)
	})
}

// ReinsertAmong moves queued tasks to the front of a queue of n tasks, one
// after another. One op is one Reinsert.
func ReinsertAmong(n int) func(*testing.B) {
	return queuedTasks(n, func(t task.Any) error { return task.Reinsert(t, 0) })
}

// IsRunnableAmong asks IsRunnable of tasks in a queue of n. One op is one
// call.
func IsRunnableAmong(n int) func(*testing.B) {
	return queuedTasks(n, func(t task.Any) error {
		if !task.IsRunnable(t) {
			return task.ErrNotScheduled
		}
		return nil
	})
}

func queuedTasks(n int, op func(task.Any) error) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		runMain(b, func(co *iterco.Co) (int, error) {
			ts := make([]task.Any, n)
			for i := range ts {
				ts[i] = task.Create(co, nop)
			}
			b.ResetTimer()
			for i := range b.N {
				if err := op(ts[i%n]); err != nil {
					return 0, err
				}
			}
			b.StopTimer()
			return 0, nil
		})
	}
}

// GatherTasks gathers tasks in batches of a thousand. One op is one task.
func GatherTasks(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		as := make([]future.Awaitable[int], 0, batch)
		b.ResetTimer()
		for n := b.N; n > 0; n -= batch {
			as = as[:0]
			for range min(n, batch) {
				as = append(as, task.Create(co, nop))
			}
			if _, err := task.Gather(co, as...); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// GatherGoroutines is Gather's baseline, built as errgroup is: goroutines,
// a WaitGroup, the first error kept under a sync.Once, and results written
// to a slice. One op is one goroutine.
func GatherGoroutines(b *testing.B) {
	b.ReportAllocs()
	results := make([]int, batch)
	for n := b.N; n > 0; n -= batch {
		var wg sync.WaitGroup
		var once sync.Once
		var first error
		for i := range min(n, batch) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := 1, error(nil)
				if err != nil {
					once.Do(func() { first = err })
				}
				results[i] = v
			}()
		}
		wg.Wait()
		if first != nil {
			b.Fatal(first)
		}
	}
}

// work burns about d of CPU in a way the compiler cannot drop.
func work(iterations int) int {
	x := 1
	for i := range iterations {
		x = x*31 + i
	}
	return x
}

// workIterations is about 220 ns of work on the machines this runs
// on; what matters is that both sides do the same.
const workIterations = 400

// LoopsWork runs b.N tasks split over loops loops, each on its own
// goroutine; each task does four slices of work with a yield between. One
// op is one task.
func LoopsWork(loops int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		var wg sync.WaitGroup
		b.ResetTimer()
		for i := range loops {
			share := b.N / loops
			if i == 0 {
				share += b.N % loops
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				task.Run(context.Background(), func(co *iterco.Co) (int, error) {
					sink := 0
					for n := share; n > 0; n -= batch {
						var last *task.Task[int]
						for range min(n, batch) {
							last = task.Create(co, func(co *iterco.Co) (int, error) {
								s := 0
								for range 4 {
									s += work(workIterations)
									if err := task.Yield(co); err != nil {
										return 0, err
									}
								}
								return s, nil
							})
						}
						v, err := future.Await[int](co, last)
						if err != nil {
							return 0, err
						}
						sink += v
					}
					return sink, nil
				})
			}()
		}
		wg.Wait()
	}
}

// EagerStartSync starts a function eagerly that finishes at once, and reads
// its result. One op is one start.
func EagerStartSync(b *testing.B) {
	startAndAwait(b, func(co *iterco.Co) future.Awaitable[int] { return eager.Start(co, nop) })
}

// LazyStartSync creates a task and awaits it, one at a time. One op is one
// task.
func LazyStartSync(b *testing.B) {
	startAndAwait(b, func(co *iterco.Co) future.Awaitable[int] { return task.Create(co, nop) })
}

func startAndAwait(b *testing.B, start func(co *iterco.Co) future.Awaitable[int]) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		sum := 0
		for range b.N {
			v, err := future.Await(co, start(co))
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, nil
	})
}

// GoAndWait is the goroutine way to start a function and have its result:
// a goroutine and a WaitGroup, one at a time. One op is one goroutine.
func GoAndWait(b *testing.B) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	sum := 0
	for range b.N {
		wg.Add(1)
		go func() {
			sum++
			wg.Done()
		}()
		wg.Wait()
	}
	_ = sum
}

// FirstSuspension measures how long a task takes from its start to its
// first suspension (the latency to its first I/O): created eagerly, it
// gets there inside Create; created lazily, once its creator yields. One
// op is one task; every thousand are released, off the clock.
func FirstSuspension(eagerly bool) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		runMain(b, func(co *iterco.Co) (int, error) {
			l := task.LoopOf(co)
			b.ResetTimer()
			for n := b.N; n > 0; n -= batch {
				release := future.New[int](l)
				blocker := func(co *iterco.Co) (int, error) { return future.Await[int](co, release) }
				var last *task.Task[int]
				for range min(n, batch) {
					if eagerly {
						last = task.Create(co, blocker, task.EagerStart(true))
					} else {
						last = task.Create(co, blocker)
						task.Yield(co)
					}
				}
				b.StopTimer()
				release.SetResult(1)
				if _, err := future.Await[int](co, last); err != nil {
					return 0, err
				}
				b.StartTimer()
			}
			return 0, nil
		})
	}
}

func createWithFactory(eagerly bool, fn iterco.Func[int]) func(*testing.B) {
	return func(b *testing.B) {
		var opts []task.LoopOption
		if eagerly {
			opts = append(opts, task.WithTaskFactory(eager.TaskFactory))
		}
		b.ReportAllocs()
		if _, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			b.ResetTimer()
			for n := b.N; n > 0; n -= batch {
				var last *task.Task[int]
				for range min(n, batch) {
					last = task.Create(co, fn)
				}
				if _, err := future.Await[int](co, last); err != nil {
					return 0, err
				}
			}
			return 0, nil
		}, opts...); err != nil {
			b.Fatal(err)
		}
	}
}

// LockUncontended takes and releases a free lock. One op is one pair.
func LockUncontended(b *testing.B) { lockUncontended(b, new(asyncsync.Lock)) }

// taskLock is what lockUncontended needs of a lock.
type taskLock interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
}

func lockUncontended(b *testing.B, lock taskLock) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		for range b.N {
			if err := lock.Acquire(co); err != nil {
				return 0, err
			}
			if err := lock.Release(co); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// MutexUncontended is the goroutine baseline of LockUncontended.
func MutexUncontended(b *testing.B) {
	b.ReportAllocs()
	var mu sync.Mutex
	for range b.N {
		mu.Lock()
		//lint:ignore SA2001 an empty critical section is what is measured
		mu.Unlock()
	}
}

// LockContended has two tasks take a lock in turn, each yielding while it
// holds it so that the other always finds it taken. One op is one
// acquisition.
func LockContended(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		var lock asyncsync.Lock
		n := b.N / 2
		side := func(co *iterco.Co) (int, error) {
			for range n {
				if err := lock.Acquire(co); err != nil {
					return 0, err
				}
				task.Yield(co)
				if err := lock.Release(co); err != nil {
					return 0, err
				}
			}
			return 0, nil
		}
		b.ResetTimer()
		a, c := task.Create(co, side), task.Create(co, side)
		_, err := task.Gather[int](co, a, c)
		return 0, err
	})
}

// MutexContended has two goroutines take a mutex in turn, each yielding
// the processor while it holds it, as LockContended's tasks yield. One op
// is one acquisition.
func MutexContended(b *testing.B) {
	b.ReportAllocs()
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := b.N / 2
	counter := 0
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				mu.Lock()
				counter++
				runtime.Gosched()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// QueueTransfer moves b.N items through a bounded queue from a producer
// task to a consumer task. One op is one item.
func QueueTransfer(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		q := asyncsync.NewQueue[int](64)
		b.ResetTimer()
		producer := task.Create(co, func(co *iterco.Co) (int, error) {
			for i := range b.N {
				if err := q.Put(co, i); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
		sum := 0
		for range b.N {
			v, err := q.Get(co)
			if err != nil {
				return 0, err
			}
			sum += v
		}
		_, err := future.Await[int](co, producer)
		return sum, err
	})
}

// ChanTransfer is QueueTransfer's baseline: a buffered channel between two
// goroutines.
func ChanTransfer(b *testing.B) {
	b.ReportAllocs()
	ch := make(chan int, 64)
	go func() {
		for i := range b.N {
			ch <- i
		}
		close(ch)
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
}

// HandoffPull is the coroutine baseline: a driver resuming two iter.Pull
// coroutines in turn. One op is one resume and yield.
func HandoffPull(b *testing.B) {
	b.ReportAllocs()
	side := func(yield func(int) bool) {
		for yield(0) {
		}
	}
	nextA, stopA := iter.Pull(side)
	nextB, stopB := iter.Pull(side)
	defer stopA()
	defer stopB()
	b.ResetTimer()
	for range b.N / 2 {
		nextA()
		nextB()
	}
}

// HandoffChan is the goroutine baseline: two goroutines passing a value
// back and forth over unbuffered channels. One op is one send.
func HandoffChan(b *testing.B) {
	b.ReportAllocs()
	ping, pong := make(chan int), make(chan int)
	n := b.N / 2
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			pong <- <-ping
		}
	}()
	b.ResetTimer()
	for range n {
		ping <- 0
		<-pong
	}
	<-done
}

// AwaitDone awaits a future that is already done: no suspension and no
// allocation.
func AwaitDone(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		f := task.NewFuture[int](co)
		f.SetResult(1)
		var a future.Awaitable[int] = f
		b.ResetTimer()
		sum := 0
		for range b.N {
			v, err := future.Await(co, a)
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, nil
	})
}

func runMain(b *testing.B, main iterco.Func[int]) {
	if _, err := task.Run(context.Background(), main); err != nil {
		b.Fatal(err)
	}
}

func nop(*iterco.Co) (int, error) { return 1, nil }

func yieldOnce(co *iterco.Co) (int, error) { return 1, task.Yield(co) }
