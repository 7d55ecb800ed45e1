package priority_test

import (
	"context"
	"fmt"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// On a priority loop the most urgent ready task runs first.
func ExampleOf() {
	priority.Run(context.Background(), func(co *iterco.Co) (int, error) {
		var ts []*task.Task[int]
		for _, p := range []int{priority.Low, priority.Normal, priority.High} {
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				fmt.Println("priority", p)
				return p, nil
			}, priority.Of(p)))
		}
		_, err := task.GatherOf(co, ts)
		return 0, err
	})
	// Output:
	// priority -10
	// priority 0
	// priority 10
}

// NewQueue is the ready queue of a priority loop; a plain callback counts
// as Normal, and position inserts go before every priority.
func ExampleNewQueue() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		l := task.LoopOf(co)
		low := task.Create(co, func(*iterco.Co) (int, error) { fmt.Println("low task"); return 0, nil }, priority.Of(priority.Low))
		l.CallSoon(func() { fmt.Println("callback") })
		l.CallPos(0, func() { fmt.Println("inserted at 0") })
		_, err := low.Await(co)
		return 0, err
	}, task.WithQueue(priority.NewQueue()))
	// Output:
	// inserted at 0
	// callback
	// low task
}

// The classic priority inversion, resolved: low holds the lock high
// needs, and a busy medium task would keep low from finishing. With a
// priority.Lock low runs with high's priority while high waits.
func ExampleLock() {
	priority.Run(context.Background(), func(co *iterco.Co) (int, error) {
		var lock priority.Lock
		var start asyncsync.Event
		worker := func(name string, work int, locked bool) iterco.Func[int] {
			return func(co *iterco.Co) (int, error) {
				if err := start.Wait(co); err != nil {
					return 0, err
				}
				if locked {
					if err := lock.Acquire(co); err != nil {
						return 0, err
					}
					defer lock.Release(co)
				}
				for range work {
					fmt.Println(name, "at", priority.Effective(task.Current(co)))
					task.Yield(co)
				}
				return 0, nil
			}
		}
		low := task.Create(co, func(co *iterco.Co) (int, error) {
			lock.Acquire(co) // low takes the lock first
			defer lock.Release(co)
			start.Wait(co)
			for range 2 {
				fmt.Println("low at", priority.Effective(task.Current(co)))
				task.Yield(co)
			}
			return 0, nil
		}, priority.Of(priority.Low))
		high := task.Create(co, worker("high", 1, true), priority.Of(priority.High))
		medium := task.Create(co, worker("medium", 2, false))
		future.Await[int](co, task.Create(co, func(*iterco.Co) (int, error) { return 0, nil }, priority.Of(1000)))
		start.Set()
		_, err := task.GatherOf(co, []*task.Task[int]{low, high, medium})
		return 0, err
	}, task.WithQueue(priority.NewQueue(priority.WithoutBoost())))
	// Output:
	// low at -10
	// low at -10
	// high at -10
	// medium at 0
	// medium at 0
}

// A priority condition wakes its most urgent waiters first.
func ExampleNewCondition() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		cond := priority.NewCondition(nil)
		var ts []*task.Task[int]
		for _, p := range []int{priority.Low, priority.High, priority.Normal} {
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				if err := cond.Acquire(co); err != nil {
					return 0, err
				}
				defer cond.Release(co)
				if err := cond.Wait(co); err != nil {
					return 0, err
				}
				fmt.Println("woke", p)
				return 0, nil
			}, priority.Of(p)))
		}
		task.Yield(co)
		cond.Acquire(co)
		cond.NotifyAll()
		cond.Release(co)
		_, err := task.GatherOf(co, ts)
		return 0, err
	})
	// Output:
	// woke -10
	// woke 0
	// woke 10
}
