package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// A demo is one of the README's ordering examples: a program that logs
// events, and the order they came in.
type demoCase struct {
	title string
	run   func(log func(string), opts ...task.LoopOption) error
}

var demos = []demoCase{
	{"awaited in place: the child runs only when awaited", func(log func(string), opts ...task.LoopOption) error {
		return runLogged(log, opts, func(co *iterco.Co, child iterco.Func[int]) (future.Awaitable[int], error) {
			return awaitLater(child), nil
		})
	}},
	{"as a task: the child starts when main first blocks", func(log func(string), opts ...task.LoopOption) error {
		return runLogged(log, opts, func(co *iterco.Co, child iterco.Func[int]) (future.Awaitable[int], error) {
			return task.Create(co, child), nil
		})
	}},
	{"eagerly: the child runs at once, up to its first block", func(log func(string), opts ...task.LoopOption) error {
		return runLogged(log, opts, func(co *iterco.Co, child iterco.Func[int]) (future.Awaitable[int], error) {
			return eager.Start(co, child), nil
		})
	}},
	{"scheduling: Switch to the third task, main right after", func(log func(string), opts ...task.LoopOption) error {
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			var ts []task.Any
			for i := range 3 {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
					log(fmt.Sprint("t", i))
					return 0, nil
				}))
			}
			if err := task.Switch(co, ts[2], task.InsertPos(1)); err != nil {
				return 0, err
			}
			log("main")
			return 0, task.Yield(co)
		}, opts...)
		return err
	}},
	{"a task created, then two yields: it runs between them", func(log func(string), opts ...task.LoopOption) error {
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			task.Create(co, func(co *iterco.Co) (int, error) {
				log("child")
				return 0, nil
			})
			log("a")
			task.Yield(co)
			log("b")
			task.Yield(co)
			log("c")
			return 0, nil
		}, opts...)
		return err
	}},
	{"waiters of a future wake in the order they began to wait", func(log func(string), opts ...task.LoopOption) error {
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			f := task.NewFuture[string](co)
			var ts []*task.Task[int]
			for _, name := range []string{"w1", "w2", "w3"} {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
					v, err := future.Await[string](co, f)
					log(name + " got " + v)
					return 0, err
				}))
			}
			task.Yield(co)
			log("set")
			f.SetResult("x")
			for _, t := range ts {
				if _, err := future.Await[int](co, t); err != nil {
					return 0, err
				}
			}
			return 0, nil
		}, opts...)
		return err
	}},
	{"priority: low inherits high's priority while high waits", func(log func(string), opts ...task.LoopOption) error {
		_, err := priority.Run(context.Background(), func(co *iterco.Co) (int, error) {
			var lock priority.Lock
			var start asyncsync.Event
			low := task.Create(co, func(co *iterco.Co) (int, error) {
				if err := lock.Acquire(co); err != nil {
					return 0, err
				}
				defer lock.Release(co)
				if err := start.Wait(co); err != nil {
					return 0, err
				}
				log(fmt.Sprintf("low(%d)", priority.Effective(task.Current(co))))
				return 0, task.Yield(co)
			}, priority.Of(priority.Low))
			high := task.Create(co, func(co *iterco.Co) (int, error) {
				if err := start.Wait(co); err != nil {
					return 0, err
				}
				if err := lock.Acquire(co); err != nil {
					return 0, err
				}
				log("high")
				return 0, lock.Release(co)
			}, priority.Of(priority.High))
			medium := task.Create(co, func(co *iterco.Co) (int, error) {
				if err := start.Wait(co); err != nil {
					return 0, err
				}
				log("medium")
				return 0, nil
			})
			if _, err := future.Await[int](co, task.Create(co, func(*iterco.Co) (int, error) { return 0, nil }, priority.Of(1000))); err != nil {
				return 0, err
			}
			start.Set()
			_, err := task.GatherOf(co, []*task.Task[int]{low, high, medium})
			return 0, err
		}, opts...)
		return err
	}},
}

// runLogged is asynkit's README example: main logs a, starts child (logs 1,
// sleeps 20ms, logs 2) the way convert says, logs b, sleeps 10ms, logs c,
// and awaits the child.
func runLogged(log func(string), opts []task.LoopOption, convert func(*iterco.Co, iterco.Func[int]) (future.Awaitable[int], error)) error {
	child := func(co *iterco.Co) (int, error) {
		log("1")
		if err := task.Sleep(co, 20*time.Millisecond); err != nil {
			return 0, err
		}
		log("2")
		return 0, nil
	}
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		log("a")
		x, err := convert(co, child)
		if err != nil {
			return 0, err
		}
		log("b")
		if err := task.Sleep(co, 10*time.Millisecond); err != nil {
			return 0, err
		}
		log("c")
		return future.Await(co, x)
	}, opts...)
	return err
}

// awaitLater is a function not yet called: awaiting it runs it in place, as
// awaiting a Python coroutine object does.
type awaitLater iterco.Func[int]

func (a awaitLater) Await(co *iterco.Co) (int, error) { return a(co) }

// loopRecorder records several loops, one after another.
type loopRecorder interface {
	task.Recorder
	NextLoop(name string)
}

// recorders hands every event to each of its recorders.
type recorders []loopRecorder

func (rs recorders) Record(e *task.Event) {
	for _, r := range rs {
		r.Record(e)
	}
}

func (rs recorders) NextLoop(name string) {
	for _, r := range rs {
		r.NextLoop(name)
	}
}

// demo runs every demo on a virtual clock, so that its sleeps take no
// time, and prints each one's order. A non-nil rec records every loop,
// each as a loop of its own.
func demo(w io.Writer, rec loopRecorder) error {
	for _, d := range demos {
		var events []string
		opts := []task.LoopOption{task.WithClock(task.NewVirtualClock(time.Time{}))}
		if rec != nil {
			rec.NextLoop(d.title)
			opts = append(opts, task.WithRecorder(rec))
		}
		if err := d.run(func(s string) { events = append(events, s) }, opts...); err != nil {
			return fmt.Errorf("%s: %w", d.title, err)
		}
		fmt.Fprintf(w, "%-58s %s\n", d.title+":", strings.Join(events, " "))
	}
	return nil
}
