package bench

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The coroutines of ParkedPullFramesHeap park under six frames of their
// own: six functions, none inlined into another, so six return addresses
// for a collection to look up.
func TestDeepCoroutinesParkUnderSixFramesOfTheirOwn(t *testing.T) {
	var pcs []uintptr
	frame1(func(int) bool {
		pcs = make([]uintptr, 16)
		pcs = pcs[:runtime.Callers(2, pcs)] // from frame6 down
		return false
	})
	require.GreaterOrEqual(t, len(pcs), 6)
	var names []string
	entries := map[uintptr]bool{}
	for _, pc := range pcs[:6] {
		f := runtime.FuncForPC(pc - 1)
		names = append(names, f.Name())
		entries[f.Entry()] = true // an inlined call shares its caller's
	}
	prefix := "github.com/asynkit-go/asynkit/internal/bench."
	assert.Equal(t, []string{prefix + "frame6", prefix + "frame5", prefix + "frame4",
		prefix + "frame3", prefix + "frame2", prefix + "frame1"}, names)
	assert.Len(t, entries, 6)
}
