package iterco_test

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// S18
func TestAwaitSync(t *testing.T) {
	v, err := iterco.AwaitSync(func(co *iterco.Co) (string, error) { return "simple", nil })
	assert.Equal(t, "simple", v)
	assert.NoError(t, err)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 0, io.EOF })
	assert.Equal(t, io.EOF, err, "an error comes back unchanged")

	inner := func(x int) iterco.Func[int] { return func(co *iterco.Co) (int, error) { return x + 1, nil } }
	sf := iterco.SyncFunc(func(co *iterco.Co) (int, error) { return inner(1)(co) })
	v2, err := sf()
	assert.Equal(t, 2, v2)
	assert.NoError(t, err)
	v2, _ = iterco.AwaitSync(iterco.AsyncFunc(func() (int, error) { return 3 * 2, nil }))
	assert.Equal(t, 6, v2)

	done := new(future.Future[int])
	done.SetResult(4)
	v2, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return future.Await[int](co, done) })
	assert.Equal(t, 4, v2, "awaiting something done never blocks")
	assert.NoError(t, err)

	v2, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 1, task.Yield(co) })
	assert.Equal(t, 1, v2, "a bare yield resumes at once")
	assert.NoError(t, err)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 1, task.Yield(co) }, iterco.Strict())
	var se *iterco.SynchronousError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, iterco.ErrSynchronousAbort)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		return blockHere(co, new(future.Future[int]))
	})
	require.ErrorAs(t, err, &se)
	assert.EqualError(t, err, "iterco: coroutine failed to complete synchronously")
	assert.Contains(t, string(se.Stack), "iterco_test.blockHere", "the stack says where it blocked")

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		future.Await[int](co, new(future.Future[int])) //nolint:errcheck // caught
		return 1, nil
	})
	require.ErrorAs(t, err, &se)
	assert.True(t, se.Caught)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Second) })
	assert.ErrorIs(t, err, task.ErrNoLoop)
}
