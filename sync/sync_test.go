package sync_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// spawn creates a task running fn that returns only an error.
func spawn(co *iterco.Co, name string, fn func(co *iterco.Co) error) *task.Task[int] {
	return task.Create(co, func(co *iterco.Co) (int, error) { return 0, fn(co) }, task.Name(name))
}

// The cases asyncio got wrong for years, with an interruption (task.Throw)
// instead of a cancellation: a waiter handed the lock or a permit and
// interrupted before it runs passes it on, and a condition waiter holds
// the lock again.
func TestInterruptSafety(t *testing.T) {
	interrupt := errors.New("interrupted")
	t.Run("lock", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			a, b := twoWaiters(co, &lock, tr)
			lock.Release(co) // a is handed the lock...
			require.NoError(t, task.Throw(a, interrupt))
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, interrupt)
			_, err = future.Await[int](co, b)
			return err
		})
		assert.Equal(t, []string{"b has it"}, tr.Events)
	})

	t.Run("semaphore", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewSemaphore(0)
			a, b := twoAcquirers(co, sem)
			sem.Release()
			require.NoError(t, task.Interrupt(co, a, interrupt))
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, interrupt)
			_, err = future.Await[int](co, b)
			assert.Equal(t, 0, sem.Value())
			return err
		})
	})

	t.Run("condition", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			var held bool
			w := spawn(co, "w", func(co *iterco.Co) error {
				cond.Acquire(co)
				defer cond.Release(co)
				err := cond.Wait(co)
				held = cond.Lock().Owner() == task.Current(co)
				return err
			})
			task.Yield(co)
			require.NoError(t, task.Interrupt(co, w, interrupt))
			_, err := future.Await[int](co, w)
			assert.ErrorIs(t, err, interrupt)
			assert.True(t, held, "Wait holds the lock again when interrupted")
			assert.False(t, cond.Locked())
			return nil
		})
	})
}

func TestSizes(t *testing.T) {
	testkit.Run(t, func(co *iterco.Co) error {
		q := asyncsync.NewQueue[int](4)
		q.Put(co, 1)
		assert.Equal(t, 1, q.Len())
		assert.Equal(t, 4, q.Cap())
		assert.Equal(t, 0, asyncsync.NewLifoQueue[int](-1).Cap(), "0 or less: unbounded")
		assert.Equal(t, 3, asyncsync.NewBarrier(3).Parties())
		assert.Panics(t, func() { asyncsync.NewBarrier(0) })
		assert.Panics(t, func() { asyncsync.NewPriorityQueue[int](0, nil) })
		return nil
	})
}

func TestMisuseThatWouldHang(t *testing.T) {
	t.Run("the owner acquiring its lock again", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			require.NoError(t, lock.Acquire(co))
			assert.ErrorIs(t, lock.Acquire(co), asyncsync.ErrDeadlock)
			assert.Equal(t, task.Current(co), lock.Owner(), "still held, once")
			return lock.Release(co)
		})
	})
	t.Run("a zero Barrier panics naming its constructor", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			var b asyncsync.Barrier
			assert.PanicsWithValue(t, "sync.Barrier.Wait: zero Barrier; make one with NewBarrier", func() { b.Wait(co) })
			return nil
		})
	})
}

func TestZeroValuesWork(t *testing.T) {
	t.Run("a zero Queue is an unbounded FIFO", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			var q asyncsync.Queue[int]
			assert.True(t, q.Empty())
			for i := range 3 {
				require.NoError(t, q.Put(co, i))
			}
			assert.Equal(t, 3, q.Len())
			assert.Equal(t, 0, q.Cap())
			for i := range 3 {
				v, err := q.Get(co)
				require.NoError(t, err)
				assert.Equal(t, i, v)
			}
			return nil
		})
	})
	t.Run("a zero Condition has a lock of its own", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			var c asyncsync.Condition
			waiter := spawn(co, "waiter", func(co *iterco.Co) error {
				if err := c.Acquire(co); err != nil {
					return err
				}
				defer c.Release(co)
				if err := c.Wait(co); err != nil {
					return err
				}
				tr.Add("notified")
				return nil
			})
			task.Yield(co)
			require.NoError(t, c.Acquire(co))
			c.Notify(1)
			require.NoError(t, c.Release(co))
			_, err := future.Await[int](co, waiter)
			return err
		})
		assert.Equal(t, []string{"notified"}, tr.Events)
	})
}
