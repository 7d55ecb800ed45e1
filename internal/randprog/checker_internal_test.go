package randprog

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/task"
)

// The checker itself: a trace that breaks each scheduling invariant is
// reported, each break once.
func TestTheCheckerReportsBrokenInvariants(t *testing.T) {
	l := task.NewLoop()
	l.Close() // (a closed loop: the queue check stands aside)
	p := &prog{l: l, done: map[uint64]bool{}}
	for _, e := range []task.Event{
		{Kind: task.EventStep, Task: 1},
		{Kind: task.EventStep, Task: 1},    // a step of a task with one open
		{Kind: task.EventSuspend, Task: 2}, // the end of a step not running
		{Kind: task.EventDone, Task: 1},
		{Kind: task.EventDone, Task: 1},
		{Kind: task.EventStep, Task: 1}, // a step after done
	} {
		p.record(&e)
	}
	assert.Equal(t, []string{
		"step of t1 while a step of it is open",
		"t2 ended a step it was not running (open: [1 1])",
		"step of t1 after it was done",
	}, p.violations)
	assert.Contains(t, p.trace.String(), "VIOLATION step of t1 after it was done")
}
