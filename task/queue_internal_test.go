package task

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/ring"
	"github.com/asynkit-go/asynkit/iterco"
)

// TestDequeMatchesASlice runs random operations on the deque and on a
// plain slice and compares them after each.
func TestDequeMatchesASlice(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	handles := make([]*Handle, 40)
	for i := range handles {
		handles[i] = &Handle{}
	}
	var q deque
	var ref []*Handle
	for step := range 20000 {
		h := handles[rng.Intn(len(handles))]
		switch op := rng.Intn(4); {
		case op == 0 && !h.queued:
			q.PushBack(h)
			h.queued = true
			ref = append(ref, h)
		case op == 1 && len(ref) > 0:
			got := q.PopFront()
			got.queued = false
			require.Same(t, ref[0], got, "step %d", step)
			ref = ref[1:]
		case op == 2 && h.queued:
			require.True(t, q.Remove(h))
			h.queued = false
			i := slices.Index(ref, h)
			ref = slices.Delete(ref, i, i+1)
		case op == 3 && !h.queued:
			pos := rng.Intn(len(ref) + 1)
			q.Insert(pos, h)
			h.queued = true
			ref = slices.Insert(ref, pos, h)
		}
		require.Equal(t, len(ref), q.Len(), "step %d", step)
		if len(ref) > 0 {
			require.Same(t, ref[0], q.front(), "step %d", step)
		}
	}
}

// A loop that has run a burst of tasks gives back the ready queue's room
// for them: a million tasks parked after their first step do not keep a
// million slots.
func TestTheReadyQueueGivesBackTheRoomOfABurst(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	const burst = 4 * ring.Keep
	_, err := RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		release := NewFuture[int](co)
		wait := func(co *iterco.Co) (int, error) { return release.Await(co) }
		tasks := make([]*Task[int], burst)
		for i := range tasks {
			tasks[i] = Create(co, wait)
		}
		require.GreaterOrEqual(t, l.fifo.ring.Cap(), burst)
		if err := Yield(co); err != nil {
			return 0, err
		}
		require.Equal(t, ring.Keep, l.fifo.ring.Cap(), "every task parked")
		release.SetResult(1)
		_, err := GatherOf(co, tasks)
		return 0, err
	})
	require.NoError(t, err)
}
