package task_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestGroupLimitBoundsTheChildrenRunning(t *testing.T) {
	for _, limit := range []int{1, 2, 3, 6} {
		running, most, ran := 0, 0, 0
		took, err := run(t, func(co *iterco.Co) (time.Duration, error) {
			start := task.LoopOf(co).Now()
			err := task.WithGroup(co, func(g *task.Group) error {
				g.SetLimit(limit)
				for range 6 {
					g.Go(co, func(co *iterco.Co) error {
						running++
						most = max(most, running)
						defer func() { running--; ran++ }()
						return task.Sleep(co, time.Second)
					})
				}
				return nil
			})
			return task.LoopOf(co).Now().Sub(start), err
		})
		require.NoError(t, err)
		assert.Equal(t, limit, most, "limit %d", limit)
		assert.Equal(t, 6, ran)
		assert.Equal(t, time.Duration((6+limit-1)/limit)*time.Second, took, "limit %d", limit)
	}
}

func TestGroupTryGoAtTheLimit(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (struct{}, error) {
		return struct{}{}, task.WithGroup(co, func(g *task.Group) error {
			g.SetLimit(1)
			first, ok := g.TryGo(co, func(co *iterco.Co) error { return task.Yield(co) })
			require.True(t, ok)
			require.NotNil(t, first)
			second, ok := g.TryGo(co, func(co *iterco.Co) error { return nil })
			assert.False(t, ok)
			assert.Nil(t, second)
			assert.Panics(t, func() { g.SetLimit(2) }, "a limit changed while children run")
			if _, err := first.Await(co); err != nil {
				return err
			}
			third, ok := g.TryGo(co, func(co *iterco.Co) error { return nil })
			assert.True(t, ok)
			require.NotNil(t, third)
			if _, err := third.Await(co); err != nil {
				return err
			}
			g.SetLimit(0)
			_, ok = g.TryGo(co, func(co *iterco.Co) error { return nil })
			assert.False(t, ok, "limit 0 starts nothing")
			return nil
		})
	})
	require.NoError(t, err)
}

func TestGroupGoWaitingForASlot(t *testing.T) {
	boom := errors.New("boom")
	t.Run("a child fails", func(t *testing.T) {
		var late *task.Task[struct{}]
		_, err := run(t, func(co *iterco.Co) (struct{}, error) {
			return struct{}{}, task.WithGroup(co, func(g *task.Group) error {
				g.SetLimit(1)
				g.Go(co, func(co *iterco.Co) error {
					task.Yield(co)
					return boom
				})
				late = g.Go(co, func(co *iterco.Co) error { return nil }) // waits, then the group aborts
				return nil
			})
		})
		assert.ErrorIs(t, err, boom)
		assert.ErrorIs(t, late.Err(), task.ErrGroupAborting)
	})
	t.Run("the body is cancelled", func(t *testing.T) {
		var first, late *task.Task[struct{}]
		_, err := run(t, func(co *iterco.Co) (struct{}, error) {
			body := task.Create(co, task.Proc(func(co *iterco.Co) error {
				return task.WithGroup(co, func(g *task.Group) error {
					g.SetLimit(1)
					first = g.Go(co, func(co *iterco.Co) error { return task.Sleep(co, time.Hour) })
					late = g.Go(co, func(co *iterco.Co) error { return nil })
					return nil
				})
			}))
			task.Sleep(co, time.Second)
			body.Cancel("enough")
			_, err := body.Await(co)
			return struct{}{}, err
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "enough")
		assert.True(t, first.Cancelled(), "the running child is cancelled")
		assert.Contains(t, late.Err().Error(), "enough", "the waiting Go gets the cancellation")
	})
}

func TestGroupChildrenAreTheirTasks(t *testing.T) {
	var made, seen []task.Any
	_, err := run(t, func(co *iterco.Co) (int, error) {
		return 0, task.WithGroup(co, func(g *task.Group) error {
			for range 3 {
				made = append(made, g.Go(co, func(co *iterco.Co) error {
					seen = append(seen, task.Current(co))
					return nil
				}))
			}
			return nil
		})
	})
	require.NoError(t, err)
	assert.Equal(t, made, seen, "each child runs as the task Go returned")
}

func TestAGroupChildIsOneAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	t.Setenv("ASYNKIT_DEBUG", "0") // debug mode keeps each task's age
	var allocs float64
	_, err := run(t, func(co *iterco.Co) (int, error) {
		return 0, task.WithGroup(co, func(g *task.Group) error {
			nop := func(*iterco.Co) error { return nil }
			g.Go(co, nop) // the group's first slab of child slots
			allocs = testing.AllocsPerRun(16, func() { g.Go(co, nop) })
			return nil
		})
	})
	require.NoError(t, err)
	assert.Equal(t, 1.0, allocs)
}
