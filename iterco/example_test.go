package iterco_test

import (
	"fmt"

	"github.com/asynkit-go/asynkit/iterco"
)

func ExampleCoroutine() {
	// A coroutine that sums what it is sent until sent a negative number.
	c := iterco.New(func(co *iterco.Co) (int, error) {
		sum := 0
		for {
			v, err := co.Suspend(sum)
			if err != nil {
				return sum, err
			}
			if v.(int) < 0 {
				return sum, nil
			}
			sum += v.(int)
		}
	})
	partial, _ := c.Send(nil)
	fmt.Println("started:", partial)
	for _, v := range []int{1, 2, 3} {
		partial, _ = c.Send(v)
		fmt.Println("running total:", partial)
	}
	_, done := c.Send(-1)
	total, err := c.Result()
	fmt.Println("done:", done, "total:", total, err)
	// Output:
	// started: 0
	// running total: 1
	// running total: 3
	// running total: 6
	// done: true total: 6 <nil>
}

func ExampleCoroutine_Close() {
	c := iterco.New(func(co *iterco.Co) (int, error) {
		defer fmt.Println("deferred clean-up runs")
		_, err := co.Suspend(nil)
		fmt.Println("Suspend returned:", err)
		return 0, err
	})
	c.Send(nil)
	fmt.Println("Close:", c.Close())
	// Output:
	// Suspend returned: iterco: coroutine closed
	// deferred clean-up runs
	// Close: <nil>
}
