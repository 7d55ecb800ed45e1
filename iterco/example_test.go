package iterco_test

import (
	"context"
	"errors"
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

func ExampleAwaitSync() {
	double := func(co *iterco.Co) (int, error) { return 21 * 2, nil }
	v, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		return iterco.Start(co, double).Await(co) // no loop anywhere
	})
	fmt.Println(v, err)
	// Output: 42 <nil>
}

func ExampleStart() {
	v, err := iterco.AwaitSync(func(co *iterco.Co) (string, error) {
		s := iterco.Start(co, func(co *iterco.Co) (string, error) {
			fmt.Println("runs at once")
			return "value", nil
		})
		fmt.Println("done after the start:", s.Done())
		return s.Await(co)
	})
	fmt.Println(v, err)
	// Output:
	// runs at once
	// done after the start: true
	// value <nil>
}

// A parser that asks its monitor for input whenever it needs more: the
// driver feeds it until it returns a result.
func ExampleMonitor() {
	var m iterco.Monitor[string]
	sum := func(co *iterco.Co) (int, error) {
		total := 0
		for {
			v, err := m.OOB(co, "need a number")
			if err != nil {
				return 0, err
			}
			if v.(int) == 0 {
				return total, nil
			}
			total += v.(int)
		}
	}
	v, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		b := iterco.Bind(&m, sum)
		request, _ := b.Start(co)
		fmt.Println("parser says:", request)
		for _, n := range []int{4, 5, 0} {
			if v, done, err := b.TryAwait(co, n); done {
				return v, err
			}
		}
		return 0, nil
	})
	fmt.Println(v, err)
	// Output:
	// parser says: need a number
	// 9 <nil>
}

func ExampleGenerator() {
	squares := iterco.NewGenerator(func(co *iterco.Co, g *iterco.Generator[int]) error {
		for i := 1; i <= 3; i++ {
			if _, err := g.Yield(co, i*i); err != nil {
				return err
			}
		}
		return nil
	})
	for v, err := range iterco.SyncIter[int](squares) {
		fmt.Println(v, err)
	}
	// Output:
	// 1 <nil>
	// 4 <nil>
	// 9 <nil>
}

func ExampleSyncFunc() {
	add := func(a, b int) iterco.Func[int] {
		return func(co *iterco.Co) (int, error) { return a + b, nil }
	}
	plain := iterco.SyncFunc(add(2, 3)) // callable from ordinary code
	fmt.Println(plain())
	// Output: 5 <nil>
}

type requestKey struct{}

func ExampleAwaitContext() {
	ctx := context.WithValue(context.Background(), requestKey{}, "req-42")
	v, err := iterco.AwaitSync(func(co *iterco.Co) (any, error) {
		return iterco.AwaitContext(co, ctx, func(co *iterco.Co) (any, error) {
			return co.Context().Value(requestKey{}), nil
		})
	})
	fmt.Println(v, err)
	// Output: req-42 <nil>
}

// SyncIter ranges over an async iterator from ordinary code, as long as
// producing an item never blocks.
func ExampleSyncIter() {
	countdown := iterco.NewGenerator(func(co *iterco.Co, g *iterco.Generator[string]) error {
		for _, s := range []string{"three", "two", "one"} {
			if _, err := g.Yield(co, s); err != nil {
				return err
			}
		}
		return nil
	})
	for v, err := range iterco.SyncIter[string](countdown) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(v)
	}
	// Output:
	// three
	// two
	// one
}

// AsyncFunc makes a plain function usable where an async one is expected.
func ExampleAsyncFunc() {
	answer := iterco.AsyncFunc(func() (int, error) { return 42, nil })
	v, err := iterco.AwaitSync(answer)
	fmt.Println(v, err)
	// Output:
	// 42 <nil>
}

// Bind ties a coroutine to a monitor: each await through it runs the
// coroutine until it hands out data (an *OOBData error) or finishes.
func ExampleBind() {
	var m iterco.Monitor[string]
	greeter := iterco.Bind(&m, func(co *iterco.Co) (string, error) {
		name, err := m.OOB(co, "who?")
		if err != nil {
			return "", err
		}
		return "hello, " + name.(string), nil
	})
	v, err := iterco.AwaitSync(func(co *iterco.Co) (string, error) {
		_, err := greeter.Await(co)
		var ask *iterco.OOBData[string]
		if errors.As(err, &ask) {
			fmt.Println("it asks:", ask.Data)
		}
		return greeter.Send(co, "gopher")
	})
	fmt.Println(v, err)
	// Output:
	// it asks: who?
	// hello, gopher <nil>
}
