package sync_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func TestSemaphore(t *testing.T) {
	t.Run("permits go to waiters in order", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewSemaphore(2)
			var ts []*task.Task[int]
			for i := range 5 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					if err := sem.Acquire(co); err != nil {
						return err
					}
					tr.Add("%d in", i)
					task.Sleep(co, time.Millisecond)
					tr.Add("%d out", i)
					sem.Release()
					return nil
				}))
			}
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			assert.Equal(t, 2, sem.Value())
			return nil
		})
		assert.Equal(t, []string{"0 in", "1 in", "0 out", "1 out", "2 in", "3 in", "2 out", "3 out", "4 in", "4 out"}, tr.Events)
	})

	t.Run("a permit handed to a cancelled waiter goes to the next", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewSemaphore(0)
			a, b := twoAcquirers(co, sem)
			sem.Release()
			a.Cancel("")
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, future.ErrCancelled)
			_, err = future.Await[int](co, b)
			assert.Equal(t, 0, sem.Value())
			return err
		})
	})

	t.Run("bounded", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewBoundedSemaphore(1)
			assert.ErrorIs(t, sem.Release(), asyncsync.ErrReleasedTooMany)
			assert.True(t, sem.TryAcquire(co))
			assert.False(t, sem.TryAcquire(co))
			assert.NoError(t, sem.Release())
			assert.Equal(t, 1, sem.Value())
			return nil
		})
		assert.Panics(t, func() { asyncsync.NewSemaphore(-1) })
	})
}

// twoAcquirers lines up two tasks, a then b, waiting on a semaphore that
// has no permit; both wait when it returns.
func twoAcquirers(co *iterco.Co, sem *asyncsync.Semaphore) (a, b *task.Task[int]) {
	a = spawn(co, "a", func(co *iterco.Co) error { return sem.Acquire(co) })
	b = spawn(co, "b", func(co *iterco.Co) error { return sem.Acquire(co) })
	task.Yield(co)
	return a, b
}
