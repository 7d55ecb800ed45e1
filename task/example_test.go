package task_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	rtrace "runtime/trace"
	"slices"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func fetch(co *iterco.Co) (string, error) {
	if err := task.Sleep(co, 10*time.Millisecond); err != nil {
		return "", err
	}
	return "data", nil
}

func ExampleRun() {
	v, err := task.Run(context.Background(), func(co *iterco.Co) (string, error) {
		t := task.Create(co, fetch) // runs when main first blocks
		return future.Await[string](co, t)
	})
	fmt.Println(v, err)
	// Output: data <nil>
}

func ExampleCreate() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			fmt.Println("child runs")
			return 2, nil
		}, task.Name("child"))
		fmt.Println("created", t.Name(), "done:", t.Done())
		v, err := future.Await[int](co, t)
		fmt.Println("result", v, err)
		return v, err
	})
	// Output:
	// created child done: false
	// child runs
	// result 2 <nil>
}

func ExampleYield() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		for _, name := range []string{"x", "y"} {
			task.Create(co, func(co *iterco.Co) (int, error) {
				for i := range 2 {
					fmt.Println(name, i)
					task.Yield(co)
				}
				return 0, nil
			})
		}
		task.Sleep(co, time.Millisecond)
		return 0, nil
	}, task.WithClock(task.NewVirtualClock(time.Time{}))) // virtual time: the sleep ends once nothing else is ready
	// Output:
	// x 0
	// y 0
	// x 1
	// y 1
}

func ExampleSleep() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		for _, ms := range []int{30, 10, 20} {
			task.Create(co, func(co *iterco.Co) (int, error) {
				task.Sleep(co, time.Duration(ms)*time.Millisecond)
				fmt.Println(ms, "ms")
				return ms, nil
			})
		}
		return 0, task.Sleep(co, 50*time.Millisecond)
	}, task.WithClock(task.NewVirtualClock(time.Time{}))) // virtual time: the sleeps take none, and fire in deadline order on every run
	// Output:
	// 10 ms
	// 20 ms
	// 30 ms
}

func ExampleTask_Cancel() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			defer fmt.Println("clean-up runs")
			return 0, task.Sleep(co, time.Hour)
		})
		task.Yield(co)
		t.Cancel("enough")
		_, err := future.Await[int](co, t)
		fmt.Println(err, t.Cancelled())
		return 0, nil
	})
	// Output:
	// clean-up runs
	// future: cancelled: enough true
}

func ExampleGo() {
	v, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		f := task.Go(co, func(ctx context.Context) (int, error) {
			return 6 * 7, nil // blocking work belongs here, on a goroutine
		})
		return future.Await[int](co, f)
	})
	fmt.Println(v, err)
	// Output: 42 <nil>
}

func ExampleSubmit() {
	l := task.NewLoop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.RunForever()
	}()
	s := task.Submit(l, func(co *iterco.Co) (string, error) {
		return "ran on the loop", nil
	})
	v, err := s.Wait(context.Background())
	fmt.Println(v, err)
	l.CallSoonThreadsafe(l.Stop)
	<-done
	l.Close()
	// Output: ran on the loop <nil>
}

func ExampleLoop_CallLater() {
	l := task.NewLoop(task.WithClock(task.NewVirtualClock(time.Time{}))) // virtual time: no wait, same order on every run
	defer l.Close()
	l.CallLater(2*time.Millisecond, func() { fmt.Println("second"); l.Stop() })
	l.CallLater(time.Millisecond, func() { fmt.Println("first") })
	l.CallSoon(func() { fmt.Println("soon") })
	l.RunForever()
	// Output:
	// soon
	// first
	// second
}

// spawnCounters creates three tasks that print their number.
func spawnCounters(co *iterco.Co) []task.Any {
	var ts []task.Any
	for i := range 3 {
		ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
			fmt.Println("task", i)
			return i, nil
		}))
	}
	return ts
}

func ExampleSleepInsert() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		spawnCounters(co)
		task.SleepInsert(co, 1) // run again after one of the three
		fmt.Println("main")
		return 0, task.Yield(co)
	})
	// Output:
	// task 0
	// main
	// task 1
	// task 2
}

func ExampleSwitch() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		ts := spawnCounters(co)
		task.Switch(co, ts[2], task.InsertPos(1)) // task 2 now, then main
		fmt.Println("main")
		return 0, task.Yield(co)
	})
	// Output:
	// task 2
	// main
	// task 0
	// task 1
}

