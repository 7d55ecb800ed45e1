package task_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestLoopOptionsApplyOverTheDefaults(t *testing.T) {
	t.Run("a nil value keeps the default", func(t *testing.T) {
		l := task.NewLoop(task.WithQueue(nil), task.WithExceptionHandler(nil), virtual())
		defer l.Close()
		tr := &trace{}
		v, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
			task.Create(co, tr.logger("a"))
			task.Create(co, tr.logger("b"))
			return 1, task.Yield(co)
		})
		require.NoError(t, err)
		assert.Equal(t, 1, v)
		assert.Equal(t, []string{"a", "b"}, tr.Events, "the default FIFO queue")
	})
	t.Run("a later option wins", func(t *testing.T) {
		var got []string
		first := func(task.Exception) { got = append(got, "first") }
		second := func(task.Exception) { got = append(got, "second") }
		l := task.NewLoop(task.WithExceptionHandler(first), task.WithExceptionHandler(second), virtual())
		defer l.Close()
		_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
			task.Create(co, func(*iterco.Co) (int, error) { return 0, errors.New("lost") })
			return 0, task.Yield(co)
		})
		require.NoError(t, err)
		require.NoError(t, l.Close())
		assert.Equal(t, []string{"second"}, got)
	})
}

func TestTaskOptionsApplyInOrder(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		a := task.Create(co, nopTask, task.Name("first"), task.Name("second"))
		assert.Equal(t, "second", a.Name())
		b := task.Create(co, nopTask, task.EagerStart(true), task.EagerStart(false))
		assert.False(t, b.Done(), "the later EagerStart(false) wins: a lazy start")
		_, err := task.GatherOf(co, []*task.Task[int]{a, b})
		return 0, err
	})
	require.NoError(t, err)
}
