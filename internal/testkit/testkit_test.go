package testkit_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// recorder is a testing.TB that keeps what a helper reports.
type recorder struct {
	testing.TB
	errors, fatals []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func TestTraceKeepsOrder(t *testing.T) {
	var tr testkit.Trace
	tr.Add("a")
	tr.Add("%s%d", "b", 2)
	assert.Equal(t, []string{"a", "b2"}, tr.Events)
}

func TestRun(t *testing.T) {
	t.Run("runs main on a virtual clock from Epoch", func(t *testing.T) {
		var r recorder
		var started, woke time.Time
		testkit.Run(&r, func(co *iterco.Co) error {
			started = task.LoopOf(co).Now()
			task.Sleep(co, time.Hour)
			woke = task.LoopOf(co).Now()
			return nil
		})
		assert.Empty(t, r.errors)
		assert.Empty(t, r.fatals)
		assert.Equal(t, testkit.Epoch, started)
		assert.Equal(t, testkit.Epoch.Add(time.Hour), woke)
	})
	t.Run("an error from main is fatal", func(t *testing.T) {
		var r recorder
		testkit.Run(&r, func(co *iterco.Co) error { return errors.New("boom") })
		assert.Equal(t, []string{"the test's main coroutine: boom"}, r.fatals)
	})
	t.Run("an exception fails the test", func(t *testing.T) {
		var r recorder
		testkit.Run(&r, func(co *iterco.Co) error {
			task.Create(co, task.Proc(func(co *iterco.Co) error { return errors.New("lost") }))
			return task.Sleep(co, time.Second)
		})
		if assert.Len(t, r.errors, 1) {
			assert.Contains(t, r.errors[0], "lost")
		}
		assert.Empty(t, r.fatals)
	})
	t.Run("options come after the clock", func(t *testing.T) {
		var r recorder
		later := testkit.Epoch.Add(24 * time.Hour)
		var now time.Time
		testkit.Run(&r, func(co *iterco.Co) error {
			now = task.LoopOf(co).Now()
			return nil
		}, task.WithClock(task.NewVirtualClock(later)))
		assert.Equal(t, later, now)
	})
}