func ExampleReinsert() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		ts := spawnCounters(co)
		task.Reinsert(ts[2], 0)
		return 0, task.Yield(co)
	})
	// Output:
	// task 2
	// task 0
	// task 1
}

func ExampleCreateDescend() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		child, _ := task.CreateDescend(co, func(co *iterco.Co) (int, error) {
			fmt.Println("child starts at once")
			task.Yield(co)
			fmt.Println("child ends")
			return 1, nil
		})
		fmt.Println("parent resumes when the child blocks")
		return future.Await[int](co, child)
	})
	// Output:
	// child starts at once
	// parent resumes when the child blocks
	// child ends
}

func ExampleLoop_CallPos() {
	l := task.NewLoop()
	defer l.Close()
	l.CallSoon(func() { fmt.Println("first queued") })
	l.CallPos(0, func() { fmt.Println("placed at the front") })
	l.CallSoon(l.Stop)
	l.RunForever()
	// Output:
	// placed at the front
	// first queued
}

func ExampleGather() {
	v, err := task.Run(context.Background(), func(co *iterco.Co) ([]string, error) {
		fetch := func(name string, ms int) *task.Task[string] {
			return task.Create(co, func(co *iterco.Co) (string, error) {
				err := task.Sleep(co, time.Duration(ms)*time.Millisecond)
				return name, err
			})
		}
		return task.Gather[string](co, fetch("slow", 20), fetch("quick", 1))
	})
	fmt.Println(v, err) // argument order, not completion order
	// Output: [slow quick] <nil>
}

func ExampleWaitFor() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		_, err := task.WaitFor(co, 5*time.Millisecond, func(co *iterco.Co) (int, error) {
			return 0, task.Sleep(co, time.Hour)
		})
		fmt.Println(err, errors.Is(err, context.DeadlineExceeded))
		return 0, nil
	})
	// Output: task: timeout true
}

func ExampleTimeout() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		v, err := task.Timeout(co, time.Second, func(co *iterco.Co) (string, error) {
			return "in time", task.Sleep(co, time.Millisecond)
		})
		fmt.Println(v, err)
		return 0, nil
	})
	// Output: in time <nil>
}

func ExampleWithGroup() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		results := make([]int, 3)
		err := task.WithGroup(co, func(g *task.Group) error {
			for i := range results {
				g.Go(co, func(co *iterco.Co) error {
					if err := task.Sleep(co, time.Duration(3-i)*time.Millisecond); err != nil {
						return err
					}
					results[i] = i * i
					return nil
				})
			}
			return nil
		}) // returns once every child is done
		fmt.Println(results, err)
		return 0, nil
	})
	// Output: [0 1 4] <nil>
}

func ExampleAsCompleted() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		after := func(ms int) *task.Task[int] {
			return task.Create(co, func(co *iterco.Co) (int, error) {
				return ms, task.Sleep(co, time.Duration(ms)*time.Millisecond)
			})
		}
		for v, err := range task.AsCompleted[int](co, after(20), after(1), after(10)) {
			fmt.Println(v, err)
		}
		return 0, nil
	}, task.WithClock(task.NewVirtualClock(time.Time{}))) // virtual time: the sleeps take none
	// Output:
	// 1 <nil>
	// 10 <nil>
	// 20 <nil>
}

func ExampleInterrupt() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		f := task.NewFuture[int](co)
		waiter := task.Create(co, func(co *iterco.Co) (int, error) {
			_, err := future.Await[int](co, f)
			fmt.Println("waiter:", err)
			return 0, nil
		})
		task.Yield(co)
		task.Interrupt(co, waiter, errors.New("wake up"))
		fmt.Println("interrupted; the future is still pending:", !f.Done())
		return 0, nil
	})
	// Output:
	// waiter: wake up
	// interrupted; the future is still pending: true
}

func ExampleWait() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		quick := task.Create(co, func(co *iterco.Co) (int, error) { return 1, task.Sleep(co, time.Millisecond) }, task.Name("quick"))
		slow := task.Create(co, func(co *iterco.Co) (int, error) { return 2, task.Sleep(co, time.Hour) }, task.Name("slow"))
		done, pending, err := task.Wait(co, []task.Any{quick, slow}, task.FirstCompleted, task.NoTimeout)
		fmt.Println(done[0].Name(), "done;", pending[0].Name(), "pending;", err)
		slow.Cancel("")
		return 0, nil
	})
	// Output: quick done; slow pending; <nil>
}

