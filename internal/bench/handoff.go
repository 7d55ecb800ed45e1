package bench

import (
	"iter"
	"runtime"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// HandoffTask passes control between two tasks and back through futures,
// a new future for each hand-off. One op is one hand-off.
func HandoffTask(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) { return 0, pingPong(co, b, false) })
}

// HandoffReused is HandoffTask with two futures, each reset once its
// value is read (Future.Reset). One op is one hand-off.
func HandoffReused(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) { return 0, pingPong(co, b, true) })
}

// pingPong has co's task and a new one hand control to each other b.N
// times in all, through a future each time: a new one, or with reuse the
// same one reset; the timer runs from the first hand-off to the last.
func pingPong(co *iterco.Co, b *testing.B, reuse bool) error {
	l := task.LoopOf(co)
	toPong, toPing := future.New[int](l), future.New[int](l)
	// next readies *f for the next hand-off, once its value was read.
	next := func(f **future.Future[int]) {
		if reuse {
			(*f).Reset()
		} else {
			*f = future.New[int](l)
		}
	}
	n := b.N / 2
	pong := task.Create(co, func(co *iterco.Co) (int, error) {
		for range n {
			if _, err := toPong.Await(co); err != nil {
				return 0, err
			}
			next(&toPong)
			toPing.SetResult(0)
		}
		return 0, nil
	})
	task.Yield(co)
	b.ResetTimer()
	for range n {
		toPong.SetResult(0)
		if _, err := toPing.Await(co); err != nil {
			return err
		}
		next(&toPing)
	}
	_, err := future.Await[int](co, pong)
	b.StopTimer()
	return err
}

// YieldTask passes control between two tasks through the ready queue
// alone. One op is one hand-off.
func YieldTask(b *testing.B) { yieldPair(b) }

// yieldPair has two tasks yield to each other b.N/2 times each, on a loop
// made with opts.
func yieldPair(b *testing.B, opts ...task.LoopOption) {
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
	}, opts...)
}

// YieldAlone has a task yield with nothing else ready. One op is one
// Yield.
func YieldAlone(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		task.Yield(co) // from now on, the scheduler resumes the task directly
		b.ResetTimer()
		for range b.N {
			if err := task.Yield(co); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// GoschedAlone has one goroutine yield the processor with nothing else to
// run. One op is one runtime.Gosched.
func GoschedAlone(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		runtime.Gosched()
	}
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
