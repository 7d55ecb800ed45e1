package task_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func napper(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) }

func TestTasksSaysWhatEachTaskWaitsOn(t *testing.T) {
	release := make(chan struct{})
	empty, full := make(chan int), make(chan int)
	_, err := run(t, func(co *iterco.Co) (struct{}, error) {
		var lock asyncsync.Lock
		var ev asyncsync.Event
		sleeper := task.Create(co, napper, task.Name("sleeper"))
		task.Create(co, task.Proc(func(co *iterco.Co) error {
			if err := lock.Acquire(co); err != nil {
				return err
			}
			defer lock.Release(co)
			return ev.Wait(co)
		}), task.Name("holder"))
		blocked := task.Create(co, task.Proc(func(co *iterco.Co) error {
			if err := lock.Acquire(co); err != nil {
				return err
			}
			return lock.Release(co)
		}), task.Name("blocked"))
		joiner := task.Create(co, func(co *iterco.Co) (int, error) { return sleeper.Await(co) }, task.Name("joiner"))
		bridge := task.Create(co, func(co *iterco.Co) (int, error) {
			return task.Go(co, func(context.Context) (int, error) { <-release; return 1, nil }).Await(co)
		}, task.Name("bridge"))
		recv := task.Create(co, func(co *iterco.Co) (int, error) {
			v, _, err := task.Recv(co, empty)
			return v, err
		}, task.Name("recv"))
		send := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Send(co, full, 2) }), task.Name("send"))
		fresh := task.Create(co, napper, task.Name("fresh"))
		for task.IsRunnable(bridge) || task.IsRunnable(blocked) || task.IsRunnable(recv) || task.IsRunnable(send) {
			task.Yield(co)
		}
		fresh2 := task.Create(co, napper, task.Name("new"))

		byName := map[string]task.TaskInfo{}
		for _, info := range task.LoopOf(co).Tasks() {
			byName[info.Name] = info
		}
		me := byName[task.Current(co).Name()]
		assert.Equal(t, task.StateRunning, me.State)
		assert.Empty(t, me.Stack, "the running task has no stack to show")
		assert.Equal(t, task.StateWaiting, byName["sleeper"].State)
		assert.Equal(t, "sleep until 2000-01-01T01:00:00Z", byName["sleeper"].WaitingOn)
		assert.Equal(t, "asyncsync.Event", byName["holder"].WaitingOn)
		assert.Equal(t, "asyncsync.Lock held by holder (t3)", byName["blocked"].WaitingOn)
		assert.Equal(t, "task sleeper (t2)", byName["joiner"].WaitingOn)
		assert.Equal(t, "task.Go call", byName["bridge"].WaitingOn)
		assert.Equal(t, "task.Recv call", byName["recv"].WaitingOn)
		assert.Equal(t, "task.Send call", byName["send"].WaitingOn)
		assert.Equal(t, task.StateNew, byName["new"].State)
		assert.Empty(t, byName["new"].WaitingOn)
		assert.Zero(t, byName["sleeper"].Age, "ages are kept in debug mode only")

		stack := byName["sleeper"].Stack
		assert.True(t, strings.HasPrefix(stack, "github.com/asynkit-go/asynkit/task.(*sleep).await("), stack)
		assert.Contains(t, stack, "task.Sleep(")
		assert.Contains(t, stack, "task_test.napper(")
		assert.NotContains(t, stack, "internal/coro")
		assert.NotContains(t, stack, "RunJob")
		assert.NotContains(t, stack, "iterco.Call")
		assert.Contains(t, byName["holder"].Stack, "sync.(*Event).Wait(")

		close(release)
		recv.Cancel("")
		send.Cancel("")
		ev.Set()
		for _, tk := range []*task.Task[int]{sleeper, joiner, fresh, fresh2} {
			tk.Cancel("")
		}
		return struct{}{}, nil
	})
	require.NoError(t, err)
}

func TestDumpFromAnotherGoroutineWhileTheLoopHangs(t *testing.T) {
	l := task.NewLoop()
	never := future.New[int](l)
	stuck := task.Spawn(l, func(co *iterco.Co) (int, error) { return never.Await(co) }, task.Name("stuck"))
	done := make(chan error, 1)
	go func() { done <- l.RunForever() }()

	var buf bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Dump answers once the loop runs its tasks.
	for !strings.Contains(buf.String(), "waiting") {
		buf.Reset()
		require.NoError(t, l.Dump(ctx, &buf))
	}
	assert.Contains(t, buf.String(), "1 tasks\n")
	assert.Contains(t, buf.String(), `t1 "stuck" waiting on *future.Future[int]`)
	assert.Contains(t, buf.String(), "    github.com/asynkit-go/asynkit/future.(*Future[...]).Await(")

	require.NoError(t, l.CallSoonThreadsafe(func() {
		stuck.AddDoneCallback(func(*task.Task[int]) { l.Stop() })
		never.SetResult(1)
	}))
	require.NoError(t, <-done)
	v, err := stuck.Result()
	require.NoError(t, err)
	assert.Equal(t, 1, v)
	require.NoError(t, l.Close())
	_, err = l.Snapshot(ctx)
	assert.ErrorIs(t, err, task.ErrClosed)
}

func TestSnapshotGivesUpWhenItsContextEnds(t *testing.T) {
	l := task.NewLoop()
	busy, release := make(chan struct{}), make(chan struct{})
	l.CallSoon(func() { close(busy); <-release; l.Stop() })
	done := make(chan error, 1)
	go func() { done <- l.RunForever() }()
	<-busy
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := l.Snapshot(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, l.Close())
}