func ExampleShield() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		work := task.Create(co, func(co *iterco.Co) (string, error) {
			return "saved", task.Sleep(co, time.Millisecond)
		})
		waiter := task.Create(co, func(co *iterco.Co) (string, error) { return task.Shield[string](co, work) })
		task.Yield(co)
		waiter.Cancel("") // the waiter gives up...
		_, err := future.Await[string](co, waiter)
		fmt.Println("waiter:", err)
		v, err := future.Await[string](co, work) // ...the work goes on
		fmt.Println("work:", v, err)
		return 0, nil
	})
	// Output:
	// waiter: future: cancelled
	// work: saved <nil>
}

func ExampleGroupStart() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		return 0, task.WithGroup(co, func(g *task.Group) error {
			addr, err := task.GroupStart(co, g, func(co *iterco.Co, started func(string)) error {
				started("127.0.0.1:8080") // ready: the caller goes on
				return task.Sleep(co, time.Millisecond)
			})
			fmt.Println("serving on", addr, err)
			return err
		})
	})
	// Output: serving on 127.0.0.1:8080 <nil>
}

func ExampleRunUntilComplete() {
	l := task.NewLoop()
	defer l.Close()
	for i := range 2 {
		v, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) { return i * 10, nil })
		fmt.Println(v, err)
	}
	// Output:
	// 0 <nil>
	// 10 <nil>
}

func ExampleCurrent() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			fmt.Println("running as", task.Current(co).Name())
			return 0, nil
		}, task.Name("worker"))
		return future.Await[int](co, t)
	})
	// Output: running as worker
}

// lifo is a ready queue that runs the handle queued last first: a policy
// of one's own, plugged in with WithQueue.
type lifo struct{ hs []*task.Handle }

func (q *lifo) Len() int                       { return len(q.hs) }
func (q *lifo) PushBack(h *task.Handle)        { q.hs = append(q.hs, h) }
func (q *lifo) Insert(pos int, h *task.Handle) { q.hs = slices.Insert(q.hs, len(q.hs)-pos, h) }
func (q *lifo) Find(pred func(*task.Handle) bool) *task.Handle {
	for _, h := range q.hs {
		if pred(h) {
			return h
		}
	}
	return nil
}

func (q *lifo) PopFront() *task.Handle {
	h := q.hs[len(q.hs)-1]
	q.hs = q.hs[:len(q.hs)-1]
	return h
}

func (q *lifo) Remove(h *task.Handle) bool {
	i := slices.Index(q.hs, h)
	if i >= 0 {
		q.hs = slices.Delete(q.hs, i, i+1)
	}
	return i >= 0
}

func ExampleWithQueue() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		for i := range 3 {
			task.Create(co, func(co *iterco.Co) (int, error) {
				fmt.Println("task", i)
				return i, nil
			})
		}
		return 0, task.Sleep(co, time.Millisecond)
	}, task.WithQueue(&lifo{}), task.WithClock(task.NewVirtualClock(time.Time{}))) // the sleep ends once nothing else is ready
	// Output:
	// task 2
	// task 1
	// task 0
}

// A block that starts with no deadline and sets one once it knows how
// long the rest may take.
func ExampleWithDeadline() {
	_, err := task.Run(context.Background(), func(co *iterco.Co) (string, error) {
		return task.WithDeadline(co, time.Time{}, func(co *iterco.Co, d *task.Deadline) (string, error) {
			_, ok := d.When()
			fmt.Println("deadline set:", ok)
			d.Reschedule(time.Now()) // due now: expires when the block first blocks
			return "reply", task.Sleep(co, time.Hour)
		})
	})
	fmt.Println(errors.Is(err, task.ErrTimeout))
	// Output:
	// deadline set: false
	// true
}

// A virtual clock makes time a function of the program: an hour of sleeps
// takes no time, and timers fire in the same order on every run.
func ExampleNewVirtualClock() {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		l := task.LoopOf(co)
		for _, d := range []time.Duration{time.Hour, time.Minute} {
			task.Create(co, func(co *iterco.Co) (int, error) {
				err := task.Sleep(co, d)
				fmt.Println("woke after", d, "at", l.Now().Format("15:04"))
				return 0, err
			})
		}
		return 0, task.Sleep(co, 2*time.Hour)
	}, task.WithClock(task.NewVirtualClock(start)))
	fmt.Println(err)
	// Output:
	// woke after 1m0s at 00:01
	// woke after 1h0m0s at 01:00
	// <nil>
}

