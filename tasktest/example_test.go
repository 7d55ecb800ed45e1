package tasktest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
	"github.com/asynkit-go/asynkit/tasktest"
)

// The examples are a tutorial: each is a bug that the loop's FIFO order
// hides, so that a plain test passes, and that Check finds; then the fix,
// which passes. In a test, pass the test's t to Check; here exampleT
// stands in for it, so that the examples can print what Check found.

type exampleT struct {
	testing.TB
	failed bool
}

func (t *exampleT) Helper()               {}
func (t *exampleT) Name() string          { return "Example" }
func (t *exampleT) Failed() bool          { return t.failed }
func (t *exampleT) Errorf(string, ...any) { t.failed = true }
func (t *exampleT) Logf(string, ...any)   {}

// check runs Check on body and prints what it found.
func check(body func(co *iterco.Co) error, opts ...tasktest.Option) {
	var r tasktest.Report
	tasktest.Check(&exampleT{}, body, append(opts, tasktest.WriteReport(&r))...)
	if r.Failed == 0 {
		fmt.Printf("%s: %d runs pass\n", r.Strategy, r.Runs)
		return
	}
	first, _, _ := strings.Cut(r.Reason, "\n")
	fmt.Printf("%s: run %d fails: %s\n", r.Strategy, r.Failed, first)
}

// fifo runs body once on a plain loop, as an ordinary test would.
func fifo(body func(co *iterco.Co) error) {
	_, err := task.Run(context.Background(), func(co *iterco.Co) (struct{}, error) {
		return struct{}{}, body(co)
	}, task.WithClock(task.NewVirtualClock(task.VirtualEpoch)))
	fmt.Println("fifo:", err)
}

