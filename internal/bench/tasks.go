package bench

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// CreateTask creates tasks in batches of a thousand from a main task and
// awaits the last of each batch. One op is one task.
func CreateTask(b *testing.B) { createTasks(b, nop) }

// CreateBlockingTask is CreateTask for tasks that yield once, so each needs
// a coroutine of its own while it is parked.
func CreateBlockingTask(b *testing.B) { createTasks(b, yieldOnce) }

// createTasks creates b.N tasks running fn, batch at a time, on a loop
// made with opts, awaiting the last of each batch.
func createTasks(b *testing.B, fn iterco.Func[int], opts ...task.LoopOption) {
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
	}, opts...)
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

// LoopsWork runs b.N tasks split over loops loops, each on its own
// goroutine; each task does four slices of work with a yield between. One
// op is one task.
func LoopsWork(loops int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		splitOver(loops, b.N, func(share int) {
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
		})
	}
}

// splitOver runs f on n goroutines, sharing ops among them, and waits for
// them all.
func splitOver(n, ops int, f func(share int)) {
	var wg sync.WaitGroup
	for i := range n {
		share := ops / n
		if i == 0 {
			share += ops % n
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(share)
		}()
	}
	wg.Wait()
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
		createTasks(b, fn, opts...)
	}
}
