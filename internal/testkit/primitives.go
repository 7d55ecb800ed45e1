package testkit

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Locker is a task lock as the shared lock tests use it: the methods
// sync.Lock and priority.Lock have in common.
type Locker interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
	Locked() bool
}

// LockOwnerEndsAfterHandOff checks that a task holding the lock newLock
// returns while others wait is watched, however it came to hold it: if
// it ends without releasing the lock, the next waiter is handed it and
// the loop's exception handler is told once, with an error matching
// abandoned. The first waiter to take the lock after a release must watch
// itself, for the tasks behind it that found no owner to watch (one that
// asked while the lock was on its way to it) or that watched the owner
// before (one that queued behind it).
func LockOwnerEndsAfterHandOff(t *testing.T, newLock func() Locker, abandoned error) {
	tests := []struct {
		name string
		// cameInTransit: c asks once the lock was released to b, before b
		// takes it; otherwise c queues behind b while main holds it.
		cameInTransit bool
	}{
		{"c asked while the lock was on its way to b", true},
		{"c queued behind b before the release", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported []task.Exception
			tr := &Trace{}
			// Without a watch on b, c would wait for ever: the deadline only
			// ends such a hang, and nothing here depends on how long it is.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
				lock := newLock()
				require.NoError(t, lock.Acquire(co))
				b := task.Create(co, func(co *iterco.Co) (int, error) {
					if err := lock.Acquire(co); err != nil {
						return 0, err
					}
					tr.Add("b has it")
					task.Yield(co)
					return 0, nil // forgets to release
				}, task.Name("b"))
				var c *task.Task[int]
				queueC := func() {
					c = task.Create(co, func(co *iterco.Co) (int, error) {
						if err := lock.Acquire(co); err != nil {
							return 0, err
						}
						tr.Add("c has it")
						return 0, lock.Release(co)
					}, task.Name("c"))
				}
				if !tt.cameInTransit {
					queueC()
				}
				task.Yield(co) // b (and c) wait
				require.NoError(t, lock.Release(co))
				if tt.cameInTransit {
					queueC()
					require.NoError(t, task.Switch(co, c)) // c asks before b runs
				}
				_, err := future.Await[int](co, c)
				assert.True(t, b.Done())
				assert.False(t, lock.Locked())
				return 0, err
			}, Virtual(), task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e) }))
			require.NoError(t, err)
			assert.Equal(t, []string{"b has it", "c has it"}, tr.Events)
			require.Len(t, reported, 1)
			assert.ErrorIs(t, reported[0].Err, abandoned)
			assert.Equal(t, "b", reported[0].Task.Name())
		})
	}
}

// LockUnderEverySchedule runs, under every schedule tasktest explores,
// three tasks (made with the options of workers, one slice each) that take
// the lock newLock returns in turn, twice each, holding it across a
// yield, while main cancels the second at whatever point of it that
// schedule gives: the lock has one holder at a time, every release is the
// holder's, and the lock ends free.
func LockUnderEverySchedule(t *testing.T, newLock func() Locker, workers [3][]task.Option) {
	EverySchedule(t, func(co *iterco.Co) error {
		lock := newLock()
		holders := 0
		var broke error
		work := func(co *iterco.Co) (int, error) {
			for range 2 {
				if err := lock.Acquire(co); err != nil {
					return 0, err
				}
				if holders++; holders > 1 && broke == nil {
					broke = fmt.Errorf("%d tasks hold the lock", holders)
				}
				err := task.Yield(co)
				holders--
				if rerr := lock.Release(co); rerr != nil {
					return 0, rerr
				}
				if err != nil {
					return 0, err
				}
			}
			return 0, nil
		}
		var ts []*task.Task[int]
		for _, opts := range workers {
			ts = append(ts, task.Create(co, work, opts...))
		}
		task.Yield(co)
		ts[1].Cancel("")
		if err := AwaitOrCancelled(co, ts...); err != nil {
			return err
		}
		if broke != nil {
			return broke
		}
		if lock.Locked() {
			return errors.New("the lock is held at the end")
		}
		return nil
	})
}

// Condition is a condition variable as the shared condition test uses
// it: the methods sync.Condition and priority.Condition have in common.
type Condition interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
	Locked() bool
	Wait(co *iterco.Co) error
	Notify(n int)
}

// ConditionUnderEverySchedule runs, under every schedule tasktest
// explores, two tasks that wait on the condition newCond returns for an
// item and a third that makes one and notifies one waiter (made with the
// options of tasks, in that order), while main cancels the second waiter
// at some point of it: the item is never left while the other waiter
// stays blocked (a notification the cancelled one was handed passes on),
// and the lock ends free.
func ConditionUnderEverySchedule(t *testing.T, newCond func() Condition, tasks [3][]task.Option) {
	EverySchedule(t, func(co *iterco.Co) error {
		c := newCond()
		items := 0
		waiter := func(co *iterco.Co) (int, error) {
			if err := c.Acquire(co); err != nil {
				return 0, err
			}
			defer c.Release(co) //nolint:errcheck // held on every path
			for items == 0 {
				if err := c.Wait(co); err != nil {
					return 0, err
				}
			}
			items--
			return 0, nil
		}
		maker := func(co *iterco.Co) (int, error) {
			if err := c.Acquire(co); err != nil {
				return 0, err
			}
			items++
			c.Notify(1)
			return 0, c.Release(co)
		}
		a, b, m := task.Create(co, waiter, tasks[0]...), task.Create(co, waiter, tasks[1]...), task.Create(co, maker, tasks[2]...)
		task.Yield(co)
		b.Cancel("")
		if err := AwaitOrCancelled(co, b, m); err != nil {
			return err
		}
		if items > 0 && task.IsBlocked(a) {
			return errors.New("an item is left and its notification lost: the other waiter stays blocked")
		}
		if items == 0 {
			a.Cancel("") // b took the item: a waits for another
		}
		if err := AwaitOrCancelled(co, a); err != nil {
			return err
		}
		if items != 0 || c.Locked() {
			return fmt.Errorf("%d items left, the lock held: %v", items, c.Locked())
		}
		return nil
	})
}

// AwaitOrCancelled awaits ts and returns the first error one of them
// ended with; a cancellation is not an error.
func AwaitOrCancelled(co *iterco.Co, ts ...*task.Task[int]) error {
	for _, x := range ts {
		if _, err := x.Await(co); err != nil && !errors.Is(err, future.ErrCancelled) {
			return err
		}
	}
	return nil
}
