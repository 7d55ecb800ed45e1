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

// A producer hands a consumer one value after another through one future:
// the consumer resets it once it has read a value, and no hand-off
// allocates.
func ExampleFuture_Reset() {
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		inbox := task.NewFuture[string](co)
		consumer := task.Create(co, func(co *iterco.Co) (int, error) {
			for {
				msg, err := inbox.Await(co)
				if err != nil || msg == "bye" {
					return 0, err
				}
				fmt.Println("got", msg)
				inbox.Reset()
			}
		})
		for _, msg := range []string{"one", "two", "bye"} {
			inbox.SetResult(msg)
			if err := task.Yield(co); err != nil { // the consumer reads it
				return 0, err
			}
		}
		return future.Await[int](co, consumer)
	})
	fmt.Println(err)
	// Output:
	// got one
	// got two
	// <nil>
}
