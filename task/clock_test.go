package task_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

func TestVirtualClock(t *testing.T) {
	t.Run("an hour of sleeps takes no time, in deadline order", func(t *testing.T) {
		tr := &trace{}
		vc := task.NewVirtualClock(epoch)
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			l := task.LoopOf(co)
			for _, d := range []time.Duration{50 * time.Minute, time.Minute, 10 * time.Minute, time.Minute} {
				task.Create(co, func(co *iterco.Co) (int, error) {
					err := task.Sleep(co, d)
					tr.Add("%v at +%v", d, l.Now().Sub(epoch))
					return 0, err
				})
			}
			err := task.Sleep(co, time.Hour)
			tr.Add("main at +%v", l.Now().Sub(epoch))
			return 0, err
		}, task.WithClock(vc))
		require.NoError(t, err)
		assert.Equal(t, []string{"1m0s at +1m0s", "1m0s at +1m0s", "10m0s at +10m0s", "50m0s at +50m0s", "main at +1h0m0s"}, tr.Events)
		assert.Equal(t, epoch.Add(time.Hour), vc.Now())
	})

	t.Run("it does not jump while a Go function is in flight", func(t *testing.T) {
		vc := task.NewVirtualClock(epoch)
		var seen time.Time
		var woke time.Duration
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			sleeper := hourSleeper(co, &woke)
			_, err := future.Await[int](co, task.Go(co, func(ctx context.Context) (int, error) {
				for range 100 {
					runtime.Gosched() // time for a loop that would jump to do so
				}
				seen = vc.Now()
				return 0, nil
			}))
			require.NoError(t, err)
			return future.Await[int](co, sleeper)
		}, task.WithClock(vc))
		require.NoError(t, err)
		assert.Equal(t, epoch, seen, "no jump while the function ran")
		assert.Equal(t, time.Hour, woke)
	})

	t.Run("Advance from another goroutine fires what comes due", func(t *testing.T) {
		vc := task.NewVirtualClock(epoch)
		var woke time.Duration
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			sleeper := hourSleeper(co, &woke)
			task.Yield(co) // the sleeper's timer is armed before the clock moves
			release := make(chan struct{})
			bridge := task.Go(co, func(ctx context.Context) (int, error) {
				<-release // in flight until the sleeper has woken
				return 0, nil
			})
			go vc.Advance(time.Hour)
			_, err := future.Await[int](co, sleeper)
			close(release)
			future.Await[int](co, bridge)
			return 0, err
		}, task.WithClock(vc))
		require.NoError(t, err)
		assert.Equal(t, time.Hour, woke)
		assert.PanicsWithValue(t, "task.VirtualClock.Advance: negative duration", func() { vc.Advance(-1) })
	})

	t.Run("a timer Advance made due fires while a Go function is in flight", func(t *testing.T) {
		vc := task.NewVirtualClock(epoch)
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			sleeper := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) })
			task.Yield(co) // the sleeper's timer is armed
			release := make(chan struct{})
			bridge := task.Go(co, func(ctx context.Context) (int, error) { <-release; return 0, nil })
			vc.Advance(time.Hour) // before the loop idles: no one to wake
			_, err := future.Await[int](co, sleeper)
			close(release)
			future.Await[int](co, bridge)
			return 0, err
		}, task.WithClock(vc))
		require.NoError(t, err)
	})

	t.Run("a clock serves one loop at a time", func(t *testing.T) {
		vc := task.NewVirtualClock(epoch)
		first := task.NewLoop(task.WithClock(vc))
		_, err := task.RunUntilComplete(first, func(co *iterco.Co) (int, error) { return 0, nil })
		require.NoError(t, err)
		_, err = task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 0, nil }, task.WithClock(vc))
		assert.ErrorIs(t, err, task.ErrClockInUse)
		require.NoError(t, first.Close())
		_, err = task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 0, nil }, task.WithClock(vc))
		assert.NoError(t, err, "free again once the first loop closed")
	})

	t.Run("the zero start is the virtual epoch", func(t *testing.T) {
		assert.Equal(t, task.VirtualEpoch, task.NewVirtualClock(time.Time{}).Now())
	})

	t.Run("the loop's time never goes back", func(t *testing.T) {
		c := &backwardsClock{t: epoch}
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			l := task.LoopOf(co)
			first := l.Now()
			c.t = epoch.Add(-time.Hour)
			assert.Equal(t, first, l.Now(), "read as standing still")
			c.t = epoch.Add(time.Minute)
			assert.Equal(t, epoch.Add(time.Minute), l.Now())
			return 0, nil
		}, task.WithClock(c))
		require.NoError(t, err)
	})
}

// hourSleeper creates a task that sleeps an hour and then notes in woke
// how far the loop's clock is from epoch.
func hourSleeper(co *iterco.Co, woke *time.Duration) *task.Task[int] {
	l := task.LoopOf(co)
	return task.Create(co, func(co *iterco.Co) (int, error) {
		err := task.Sleep(co, time.Hour)
		*woke = l.Now().Sub(epoch)
		return 0, err
	})
}

// backwardsClock is a clock a test sets by hand; it never idles.
type backwardsClock struct{ t time.Time }

func (c *backwardsClock) Now() time.Time                        { return c.t }
func (c *backwardsClock) Idle(time.Time, <-chan struct{}, bool) {}

