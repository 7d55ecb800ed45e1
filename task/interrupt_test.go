package task_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

var errZeroDivision = errors.New("division by zero")

// S39 and S40: a task waiting on a future is interrupted (it runs next) or
// thrown into (it goes to the end of the queue).
func TestInterruptAndThrowOrder(t *testing.T) {
	tests := []struct {
		name      string
		interrupt bool
		want      []string
	}{
		{"interrupt runs the target next", true, []string{"task interrupted", "task2", "caller resumes, T done true, T2 done true"}},
		{"throw queues the target last", false, []string{"task2", "task interrupted", "caller resumes, T done true, T2 done true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				ev := task.NewFuture[int](co)
				tk := task.Create(co, func(co *iterco.Co) (int, error) {
					_, err := future.Await[int](co, ev)
					if errors.Is(err, errZeroDivision) {
						tr.Add("task interrupted")
					}
					return 0, nil
				})
				task.Yield(co)
				t2 := task.Create(co, tr.logger("task2"))
				if tt.interrupt {
					require.NoError(t, task.Interrupt(co, tk, errZeroDivision))
				} else {
					require.NoError(t, task.Throw(tk, errZeroDivision))
					assert.True(t, task.IsRunnable(tk), "runnable at once")
					task.Yield(co)
					task.Yield(co)
				}
				tr.Add("caller resumes, T done %v, T2 done %v", tk.Done(), t2.Done())
				assert.False(t, ev.Done(), "the future it waited on is left alone")
				return 0, nil
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, tr.Events)
		})
	}
}

// S42
func TestThrowErrors(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		self := task.Current(co)
		assert.ErrorIs(t, task.Throw(self, errZeroDivision), task.ErrThrowSelf)
		assert.ErrorIs(t, task.Interrupt(co, self, errZeroDivision), task.ErrThrowSelf)
		done := task.Create(co, func(co *iterco.Co) (int, error) { return 0, nil })
		future.Await[int](co, done)
		assert.ErrorIs(t, task.Throw(done, errZeroDivision), task.ErrThrowDone)
		cancelled := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Yield(co) })
		cancelled.Cancel("")
		assert.ErrorIs(t, task.Throw(cancelled, errZeroDivision), task.ErrThrowCancelled)
		assert.PanicsWithValue(t, "task.Throw: nil error", func() { task.Throw(cancelled, nil) })
		_, err := future.Await[int](co, cancelled)
		assert.ErrorIs(t, err, future.ErrCancelled)
		return 0, nil
	})
	require.NoError(t, err)
}

func TestThrowDetails(t *testing.T) {
	t.Run("a task that never ran gets the error at its start", func(t *testing.T) {
		ran := false
		_, err := run(t, func(co *iterco.Co) (int, error) {
			tk := task.Create(co, func(co *iterco.Co) (int, error) { ran = true; return 0, nil })
			require.NoError(t, task.Throw(tk, errZeroDivision))
			_, err := future.Await[int](co, tk)
			assert.ErrorIs(t, err, errZeroDivision)
			return 0, nil
		})
		require.NoError(t, err)
		assert.False(t, ran)
	})

	t.Run("a second throw replaces the first", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			tk := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Yield(co) })
			task.Yield(co)
			require.NoError(t, task.Throw(tk, errors.New("first")))
			require.NoError(t, task.Throw(tk, errors.New("second")))
			_, err := future.Await[int](co, tk)
			assert.EqualError(t, err, "second")
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("an InterruptError is a cancellation", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			tk := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, 1<<40) })
			task.Yield(co)
			require.NoError(t, task.Interrupt(co, tk, &task.InterruptError{Msg: "stop"}))
			_, err := future.Await[int](co, tk)
			assert.True(t, tk.Cancelled())
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.ErrorIs(t, err, context.Canceled)
			assert.EqualError(t, err, "task: interrupted: stop")
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("an eager task thrown into before its first queued step", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			tk := task.Create(co, func(co *iterco.Co) (int, error) {
				_, err := future.Await[int](co, task.NewFuture[int](co))
				tr.Add("got %v", err)
				return 0, err
			}, task.EagerStart(true))
			require.NoError(t, task.Throw(tk, errZeroDivision))
			_, err := future.Await[int](co, tk)
			assert.ErrorIs(t, err, errZeroDivision)
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"got division by zero"}, tr.Events)
	})
}

// A task whose cancel was delivered to what it waits on still has that
// cancellation pending until it runs: a Throw or Interrupt meanwhile is
// refused, and the task ends cancelled.
func TestThrowAfterACancelDeliveredToTheWait(t *testing.T) {
	tests := []struct {
		name string
		wait func(co *iterco.Co, f *future.Future[int]) error
	}{
		{"waiting on a future", func(co *iterco.Co, f *future.Future[int]) error {
			_, err := future.Await[int](co, f)
			return err
		}},
		{"sleeping", func(co *iterco.Co, _ *future.Future[int]) error { return task.Sleep(co, 1<<40) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				f := task.NewFuture[int](co)
				tk := task.Create(co, func(co *iterco.Co) (int, error) { return 0, tt.wait(co, f) })
				task.Yield(co)
				require.True(t, tk.Cancel(""))
				assert.ErrorIs(t, task.Throw(tk, errZeroDivision), task.ErrThrowCancelled)
				assert.ErrorIs(t, task.Interrupt(co, tk, errZeroDivision), task.ErrThrowCancelled)
				_, err := future.Await[int](co, tk)
				assert.ErrorIs(t, err, future.ErrCancelled)
				assert.True(t, tk.Cancelled())
				assert.Equal(t, 1, tk.Cancelling())
				tk.Uncancel()
				other := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Yield(co) })
				require.NoError(t, task.Throw(other, errZeroDivision), "a task with no cancel pending takes a throw")
				_, err = future.Await[int](co, other)
				assert.ErrorIs(t, err, errZeroDivision)
				return 0, nil
			})
			require.NoError(t, err)
		})
	}
}

// A task that parked on its first step (borrowing the scheduler's
// coroutine) is not the running task for code that runs after it.
func TestThrowFromACallbackAfterTheTargetParked(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		f := task.NewFuture[int](co)
		tk := task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, f) })
		l := task.LoopOf(co)
		var throwErr error
		l.CallSoon(func() { throwErr = task.Throw(tk, errZeroDivision) })
		_, err := future.Await[int](co, tk)
		require.NoError(t, throwErr)
		assert.ErrorIs(t, err, errZeroDivision)
		return 0, nil
	})
	require.NoError(t, err)
}
