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

func TestEvent(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		var ev asyncsync.Event
		var ts []*task.Task[int]
		for i := range 3 {
			ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
				err := ev.Wait(co)
				tr.Add("%d woke", i)
				return err
			}))
		}
		cancelled := spawn(co, "cancelled", func(co *iterco.Co) error { return ev.Wait(co) })
		task.Yield(co)
		cancelled.Cancel("")
		tr.Add("set")
		ev.Set()
		assert.True(t, ev.IsSet())
		assert.NoError(t, ev.Wait(co), "a set event does not block")
		for _, x := range ts {
			future.Await[int](co, x)
		}
		ev.Clear()
		assert.False(t, ev.IsSet())
		_, err := future.Await[int](co, cancelled)
		assert.ErrorIs(t, err, future.ErrCancelled)
		return nil
	})
	assert.Equal(t, []string{"set", "0 woke", "1 woke", "2 woke"}, tr.Events)
}
