package sync_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// twoWaiters takes lock and lines up two tasks behind it: a, which only
// acquires, then b, which logs once it holds the lock; both wait when it
// returns.
func twoWaiters(co *iterco.Co, lock *asyncsync.Lock, tr *testkit.Trace) (a, b *task.Task[int]) {
	lock.Acquire(co)
	a = spawn(co, "a", func(co *iterco.Co) error { return lock.Acquire(co) })
	b = logWhenHeld(co, lock, tr, "b")
	task.Yield(co)
	return a, b
}

// logWhenHeld spawns a task that takes lock, logs that it has it, and
// lets it go.
func logWhenHeld(co *iterco.Co, lock *asyncsync.Lock, tr *testkit.Trace, name string) *task.Task[int] {
	return spawn(co, name, func(co *iterco.Co) error {
		if err := lock.Acquire(co); err != nil {
			return err
		}
		tr.Add("%s has it", name)
		return lock.Release(co)
	})
}

func TestLock(t *testing.T) {
	t.Run("waiters get the lock in arrival order, newcomers queue behind", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			require.NoError(t, lock.Acquire(co))
			var ts []*task.Task[int]
			for i := range 3 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						return err
					}
					tr.Add("%d has it", i)
					task.Yield(co)
					return lock.Release(co)
				}))
			}
			task.Yield(co)
			require.NoError(t, lock.Release(co))
			assert.False(t, lock.TryAcquire(co), "handed to a waiter: no barging")
			late := spawn(co, "late", func(co *iterco.Co) error {
				if err := lock.Acquire(co); err != nil {
					return err
				}
				tr.Add("late has it")
				return lock.Release(co)
			})
			ts = append(ts, late)
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			assert.False(t, lock.Locked())
			return nil
		})
		assert.Equal(t, []string{"0 has it", "1 has it", "2 has it", "late has it"}, tr.Events)
	})

	t.Run("uncontended acquire and release neither suspend nor allocate", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			other := spawn(co, "other", func(co *iterco.Co) error { return nil })
			allocs := testing.AllocsPerRun(100, func() {
				lock.Acquire(co)
				lock.Release(co)
			})
			assert.Zero(t, allocs)
			assert.False(t, other.Done(), "no suspension let the other task run")
			_, err := future.Await[int](co, other)
			return err
		})
	})

	t.Run("a waiter cancelled while waiting leaves no trace", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			a, b := twoWaiters(co, &lock, tr)
			a.Cancel("")
			task.Yield(co)
			assert.True(t, a.Cancelled())
			lock.Release(co)
			_, err := future.Await[int](co, b)
			return err
		})
		assert.Equal(t, []string{"b has it"}, tr.Events)
	})

	t.Run("a waiter handed the lock and cancelled before it runs passes it on", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			a, b := twoWaiters(co, &lock, tr)
			lock.Release(co) // a is woken with the lock...
			a.Cancel("")     // ...and cancelled before it runs
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, future.ErrCancelled)
			_, err = future.Await[int](co, b)
			assert.False(t, lock.Locked())
			return err
		})
		assert.Equal(t, []string{"b has it"}, tr.Events)
	})

	t.Run("a cancelled waiter does not hand the lock to a second waiter", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			lock.Acquire(co)
			holders := 0
			waiter := func(name string) *task.Task[int] {
				return spawn(co, name, func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						tr.Add("%s: %v", name, err)
						return err
					}
					holders++
					tr.Add("%s has it, holders=%d", name, holders)
					task.Yield(co)
					holders--
					return lock.Release(co)
				})
			}
			w0, w1, w2 := waiter("w0"), waiter("w1"), waiter("w2")
			task.Yield(co)
			w1.Cancel("")    // w1 leaves first...
			lock.Release(co) // ...while w0 holds a grant it has not used yet
			return task.GatherTasks(co, w0, w2)
		})
		assert.Equal(t, []string{"w1: future: cancelled", "w0 has it, holders=1", "w2 has it, holders=1"}, tr.Events)
	})

	t.Run("misuse", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			assert.ErrorIs(t, lock.Release(co), asyncsync.ErrNotLocked)
			lock.Acquire(co)
			other := spawn(co, "other", func(co *iterco.Co) error { return lock.Release(co) })
			_, err := future.Await[int](co, other)
			assert.ErrorIs(t, err, asyncsync.ErrNotOwner)
			assert.Same(t, task.Current(co), lock.Owner())
			return lock.Release(co)
		})
	})

	t.Run("used from a second loop", func(t *testing.T) {
		var lock asyncsync.Lock
		testkit.Run(t, func(co *iterco.Co) error {
			lock.Acquire(co)
			return lock.Release(co)
		})
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 0, lock.Acquire(co) })
		assert.ErrorIs(t, err, task.ErrWrongLoop)
	})
}

