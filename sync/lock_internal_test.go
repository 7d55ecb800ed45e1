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
