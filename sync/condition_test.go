package sync_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func TestCondition(t *testing.T) {
	t.Run("notify wakes waiters in order, and they hold the lock", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			ready := 0
			var ts []*task.Task[int]
			for i := range 4 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					if err := cond.Acquire(co); err != nil {
						return err
					}
					defer cond.Release(co)
					err := cond.WaitFor(co, func() bool { return ready > 0 })
					assert.True(t, cond.Locked())
					tr.Add("%d woke", i)
					return err
				}))
			}
			task.Yield(co)
			cond.Acquire(co)
			ready = 1
			cond.Notify(2)
			cond.Release(co)
			for len(tr.Events) < 2 { // the two notified run first
				task.Yield(co)
			}
			tr.Add("then all")
			cond.Acquire(co)
			cond.NotifyAll()
			cond.Release(co)
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			return nil
		})
		assert.Equal(t, []string{"0 woke", "1 woke", "then all", "2 woke", "3 woke"}, tr.Events)
	})

	t.Run("a cancelled waiter holds the lock again and passes its notification on", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			waiter := func(name string) *task.Task[int] {
				return spawn(co, name, func(co *iterco.Co) error {
					cond.Acquire(co)
					defer cond.Release(co)
					err := cond.Wait(co)
					tr.Add("%s: %v locked=%v", name, err, cond.Locked() && cond.Lock().Owner() == task.Current(co))
					return nil
				})
			}
			a, b := waiter("a"), waiter("b")
			task.Yield(co)
			cond.Acquire(co)
			cond.Notify(1) // goes to a...
			a.Cancel("")   // ...which is cancelled before it runs
			cond.Release(co)
			future.Await[int](co, a)
			_, err := future.Await[int](co, b)
			return err
		})
		assert.Equal(t, []string{"a: future: cancelled locked=true", "b: <nil> locked=true"}, tr.Events)
	})

	t.Run("waiting without the lock is an error", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			assert.ErrorIs(t, cond.Wait(co), asyncsync.ErrNotLocked)
			return nil
		})
	})
}
