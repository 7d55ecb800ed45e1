package task_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// sliceQueue is a plain FIFO Queue. A loop with a queue of its own does not
// hand off between tasks directly, so it is the reference the default
// queue's orderings are checked against.
type sliceQueue struct{ hs []*task.Handle }

func (q *sliceQueue) Len() int                { return len(q.hs) }
func (q *sliceQueue) PushBack(h *task.Handle) { q.hs = append(q.hs, h) }
func (q *sliceQueue) PopFront() *task.Handle {
	h := q.hs[0]
	q.hs = q.hs[1:]
	return h
}
func (q *sliceQueue) Insert(pos int, h *task.Handle) { q.hs = slices.Insert(q.hs, pos, h) }

func (q *sliceQueue) Remove(h *task.Handle) bool {
	i := slices.Index(q.hs, h)
	if i < 0 {
		return false
	}
	q.hs = slices.Delete(q.hs, i, i+1)
	return true
}

func (q *sliceQueue) Find(pred func(*task.Handle) bool) *task.Handle {
	for i := len(q.hs) - 1; i >= 0; i-- {
		if pred(q.hs[i]) {
			return q.hs[i]
		}
	}
	return nil
}

// busyProgram is a random but seeded program: tasks that yield, wait on
// futures others complete, create children, schedule callbacks, cancel
// each other and stop early. Its trace is its order of events.
func busyProgram(seed int64, tr *trace) iterco.Func[int] {
	return busyProgramChecked(seed, tr, func(*iterco.Co) {})
}

// busyProgramChecked is busyProgram calling check before every step of
// every task.
func busyProgramChecked(seed int64, tr *trace, check func(*iterco.Co)) iterco.Func[int] {
	return func(co *iterco.Co) (int, error) {
		rng := rand.New(rand.NewSource(seed))
		l := task.LoopOf(co)
		futures := make([]*future.Future[int], 8)
		for i := range futures {
			futures[i] = task.NewFuture[int](co)
		}
		var tasks []task.Any
		var lock asyncsync.Lock
		sem := asyncsync.NewSemaphore(2)
		var worker func(id int, depth int) iterco.Func[int]
		worker = func(id, depth int) iterco.Func[int] {
			ops := make([]int, 3+rng.Intn(6))
			for i := range ops {
				ops[i] = rng.Intn(14)
			}
			return func(co *iterco.Co) (int, error) {
				for step, op := range ops {
					check(co)
					tr.Add("%d.%d op%d", id, step, op)
					var err error
					switch op {
					case 0, 1:
						err = task.Yield(co)
					case 2:
						f := futures[(id+step)%len(futures)]
						var v int
						v, err = future.Await[int](co, f)
						tr.Add("%d.%d woke %d", id, step, v)
					case 3:
						f := futures[(id*3+step)%len(futures)]
						if !f.Done() {
							f.SetResult(id)
						}
					case 4:
						if depth < 2 {
							child := task.Create(co, worker(id*10+step, depth+1), task.Name(fmt.Sprint("c", id*10+step)),
								task.EagerStart(step%2 == 1))
							tasks = append(tasks, child)
						}
					case 5:
						l.CallSoon(func() { tr.Add("cb %d.%d", id, step) })
					case 6:
						if len(tasks) > 0 {
							victim := tasks[(id+step)%len(tasks)]
							tr.Add("%d cancels %s: %v", id, victim.Name(), victim.Cancel(""))
						}
					case 7:
						if len(tasks) > 0 {
							target := tasks[(id*7+step)%len(tasks)]
							err = task.Switch(co, target, task.InsertPos(step%3))
							if errors.Is(err, task.ErrNotScheduled) {
								tr.Add("%d: %s not scheduled", id, target.Name())
								err = nil
							}
						}
					case 8:
						err = task.SleepInsert(co, (id+step)%4)
					case 10:
						if err = lock.Acquire(co); err == nil {
							tr.Add("%d.%d holds the lock", id, step)
							err = task.Yield(co)
							lock.Release(co)
						}
					case 11:
						if err = sem.Acquire(co); err == nil {
							tr.Add("%d.%d holds a permit", id, step)
							err = task.SleepInsert(co, step%3)
							sem.Release()
						}
					case 12:
						if len(tasks) > 0 {
							target := tasks[(id*5+step)%len(tasks)]
							tr.Add("%d throws into %s: %v", id, target.Name(), task.Throw(target, fmt.Errorf("thrown by %d", id)))
						}
					case 13:
						if len(tasks) > 0 {
							target := tasks[(id*11+step)%len(tasks)]
							tr.Add("%d interrupts %s: %v", id, target.Name(), task.Interrupt(co, target, &task.InterruptError{}))
						}
					case 9:
						if len(tasks) > 0 {
							target := tasks[(id*3+step)%len(tasks)]
							tr.Add("%d reinserts %s: %v", id, target.Name(), task.Reinsert(target, step%3))
						}
					}
					if err != nil {
						tr.Add("%d.%d err %v", id, step, err)
						return 0, err
					}
				}
				return id, nil
			}
		}
		for i := range 6 {
			tasks = append(tasks, task.Create(co, worker(i, 0), task.Name(fmt.Sprint("w", i))))
		}
		for range 40 {
			task.Yield(co)
		}
		for _, f := range futures {
			if !f.Done() {
				f.SetResult(-1)
			}
		}
		for i := 0; i < len(tasks); i++ {
			t := tasks[i]
			for !t.Done() {
				task.Yield(co)
			}
			tr.Add("%s done err=%v", t.Name(), t.Err())
		}
		return len(tasks), nil
	}
}

