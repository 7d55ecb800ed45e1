package sync_test

import (
	"context"
	"fmt"
	"time"

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

func ExampleEvent() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		var ready asyncsync.Event
		var ts []task.Any
		for _, name := range []string{"a", "b"} {
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				err := ready.Wait(co)
				fmt.Println(name, "goes")
				return 0, err
			}))
		}
		task.Yield(co)
		fmt.Println("set")
		ready.Set()
		return 0, task.GatherTasks(co, ts...)
	})
	// Output:
	// set
	// a goes
	// b goes
}

func ExampleSemaphore() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		sem := asyncsync.NewSemaphore(2) // at most two at a time
		inside, most := 0, 0
		var ts []task.Any
		for range 5 {
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				if err := sem.Acquire(co); err != nil {
					return 0, err
				}
				defer sem.Release()
				inside++
				most = max(most, inside)
				task.Yield(co)
				inside--
				return 0, nil
			}))
		}
		err := task.GatherTasks(co, ts...)
		fmt.Println("at most", most, "at once")
		return 0, err
	})
	// Output: at most 2 at once
}

func ExampleBarrier() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		b := asyncsync.NewBarrier(3)
		var ts []task.Any
		for i := range 3 {
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				task.Sleep(co, time.Duration(i)*time.Millisecond)
				_, err := b.Wait(co) // nobody passes before all three arrive
				return 0, err
			}))
		}
		err := task.GatherTasks(co, ts...)
		fmt.Println("all through:", err)
		return 0, nil
	})
	// Output: all through: <nil>
}

// A consumer ranges over a queue as over a channel; Shutdown(false) is the
// queue's close: the range ends once the queue is drained.
func ExampleQueue_All() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		var q asyncsync.Queue[string]
		consumer := task.Create(co, func(co *iterco.Co) (int, error) {
			n := 0
			for v, err := range q.All(co) {
				if err != nil {
					return n, err
				}
				fmt.Println("got", v)
				n++
			}
			return n, nil
		})
		for _, v := range []string{"a", "b", "c"} {
			q.TryPut(v)
		}
		q.Shutdown(false)
		return consumer.Await(co)
	})
	// Output:
	// got a
	// got b
	// got c
}

// A BoundedSemaphore refuses to be released more often than acquired.
func ExampleNewBoundedSemaphore() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		s := asyncsync.NewBoundedSemaphore(1)
		if err := s.Acquire(co); err != nil {
			return 0, err
		}
		fmt.Println(s.Release())
		fmt.Println(s.Release())
		return 0, nil
	})
	// Output:
	// <nil>
	// sync: bounded semaphore released too many times
}