func TestRecorder(t *testing.T) {
	t.Run("a program's events, in order", func(t *testing.T) {
		var lines []string
		rec := task.RecorderFunc(func(e *task.Event) { lines = append(lines, e.Format(epoch)) })
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			child := task.Create(co, func(co *iterco.Co) (int, error) { return 1, task.Sleep(co, time.Second) }, task.Name("child"))
			v, err := future.Await[int](co, child)
			task.Create(co, func(co *iterco.Co) (int, error) { return 0, errBoom }, task.EagerStart(true)).Err()
			return v, err
		}, virtual(), task.WithRecorder(rec))
		require.NoError(t, err)
		assert.Equal(t, []string{
			"1 +0s create t1",
			"2 +0s step t1",
			`3 +0s create t2 "child" by t1`,
			"4 +0s suspend t1 on task t2",
			"5 +0s step t2",
			"6 +0s suspend t2 on sleep",
			"7 +1s jump 1s",
			"8 +1s timer",
			"9 +1s callback",
			"10 +1s wake t2",
			"11 +1s step t2",
			"12 +1s done t2",
			"13 +1s wake t1 by t2",
			"14 +1s step t1",
			"15 +1s create t3 eager by t1",
			"16 +1s step t3",
			`17 +1s done t3 err="boom"`,
			"18 +1s done t1",
			"19 +1s callback", // RunUntilComplete's stop
		}, lines)
	})

	t.Run("a recorder that panics is removed and reported", func(t *testing.T) {
		var reported []task.Exception
		calls := 0
		v, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			task.Yield(co)
			return 7, nil
		}, virtual(), task.WithRecorder(task.RecorderFunc(func(*task.Event) { calls++; panic("recorder") })),
			task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e) }))
		require.NoError(t, err)
		assert.Equal(t, 7, v, "the loop survives")
		assert.Equal(t, 1, calls, "removed after its panic")
		require.Len(t, reported, 1)
		var pe *iterco.PanicError
		require.ErrorAs(t, reported[0].Err, &pe)
		assert.Equal(t, "recorder", pe.Value)
	})
}

// The same program on a virtual clock gives the same recording on every
// run: sleeps, timeouts, eager starts, locks, queues and cancels.
func TestSameProgramSameRecording(t *testing.T) {
	runs := 1000
	if testing.Short() || raceEnabled {
		// The race detector keeps memory for every goroutine ever started,
		// and each run starts a pool of coroutines of its own.
		runs = 100
	}
	var first string
	for i := range runs {
		var buf bytes.Buffer
		rec := task.RecorderFunc(func(e *task.Event) { fmt.Fprintln(&buf, e.Format(epoch)) })
		_, err := task.Run(context.Background(), timedProgram(42), virtual(), task.WithRecorder(rec))
		require.NoError(t, err)
		if i == 0 {
			first = buf.String()
			require.Greater(t, bytes.Count(buf.Bytes(), []byte("\n")), 200, "the program does enough to be a test")
			continue
		}
		require.Equal(t, first, buf.String(), "run %d", i)
	}
}

// timedProgram is a seeded program of tasks that sleep, time out, start
// eagerly, take a lock, pass items through a queue and cancel each other.
func timedProgram(seed int64) iterco.Func[int] {
	return func(co *iterco.Co) (int, error) {
		rng := rand.New(rand.NewSource(seed))
		var lock asyncsync.Lock
		q := asyncsync.NewQueue[int](2)
		var ts []*task.Task[int]
		for i := range 40 {
			ms := time.Duration(rng.Intn(50)) * time.Millisecond
			eager := rng.Intn(2) == 0
			kind := rng.Intn(4)
			ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
				switch kind {
				case 0:
					return task.Timeout(co, ms, func(co *iterco.Co) (int, error) {
						return i, task.Sleep(co, 2*ms)
					})
				case 1:
					if err := lock.Acquire(co); err != nil {
						return 0, err
					}
					defer lock.Release(co)
					return i, task.Sleep(co, ms)
				case 2:
					if err := task.Sleep(co, ms); err != nil {
						return 0, err
					}
					return i, q.Put(co, i)
				default:
					return q.Get(co)
				}
			}, task.EagerStart(eager)))
		}
		task.Sleep(co, 20*time.Millisecond)
		for _, tk := range ts {
			if rng.Intn(4) == 0 {
				tk.Cancel("")
			}
		}
		q.Shutdown(true)
		_, errs, err := task.GatherAll(co, asAwaitables(ts)...)
		n := 0
		for _, e := range errs {
			if e != nil && !errors.Is(e, future.ErrCancelled) && !errors.Is(e, task.ErrTimeout) && !errors.Is(e, asyncsync.ErrQueueShutDown) {
				return 0, e
			}
			n++
		}
		return n, err
	}
}

func asAwaitables[T any](ts []*task.Task[T]) []future.Awaitable[T] {
	as := make([]future.Awaitable[T], len(ts))
	for i, t := range ts {
		as[i] = t
	}
	return as
}

// A loop on a virtual clock that jumps to its next timer does not sleep,
// and publishes no copy of its Stats for it: a sleep costs its own record
// (its timer wakes it with no closure), nothing more, however often the
// loop idles.
func TestAVirtualJumpPublishesNothing(t *testing.T) {
	var allocs float64
	l := task.NewLoop(virtual())
	defer l.Close()
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		sleep := func() { require.NoError(t, task.Sleep(co, time.Millisecond)) }
		for range 100 {
			sleep() // the loop idles, and jumps, at every one
		}
		allocs = testing.AllocsPerRun(100, sleep)
		return 0, nil
	})
	require.NoError(t, err)
	if !raceEnabled {
		assert.Equal(t, 1.0, allocs)
	}
	// The main task's first step, and one step after each sleep (AllocsPerRun
	// runs its function once more before it counts).
	assert.Equal(t, uint64(1+100+1+100), l.Stats().Steps, "published when the loop stopped")
}