func TestHandoffKeepsTheSchedulersOrder(t *testing.T) {
	for seed := range int64(200) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			direct, reference := &trace{}, &trace{}
			n1, err1 := task.Run(context.Background(), busyProgram(seed, direct))
			n2, err2 := task.Run(context.Background(), busyProgram(seed, reference), task.WithQueue(&sliceQueue{}))
			require.NoError(t, err1)
			require.NoError(t, err2)
			assert.Equal(t, n2, n1)
			require.Greater(t, len(reference.Events), 20, "the program does enough to be a test")
			require.Equal(t, reference.Events, direct.Events)
		})
	}
}

func TestHandoffAcrossIterationsSeesTimersAndStop(t *testing.T) {
	tr := &trace{}
	l := task.NewLoop(virtual())
	defer l.Close()
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		other := task.Create(co, func(co *iterco.Co) (int, error) {
			for i := range 3 {
				tr.Add("other %d", i)
				task.Yield(co)
			}
			return 0, nil
		})
		l.CallLater(0, func() { tr.Add("timer") })
		for i := range 3 {
			tr.Add("main %d", i)
			task.Yield(co)
		}
		return future.Await[int](co, other)
	})
	require.NoError(t, err)
	// The timer is due at the second iteration's start, so it is queued
	// behind what was ready then: other and main.
	assert.Equal(t, []string{"main 0", "other 0", "main 1", "timer", "other 1", "main 2", "other 2"}, tr.Events)
}

func TestHandOffsThroughResetFutures(t *testing.T) {
	const n = 100
	var got []int
	var allocs float64
	_, err := run(t, func(co *iterco.Co) (int, error) {
		toPong, toPing := task.NewFuture[int](co), task.NewFuture[int](co)
		pong := task.Create(co, func(co *iterco.Co) (int, error) {
			for {
				v, err := toPong.Await(co)
				if err != nil || v < 0 {
					return 0, err
				}
				got = append(got, v)
				// Read, so the future can carry the next value.
				if err := toPong.Reset(); err != nil {
					return 0, err
				}
				toPing.SetResult(v + 1)
			}
		})
		ping := func(v int) int {
			toPong.SetResult(v)
			w, err := toPing.Await(co)
			require.NoError(t, err)
			require.NoError(t, toPing.Reset())
			return w
		}
		v := 0
		for range n {
			v = ping(v)
		}
		allocs = testing.AllocsPerRun(n, func() { v = ping(v) })
		toPong.SetResult(-1)
		_, err := future.Await[int](co, pong)
		return 0, err
	})
	require.NoError(t, err)
	require.Len(t, got, 2*n+1)
	for i, v := range got {
		require.Equal(t, i, v, "each value once, in order")
	}
	if !raceEnabled {
		assert.Zero(t, allocs, "a hand-off through reset futures allocates nothing")
	}
}

// A task that hands the turn to another resumes it from its own Suspend:
// none of the loop's calls lie between that switch and the code that
// yielded. (Each would be a return the processor mispredicts every time
// the switch comes back.)
func TestAHandOffSwitchesFromSuspendItself(t *testing.T) {
	var handing string
	l := task.NewLoop()
	defer l.Close()
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		other := task.Create(co, func(co *iterco.Co) (int, error) {
			if err := task.Yield(co); err != nil { // parks
				return 0, err
			}
			// Resumed by main's hand-off: main's coroutine is switched
			// away from in the middle of its Yield.
			buf := make([]byte, 1<<20)
			for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
				if strings.Contains(g, "TestAHandOffSwitchesFromSuspendItself.func1(") {
					handing = g
				}
			}
			return 0, nil
		})
		task.Yield(co) // the first step, on the scheduler's coroutine, parks
		task.Yield(co) // resumed directly: hands the turn to other
		return other.Await(co)
	})
	require.NoError(t, err)
	require.Equal(t, uint64(1), l.Stats().HandOffs)
	require.NotEmpty(t, handing, "main's coroutine is in the dump")
	assert.Contains(t, handing, "coro.(*Co).Suspend")
	for _, f := range []string{"task.(*Loop).pass", "task.(*core).suspending", "coro.(*Co).Resume", "coro.(*Co).resume"} {
		assert.NotContains(t, handing, f)
	}
}

