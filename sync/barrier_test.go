package sync_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func TestBarrier(t *testing.T) {
	t.Run("rounds release together and the barrier is reused", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(3)
			var ts []*task.Task[int]
			for i := range 3 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					for round := range 3 {
						tr.Add("%d arrives %d", i, round)
						idx, err := b.Wait(co)
						if err != nil {
							return err
						}
						tr.Add("%d leaves %d as %d", i, round, idx)
					}
					return nil
				}))
			}
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			assert.Equal(t, 0, b.NWaiting())
			return nil
		})
		require.Len(t, tr.Events, 18)
		pos := map[string]int{}
		for i, e := range tr.Events {
			pos[e] = i
		}
		for round := range 3 {
			var indices []int
			lastArrival, firstLeave, lastLeave := -1, len(tr.Events), -1
			for i := range 3 {
				lastArrival = max(lastArrival, pos[fmt.Sprintf("%d arrives %d", i, round)])
				for idx := range 3 {
					if at, ok := pos[fmt.Sprintf("%d leaves %d as %d", i, round, idx)]; ok {
						indices = append(indices, idx)
						firstLeave, lastLeave = min(firstLeave, at), max(lastLeave, at)
					}
				}
			}
			assert.ElementsMatch(t, []int{0, 1, 2}, indices, "round %d", round)
			assert.Less(t, lastArrival, firstLeave, "round %d: nobody leaves before all arrived", round)
			if round < 2 {
				for i := range 3 {
					for idx := range 3 {
						if at, ok := pos[fmt.Sprintf("%d leaves %d as %d", i, round+1, idx)]; ok {
							assert.Less(t, lastLeave, at, "round %d drains before round %d is released", round, round+1)
						}
					}
				}
			}
		}
	})

	t.Run("abort breaks it for waiters and later callers, reset mends it", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(2)
			waiter := spawn(co, "w", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co)
			assert.Equal(t, 1, b.NWaiting())
			b.Abort()
			_, err := future.Await[int](co, waiter)
			assert.ErrorIs(t, err, asyncsync.ErrBrokenBarrier)
			_, err = b.Wait(co)
			assert.ErrorIs(t, err, asyncsync.ErrBrokenBarrier)
			assert.True(t, b.Broken())
			b.Reset()
			assert.False(t, b.Broken())
			other := spawn(co, "o", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			_, err = b.Wait(co)
			require.NoError(t, err)
			_, err = future.Await[int](co, other)
			return err
		})
	})

	t.Run("a waiter released and cancelled before it runs sees the cancellation", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(2)
			w := spawn(co, "w", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co)
			_, err := b.Wait(co) // releases w...
			require.NoError(t, err)
			w.Cancel("") // ...which is cancelled before it runs
			_, err = future.Await[int](co, w)
			assert.ErrorIs(t, err, future.ErrCancelled)
			other := spawn(co, "o", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			_, err = b.Wait(co)
			require.NoError(t, err, "the next round works")
			_, err = future.Await[int](co, other)
			return err
		})
	})

	t.Run("a cancelled waiter leaves the round as if it never came", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(2)
			c := spawn(co, "c", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co)
			c.Cancel("")
			_, err := future.Await[int](co, c)
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.Equal(t, 0, b.NWaiting())
			d := spawn(co, "d", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co) // d arrives first
			idx, err := b.Wait(co)
			assert.Equal(t, 1, idx)
			require.NoError(t, err)
			_, err = future.Await[int](co, d)
			return err
		})
	})
}

// asyncio breaks the tasks a released round has not resumed yet when the
// barrier is reset, as it does for Abort.
func TestBarrierResetWhileARoundDrains(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		b := asyncsync.NewBarrier(3)
		var ts []*task.Task[int]
		for _, name := range []string{"a", "b"} {
			ts = append(ts, spawn(co, name, func(co *iterco.Co) error {
				i, err := b.Wait(co)
				tr.Add("%s: %d %v", name, i, err)
				return nil
			}))
		}
		task.Yield(co)
		i, err := b.Wait(co) // releases a and b, which have not run yet
		tr.Add("main: %d %v", i, err)
		b.Reset()
		assert.False(t, b.Broken())
		for _, tk := range ts {
			future.Await[int](co, tk)
		}
		return nil
	})
	assert.Equal(t, []string{"main: 2 <nil>", "a: 0 sync: barrier is broken", "b: 0 sync: barrier is broken"}, tr.Events)
}