// Two tasks that take the lock again as soon as they release it take it
// in strict turn once the second waits for it: a release hands the lock
// to the task waiting, and the next Acquire queues behind it. (The
// LockContended benchmark counts on it: every acquisition a hand-off.)
func TestLockReleasedAndRetakenAlternates(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		var lock asyncsync.Lock
		side := func(name string, first bool) func(co *iterco.Co) error {
			return func(co *iterco.Co) error {
				for i := range 4 {
					if err := lock.Acquire(co); err != nil {
						return err
					}
					tr.Add("%s%d", name, i)
					if first && i == 0 {
						task.Yield(co) // the other task comes to wait
					}
					if err := lock.Release(co); err != nil {
						return err
					}
				}
				return nil
			}
		}
		a, b := spawn(co, "a", side("a", true)), spawn(co, "b", side("b", false))
		_, err := task.Gather[int](co, a, b)
		return err
	})
	assert.Equal(t, []string{"a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3"}, tr.Events)
}

func TestEagerStartThatBlocksOnALock(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		var lock asyncsync.Lock
		require.NoError(t, lock.Acquire(co))
		child := task.Create(co, func(co *iterco.Co) (int, error) {
			tr.Add("child starts")
			if err := lock.Acquire(co); err != nil {
				return 0, err
			}
			tr.Add("child has the lock")
			return 0, lock.Release(co)
		}, task.EagerStart(true))
		tr.Add("creator goes on")
		require.NoError(t, lock.Release(co))
		_, err := future.Await[int](co, child)
		return err
	})
	assert.Equal(t, []string{"child starts", "creator goes on", "child has the lock"}, tr.Events)
}

// TestExclusionUnderRandomCancellation has many tasks take a lock and a
// semaphore's permits while others cancel them at random points: never
// two holders of the lock, never more holders than permits, and at the
// end everything is free again.
func TestExclusionUnderRandomCancellation(t *testing.T) {
	for seed := range int64(20) {
		testkit.Run(t, func(co *iterco.Co) error {
			rng := rand.New(rand.NewSource(seed))
			var lock asyncsync.Lock
			sem := asyncsync.NewSemaphore(3)
			holders, permits := 0, 0
			var ts []*task.Task[int]
			for i := range 30 {
				steps := 1 + rng.Intn(4)
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					for range steps {
						if err := lock.Acquire(co); err != nil {
							return err
						}
						holders++
						require.Equal(t, 1, holders)
						err := task.Yield(co)
						holders--
						require.NoError(t, lock.Release(co))
						if err != nil {
							return err
						}
						if err := sem.Acquire(co); err != nil {
							return err
						}
						permits++
						require.LessOrEqual(t, permits, 3)
						err = task.Yield(co)
						permits--
						sem.Release()
						if err != nil {
							return err
						}
					}
					return nil
				}))
			}
			for range 40 {
				if rng.Intn(3) == 0 {
					ts[rng.Intn(len(ts))].Cancel("")
				}
				task.Yield(co)
			}
			for _, x := range ts {
				future.Await[int](co, x) //nolint:errcheck // cancelled or not
			}
			assert.False(t, lock.Locked())
			assert.Equal(t, 3, sem.Value())
			assert.True(t, lock.TryAcquire(co), "nobody is left waiting")
			return lock.Release(co)
		})
	}
}

// A task that ends holding a Lock does not leave it held forever: the
// lock passes to its next waiter (or to the next task that asks), and the
// loop's exception handler is told once.
func TestLockOwnerEndsHoldingIt(t *testing.T) {
	tests := []struct {
		name       string
		waitBefore bool // a waiter queued before the owner ended
		ownerErr   error
	}{
		{"a waiter queued before the owner ended", true, nil},
		{"a task that asks after the owner ended", false, nil},
		{"an owner that failed", true, errors.New("owner failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported []task.Exception
			tr := &testkit.Trace{}
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
				var lock asyncsync.Lock
				owner := task.Create(co, func(co *iterco.Co) (int, error) {
					if err := lock.Acquire(co); err != nil {
						return 0, err
					}
					task.Yield(co)
					return 0, tt.ownerErr // forgets to release
				}, task.Name("owner"))
				task.Yield(co)
				var waiter *task.Task[int]
				if tt.waitBefore {
					waiter = logWhenHeld(co, &lock, tr, "waiter")
				}
				for !owner.Done() {
					task.Yield(co)
				}
				if !tt.waitBefore {
					waiter = logWhenHeld(co, &lock, tr, "waiter")
				}
				_, err := future.Await[int](co, waiter)
				assert.False(t, lock.Locked())
				return 0, err
			}, task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e) }))
			require.NoError(t, err)
			assert.Equal(t, []string{"waiter has it"}, tr.Events)
			require.Len(t, reported, 1)
			assert.ErrorIs(t, reported[0].Err, asyncsync.ErrAbandoned)
			assert.Equal(t, "owner", reported[0].Task.Name())
			if tt.ownerErr != nil {
				assert.ErrorIs(t, reported[0].Err, tt.ownerErr, "the owner's own error is not lost")
			}
		})
	}
}

// A task that holds the lock while others wait is watched, however it
// came to hold it.
func TestLockOwnerEndsHoldingItAfterAHandOff(t *testing.T) {
	testkit.LockOwnerEndsAfterHandOff(t, func() testkit.Locker { return new(asyncsync.Lock) }, asyncsync.ErrAbandoned)
}
