package sync

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestDebugModeFindsALockHandedToTwo(t *testing.T) {
	var got []error
	_, err := task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		var l Lock
		if err := l.Acquire(co); err != nil {
			return err
		}
		b := task.Create(co, task.Proc(func(co *iterco.Co) error {
			if err := l.Acquire(co); err != nil {
				return err
			}
			return l.Release(co)
		}))
		task.Yield(co) // b waits
		// A broken primitive: a second waiter marked as handed the lock.
		w := l.waiters.Add(task.LoopOf(co), 0, nil)
		w.Granted = true
		w.SetResult(struct{}{})
		l.Release(co)
		_, err := b.Await(co)
		l.waiters.Remove(w)
		return err
	}), task.WithDebug(task.DebugOptions{}), task.WithExceptionHandler(func(e task.Exception) { got = append(got, e.Err) }))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, errors.Is(got[0], task.ErrInvariant))
	assert.Contains(t, got[0].Error(), "asyncsync.Lock held by")
}

// Two tasks that take a lock in turn are each watched while others wait,
// and a lock that nobody waits for any more watches no task: it is in no
// task's waiter list, where a lock that went out of use would be kept
// alive by a task that once owned it.
func TestAnIdleLockWatchesNoTask(t *testing.T) {
	_, err := task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		var l Lock
		require.NoError(t, l.Acquire(co))
		end := task.NewFuture[int](co) // b lives on until main is done
		b := task.Create(co, task.Proc(func(co *iterco.Co) error {
			if err := l.Acquire(co); err != nil {
				return err
			}
			task.Yield(co)
			if err := l.Release(co); err != nil {
				return err
			}
			_, err := end.Await(co)
			return err
		}))
		task.Yield(co) // b waits
		assert.Equal(t, 1, l.watch.Watching(), "the owner, while b waits")
		require.NoError(t, l.Release(co))
		assert.Equal(t, 1, l.watch.Watching(), "still, while b waits for the lock on its way")
		require.NoError(t, l.Acquire(co)) // behind b, which takes it and watches itself
		assert.Equal(t, 2, l.watch.Watching(), "both")
		require.NoError(t, l.Release(co))
		assert.Equal(t, 0, l.watch.Watching(), "nobody waits")
		end.SetResult(0)
		_, err := b.Await(co)
		return err
	}))
	require.NoError(t, err)
}
