package task_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// panickyWaitable is a user's awaitable whose waiter hook panics.
type panickyWaitable struct{}

func (panickyWaitable) Done() bool                                { return false }
func (panickyWaitable) AddWaiter(future.Loop, future.Waiter) bool { panic("AddWaiter") }
func (panickyWaitable) RemoveWaiter(future.Waiter) bool           { return false }
func (panickyWaitable) Cancel(string) bool                        { return false }

func TestAPanickingAwaitableFailsTheTask(t *testing.T) {
	for _, eager := range []bool{false, true} {
		t.Run(map[bool]string{false: "lazy", true: "eager"}[eager], func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				child := task.Create(co, func(co *iterco.Co) (int, error) {
					_, err := co.Suspend(panickyWaitable{})
					return 0, err
				}, task.EagerStart(eager))
				_, err := future.Await[int](co, child)
				var pe *iterco.PanicError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "AddWaiter", pe.Value)
				return 0, nil
			})
			require.NoError(t, err)
		})
	}
}

func TestATaskStoppedByCloseWaitsNoMore(t *testing.T) {
	l := task.NewLoop(virtual())
	f := future.New[int](l)
	var errs []error
	var stubborn *task.Task[int]
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		stubborn = task.Create(co, func(co *iterco.Co) (int, error) {
			// It ignores the close and waits again: its coroutine is
			// stopped where it registered.
			for range 2 {
				_, err := f.Await(co)
				errs = append(errs, err)
			}
			return 0, nil
		})
		return 0, task.Yield(co)
	})
	require.NoError(t, err)
	require.True(t, f.HasWaiters())
	require.NoError(t, l.Close())
	require.True(t, stubborn.Done())
	assert.Equal(t, []error{iterco.ErrClosed, iterco.ErrClosed}, errs)
	assert.False(t, f.HasWaiters(), "a done task is still registered")
	f.SetResult(1) // wakes nothing
	assert.Empty(t, task.All(l))
}

func TestCreateWhileTheLoopCloses(t *testing.T) {
	l := task.NewLoop(virtual())
	var late *task.Task[int]
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		// Forgotten: the loop's Close closes it, and its clean-up creates
		// a task.
		iterco.Start(co, func(co *iterco.Co) (int, error) {
			defer func() { late = task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil }) }()
			return future.Await[int](co, task.NewFuture[int](co))
		})
		return 0, nil
	})
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.NotNil(t, late)
	assert.True(t, late.Done())
	assert.ErrorIs(t, late.Err(), task.ErrClosed)
	assert.Empty(t, task.All(l))
}

// A Timeout entered in a coroutine that another task continues belongs to
// the code it wraps, not to the task that started it.
func TestTimeoutFollowsItsBlockIntoAContinuingTask(t *testing.T) {
	tr := &trace{}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		s := iterco.Start(co, func(co *iterco.Co) (int, error) {
			return task.Timeout(co, time.Second, func(co *iterco.Co) (int, error) {
				return 0, task.Sleep(co, time.Hour)
			})
		})
		cont := task.Continue(co, s)
		err := task.Sleep(co, 2*time.Second) // past the deadline
		tr.Add("starter's sleep: %v", err)
		_, err = future.Await[int](co, cont)
		tr.Add("continued block: %v", err)
		return 0, nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"starter's sleep: <nil>", "continued block: task: timeout"}, tr.Events)
}

func TestAPanicInCleanUpDuringCloseIsReported(t *testing.T) {
	var reported []task.Exception
	l := task.NewLoop(virtual(), task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e) }))
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		task.Create(co, func(co *iterco.Co) (int, error) {
			defer func() { panic("clean-up") }()
			return waitForever(co)
		}, task.Name("leaky"))
		task.Yield(co)
		return 0, nil
	})
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.Len(t, reported, 1)
	var pe *iterco.PanicError
	require.ErrorAs(t, reported[0].Err, &pe)
	assert.Equal(t, "clean-up", pe.Value)
	assert.Equal(t, "leaky", reported[0].Task.Name())
}

func TestStopFromAnotherGoroutine(t *testing.T) {
	l := task.NewLoop()
	defer l.Close()
	running := make(chan struct{})
	l.CallSoon(func() { close(running) })
	done := make(chan error)
	go func() { done <- l.RunForever() }()
	<-running
	l.Stop() // the loop sleeps with nothing to do: Stop must wake it
	require.NoError(t, <-done)
}

func TestCallSoonFromOutsideAnIdleLoop(t *testing.T) {
	l := task.NewLoop()
	defer l.Close()
	idle := make(chan struct{})
	l.CallSoon(func() { close(idle) })
	done := make(chan error)
	go func() { done <- l.RunForever() }()
	<-idle
	// Wait until the loop sleeps; a CallSoon from here is then a mistake
	// the loop can name.
	for !l.Sleeping() {
		runtime.Gosched()
	}
	assert.PanicsWithValue(t,
		"task.Loop.CallSoon: called from outside the loop while it sleeps; use CallSoonThreadsafe",
		func() { l.CallSoon(func() {}) })
	require.NoError(t, l.CallSoonThreadsafe(l.Stop))
	require.NoError(t, <-done)
}