// A task that yields with nothing else ready goes on at once, without the
// queue, wherever it runs from; the iteration its yield starts is a whole
// one all the same: due timers and posted callbacks queue behind it, a
// cancellation arrives, and a stop ends the loop first. Each case runs on
// the default queue and on a plain one, which never takes that path.
func TestALoneYieldStartsAWholeIteration(t *testing.T) {
	tests := []struct {
		name string
		// body is the main task's part, with the loop it runs on.
		body func(l *task.Loop, tr *trace) func(co *iterco.Co) error
		want []string
	}{
		{"a timer due", func(l *task.Loop, tr *trace) func(co *iterco.Co) error {
			return func(co *iterco.Co) error {
				l.CallLater(0, func() { tr.Add("timer") })
				for i := range 3 {
					tr.Add("main %d", i)
					if err := task.Yield(co); err != nil {
						return err
					}
				}
				return nil
			}
		}, []string{"main 0", "main 1", "timer", "main 2"}},
		{"a callback posted", func(l *task.Loop, tr *trace) func(co *iterco.Co) error {
			return func(co *iterco.Co) error {
				require.NoError(t, l.CallSoonThreadsafe(func() { tr.Add("posted") }))
				for i := range 2 {
					tr.Add("main %d", i)
					if err := task.Yield(co); err != nil {
						return err
					}
				}
				return nil
			}
		}, []string{"main 0", "main 1", "posted"}},
		{"a cancellation", func(l *task.Loop, tr *trace) func(co *iterco.Co) error {
			return func(co *iterco.Co) error {
				task.Current(co).Cancel("")
				err := task.Yield(co)
				tr.Add("cancelled %v", errors.Is(err, future.ErrCancelled))
				return nil
			}
		}, []string{"cancelled true"}},
		{"a stop", func(l *task.Loop, tr *trace) func(co *iterco.Co) error {
			return func(co *iterco.Co) error {
				tr.Add("stopping")
				l.Stop()
				err := task.Yield(co)
				tr.Add("after the stop: closed %v", errors.Is(err, iterco.ErrClosed))
				return err
			}
		}, []string{"stopping", "after the stop: closed true"}},
	}
	// positions run body from each place a task runs from: its first
	// step, on the scheduler's own coroutine; resumed by the scheduler;
	// resumed by another task that hands it the turn.
	positions := []struct {
		name string
		run  func(co *iterco.Co, body func(co *iterco.Co) error) error
	}{
		{"first step", func(co *iterco.Co, body func(co *iterco.Co) error) error { return body(co) }},
		{"resumed by the loop", func(co *iterco.Co, body func(co *iterco.Co) error) error {
			task.Create(co, task.Proc(func(*iterco.Co) error { return nil }))
			if err := task.Yield(co); err != nil { // parks: another task is ready
				return err
			}
			return body(co)
		}},
		{"resumed by a hand-off", func(co *iterco.Co, body func(co *iterco.Co) error) error {
			wake, done := task.NewFuture[int](co), task.NewFuture[int](co)
			task.Create(co, task.Proc(func(co *iterco.Co) error {
				task.Create(co, task.Proc(func(*iterco.Co) error { return nil }))
				if err := task.Yield(co); err != nil { // parks: resumed by the loop next
					return err
				}
				wake.SetResult(0)
				_, err := done.Await(co) // hands the turn to main
				return err
			}))
			if _, err := wake.Await(co); err != nil {
				return err
			}
			defer done.SetResult(0)
			return body(co)
		}},
	}
	queues := []struct {
		name  string
		queue func() task.LoopOption
	}{
		{"default queue", func() task.LoopOption { return virtual() }},
		{"plain queue", func() task.LoopOption { return task.WithQueue(&sliceQueue{}) }},
	}
	for _, tt := range tests {
		for _, pos := range positions {
			for _, q := range queues {
				t.Run(tt.name+", "+pos.name+", "+q.name, func(t *testing.T) {
					tr := &trace{}
					l := task.NewLoop(q.queue(), virtual(), task.WithExceptionHandler(func(task.Exception) {}))
					body := tt.body(l, tr)
					task.Spawn(l, func(co *iterco.Co) (int, error) {
						err := pos.run(co, body)
						l.Stop()
						return 0, err
					})
					require.NoError(t, l.RunForever())
					handOffs := l.Stats().HandOffs
					require.NoError(t, l.Close())
					assert.Equal(t, tt.want, tr.Events)
					if pos.name == "resumed by a hand-off" && q.name == "default queue" {
						assert.Positive(t, handOffs, "main was handed the turn")
					}
				})
			}
		}
	}
}
