package task_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// logBuffer is a log destination that tests read while a loop writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() task.LoopOption {
	return task.WithLogger(slog.New(slog.NewTextHandler(b, nil)))
}

// debugRun runs main on a loop in debug mode with opts, logging to the
// returned buffer, and returns the exceptions the loop reported.
func debugRun(t *testing.T, o task.DebugOptions, main func(co *iterco.Co) error, opts ...task.LoopOption) (*logBuffer, []task.Exception) {
	t.Helper()
	var log logBuffer
	var exceptions []task.Exception
	opts = append([]task.LoopOption{task.WithDebug(o), log.logger(),
		task.WithExceptionHandler(func(e task.Exception) { exceptions = append(exceptions, e) })}, opts...)
	_, err := task.Run(context.Background(), task.Proc(main), opts...)
	require.NoError(t, err)
	return &log, exceptions
}

func TestDebugReportsASlowStep(t *testing.T) {
	log, _ := debugRun(t, task.DebugOptions{SlowStep: time.Millisecond}, func(co *iterco.Co) error {
		slow := task.Create(co, task.Proc(func(co *iterco.Co) error {
			time.Sleep(5 * time.Millisecond) // blocks the loop
			return task.Yield(co)
		}), task.Name("blocker"))
		_, err := slow.Await(co)
		return err
	})
	out := log.String()
	assert.Contains(t, out, `msg="asynkit: slow task step: the loop was blocked" task=blocker id=2`)
	assert.Contains(t, out, "task.Yield(", "where the step ended")
	// (On a loaded machine other steps may pass a 1 ms threshold too, so
	// the count of warnings is not asserted.)
}

func TestDebugReportsASlowCallback(t *testing.T) {
	log, _ := debugRun(t, task.DebugOptions{SlowStep: time.Millisecond}, func(co *iterco.Co) error {
		task.LoopOf(co).CallSoon(func() { time.Sleep(5 * time.Millisecond) })
		return task.Yield(co)
	})
	assert.Contains(t, log.String(), `msg="asynkit: slow callback: the loop was blocked" callback=github.com/asynkit-go/asynkit/task_test.TestDebugReportsASlowCallback.func1.1`)
}

func TestDebugReportsAStall(t *testing.T) {
	release := make(chan struct{})
	var log logBuffer
	done := make(chan error, 1)
	go func() {
		_, err := task.Run(context.Background(), task.Proc(func(co *iterco.Co) error {
			waiter := task.Create(co, func(co *iterco.Co) (int, error) {
				return task.Go(co, func(context.Context) (int, error) { <-release; return 1, nil }).Await(co)
			}, task.Name("waiter"))
			_, err := waiter.Await(co)
			return err
		}), task.WithDebug(task.DebugOptions{Stall: 5 * time.Millisecond}), log.logger())
		done <- err
	}()
	for !strings.Contains(log.String(), "loop stalled") {
		time.Sleep(time.Millisecond)
	}
	close(release)
	require.NoError(t, <-done)
	out := log.String()
	assert.Equal(t, 1, strings.Count(out, "loop stalled"), "once per stall")
	assert.Contains(t, out, `t2 \"waiter\" waiting on task.Go call (age `)
}

func TestDebugReportsWhatWasNeverAwaited(t *testing.T) {
	var site string // where f is made: the report names its maker's line
	log, _ := debugRun(t, task.DebugOptions{}, func(co *iterco.Co) error {
		task.Create(co, func(*iterco.Co) (int, error) { return 1, nil }, task.Name("forgotten"))
		awaited := task.Create(co, func(*iterco.Co) (int, error) { return 2, nil }, task.Name("awaited"))
		f := task.NewFuture[int](co)
		_, file, line, _ := runtime.Caller(0)
		site = fmt.Sprintf("%s:%d", filepath.Base(file), line-1)
		f.SetResult(3) // and nobody reads it
		g := task.NewFuture[int](co)
		g.SetResult(4)
		if _, err := g.Await(co); err != nil {
			return err
		}
		_, err := awaited.Await(co)
		return err
	})
	out := log.String()
	assert.Contains(t, out, `"asynkit: never awaited: the result of task forgotten (t2)"`)
	assert.Contains(t, out, "never awaited: the future made at ")
	assert.Contains(t, out, site)
	assert.Equal(t, 2, strings.Count(out, "never awaited"), out)
}

// lyingQueue is a ready queue whose Find misses what it holds.
type lyingQueue struct{ task.Queue }

func (q lyingQueue) Find(func(*task.Handle) bool) *task.Handle { return nil }

func TestDebugChecksTheLoopsInvariants(t *testing.T) {
	l := task.NewLoop() // (the default queue to wrap comes from a loop)
	inner := l.Queue()
	l.Close()
	_, exceptions := debugRun(t, task.DebugOptions{}, func(co *iterco.Co) error {
		return task.Yield(co)
	}, task.WithQueue(lyingQueue{inner}))
	require.NotEmpty(t, exceptions)
	assert.ErrorIs(t, exceptions[0].Err, task.ErrInvariant)
	assert.Contains(t, exceptions[0].Err.Error(), "the ready queue holds")
}

func TestDebugSaysNothingAboutAHealthyProgram(t *testing.T) {
	log, exceptions := debugRun(t, task.DebugOptions{SlowStep: 10 * time.Second}, func(co *iterco.Co) error {
		var lock asyncsync.Lock
		var tasks []*task.Task[int]
		for i := range 10 {
			tasks = append(tasks, task.Create(co, func(co *iterco.Co) (int, error) {
				if err := lock.Acquire(co); err != nil {
					return 0, err
				}
				defer lock.Release(co)
				return i, task.Sleep(co, time.Millisecond)
			}))
		}
		f := task.NewFuture[int](co)
		task.LoopOf(co).CallLater(time.Millisecond, func() { f.SetResult(1) })
		if _, err := f.Await(co); err != nil {
			return err
		}
		for _, t := range tasks {
			if _, err := t.Await(co); err != nil {
				return err
			}
		}
		return nil
	}, virtual())
	assert.Empty(t, log.String())
	assert.Empty(t, exceptions)
}

func TestDebugFromTheEnvironment(t *testing.T) {
	t.Setenv("ASYNKIT_DEBUG", "1")
	l := task.NewLoop()
	assert.True(t, l.Debugging())
	l.Close()
	t.Setenv("ASYNKIT_DEBUG", "0")
	l = task.NewLoop()
	assert.False(t, l.Debugging())
	l.Close()
}
