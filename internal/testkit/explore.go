package testkit

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/tasktest"
)

// EverySchedule runs body under every schedule tasktest finds (see
// tasktest.Exhaustive), up to 50,000, and fails t unless it ran them
// all. Under the race detector, which keeps memory for every goroutine a
// process ever started (a run is a loop with coroutines of its own, and
// go test -race -count=20 keeps one process), it runs the first 300
// only: the race detector looks at the code, and the full search runs
// without it.
func EverySchedule(t *testing.T, body func(co *iterco.Co) error) {
	t.Helper()
	limit := 50_000
	if raceEnabled {
		limit = 300
	}
	var report tasktest.Report
	tasktest.Check(t, body, tasktest.Exhaustive(limit), tasktest.WriteReport(&report))
	if !raceEnabled {
		assert.True(t, report.Exhausted, "every schedule ran")
	}
}
