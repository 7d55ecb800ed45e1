package task_test

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestMisuseNamesTheCall(t *testing.T) {
	tests := []struct {
		name string
		call func()
		want string
	}{
		{"Yield with a nil Co", func() { task.Yield(nil) }, "task.Yield: nil Co"},
		{"Sleep with a nil Co", func() { task.Sleep(nil, 1) }, "task.Sleep: nil Co"},
		{"SleepInsert with a nil Co", func() { task.SleepInsert(nil, 0) }, "task.SleepInsert: nil Co"},
		{"Switch with a nil Co", func() { task.Switch(nil, nil) }, "task.Switch: nil Co"},
		{"Interrupt with a nil Co", func() { task.Interrupt(nil, nil, errBoom) }, "task.Interrupt: nil Co"},
		{"Await of a pending future with a nil Co", func() { new(future.Future[int]).Await(nil) }, "future.Future.Await: nil Co"},
		{"Suspend of a nil Co", func() { (*iterco.Co)(nil).Suspend(nil) }, "iterco.Co.Suspend: nil Co"},
		{"a zero Loop run", func() { new(task.Loop).RunForever() }, "task.Loop.RunForever: zero Loop; make one with task.NewLoop"},
		{"a zero Loop's CallSoon", func() { new(task.Loop).CallSoon(func() {}) }, "task.Loop.CallSoon: zero Loop; make one with task.NewLoop"},
		{"a zero Loop's CallLater", func() { new(task.Loop).CallLater(0, func() {}) }, "task.Loop.CallAt: zero Loop; make one with task.NewLoop"},
		{"a zero Loop's CallSoonThreadsafe", func() { new(task.Loop).CallSoonThreadsafe(func() {}) }, "task.Loop.CallSoonThreadsafe: zero Loop; make one with task.NewLoop"},
		{"Spawn on a zero Loop", func() { task.Spawn(new(task.Loop), nopTask) }, "task.Spawn: zero Loop; make one with task.NewLoop"},
		{"a zero Loop closed", func() { new(task.Loop).Close() }, "task.Loop.Close: zero Loop; make one with task.NewLoop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, tt.call)
		})
	}
	t.Run("a done future awaits without a Co", func(t *testing.T) {
		f := new(future.Future[int])
		f.SetResult(2)
		v, err := f.Await(nil)
		assert.Equal(t, 2, v)
		assert.NoError(t, err)
	})
}

func TestSubmissionWaitOnALoop(t *testing.T) {
	t.Run("from a task of the loop that must run it", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			s := task.Submit(task.LoopOf(co), func(co *iterco.Co) (int, error) { return 5, nil })
			_, err := s.Wait(context.Background())
			assert.ErrorIs(t, err, task.ErrWaitInLoop)
			return future.Await[int](co, s)
		})
		require.NoError(t, err)
	})
	t.Run("from a callback", func(t *testing.T) {
		l := task.NewLoop(virtual())
		defer l.Close()
		var waitErr error
		_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
			s := task.Submit(l, func(co *iterco.Co) (int, error) { return 5, nil })
			l.CallSoon(func() { _, waitErr = s.Wait(context.Background()) })
			return future.Await[int](co, s)
		})
		require.NoError(t, err)
		assert.ErrorIs(t, waitErr, task.ErrWaitInLoop)
	})
	t.Run("a done submission answers anywhere", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			s := task.Submit(task.LoopOf(co), func(co *iterco.Co) (int, error) { return 5, nil })
			future.Await[int](co, s)
			return s.Wait(context.Background())
		})
		require.NoError(t, err)
	})
}

// A loop that runs for weeks must not keep every failure nobody looked
// at: the errors are reported as they pile up, and memory stays flat.
func TestUnretrievedErrorsStayBounded(t *testing.T) {
	n := 1_000_000
	if testing.Short() || raceEnabled {
		n = 100_000
	}
	reported := 0
	// The growth of the heap, not its size: the runtime keeps the record
	// of every goroutine that ever ran, other tests' workers included.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var heapAfter uint64
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		for i := range n {
			task.Create(co, func(co *iterco.Co) (int, error) { return 0, errBoom })
			if i%10_000 == 0 {
				task.Yield(co)
			}
		}
		task.Yield(co)
		task.Yield(co)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heapAfter = ms.HeapAlloc
		return 0, nil
	}, virtual(), task.WithExceptionHandler(func(e task.Exception) {
		if errors.Is(e.Err, errBoom) {
			reported++
		}
	}))
	require.NoError(t, err)
	assert.Equal(t, n, reported, "every failure is reported, once")
	// Kept, the failed tasks alone would take n × 208 bytes.
	assert.Less(t, int64(heapAfter)-int64(before.HeapAlloc), int64(n*208/4), "the loop does not keep them all")
}

func TestGatherOf(t *testing.T) {
	v, err := run(t, func(co *iterco.Co) ([]int, error) {
		var ts []*task.Task[int]
		for i := range 3 {
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) { return i * 10, nil }))
		}
		return task.GatherOf(co, ts)
	})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 10, 20}, v)
	_, err = run(t, func(co *iterco.Co) ([]int, error) { return task.GatherOf[int](co, []*task.Task[int]{nil}) })
	assert.ErrorIs(t, err, task.ErrNilAwaitable)
}
