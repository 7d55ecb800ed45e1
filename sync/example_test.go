package sync_test

import (
	"context"
	"fmt"

	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// A producer and two consumers connected by a bounded queue: the producer
// waits whenever the queue is full, and Join waits until every item has
// been processed.
func ExampleQueue() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		q := asyncsync.NewQueue[int](2)
		total := 0
		for range 2 {
			task.Create(co, func(co *iterco.Co) (int, error) {
				for {
					v, err := q.Get(co)
					if err != nil {
						return 0, nil // shut down: done
					}
					total += v
					q.TaskDone()
				}
			})
		}
		for i := 1; i <= 10; i++ {
			if err := q.Put(co, i); err != nil {
				return 0, err
			}
		}
		q.Join(co)
		q.Shutdown(false)
		fmt.Println("total", total)
		return 0, nil
	})
	// Output: total 55
}

// A lock around a critical section that suspends: the tasks take turns.
func ExampleLock() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		var lock asyncsync.Lock
		critical := func(name string) func(co *iterco.Co) (int, error) {
			return func(co *iterco.Co) (int, error) {
				if err := lock.Acquire(co); err != nil {
					return 0, err
				}
				defer lock.Release(co)
				fmt.Println(name, "in")
				task.Yield(co) // others run, but none enters
				fmt.Println(name, "out")
				return 0, nil
			}
		}
		a := task.Create(co, critical("a"))
		b := task.Create(co, critical("b"))
		return 0, task.GatherTasks(co, a, b)
	})
	// Output:
	// a in
	// a out
	// b in
	// b out
}

func ExampleCondition() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		cond := asyncsync.NewCondition(nil)
		ready := false
		waiter := task.Create(co, func(co *iterco.Co) (int, error) {
			cond.Acquire(co)
			defer cond.Release(co)
			err := cond.WaitFor(co, func() bool { return ready })
			fmt.Println("ready:", ready)
			return 0, err
		})
		task.Yield(co)
		cond.Acquire(co)
		ready = true
		cond.NotifyAll()
		cond.Release(co)
		return 0, task.GatherTasks(co, waiter)
	})
	// Output: ready: true
}
