package sync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func TestQueueAllEndsAtShutdown(t *testing.T) {
	for _, immediate := range []bool{false, true} {
		var got []int
		testkit.Run(t, func(co *iterco.Co) error {
			q := asyncsync.NewQueue[int](2)
			consumer := spawn(co, "consumer", func(co *iterco.Co) error {
				for v, err := range q.All(co) {
					if err != nil {
						return err
					}
					got = append(got, v)
				}
				return nil
			})
			for i := range 4 {
				if err := q.Put(co, i); err != nil {
					return err
				}
			}
			q.Shutdown(immediate)
			_, err := consumer.Await(co)
			return err
		})
		if immediate {
			// The two items still queued at the shutdown are dropped.
			assert.Equal(t, []int{0, 1}, got)
		} else {
			assert.Equal(t, []int{0, 1, 2, 3}, got, "drained, as a range over a closed channel")
		}
	}
}

func TestQueueAllYieldsTheErrorThatEndsAWait(t *testing.T) {
	testkit.Run(t, func(co *iterco.Co) error {
		var q asyncsync.Queue[string]
		var errs []error
		consumer := spawn(co, "consumer", func(co *iterco.Co) error {
			for v, err := range q.All(co) {
				if err != nil {
					errs = append(errs, err)
					continue // the range ends anyway
				}
				assert.Equal(t, "a", v)
			}
			return nil
		})
		q.TryPut("a")
		task.Yield(co)
		task.Yield(co)
		consumer.Cancel("stop")
		_, err := consumer.Await(co)
		require.NoError(t, err)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], future.ErrCancelled)
		return nil
	})
}

func TestQueueAllStopsWhenTheLoopBreaks(t *testing.T) {
	testkit.Run(t, func(co *iterco.Co) error {
		q := asyncsync.NewQueue[int](0)
		for i := range 3 {
			q.TryPut(i)
		}
		for v, err := range q.All(co) {
			require.NoError(t, err)
			if v == 1 {
				break
			}
		}
		assert.Equal(t, 1, q.Len(), "break takes nothing more")
		return nil
	})
}
