package compat_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/compat"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// startsEagerly reports whether a task created on a new loop ran before
// its creator went on.
func startsEagerly(t *testing.T) bool {
	ran := false
	var doneAtCreate bool
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		child := task.Create(co, func(co *iterco.Co) (int, error) { ran = true; return 5, nil })
		doneAtCreate = child.Done()
		return 0, nil
	})
	require.NoError(t, err)
	return ran && doneAtCreate
}

func TestEnableAndDisable(t *testing.T) {
	require.False(t, compat.EagerTasksEnabled())
	assert.False(t, startsEagerly(t))

	compat.EnableEagerTasks()
	compat.EnableEagerTasks() // a second call does nothing
	assert.True(t, compat.EagerTasksEnabled())
	assert.NotNil(t, task.DefaultTaskFactory())
	assert.True(t, startsEagerly(t))

	compat.DisableEagerTasks()
	assert.False(t, compat.EagerTasksEnabled())
	assert.Nil(t, task.DefaultTaskFactory())
	assert.False(t, startsEagerly(t))
	compat.DisableEagerTasks() // without Enable: nothing
}

func TestTakesEffectOnARunningLoop(t *testing.T) {
	defer compat.DisableEagerTasks()
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		lazy := task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil })
		assert.False(t, lazy.Done())
		compat.EnableEagerTasks()
		now := task.Create(co, func(co *iterco.Co) (int, error) { return 2, nil })
		assert.True(t, now.Done())
		return 0, nil
	})
	require.NoError(t, err)
}

func TestALoopsOwnFactoryWins(t *testing.T) {
	compat.EnableEagerTasks()
	defer compat.DisableEagerTasks()
	l := task.NewLoop()
	defer l.Close()
	l.SetTaskFactory(task.TaskFactoryFunc(func(l *task.Loop, opts []task.Option) []task.Option {
		return append(opts, task.Name("from the loop's factory"))
	}))
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		child := task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil })
		assert.False(t, child.Done(), "lazy: the loop's factory is not eager")
		assert.Equal(t, "from the loop's factory", child.Name())
		eagerChild := task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil }, task.EagerStart(true))
		assert.True(t, eagerChild.Done())
		return 0, nil
	})
	require.NoError(t, err)
}

func ExampleEnableEagerTasks() {
	compat.EnableEagerTasks() // once, at startup
	defer compat.DisableEagerTasks()
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			fmt.Println("runs at once")
			return 1, nil
		})
		fmt.Println("done when Create returns:", t.Done())
		return 0, nil
	})
	// Output:
	// runs at once
	// done when Create returns: true
}

// DisableEagerTasks undoes EnableEagerTasks: tasks start lazily again.
func ExampleDisableEagerTasks() {
	compat.EnableEagerTasks()
	compat.DisableEagerTasks()
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(*iterco.Co) (int, error) { return 1, nil })
		fmt.Println("done at creation:", t.Done())
		return 0, nil
	})
	// Output:
	// done at creation: false
}
