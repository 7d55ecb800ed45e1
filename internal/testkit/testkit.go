// Package testkit holds the helpers the tests of several packages share:
// a trace that records events in the order they happen, and a loop to run
// a test's main coroutine on, with a virtual clock of its own and
// exceptions failing the test.
package testkit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Trace collects events in the order they happen, for tests that assert
// an ordering. The zero Trace is empty and ready to use.
type Trace struct {
	// Events holds what Add recorded, oldest first.
	Events []string
}

// Add records an event, formatted as fmt.Sprintf does.
func (tr *Trace) Add(format string, args ...any) {
	tr.Events = append(tr.Events, fmt.Sprintf(format, args...))
}

// Epoch is where the virtual clocks of Virtual and Run start.
var Epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Virtual gives a loop a virtual clock of its own, starting at Epoch, so
// that what a test asserts never depends on the machine's speed.
func Virtual() task.LoopOption { return task.WithClock(task.NewVirtualClock(Epoch)) }

// Run runs main on a new loop with a virtual clock (see Virtual) and fails
// t if main returns an error or an exception reaches the loop's handler.
// opts come after the clock, so they may replace it.
func Run(t testing.TB, main func(co *iterco.Co) error, opts ...task.LoopOption) {
	t.Helper()
	opts = append([]task.LoopOption{
		Virtual(),
		task.WithExceptionHandler(func(e task.Exception) { t.Errorf("unexpected exception: %s", e) }),
	}, opts...)
	if _, err := task.Run(context.Background(), task.Proc(main), opts...); err != nil {
		t.Fatalf("the test's main coroutine: %v", err)
	}
}
