package explore_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/explore"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// first always picks the first candidate, recording what it was offered.
type first struct{ offers [][]explore.Candidate }

func (f *first) Pick(c []explore.Candidate) int {
	f.offers = append(f.offers, append([]explore.Candidate(nil), c...))
	return 0
}

func TestTaskLinksRun(t *testing.T) {
	require.NotNil(t, explore.Run, "package task sets it")
	ch := &first{}
	out := explore.Run(func(co *iterco.Co) error {
		a := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Yield(co) }))
		b := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Yield(co) }))
		if _, err := task.Gather[struct{}](co, a, b); err != nil {
			return err
		}
		return errors.New("the body's error")
	}, explore.Config{Chooser: ch, MaxSteps: 100})
	assert.EqualError(t, out.Err, "the body's error")
	assert.Nil(t, out.Deadlock)
	assert.Empty(t, out.Exceptions)
	assert.False(t, out.Unfinished)
	assert.Positive(t, out.Steps)
	assert.Equal(t, len(ch.offers), out.Decisions)
	require.NotEmpty(t, ch.offers)
	assert.Equal(t, uint64(2), ch.offers[0][0].Task, "the tasks, in FIFO order")
	assert.Equal(t, uint64(3), ch.offers[0][1].Task)
}

func TestADeadlockIsReported(t *testing.T) {
	out := explore.Run(func(co *iterco.Co) error {
		_, err := task.NewFuture[int](co).Await(co)
		return err
	}, explore.Config{Chooser: &first{}})
	assert.Equal(t, []string{"main (t1) waits on *future.Future[int]"}, out.Deadlock)
	assert.Nil(t, out.Err, "the body never finished")
}
