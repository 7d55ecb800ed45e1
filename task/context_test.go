package task_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

var errShutdown = errors.New("shutting down")

// waitForever awaits a future nobody completes.
func waitForever(co *iterco.Co) (int, error) {
	return future.Await[int](co, task.NewFuture[int](co))
}

func TestContextOptionCancelsTheTask(t *testing.T) {
	tests := []struct {
		name   string
		cancel func(context.CancelCauseFunc)
		cause  error // context.Cause inside the task
	}{
		{"cancelled", func(cancel context.CancelCauseFunc) { cancel(nil) }, context.Canceled},
		{"cancelled with a cause", func(cancel context.CancelCauseFunc) { cancel(errShutdown) }, errShutdown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				ctx, cancel := context.WithCancelCause(context.Background())
				var inside error
				child := task.Create(co, func(co *iterco.Co) (int, error) {
					_, err := waitForever(co)
					inside = context.Cause(co.Context())
					return 0, err
				}, task.Context(ctx))
				task.Yield(co)
				tt.cancel(cancel) // from this goroutine or any other
				_, err := future.Await[int](co, child)
				assert.ErrorIs(t, err, future.ErrCancelled)
				assert.ErrorIs(t, err, context.Canceled, "ctx.Err()")
				assert.ErrorIs(t, err, tt.cause, "context.Cause(ctx)")
				assert.Equal(t, tt.cause, inside)
				assert.True(t, child.Cancelled())
				return 0, nil
			})
			require.NoError(t, err)
		})
	}

	t.Run("a context that ends after the task does not touch it", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			ctx, cancel := context.WithCancel(context.Background())
			child := task.Create(co, func(co *iterco.Co) (int, error) { return 3, nil }, task.Context(ctx))
			v, err := future.Await[int](co, child)
			cancel()
			task.Yield(co)
			assert.Equal(t, 0, child.Cancelling())
			return v, err
		})
		require.NoError(t, err)
	})
}

func TestRunKeepsWhyItWasCancelled(t *testing.T) {
	t.Run("a deadline", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0)) // passed already
		defer cancel()
		_, err := task.Run(ctx, waitForever)
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("a cause", func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(errShutdown)
		_, err := task.Run(ctx, waitForever)
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.ErrorIs(t, err, errShutdown)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestCancelCause(t *testing.T) {
	tests := []struct {
		name string
		wait func(co *iterco.Co) error
	}{
		{"waiting on a future", func(co *iterco.Co) error { _, err := waitForever(co); return err }},
		{"waiting on a task, which is cancelled with the same cause", func(co *iterco.Co) error {
			inner := task.Create(co, waitForever)
			_, err := future.Await[int](co, inner)
			if !errors.Is(inner.Err(), errShutdown) {
				return errors.New("the inner task lost the cause")
			}
			return err
		}},
		{"running: delivered at its next suspension", func(co *iterco.Co) error {
			task.Current(co).(*task.Task[int]).CancelCause(errShutdown)
			return task.Yield(co)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				var cause error
				child := task.Create(co, func(co *iterco.Co) (int, error) {
					err := tt.wait(co)
					cause = context.Cause(co.Context())
					return 0, err
				})
				task.Yield(co)
				child.CancelCause(errShutdown)
				_, err := future.Await[int](co, child)
				assert.ErrorIs(t, err, future.ErrCancelled)
				assert.ErrorIs(t, err, context.Canceled)
				assert.ErrorIs(t, err, errShutdown)
				assert.EqualError(t, err, "future: cancelled: shutting down")
				assert.ErrorIs(t, cause, errShutdown)
				assert.True(t, child.Cancelled())
				return 0, nil
			})
			require.NoError(t, err)
		})
	}
	t.Run("a nil cause is a plain cancel", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, waitForever)
			task.Yield(co)
			child.CancelCause(nil)
			_, err := future.Await[int](co, child)
			assert.Equal(t, future.ErrCancelled, err)
			return 0, nil
		})
		require.NoError(t, err)
	})
	t.Run("a future keeps its cause", func(t *testing.T) {
		f := new(future.Future[int])
		require.True(t, f.CancelCause(context.DeadlineExceeded))
		assert.False(t, f.CancelCause(errShutdown), "once")
		assert.True(t, f.Cancelled())
		assert.ErrorIs(t, f.Err(), context.DeadlineExceeded)
		assert.ErrorIs(t, f.Err(), future.ErrCancelled)
		assert.Equal(t, future.ErrCancelled, future.CancelCauseError(nil))
	})
}
