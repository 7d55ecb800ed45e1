package task_test

import (
	"context"
	"encoding/json"
	"errors"
	"expvar"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestStatsCountWhatTheLoopDid(t *testing.T) {
	l := task.NewLoop(virtual(), task.WithExceptionHandler(func(task.Exception) {}))
	defer l.Close()
	_, err := task.RunUntilComplete(l, task.Proc(func(co *iterco.Co) error {
		yieldOnce := task.Proc(func(co *iterco.Co) error { return task.Yield(co) })
		a, b := task.Create(co, yieldOnce), task.Create(co, yieldOnce)
		task.Create(co, task.Proc(func(*iterco.Co) error { return errors.New("boom") }))
		task.LoopOf(co).CallSoon(func() {})
		_, err := task.Gather[struct{}](co, a, b)
		return err
	}))
	require.NoError(t, err)
	s := l.Stats()
	// main: 2 steps; a and b: 2 each; the failing task: 1.
	assert.Equal(t, uint64(7), s.Steps)
	assert.Equal(t, uint64(4), s.Created)
	assert.Equal(t, uint64(4), s.Done)
	assert.Equal(t, uint64(1), s.Failed)
	assert.Equal(t, 0, s.Live)
	assert.Equal(t, 0, s.Parked)
	assert.GreaterOrEqual(t, s.Callbacks, uint64(1))
	assert.GreaterOrEqual(t, s.ReadyMax, 3)
	assert.LessOrEqual(t, s.Switches, 2*s.Steps)
	assert.Positive(t, s.Switches)
}

// TestStatsCountEverySwitch pins Steps, HandOffs and Switches to the
// coroutine switches each way of running a step really makes. Each case's
// main task runs its first step on the scheduler's coroutine, as every
// lazy task does, and parks there when it awaits: two switches (out to
// the loop's driver, which starts the scheduler on another coroutine),
// and two more when it is resumed.
func TestStatsCountEverySwitch(t *testing.T) {
	nop := func(*iterco.Co) (int, error) { return 1, nil }
	yieldOnce := func(co *iterco.Co) (int, error) { return 1, task.Yield(co) }
	// yielders has main and k-1 tasks yield to each other n times each.
	yielders := func(k, n int) iterco.Func[int] {
		return func(co *iterco.Co) (int, error) {
			var ts []future.Awaitable[int]
			for range k - 1 {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
					for range n {
						task.Yield(co)
					}
					return 0, nil
				}))
			}
			for range n {
				task.Yield(co)
			}
			_, err := task.Gather(co, ts...)
			return 0, err
		}
	}
	for _, tc := range []struct {
		name                      string
		main                      iterco.Func[int]
		steps, handOffs, switches uint64
	}{
		{"a task that ends in its first step", nop, 1, 0, 0},
		{"a lone yield goes on at once", func(co *iterco.Co) (int, error) { return 0, task.Yield(co) }, 2, 0, 0},
		// The child ends on the scheduler's coroutine: main's switches only.
		{"a lazy child that ends at once", func(co *iterco.Co) (int, error) {
			return task.Create(co, nop).Await(co)
		}, 3, 0, 4},
		// The child's yield finds nothing else ready and goes on.
		{"a lazy child that yields alone", func(co *iterco.Co) (int, error) {
			return task.Create(co, yieldOnce).Await(co)
		}, 4, 0, 4},
		// Two for each of the child's steps: it parks on the scheduler's
		// coroutine, then the scheduler resumes it on its own.
		{"two lazy children that yield", func(co *iterco.Co) (int, error) {
			a, b := task.Create(co, yieldOnce), task.Create(co, yieldOnce)
			_, err := task.Gather[int](co, a, b)
			return 0, err
		}, 6, 0, 12},
		// Into the child's coroutine and back.
		{"an eager child that ends at once", func(co *iterco.Co) (int, error) {
			return task.Create(co, nop, task.EagerStart(true)).Await(co)
		}, 2, 0, 2},
		// Its eager step (2), main's park (2), its resumption (2), main's (2).
		{"an eager child that yields", func(co *iterco.Co) (int, error) {
			return task.Create(co, yieldOnce, task.EagerStart(true)).Await(co)
		}, 4, 0, 8},
		// Main hands the turn to the child three times: two switches each,
		// into it and back once it parks or ends.
		{"two tasks yielding to each other", yielders(2, 3), 9, 3, 12},
		{"three tasks yielding in turn", yielders(3, 3), 13, 6, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := task.NewLoop(virtual())
			defer l.Close()
			_, err := task.RunUntilComplete(l, tc.main)
			require.NoError(t, err)
			s := l.Stats()
			assert.Equal(t, tc.steps, s.Steps, "steps")
			assert.Equal(t, tc.handOffs, s.HandOffs, "hand-offs")
			assert.Equal(t, tc.switches, s.Switches, "switches")
		})
	}
}

func TestStatsFromAnotherGoroutineWhileTheLoopWaits(t *testing.T) {
	l := task.NewLoop()
	release := make(chan struct{})
	waiting := make(chan struct{})
	main := task.Spawn(l, func(co *iterco.Co) (int, error) {
		task.Create(co, napper) // a timer pending, a task parked
		task.Yield(co)
		close(waiting)
		return task.Go(co, func(context.Context) (int, error) { <-release; return 1, nil }).Await(co)
	})
	done := make(chan error, 1)
	go func() {
		_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) { return main.Await(co) })
		done <- err
	}()
	<-waiting
	// Published before the loop sleeps.
	var s task.Stats
	for s.InFlight == 0 || !l.Sleeping() {
		time.Sleep(time.Millisecond)
		s = l.Stats()
	}
	assert.Equal(t, 1, s.InFlight)
	assert.Equal(t, 1, s.Timers)
	assert.Equal(t, 3, s.Live)
	assert.Equal(t, 3, s.Parked)
	assert.Equal(t, 0, s.Ready)
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, l.Close())
}

// Goroutines reading the Stats while the loop publishes them, race
// detector on: every read is a whole publication, and later reads never go
// back.
func TestStatsReadWhileTheLoopPublishes(t *testing.T) {
	const yields = 20000
	l := task.NewLoop()
	defer l.Close()
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			var last task.Stats
			for {
				select {
				case <-done:
					return
				default:
				}
				s := l.Stats()
				if s.Steps < last.Steps || s.Switches < last.Switches || s.Created < last.Created {
					t.Errorf("Stats went back: %+v after %+v", s, last)
					return
				}
				last = s
			}
		}()
	}
	_, err := task.RunUntilComplete(l, task.Proc(func(co *iterco.Co) error {
		for range yields {
			if err := task.Yield(co); err != nil {
				return err
			}
		}
		return nil
	}))
	close(done)
	readers.Wait()
	require.NoError(t, err)
	assert.Equal(t, uint64(yields+1), l.Stats().Steps)
}

var expvarLoops atomic.Int32

func TestPublishExpvar(t *testing.T) {
	l := task.NewLoop(virtual())
	defer l.Close()
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Second) })
	require.NoError(t, err)
	name := fmt.Sprintf("asynkit-test-loop-%d", expvarLoops.Add(1)) // -count=N runs it again
	l.PublishExpvar(name)
	var got task.Stats
	require.NoError(t, json.Unmarshal([]byte(expvar.Get(name).String()), &got))
	assert.Equal(t, l.Stats(), got)
	assert.Equal(t, uint64(1), got.Created)
	assert.Panics(t, func() { l.PublishExpvar(name) })
}