// A recorder sees every step of the schedule; package record writes it as
// text or as a trace for Perfetto.
func ExampleWithRecorder() {
	rec := task.RecorderFunc(func(e *task.Event) {
		if e.Kind == task.EventStep || e.Kind == task.EventDone {
			fmt.Println(e.Kind, "t", e.Task)
		}
	})
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		child := task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil })
		return future.Await[int](co, child)
	}, task.WithRecorder(rec))
	// Output:
	// step t 1
	// step t 2
	// done t 2
	// step t 1
	// done t 1
}

// A task receives from and sends to Go channels without blocking its
// loop: what is ready is taken at once, the rest waits in a goroutine.
func ExampleRecv() {
	jobs := make(chan int)
	results := make(chan int)
	go func() { // a worker outside the loop
		for j := range jobs {
			results <- j * j
		}
		close(results)
	}()
	task.Run(context.Background(), func(co *iterco.Co) (struct{}, error) {
		for i := 1; i <= 3; i++ {
			if err := task.Send(co, jobs, i); err != nil {
				return struct{}{}, err
			}
			v, _, err := task.Recv(co, results)
			if err != nil {
				return struct{}{}, err
			}
			fmt.Println(v)
		}
		close(jobs)
		_, ok, err := task.Recv(co, results)
		fmt.Println("open:", ok)
		return struct{}{}, err
	})
	// Output:
	// 1
	// 4
	// 9
	// open: false
}

// Proc turns a function with no result into a task function.
func ExampleProc() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		t := task.Create(co, task.Proc(func(co *iterco.Co) error {
			fmt.Println("working")
			return nil
		}))
		_, err := t.Await(co)
		return err
	}))
	// Output:
	// working
}

// A group that runs at most two children at once, as errgroup's SetLimit:
// the third Go waits for a slot.
func ExampleGroup_SetLimit() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		l := task.LoopOf(co)
		start := l.Now()
		return task.WithGroup(co, func(g *task.Group) error {
			g.SetLimit(2)
			for i := range 3 {
				g.Go(co, func(co *iterco.Co) error {
					fmt.Printf("child %d starts at %v\n", i, l.Now().Sub(start))
					return task.Sleep(co, time.Second)
				})
			}
			return nil
		})
	}), task.WithClock(task.NewVirtualClock(time.Time{})))
	// Output:
	// child 0 starts at 0s
	// child 1 starts at 0s
	// child 2 starts at 1s
}

// A loop reports errors nobody retrieved, and its warnings, through a
// slog.Logger.
func ExampleWithLogger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable output
			}
			return a
		},
	}))
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		task.Create(co, task.Proc(func(*iterco.Co) error { return errors.New("disk full") }), task.Name("saver"))
		return task.Yield(co)
	}), task.WithLogger(logger))
	// Output:
	// level=ERROR msg="asynkit: task error was never retrieved" err="disk full" task.name=saver task.id=2
}

// Dump shows every task of a loop, what it waits on and where: here two
// tasks wait for a lock that a third holds while it sleeps. (The stacks
// the dump prints under each task are left out here.)
func ExampleLoop_Dump() {
	l := task.NewLoop(task.WithClock(task.NewVirtualClock(time.Time{})))
	defer l.Close()
	task.RunUntilComplete(l, task.Proc(func(co *iterco.Co) error {
		var lock asyncsync.Lock
		hold := task.Create(co, task.Proc(func(co *iterco.Co) error {
			lock.Acquire(co)
			defer lock.Release(co)
			return task.Sleep(co, time.Hour)
		}), task.Name("holder"))
		for _, name := range []string{"a", "b"} {
			task.Create(co, task.Proc(func(co *iterco.Co) error {
				if err := lock.Acquire(co); err != nil {
					return err
				}
				return lock.Release(co)
			}), task.Name(name))
		}
		task.Sleep(co, time.Minute)

		var b strings.Builder
		task.LoopOf(co).Dump(context.Background(), &b)
		for _, line := range strings.Split(b.String(), "\n") {
			if line != "" && !strings.HasPrefix(line, "    ") {
				fmt.Println(line)
			}
		}
		hold.Cancel("")
		return nil
	}), task.Name("main"))
	// Output:
	// 4 tasks
	// t1 "main" running
	// t2 "holder" waiting on sleep until 2000-01-01T01:00:00Z
	// t3 "a" waiting on asyncsync.Lock held by holder (t2)
	// t4 "b" waiting on asyncsync.Lock held by holder (t2)
}

