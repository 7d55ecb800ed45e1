package bench

import (
	"flag"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/task"
)

// TestAFloorSwitchesAsItsKernelDoes runs each case's asynkit kernel for a
// fixed number of ops and checks, by its loop's Stats, that one op makes
// the coroutine switches its floor makes: a floor that made fewer would
// flatter the bookkeeping above it, and a kernel that came to make more
// would show here before it shows as time.
func TestAFloorSwitchesAsItsKernelDoes(t *testing.T) {
	const ops = 2000
	bt := flag.Lookup("test.benchtime")
	require.NotNil(t, bt)
	was := bt.Value.String()
	require.NoError(t, bt.Value.Set("2000x"))
	defer func() { _ = bt.Value.Set(was) }()

	var names []string
	for name, f := range floors {
		if f.base == nil { // TwoLoops' floor is plain work, no switch
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var n int
			var s task.Stats
			kernelRan = func(bn int, st task.Stats) { n, s = bn, st }
			defer func() { kernelRan = nil }()
			testing.Benchmark(Find(name).Ours.F)
			require.Equal(t, ops, n, "the kernel's last run")
			perOp := float64(s.Switches) / float64(n)
			assert.Equal(t, floors[name].switches, int(math.Round(perOp)),
				"switches per op: %d in %d ops", s.Switches, n)
		})
	}
}
