package priority_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// prioRun runs main on a loop with a priority queue made with opts.
func prioRun(t *testing.T, main func(co *iterco.Co) error, opts ...priority.QueueOption) {
	t.Helper()
	testkit.Run(t, main, task.WithQueue(priority.NewQueue(opts...)))
}

func spawn(co *iterco.Co, fn func(co *iterco.Co) error, opts ...task.Option) *task.Task[int] {
	return task.Create(co, func(co *iterco.Co) (int, error) { return 0, fn(co) }, opts...)
}

func awaitAll(co *iterco.Co, ts []*task.Task[int]) error {
	_, err := task.GatherOf(co, ts)
	return err
}

// S35: a priority lock serves its waiters by priority, FIFO among equals,
// even on the plain loop.
func TestS35LockOrder(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		var lock priority.Lock
		require.NoError(t, lock.Acquire(co))
		var ts []*task.Task[int]
		for _, w := range []struct {
			name string
			p    int
			has  bool
		}{{"a", 3, true}, {"b", 1, true}, {"c", 2, true}, {"d", 1, true}, {"e", -5, true}, {"f", 0, true}, {"plain", 0, false}} {
			var opts []task.Option
			if w.has {
				opts = append(opts, priority.Of(w.p))
			}
			ts = append(ts, spawn(co, func(co *iterco.Co) error {
				if err := lock.Acquire(co); err != nil {
					return err
				}
				tr.Add(w.name)
				return lock.Release(co)
			}, opts...))
		}
		task.Yield(co)
		p, ok := lock.EffectivePriority()
		assert.True(t, ok)
		assert.Equal(t, -5, p)
		assert.Equal(t, -5, priority.Effective(task.Current(co)), "the owner inherits")
		require.NoError(t, lock.Release(co))
		assert.Equal(t, priority.Normal, priority.Effective(task.Current(co)), "and lets go")
		return awaitAll(co, ts)
	})
	assert.Equal(t, "e f plain b d c a", strings.Join(tr.Events, " "))
}

// S36: priority inheritance on the priority loop.
func TestS36Inheritance(t *testing.T) {
	tests := []struct {
		name     string
		withHigh bool
		want     string
	}{
		{"without high", false, "med(0) low(1)"},
		{"with high", true, "low(-1) high(-1) med(0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &testkit.Trace{}
			prioRun(t, func(co *iterco.Co) error {
				var lock priority.Lock
				var ev asyncsync.Event
				var ts []*task.Task[int]
				ts = append(ts, spawn(co, func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						return err
					}
					defer lock.Release(co)
					if err := ev.Wait(co); err != nil {
						return err
					}
					tr.Add("low(%d)", priority.Effective(task.Current(co)))
					return nil
				}, priority.Of(1)))
				if tt.withHigh {
					ts = append(ts, spawn(co, func(co *iterco.Co) error {
						if err := ev.Wait(co); err != nil {
							return err
						}
						if err := lock.Acquire(co); err != nil {
							return err
						}
						defer lock.Release(co)
						tr.Add("high(%d)", priority.Effective(task.Current(co)))
						return nil
					}, priority.Of(-1)))
				}
				ts = append(ts, spawn(co, func(co *iterco.Co) error {
					if err := ev.Wait(co); err != nil {
						return err
					}
					tr.Add("med(%d)", priority.Effective(task.Current(co)))
					return nil
				}, priority.Of(0)))
				last := spawn(co, func(co *iterco.Co) error { return nil }, priority.Of(1000))
				future.Await[int](co, last)
				ev.Set()
				return awaitAll(co, ts)
			})
			assert.Equal(t, tt.want, strings.Join(tr.Events, " "))
		})
	}
}

// S37: the priority loop's order, a plain callback counting as Normal.
func TestS37LoopOrder(t *testing.T) {
	tr := &testkit.Trace{}
	prioRun(t, func(co *iterco.Co) error {
		var ts []*task.Task[int]
		for _, w := range []struct {
			name string
			p    int
		}{{"a", 5}, {"b", -1}, {"c", 0}, {"d", -1}, {"e", priority.Low}, {"f", priority.High}} {
			ts = append(ts, spawn(co, func(co *iterco.Co) error { tr.Add(w.name); return nil }, priority.Of(w.p)))
		}
		task.LoopOf(co).CallSoon(func() { tr.Add("plain-callback") })
		return awaitAll(co, ts)
	})
	assert.Equal(t, "f b d c plain-callback a e", strings.Join(tr.Events, " "))
}

// S38: a priority condition wakes the most urgent waiters first.
func TestS38Condition(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		cond := priority.NewCondition(nil)
		flag := false
		var ts []*task.Task[int]
		for _, w := range []struct {
			name string
			p    int
		}{{"a", 2}, {"b", 0}, {"c", 1}, {"d", 0}, {"e", -3}} {
			ts = append(ts, spawn(co, func(co *iterco.Co) error {
				if err := cond.Acquire(co); err != nil {
					return err
				}
				defer cond.Release(co)
				if err := cond.WaitFor(co, func() bool { return flag }); err != nil {
					return err
				}
				tr.Add(w.name)
				return nil
			}, priority.Of(w.p)))
		}
		task.Yield(co)
		require.NoError(t, cond.Acquire(co))
		flag = true
		cond.Notify(2)
		require.NoError(t, cond.Release(co))
		task.Sleep(co, 10*time.Millisecond)
		tr.Add("|")
		require.NoError(t, cond.Acquire(co))
		cond.NotifyAll()
		require.NoError(t, cond.Release(co))
		return awaitAll(co, ts)
	})
	assert.Equal(t, "e b | d c a", strings.Join(tr.Events, " "))
}