// A loop counts what it does; Stats reads the counts from any goroutine.
func ExampleLoop_Stats() {
	l := task.NewLoop()
	defer l.Close()
	task.RunUntilComplete(l, task.Proc(func(co *iterco.Co) error {
		child := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Yield(co) }))
		_, err := child.Await(co)
		return err
	}))
	s := l.Stats()
	fmt.Println("created:", s.Created, "done:", s.Done, "steps:", s.Steps, "live:", s.Live)
	// Output:
	// created: 2 done: 2 steps: 4 live: 0
}

// Debug mode reports code that blocks the loop, stalls, and results
// nobody awaited.
func ExampleWithDebug() {
	var out strings.Builder
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "took", "at":
				return slog.Attr{} // for a stable output
			}
			return a
		},
	}))
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		task.Create(co, task.Proc(func(co *iterco.Co) error {
			time.Sleep(20 * time.Millisecond) // blocking work on the loop
			return nil
		}), task.Name("blocker"))
		return task.Yield(co)
	}), task.WithDebug(task.DebugOptions{SlowStep: 10 * time.Millisecond}), task.WithLogger(logger))
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "blocker") { // (a loaded machine may slow other steps too)
			fmt.Println(line)
		}
	}
	// Output:
	// level=WARN msg="asynkit: slow task step: the loop was blocked" task=blocker id=2
	// level=WARN msg="asynkit: never awaited: the result of task blocker (t2)"
}

// WaitingOn and StateOf tell what a task is doing.
func ExampleWaitingOn() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		sleeper := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Sleep(co, time.Minute) }), task.Name("sleeper"))
		joiner := task.Create(co, task.Proc(func(co *iterco.Co) error {
			_, err := sleeper.Await(co)
			return err
		}), task.Name("joiner"))
		fmt.Println(task.StateOf(joiner))
		task.Yield(co)
		fmt.Println(task.StateOf(joiner), "on", task.WaitingOn(joiner))
		fmt.Println(task.StateOf(sleeper), "on", task.WaitingOn(sleeper))
		sleeper.Cancel("")
		return nil
	}), task.WithClock(task.NewVirtualClock(time.Time{})))
	// Output:
	// new
	// waiting on task sleeper (t2)
	// waiting on sleep until 2000-01-01T00:01:00Z
}

// With WithTrace, each task is a trace task and each step a region, and
// the code of a task adds regions and logs of its own through its context.
// (Run the program with a trace being taken, then go tool trace.)
func ExampleWithTrace() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		ctx := task.ContextOf(co)
		rtrace.WithRegion(ctx, "parse", func() {
			// work that shows as a region "parse" inside the task's step
		})
		rtrace.Log(ctx, "phase", "parsed")
		fmt.Println("traced")
		return nil
	}), task.WithTrace())
	// Output:
	// traced
}

// With WithProfileLabels a CPU profile splits by task: the goroutine that
// runs each task's code carries its name and the labels of its context.
func ExampleWithProfileLabels() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		handler := task.Create(co, task.Proc(func(co *iterco.Co) error {
			route, _ := pprof.Label(task.ContextOf(co), "route")
			fmt.Println("route:", route)
			return nil
		}), task.Name("handler"), task.Labels("route", "/users"))
		_, err := handler.Await(co)
		return err
	}), task.WithProfileLabels())
	// Output:
	// route: /users
}

// A loop made by hand: tasks spawned from outside it, the loop run until
// one of them is done, and closed.
func ExampleNewLoop() {
	l := task.NewLoop()
	defer l.Close()
	greeting := task.Spawn(l, func(co *iterco.Co) (string, error) {
		if err := task.Yield(co); err != nil {
			return "", err
		}
		return "hello", nil
	})
	v, err := task.RunUntilComplete(l, func(co *iterco.Co) (string, error) { return greeting.Await(co) })
	fmt.Println(v, err)
	// Output:
	// hello <nil>
}

