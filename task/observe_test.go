package task_test

import (
	"bytes"
	"context"
	"runtime/pprof"
	rtrace "runtime/trace"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestWithTraceShowsTasksAndSteps(t *testing.T) {
	if rtrace.IsEnabled() {
		t.Skip("a trace is being taken already")
	}
	var buf bytes.Buffer
	require.NoError(t, rtrace.Start(&buf))
	var inTask bool
	_, err := task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		child := task.Create(co, task.Proc(func(co *iterco.Co) error {
			ctx := task.ContextOf(co)
			rtrace.WithRegion(ctx, "user-region-in-a-task", func() { inTask = true })
			rtrace.Log(ctx, "note", "logged-in-a-task")
			return task.Yield(co)
		}), task.Name("traced-child-task"))
		_, err := child.Await(co)
		return err
	}), task.WithTrace())
	rtrace.Stop()
	require.NoError(t, err)
	assert.True(t, inTask)
	out := buf.String()
	for _, want := range []string{"traced-child-task", "step", "user-region-in-a-task", "logged-in-a-task"} {
		assert.Contains(t, out, want, "the trace names %q", want)
	}
}

func TestWithProfileLabelsLabelsEachTasksGoroutine(t *testing.T) {
	var profile, inherited string
	_, err := task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
		parent := task.Create(co, task.Proc(func(co *iterco.Co) error {
			child := task.Create(co, task.Proc(func(co *iterco.Co) error {
				inherited, _ = pprof.Label(task.ContextOf(co), "request")
				if err := task.Yield(co); err != nil { // labels stay across suspensions
					return err
				}
				var b strings.Builder
				pprof.Lookup("goroutine").WriteTo(&b, 1)
				profile = b.String()
				return nil
			}), task.Name("labelled-child"))
			_, err := child.Await(co)
			return err
		}), task.Name("parent"), task.Labels("request", "42"))
		_, err := parent.Await(co)
		return err
	}), task.WithProfileLabels())
	require.NoError(t, err)
	assert.Equal(t, "42", inherited, "a child inherits its creator's labels")
	assert.Contains(t, profile, `labels: {"request":"42", "task":"labelled-child"}`)
}

func TestLabelsWithoutProfileLabelsStayInTheContext(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (struct{}, error) {
		tk := task.Create(co, task.Proc(func(co *iterco.Co) error { return nil }), task.Labels("k", "v"))
		v, ok := pprof.Label(tk.Context(), "k")
		assert.True(t, ok)
		assert.Equal(t, "v", v)
		_, err := tk.Await(co)
		return struct{}{}, err
	})
	require.NoError(t, err)
	odd := []string{"key without a value"}
	assert.Panics(t, func() { task.Labels(odd...) })
}
