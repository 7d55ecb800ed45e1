package task

import (
	"context"
	"reflect"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
)

// A task that does not block costs its record and nothing else (its
// coroutine is the loop's, lent for the run): the record's size is the
// cost of every task, and it is kept within its allocation size class.
func TestTaskRecordSize(t *testing.T) {
	var tk Task[int]
	assert.LessOrEqual(t, unsafe.Sizeof(tk), uintptr(96))
	assert.LessOrEqual(t, unsafe.Sizeof(tk.c), uintptr(56))
}

// The loop keeps the coroutines of finished tasks for the next ones, at
// most as many as its pool keeps workers.
func TestTheLoopKeepsFinishedTasksCoroutinesWithinItsPool(t *testing.T) {
	l := NewLoop(WithPoolSize(4))
	defer l.Close()
	_, err := RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		release := NewFuture[int](co)
		tasks := make([]*Task[int], 10)
		for i := range tasks {
			tasks[i] = Create(co, func(co *iterco.Co) (int, error) { return release.Await(co) })
		}
		if err := Yield(co); err != nil {
			return 0, err
		}
		for _, tk := range tasks {
			assert.NotNil(t, tk.c.co, "a parked task holds its coroutine")
		}
		release.SetResult(1)
		_, err := GatherOf(co, tasks)
		for _, tk := range tasks {
			assert.Nil(t, tk.c.co, "a done task holds none")
		}
		assert.Len(t, l.cos, 4)
		return 0, err
	})
	require.NoError(t, err)
}

// The calls a suspension makes run on top of the task's stack, whose
// deepest point decides whether a parked task fits 2 KB: the task's side
// of its coroutine is a plain type, whose methods an interface call
// reaches without a generic method's wrapper frame.
func TestATasksCoroutineBodyIsNotGeneric(t *testing.T) {
	_, err := Run(context.Background(), func(co *iterco.Co) (int, error) {
		body := reflect.TypeOf(coreOf(co).co.Body())
		assert.Equal(t, reflect.TypeOf((*runner)(nil)), body)
		assert.NotContains(t, body.String(), "[")
		return 0, nil
	})
	require.NoError(t, err)
}

// Awaiting a task registers through future.Waitable at the deepest point
// of the suspension: the Task's Waitable methods are a plain embedded
// type's, which an interface reaches without a generic method's wrapper.
func TestATasksWaitableMethodsAreNotGeneric(t *testing.T) {
	field, ok := reflect.TypeOf(Task[int]{}).FieldByName("waitable")
	require.True(t, ok)
	assert.True(t, field.Anonymous, "waitable is embedded")
	for _, m := range []string{"AddWaiter", "RemoveWaiter", "Done", "Cancel"} {
		_, ok := reflect.TypeOf(&waitable{}).MethodByName(m)
		assert.True(t, ok, "waitable has %s", m)
	}
}