// Spawn creates a task from loop code outside any task: a callback, or
// before the loop runs.
func ExampleSpawn() {
	l := task.NewLoop()
	defer l.Close()
	l.CallSoon(func() {
		task.Spawn(l, func(co *iterco.Co) (int, error) {
			fmt.Println("spawned from a callback")
			l.Stop()
			return 0, nil
		})
	})
	l.RunForever()
	// Output:
	// spawned from a callback
}

// Throw delivers an error at the point where a task waits, leaving what
// it waited on as it was.
func ExampleThrow() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		worker := task.Create(co, task.Proc(func(co *iterco.Co) error {
			err := task.Sleep(co, time.Hour)
			fmt.Println("worker woke with:", err)
			return nil
		}))
		task.Yield(co) // the worker sleeps
		fmt.Println(task.Throw(worker, errors.New("reload config")))
		_, err := worker.Await(co)
		return err
	}), task.WithClock(task.NewVirtualClock(time.Time{})))
	// Output:
	// <nil>
	// worker woke with: reload config
}

// GatherAll waits for every awaitable and returns each value and error.
func ExampleGatherAll() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		ok := task.Create(co, func(*iterco.Co) (int, error) { return 1, nil })
		bad := task.Create(co, func(*iterco.Co) (int, error) { return 0, errors.New("boom") })
		values, errs, err := task.GatherAll[int](co, ok, bad)
		fmt.Println(values, errs, err)
		return nil
	}))
	// Output:
	// [1 0] [<nil> boom] <nil>
}

// IsBlocked, IsRunnable, Runnable, Blocked and All tell the tasks of a
// loop apart by whether they can run.
func ExampleIsBlocked() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		sleeper := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Sleep(co, time.Hour) }))
		ready := task.Create(co, task.Proc(func(co *iterco.Co) error { return nil }))
		task.SleepInsert(co, 1) // the sleeper runs and blocks; ready still waits its turn
		l := task.LoopOf(co)
		fmt.Println(task.IsBlocked(sleeper), task.IsRunnable(ready))
		// All is Runnable, Blocked and the running task (this one).
		fmt.Println(len(task.All(l)), len(task.Runnable(l)), len(task.Blocked(l)))
		sleeper.Cancel("")
		return nil
	}), task.WithClock(task.NewVirtualClock(time.Time{})))
	// Output:
	// true true
	// 3 1 1
}

// Continue makes a task of a coroutine started with iterco.Start: it runs
// at once until it blocks, and the task carries it on from there.
func ExampleContinue() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		s := iterco.Start(co, func(co *iterco.Co) (string, error) {
			fmt.Println("started")
			if err := task.Yield(co); err != nil {
				return "", err
			}
			return "continued", nil
		})
		t := task.Continue(co, s)
		v, err := t.Await(co)
		fmt.Println(v)
		return err
	}))
	// Output:
	// started
	// continued
}

// TimeoutAt bounds a block by a point in time rather than a duration.
func ExampleTimeoutAt() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		deadline := task.LoopOf(co).Now().Add(time.Second)
		_, err := task.TimeoutAt(co, deadline, func(co *iterco.Co) (int, error) {
			return 0, task.Sleep(co, time.Minute)
		})
		fmt.Println(errors.Is(err, task.ErrTimeout))
		return nil
	}), task.WithClock(task.NewVirtualClock(time.Time{})))
	// Output:
	// true
}

// EagerStart(true) runs a new task at once, until it first blocks.
func ExampleEagerStart() {
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		t := task.Create(co, func(*iterco.Co) (string, error) {
			fmt.Println("running")
			return "done", nil
		}, task.EagerStart(true))
		fmt.Println("created; done already:", t.Done())
		return nil
	}))
	// Output:
	// running
	// created; done already: true
}

// Two loops on two goroutines: a task of one submits work to the other
// and awaits it, without blocking its own loop.
func Example_twoLoops() {
	other := task.NewLoop()
	stopped := make(chan error)
	go func() { stopped <- other.RunForever() }()
	task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		v, err := task.Submit(other, func(co *iterco.Co) (string, error) {
			return "computed on the other loop", nil
		}).Await(co)
		fmt.Println(v)
		return err
	}))
	other.CallSoonThreadsafe(other.Stop)
	<-stopped
	other.Close()
	// Output:
	// computed on the other loop
}
