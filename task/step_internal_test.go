package task

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
)

// A task's first step runs the function its error slot holds: a
// pendingFunc or a group's pendingProc. A slot with neither is a broken
// invariant, and the task fails with it rather than end as if its
// function had returned.
func TestAFirstStepWithoutAFunctionFails(t *testing.T) {
	failed := errors.New("the procedure failed")
	_, err := Run(context.Background(), func(co *iterco.Co) (int, error) {
		proc := Create[struct{}](co, func(co *iterco.Co) (struct{}, error) { return struct{}{}, nil })
		proc.err = pendingProc(func(*iterco.Co) error { return failed })
		broken := Create(co, func(co *iterco.Co) (int, error) { return 1, nil })
		broken.err = nil
		_, procErr := proc.Await(co)
		assert.ErrorIs(t, procErr, failed, "a pendingProc runs and its error is the task's")
		_, err := broken.Await(co)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no function to run")
		return 0, nil
	})
	require.NoError(t, err)
}
