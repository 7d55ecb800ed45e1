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
	assert.Equal(t, 2*(s.Steps-s.HandOffs)+s.HandOffs >= s.Switches, true)
	assert.Positive(t, s.Switches)
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