func TestThrowIntoATaskOfAnotherLoop(t *testing.T) {
	other := task.NewLoop()
	f := make(chan *task.Task[int], 1)
	done := make(chan error)
	go func() {
		_, err := task.RunUntilComplete(other, func(co *iterco.Co) (int, error) {
			tk := task.Create(co, waitForever)
			task.Yield(co)
			f <- tk
			_, err := future.Await[int](co, tk)
			return 0, err
		})
		done <- err
	}()
	target := <-f
	for !other.Sleeping() {
		runtime.Gosched()
	}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		return 0, task.Throw(target, errBoom)
	})
	assert.ErrorIs(t, err, task.ErrWrongLoop)
	require.NoError(t, other.CallSoonThreadsafe(func() { target.Cancel("") }))
	assert.ErrorIs(t, <-done, future.ErrCancelled)
	require.NoError(t, other.Close())
}

func TestTasksThatDoNotBlockCostOneAllocationEach(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	t.Setenv("ASYNKIT_DEBUG", "0") // debug mode keeps each task's age
	tests := []struct {
		name    string
		creator func(co *iterco.Co) // what the creating task did first
	}{
		{"from a plain task", func(*iterco.Co) {}},
		// Its own extras (a name), and its creator's context to pass on.
		{"from a named task", func(co *iterco.Co) { task.Current(co).Name() }},
		// Its children's contexts derive from its own: they share it.
		{"from a task with a context", func(co *iterco.Co) { co.Context() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.WithValue(context.Background(), key{}, "v")
			var allocs float64
			_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
				tt.creator(co)
				nop := func(co *iterco.Co) (int, error) { return 1, nil }
				tasks := make([]*task.Task[int], 0, 100)
				allocs = testing.AllocsPerRun(10, func() {
					tasks = tasks[:0]
					for range 100 {
						tasks = append(tasks, task.Create(co, nop))
					}
					// They run, one after another, on the coroutine the
					// loop keeps: a task's only allocation is its record.
					if err := task.Yield(co); err != nil {
						t.Error(err)
					}
					for _, tk := range tasks {
						if !tk.Done() {
							t.Error("a task did not run")
						}
					}
				})
				return 0, nil
			})
			require.NoError(t, err)
			assert.Equal(t, 100.0, allocs)
		})
	}
}

func TestTheCoOfAFinishedTaskIsNoLongerItsOwn(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		var stale *iterco.Co
		child := task.Create(co, func(co *iterco.Co) (int, error) {
			stale = co
			return 1, nil
		})
		_, err := future.Await[int](co, child)
		require.NoError(t, err)
		// The loop lends the coroutine to the next task that starts; kept
		// past its task, it suspends nothing and names no task.
		_, err = stale.Suspend(nil)
		assert.ErrorIs(t, err, iterco.ErrNotCurrent)
		assert.Nil(t, task.Current(stale))
		return 0, nil
	})
	require.NoError(t, err)
}

// A task's panic is its error wherever its function runs when it panics:
// on the scheduler's coroutine (a first step), on a coroutine the task
// was given when it parked there, or on its own (an eager start). A task
// that recovers its own panic goes on, and its result is what it returns.
func TestAPanicIsTheTasksErrorWhereverItRuns(t *testing.T) {
	tests := []struct {
		name    string
		eager   bool
		parks   bool
		recover bool
	}{
		{name: "lazy, first step"},
		{name: "lazy, after it parked", parks: true},
		{name: "eager, in its start", eager: true},
		{name: "eager, after it parked", eager: true, parks: true},
		{name: "lazy, recovered by the task", recover: true},
		{name: "lazy, recovered after it parked", parks: true, recover: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				bad := task.Create(co, func(co *iterco.Co) (v int, err error) {
					if tt.recover {
						defer func() {
							if r := recover(); r != nil {
								v = 7
							}
						}()
					}
					if tt.parks {
						if err := task.Yield(co); err != nil {
							return 0, err
						}
					}
					panic("boom")
				}, task.EagerStart(tt.eager))
				other := task.Create(co, func(co *iterco.Co) (int, error) {
					task.Yield(co)
					task.Yield(co)
					return 2, nil
				})
				v, err := future.Await[int](co, bad)
				if tt.recover {
					require.NoError(t, err)
					assert.Equal(t, 7, v)
				} else {
					var pe *iterco.PanicError
					require.ErrorAs(t, err, &pe)
					assert.Equal(t, "boom", pe.Value)
					assert.Contains(t, string(pe.Stack), "reliability_test.go")
				}
				v, err = future.Await[int](co, other)
				require.NoError(t, err)
				assert.Equal(t, 2, v, "the loop went on")
				// The loop keeps scheduling after the panic: a task made
				// now runs as the first ones did.
				v, err = future.Await[int](co, task.Create(co, func(co *iterco.Co) (int, error) { return 3, nil }))
				require.NoError(t, err)
				assert.Equal(t, 3, v)
				return 0, nil
			})
			require.NoError(t, err)
		})
	}
}
