package future_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func ExampleAwait() {
	v, err := task.Run(context.Background(), func(co *iterco.Co) (string, error) {
		f := task.NewFuture[string](co)
		task.Create(co, func(co *iterco.Co) (int, error) {
			f.SetResult("hello")
			return 0, nil
		})
		return future.Await[string](co, f) // suspends until the task sets it
	})
	fmt.Println(v, err)
	// Output: hello <nil>
}

// countdown is a user type that can be awaited: the Go form of a Python
// __await__ method. Each await runs the method again.
type countdown struct{ from int }

func (c countdown) Await(co *iterco.Co) ([]int, error) {
	var seen []int
	for i := c.from; i > 0; i-- {
		seen = append(seen, i)
		if err := task.Yield(co); err != nil {
			return seen, err
		}
	}
	return seen, nil
}

func ExampleAwaitable() {
	v, err := task.Run(context.Background(), func(co *iterco.Co) ([]int, error) {
		return future.Await[[]int](co, countdown{from: 3})
	})
	fmt.Println(v, err)
	// Output: [3 2 1] <nil>
}

func ExampleFuture_Cancel() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		f := task.NewFuture[int](co)
		f.Cancel("no longer needed")
		_, err := f.Result()
		fmt.Println(err)
		fmt.Println(f.Cancelled(), errors.Is(err, context.Canceled))
		return 0, nil
	})
	// Output:
	// future: cancelled: no longer needed
	// true true
}
