package task

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// The live list keeps the live tasks in creation order whatever order
// they finish in, drops the newest at once when it is the one done, and
// holds no more done tasks than live ones (and 32).
func TestTheLiveListStaysInOrderAndBounded(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	_, err := RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		const n = 300
		gates := make([]*future.Future[int], n)
		tasks := make([]*Task[int], n)
		for i := range tasks {
			gates[i] = NewFuture[int](co)
			gate := gates[i]
			tasks[i] = Create(co, func(co *iterco.Co) (int, error) { return gate.Await(co) })
		}
		require.NoError(t, Yield(co))
		assert.Len(t, l.live, n+1)

		// An eager start that finishes leaves no entry behind.
		Create(co, func(*iterco.Co) (int, error) { return 0, nil }, EagerStart(true))
		assert.Len(t, l.live, n+1)

		// Finish every third task, then every other one still waiting.
		for i := 0; i < n; i += 3 {
			gates[i].SetResult(i)
		}
		require.NoError(t, Yield(co))
		for i := 1; i < n; i += 2 {
			if !tasks[i].Done() {
				gates[i].SetResult(i)
			}
		}
		require.NoError(t, Yield(co))

		var want []Any
		want = append(want, Current(co))
		for _, tk := range tasks {
			if !tk.Done() {
				want = append(want, tk)
			}
		}
		assert.Equal(t, want, All(l), "the live tasks, in creation order")
		assert.Equal(t, len(want), l.ntasks)
		assert.LessOrEqual(t, len(l.live)-l.ntasks, max(l.ntasks, 32), "done tasks kept")

		for i, g := range gates {
			if !tasks[i].Done() {
				g.SetResult(i)
			}
		}
		_, err := GatherOf(co, tasks)
		assert.Equal(t, []Any{Current(co)}, All(l))
		return 0, err
	})
	require.NoError(t, err)
}
