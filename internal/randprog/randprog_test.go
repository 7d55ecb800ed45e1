package randprog_test

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/randprog"
)

var (
	programs  = flag.Int("programs", 10_000, "how many random programs TestPrograms runs")
	firstSeed = flag.Uint64("seed", 0, "the seed TestPrograms starts from")
)

// check runs the program of seed twice: no violation, and the same trace.
func check(t *testing.T, seed uint64) randprog.Result {
	t.Helper()
	cfg := randprog.Config{Seed: seed, Ops: 300, CloseEarly: true}
	first := randprog.Run(cfg)
	if len(first.Violations) > 0 {
		t.Fatalf("seed %d: %v\n(add it to testdata/seeds.txt; trace:)\n%s", seed, first.Violations, first.Trace)
	}
	if again := randprog.Run(cfg); again.Trace != first.Trace {
		t.Fatalf("seed %d: two runs gave different traces", seed)
	}
	return first
}

// TestPrograms runs -programs random programs (10,000 by default, a few
// seconds). For a long run: go test ./internal/randprog -run TestPrograms
// -programs 100000 (about 12 million operations).
func TestPrograms(t *testing.T) {
	n := *programs
	if testing.Short() || raceEnabled {
		// The race detector keeps memory for every goroutine ever started,
		// and each program starts a pool of coroutines of its own.
		n = min(n, 100)
	}
	start := time.Now()
	ops, tasks := 0, 0
	for seed := *firstSeed; seed < *firstSeed+uint64(n); seed++ {
		r := check(t, seed)
		ops += r.Ops
		tasks += r.Tasks
	}
	t.Logf("%d programs, %d tasks, %d operations, 0 violations, in %v", n, tasks, ops, time.Since(start).Round(time.Millisecond))
	assert.Greater(t, ops, 50*n, "the programs do enough to be a test")
}

// TestProgramsInDebugMode runs programs on loops in debug mode, which check
// after every step what the loop itself keeps (the ready queue, the live
// tasks) and every task's move from phase to phase against the table of
// internal/coro/PROTOCOL.md: none may report a broken invariant.
func TestProgramsInDebugMode(t *testing.T) {
	n := 1_000
	if testing.Short() || raceEnabled {
		n = 50
	}
	ops := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		r := randprog.Run(randprog.Config{Seed: seed, Ops: 300, CloseEarly: true, Debug: true})
		require.Empty(t, r.Violations, "seed %d, in debug mode", seed)
		ops += r.Ops
	}
	assert.Greater(t, ops, 50*n, "the programs do enough to be a test")
}

// TestProgramsOnAPriorityLoop runs programs on a priority loop, their lock
// operations on priority locks: inheritance is checked after every step.
func TestProgramsOnAPriorityLoop(t *testing.T) {
	n := 2_000
	if testing.Short() || raceEnabled {
		n = 50
	}
	ops := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		cfg := randprog.Config{Seed: seed, Ops: 300, CloseEarly: true, Priority: true}
		r := randprog.Run(cfg)
		require.Empty(t, r.Violations, "seed %d, on a priority loop; trace:\n%s", seed, r.Trace)
		require.Equal(t, r.Trace, randprog.Run(cfg).Trace, "seed %d: two runs gave different traces", seed)
		ops += r.Ops
	}
	assert.Greater(t, ops, 50*n, "the programs do enough to be a test")
}

// TestRegressionSeeds replays the seeds that once broke an invariant.
func TestRegressionSeeds(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "seeds.txt"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		seed, err := strconv.ParseUint(strings.Fields(line)[0], 10, 64)
		require.NoError(t, err, line)
		check(t, seed)
		n++
	}
	require.NoError(t, sc.Err())
	assert.Positive(t, n)
}

// FuzzProgram lets go test -fuzz search seeds:
//
//	go test ./internal/randprog -run '^$' -fuzz FuzzProgram -fuzztime 60s
func FuzzProgram(f *testing.F) {
	for _, seed := range []uint64{0, 1, 848, 1702} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { check(t, seed) })
}
