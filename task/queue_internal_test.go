package task

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
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