// both runs work as two tasks, a at once and b one yield later (so that
// FIFO runs a ahead), and waits for them.
func both(co *iterco.Co, work func(co *iterco.Co) error) error {
	start := func(delay int) iterco.Func[struct{}] {
		return func(co *iterco.Co) (struct{}, error) {
			for range delay {
				if err := task.Yield(co); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, work(co)
		}
	}
	a := task.Create(co, start(0), task.Name("a"))
	b := task.Create(co, start(1), task.Name("b"))
	_, err := task.Gather[struct{}](co, a, b)
	return err
}

// account has two tasks withdraw 10 from a balance of 10. Each checks the
// balance, then awaits something (a ledger write) before it takes the
// money, so the check no longer holds when it acts. The fix checks and
// acts in one step: nothing can run between them.
func account(fixed bool) func(co *iterco.Co) error {
	return func(co *iterco.Co) error {
		balance := 10
		err := both(co, func(co *iterco.Co) error {
			if balance < 10 {
				return nil
			}
			if fixed {
				balance -= 10
				return task.Yield(co) // the ledger write
			}
			if err := task.Yield(co); err != nil { // the ledger write
				return err
			}
			balance -= 10
			return nil
		})
		if err == nil && balance < 0 {
			err = fmt.Errorf("balance %d", balance)
		}
		return err
	}
}

// A check and the act that depends on it with an await between them.
// FIFO happens to run the second task's check after the first task acts.
func Example_checkThenAct() {
	fifo(account(false))
	check(account(false))
	check(account(false), tasktest.PCT(2))
	check(account(true))
	check(account(true), tasktest.PCT(2))
	// Output:
	// fifo: <nil>
	// random: run 5 fails: the body returned an error: balance -10
	// pct(2): run 3 fails: the body returned an error: balance -10
	// random: 100 runs pass
	// pct(2): 100 runs pass
}

// cache has two tasks refresh a cached value from a backend through
// task.Go, the second after the first: the cache must end with the newer
// version. A plain test passes whenever the replies come back in the
// order the calls went out, as they mostly do, but a slow first reply is
// stored over the newer one; Check holds every reply back and lets them
// in in every order. The fix keeps
// a reply only if it is newer than what the cache holds.
func cache(fixed bool) func(co *iterco.Co) error {
	return func(co *iterco.Co) error {
		version := 0
		refresh := func(v int) iterco.Func[struct{}] {
			return func(co *iterco.Co) (struct{}, error) {
				got, err := future.Await(co, task.Go(co, func(context.Context) (int, error) {
					return v, nil // the backend's reply
				}))
				if err != nil {
					return struct{}{}, err
				}
				if !fixed || got > version {
					version = got
				}
				return struct{}{}, nil
			}
		}
		a := task.Create(co, refresh(1), task.Name("old"))
		if err := task.Yield(co); err != nil {
			return err
		}
		b := task.Create(co, refresh(2), task.Name("new"))
		if _, err := task.Gather[struct{}](co, a, b); err != nil {
			return err
		}
		if version != 2 {
			return fmt.Errorf("cache holds version %d, want 2", version)
		}
		return nil
	}
}

// A lost update: two results of task.Go that come back in the other order.
func Example_lostUpdate() {
	check(cache(false))
	check(cache(false), tasktest.PCT(2))
	check(cache(true))
	// Output:
	// random: run 2 fails: the body returned an error: cache holds version 1, want 2
	// pct(2): run 7 fails: the body returned an error: cache holds version 1, want 2
	// random: 100 runs pass
}

// signal has a consumer reset an event and wait for a producer to set it.
// The consumer resets it as it starts waiting, so a Set that came before
// is erased and the consumer waits for ever: Check reports the deadlock,
// naming each blocked task and what it waits on. The fix resets the event
// before the producer is started.
func signal(fixed bool) func(co *iterco.Co) error {
	return func(co *iterco.Co) error {
		var ready asyncsync.Event
		if fixed {
			ready.Clear()
		}
		consumer := task.Create(co, func(co *iterco.Co) (struct{}, error) {
			if !fixed {
				ready.Clear()
			}
			return struct{}{}, ready.Wait(co)
		}, task.Name("consumer"))
		task.Create(co, func(co *iterco.Co) (struct{}, error) {
			if err := task.Yield(co); err != nil { // some work first
				return struct{}{}, err
			}
			ready.Set()
			return struct{}{}, nil
		}, task.Name("producer"))
		_, err := consumer.Await(co)
		return err
	}
}

// A missed wake-up: an Event set before the waiter registered.
func Example_missedEvent() {
	fifo(signal(false))
	check(signal(false))
	check(signal(false), tasktest.PCT(2))
	check(signal(true))
	// Output:
	// fifo: <nil>
	// random: run 2 fails: deadlock: nothing can run, no timer is pending and no work is in flight; blocked:
	// pct(2): run 1 fails: deadlock: nothing can run, no timer is pending and no work is in flight; blocked:
	// random: 100 runs pass
}

// counter has two tasks add to a shared count under a lock, with an await
// (a store) between the read and the write. The lock is released one
// await too early: after the read, before the write. The fix releases it
// after the write.
func counter(fixed bool) func(co *iterco.Co) error {
	return func(co *iterco.Co) error {
		var lock asyncsync.Lock
		count := 0
		err := both(co, func(co *iterco.Co) error {
			if err := lock.Acquire(co); err != nil {
				return err
			}
			n := count
			if !fixed {
				lock.Release(co)
			}
			err := task.Yield(co) // the store
			count = n + 1
			if fixed {
				lock.Release(co)
			}
			return err
		})
		if err == nil && count != 2 {
			err = fmt.Errorf("count %d, want 2", count)
		}
		return err
	}
}

// A lock released one await too early.
func Example_earlyRelease() {
	fifo(counter(false))
	check(counter(false))
	check(counter(false), tasktest.PCT(2))
	check(counter(true))
	// Output:
	// fifo: <nil>
	// random: run 5 fails: the body returned an error: count 1, want 2
	// pct(2): run 3 fails: the body returned an error: count 1, want 2
	// random: 100 runs pass
}

// Check in a test: the body starts tasks, awaits them, and returns an
// error if an invariant broke. Here two tasks update a count under a
// lock, every schedule of a hundred keeps it right.
func ExampleCheck() {
	t := &exampleT{} // in a test: the test's t
	var r tasktest.Report
	tasktest.Check(t, counter(true), tasktest.WriteReport(&r))
	fmt.Println(r.Strategy, r.Runs, "runs, failed:", t.Failed())
	// Output:
	// random 100 runs, failed: false
}

// Exhaustive runs every schedule of a small program: here three tasks of
// two steps each, whose 6!/(2!·2!·2!) = 90 interleavings it counts.
func ExampleExhaustive() {
	body := func(co *iterco.Co) error {
		tasks := make([]future.Awaitable[struct{}], 3)
		for i := range tasks {
			tasks[i] = task.Create(co, func(co *iterco.Co) (struct{}, error) {
				return struct{}{}, task.Yield(co)
			})
		}
		_, err := task.Gather(co, tasks...)
		return err
	}
	var r tasktest.Report
	tasktest.Check(&exampleT{}, body, tasktest.Exhaustive(1000), tasktest.WriteReport(&r))
	fmt.Println(r.Runs, "schedules, all run:", r.Exhausted)
	// Output:
	// 90 schedules, all run: true
}

// Replay runs again the schedule of a failing run, from the token its
// report printed: the same steps in the same order, the same trace.
func ExampleReplay() {
	var first, again tasktest.Report
	tasktest.Check(&exampleT{}, counter(false), tasktest.WriteReport(&first))
	tasktest.Check(&exampleT{}, counter(false), tasktest.Replay(first.Token), tasktest.WriteReport(&again))
	fmt.Println(first.Reason)
	fmt.Println(again.Reason)
	fmt.Println(again.Token == first.Token)
	// Output:
	// the body returned an error: count 1, want 2
	// the body returned an error: count 1, want 2
	// true
}
