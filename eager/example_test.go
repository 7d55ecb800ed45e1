package eager_test

import (
	"context"
	"fmt"
	"time"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func ExampleStart() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		fmt.Println("a")
		child := eager.Start(co, func(co *iterco.Co) (int, error) {
			fmt.Println("1: runs at once, up to its first block")
			if err := task.Sleep(co, 2*time.Millisecond); err != nil {
				return 0, err
			}
			fmt.Println("2")
			return 2, nil
		})
		fmt.Println("b")
		task.Sleep(co, time.Millisecond)
		fmt.Println("c")
		return future.Await(co, child)
	}, task.WithClock(task.NewVirtualClock(time.Time{}))) // virtual time: the sleeps take none, in the same order every run
	// Output:
	// a
	// 1: runs at once, up to its first block
	// b
	// c
	// 2
}

func ExampleFunc() {
	lookup := eager.Func(func(co *iterco.Co) (string, error) {
		return "cached", nil // finishes at once: no task is ever scheduled
	})
	v, err := task.Run(context.Background(), func(co *iterco.Co) (string, error) {
		return future.Await(co, lookup(co))
	})
	fmt.Println(v, err)
	// Output: cached <nil>
}

func ExampleStartCancelling() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		var a future.Awaitable[int]
		func() {
			var cancel func()
			a, cancel = eager.StartCancelling(co, func(co *iterco.Co) (int, error) {
				return 0, task.Sleep(co, time.Hour)
			})
			defer cancel() // leaving the block cancels what still runs
		}()
		_, err := future.Await(co, a)
		fmt.Println(err)
		return 0, nil
	})
	// Output: future: cancelled
}

func ExampleTaskFactory() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			fmt.Println("started inside Create")
			return 1, nil
		})
		fmt.Println("done:", t.Done())
		return 0, nil
	}, task.WithTaskFactory(eager.TaskFactory))
	// Output:
	// started inside Create
	// done: true
}

func ExampleWithGroup() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		err := eager.WithGroup(co, func(g *eager.Group) error {
			for _, name := range []string{"x", "y"} {
				g.Go(co, func(co *iterco.Co) error {
					fmt.Println(name, "starts at once")
					return task.Sleep(co, time.Millisecond)
				})
			}
			fmt.Println("body goes on")
			return nil
		})
		fmt.Println("group done:", err)
		return 0, nil
	})
	// Output:
	// x starts at once
	// y starts at once
	// body goes on
	// group done: <nil>
}

// NewTaskFactory wraps another factory: here one that names every task,
// and then starts it eagerly.
func ExampleNewTaskFactory() {
	named := task.TaskFactoryFunc(func(l *task.Loop, opts []task.Option) []task.Option {
		return append([]task.Option{task.Name("worker")}, opts...)
	})
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			fmt.Println(task.Current(co).Name(), "runs at once")
			return 0, nil
		})
		fmt.Println("done:", t.Done())
		return 0, nil
	}, task.WithTaskFactory(eager.NewTaskFactory(named)))
	// Output:
	// worker runs at once
	// done: true
}
