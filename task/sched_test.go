package task_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// counters is the scenarios' "6 counters": main yields to empty the queue,
// then creates T0..T5, each of which logs its index.
func counters(co *iterco.Co, tr *trace) []task.Any {
	task.Yield(co)
	var ts []task.Any
	for i := range 6 {
		ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
			tr.Add("%d", i)
			return i, nil
		}, task.Name(fmt.Sprint("T", i))))
	}
	return ts
}

func TestSleepInsert(t *testing.T) {
	tests := []struct {
		give int
		want []string
	}{
		{0, []string{"me", "0", "1", "2", "3", "4", "5"}},
		{1, []string{"0", "me", "1", "2", "3", "4", "5"}},
		{3, []string{"0", "1", "2", "me", "3", "4", "5"}},
		{6, []string{"0", "1", "2", "3", "4", "5", "me"}},
		{10, []string{"0", "1", "2", "3", "4", "5", "me"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("at %d", tt.give), func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				counters(co, tr)
				if err := task.SleepInsert(co, tt.give); err != nil {
					return 0, err
				}
				tr.Add("me")
				return 0, task.Yield(co)
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, tr.Events)
		})
	}

	t.Run("counts callbacks that are not tasks", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			task.Yield(co)
			l := task.LoopOf(co)
			for _, name := range []string{"cb0", "cb1", "cb2"} {
				l.CallSoon(func() { tr.Add(name) })
			}
			task.SleepInsert(co, 2)
			tr.Add("me")
			return 0, task.Yield(co)
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"cb0", "cb1", "me", "cb2"}, tr.Events)
	})

	t.Run("a negative position is an error and does not suspend", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			counters(co, tr)
			err := task.SleepInsert(co, -1)
			tr.Add("me")
			return 0, err
		})
		assert.ErrorIs(t, err, task.ErrPosition)
		assert.Equal(t, "me", tr.Events[0])
	})
}

func TestReinsert(t *testing.T) {
	tests := []struct {
		give int
		want []string
	}{
		{0, []string{"5", "0", "1", "2", "3", "4"}},
		{1, []string{"0", "5", "1", "2", "3", "4"}},
		{5, []string{"0", "1", "2", "3", "4", "5"}},
		{6, []string{"0", "1", "2", "3", "4", "5"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("T5 to %d", tt.give), func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				ts := counters(co, tr)
				if err := task.Reinsert(ts[5], tt.give); err != nil {
					return 0, err
				}
				return 0, task.Yield(co)
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, tr.Events)
		})
	}

	t.Run("a task already at that position stays", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			ts := counters(co, tr)
			for range 3 {
				require.NoError(t, task.Reinsert(ts[2], 2))
			}
			require.NoError(t, task.Reinsert(ts[0], 0))
			assert.Equal(t, 6, task.LoopOf(co).QueueLen())
			return 0, task.Yield(co)
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"0", "1", "2", "3", "4", "5"}, tr.Events)
	})
}

func TestSwitch(t *testing.T) {
	tests := []struct {
		name   string
		target int
		opts   []task.SwitchOption
		want   []string
	}{
		{"to T3, caller last", 3, nil, []string{"3", "0", "1", "2", "4", "5", "me"}},
		{"to T3, caller right after it", 3, []task.SwitchOption{task.InsertPos(1)}, []string{"3", "me", "0", "1", "2", "4", "5"}},
		{"to T3, caller before it", 3, []task.SwitchOption{task.InsertPos(0)}, []string{"me", "3", "0", "1", "2", "4", "5"}},
		{"to T0, caller last", 0, nil, []string{"0", "1", "2", "3", "4", "5", "me"}},
		{"to T0, first already, caller right after it", 0, []task.SwitchOption{task.InsertPos(1)}, []string{"0", "me", "1", "2", "3", "4", "5"}},
		{"to T0, first already, caller before it", 0, []task.SwitchOption{task.InsertPos(0)}, []string{"me", "0", "1", "2", "3", "4", "5"}},
		{"to T5, caller third", 5, []task.SwitchOption{task.InsertPos(2)}, []string{"5", "0", "me", "1", "2", "3", "4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				ts := counters(co, tr)
				if err := task.Switch(co, ts[tt.target], tt.opts...); err != nil {
					return 0, err
				}
				tr.Add("me")
				return 0, task.Yield(co)
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, tr.Events)
		})
	}

	t.Run("three tasks in a ring", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			ring := make([]task.Any, 3)
			for i := range ring {
				ring[i] = task.Create(co, func(co *iterco.Co) (int, error) {
					for round := range 2 {
						tr.Add("%c%d", 'a'+i, round)
						next := ring[(i+1)%3]
						if next.Done() {
							continue
						}
						if err := task.Switch(co, next); err != nil {
							tr.Add("%c: %v", 'a'+i, err)
						}
					}
					return i, nil
				})
			}
			for _, r := range ring {
				if _, err := future.Await[int](co, r.(*task.Task[int])); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"a0", "b0", "c0", "a1", "b1", "c1"}, tr.Events)
	})
}

func TestSchedulingErrors(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		self := task.Current(co)
		sleeper := task.Create(co, func(co *iterco.Co) (int, error) {
			return 0, task.Sleep(co, 10*time.Millisecond)
		})
		other := task.Create(co, func(co *iterco.Co) (int, error) { return 0, nil })
		task.Yield(co) // sleeper blocks, other finishes
		require.True(t, task.IsBlocked(sleeper))
		tests := []struct {
			name string
			give func() error
			want error
		}{
			{"reinsert of a blocked task", func() error { return task.Reinsert(sleeper, 0) }, task.ErrNotScheduled},
			{"switch to a blocked task", func() error { return task.Switch(co, sleeper) }, task.ErrNotScheduled},
			{"switch to oneself", func() error { return task.Switch(co, self) }, task.ErrNotScheduled},
			{"reinsert of oneself", func() error { return task.Reinsert(self, 0) }, task.ErrNotScheduled},
			{"switch to a done task", func() error { return task.Switch(co, other) }, task.ErrNotScheduled},
			{"reinsert at a negative position", func() error { return task.Reinsert(other, -1) }, task.ErrPosition},
			{"switch with a negative position", func() error { return task.Switch(co, other, task.InsertPos(-2)) }, task.ErrPosition},
		}
		for _, tt := range tests {
			assert.ErrorIs(t, tt.give(), tt.want, tt.name)
		}
		_, err := future.Await[int](co, sleeper)
		assert.NoError(t, err)
		assert.ErrorIs(t, task.Switch(co, sleeper), task.ErrNotScheduled, "after it is done")
		return 0, nil
	})
	require.NoError(t, err)

	t.Run("switching to a task of another loop", func(t *testing.T) {
		other := task.NewLoop()
		defer other.Close()
		foreign := task.Spawn(other, func(co *iterco.Co) (int, error) { return 0, nil })
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, task.Switch(co, foreign)
		})
		assert.ErrorIs(t, err, task.ErrWrongLoop)
	})
}

func TestBlockedAndRunnable(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		state := func(x task.Any) [2]bool { return [2]bool{task.IsBlocked(x), task.IsRunnable(x)} }
		f := task.NewFuture[int](co)
		waiter := task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, f) })
		assert.Equal(t, [2]bool{false, true}, state(waiter), "just created")
		task.Yield(co)
		assert.Equal(t, [2]bool{true, false}, state(waiter), "waiting")
		f.SetResult(1)
		assert.Equal(t, [2]bool{false, true}, state(waiter), "right after the result is set")
		future.Await[int](co, waiter)
		assert.Equal(t, [2]bool{false, false}, state(waiter), "done")
		assert.Equal(t, [2]bool{false, true}, state(task.Current(co)), "the running task")

		g := task.NewFuture[int](co)
		cancelled := task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, g) })
		task.Yield(co)
		cancelled.Cancel("")
		assert.Equal(t, [2]bool{false, true}, state(cancelled), "right after cancel")
		future.Await[int](co, cancelled)
		assert.Equal(t, [2]bool{false, false}, state(cancelled), "after it finished")

		h := task.NewFuture[int](co)
		inner := task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, h) })
		outer := task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, inner) })
		task.Yield(co)
		inner.Cancel("")
		assert.True(t, task.IsBlocked(outer), "awaiting a task that was just cancelled")
		future.Await[int](co, outer)
		return 0, nil
	})
	require.NoError(t, err)
}

func TestRunnableBlockedAll(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		l := task.LoopOf(co)
		f := task.NewFuture[int](co)
		var waiters, fresh []task.Any
		for range 2 {
			waiters = append(waiters, task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, f) }))
		}
		task.Yield(co)
		for range 3 {
			fresh = append(fresh, task.Create(co, func(co *iterco.Co) (int, error) { return 0, nil }))
		}
		assert.Equal(t, fresh, task.Runnable(l))
		assert.Equal(t, waiters, task.Blocked(l))
		assert.ElementsMatch(t, task.All(l), append(append([]task.Any{task.Current(co)}, fresh...), waiters...))
		f.SetResult(1)
		assert.ElementsMatch(t, append(waiters, fresh...), task.Runnable(l))
		assert.Empty(t, task.Blocked(l))
		return 0, nil
	})
	require.NoError(t, err)
}

func TestAllIsRunnableBlockedAndCurrentThroughout(t *testing.T) {
	for seed := range int64(10) {
		checks := 0
		check := func(co *iterco.Co) {
			checks++
			l := task.LoopOf(co)
			runnable, blocked := task.Runnable(l), task.Blocked(l)
			union := append(append([]task.Any{task.Current(co)}, runnable...), blocked...)
			require.ElementsMatch(t, task.All(l), union, "seed %d check %d", seed, checks)
			for _, r := range runnable {
				require.True(t, task.IsRunnable(r))
				require.NotContains(t, blocked, r)
			}
			for _, b := range blocked {
				require.True(t, task.IsBlocked(b))
			}
		}
		_, err := task.Run(context.Background(), busyProgramChecked(seed, &trace{}, check))
		require.NoError(t, err)
		require.Greater(t, checks, 10)
	}
}

func TestCreateDescend(t *testing.T) {
	t.Run("the child runs at once and the caller right after it blocks", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			task.Create(co, tr.logger("other"))
			tr.Add("before")
			child, err := task.CreateDescend(co, func(co *iterco.Co) (int, error) {
				tr.Add("c-start")
				task.Yield(co)
				tr.Add("c-end")
				return 0, nil
			})
			if err != nil {
				return 0, err
			}
			tr.Add("after descend, done=%v", child.Done())
			_, err = future.Await[int](co, child)
			return 0, err
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"before", "c-start", "after descend, done=false", "other", "c-end"}, tr.Events)
	})

	t.Run("descend inside descend is depth first", func(t *testing.T) {
		tr := &trace{}
		var rec func(label string, depth int) iterco.Func[int]
		rec = func(label string, depth int) iterco.Func[int] {
			return func(co *iterco.Co) (int, error) {
				tr.Add(label + "a")
				if depth == 2 {
					task.Yield(co)
					tr.Add(label + "z")
					return 1, nil
				}
				l, _ := task.CreateDescend(co, rec(label+"0", depth+1))
				r, _ := task.CreateDescend(co, rec(label+"1", depth+1))
				tr.Add(label + "b")
				a, _ := future.Await[int](co, l)
				b, _ := future.Await[int](co, r)
				return a + b, nil
			}
		}
		v, err := run(t, rec("r", 0))
		require.NoError(t, err)
		assert.Equal(t, 4, v)
		assert.Equal(t, []string{
			"ra", "r0a", "r00a", "r01a", "r0b", "r1a", "r10a", "r11a", "r1b", "rb",
			"r00z", "r01z", "r10z", "r11z",
		}, tr.Events)
	})
}

func TestQueuePrimitives(t *testing.T) {
	t.Run("CallPos inserts as Python's list.insert", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			task.Yield(co)
			l := task.LoopOf(co)
			for _, c := range []struct {
				pos  int
				name string
			}{{0, "a"}, {0, "b"}, {1, "c"}, {5, "d"}, {-1, "e"}} {
				l.CallPos(c.pos, func() { tr.Add(c.name) })
			}
			assert.Equal(t, 5, l.QueueLen())
			return 0, task.Yield(co)
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"b", "c", "a", "e", "d"}, tr.Events)
	})

	t.Run("QueueFind removes a task's handle and QueueInsertPos puts it back", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			task.Yield(co)
			l := task.LoopOf(co)
			var ts []task.Any
			for i := range 3 {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) { tr.Add("%d", i); return i, nil }))
			}
			h := l.QueueFind(task.TaskKey(ts[2]), true)
			require.NotNil(t, h)
			assert.Same(t, ts[2], h.Task())
			assert.False(t, h.Queued())
			assert.Equal(t, 2, l.QueueLen())
			require.NoError(t, l.QueueInsertPos(0, h))
			assert.ErrorIs(t, l.QueueInsertPos(0, h), task.ErrQueued)
			assert.Nil(t, l.QueueFind(func(*task.Handle) bool { return false }, false))
			return 0, task.Yield(co)
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"2", "0", "1"}, tr.Events)
	})

	t.Run("a cancelled callback keeps its place and does not run", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			task.Yield(co)
			l := task.LoopOf(co)
			h := l.CallPos(0, func() { tr.Add("cancelled") })
			l.CallPos(5, func() { tr.Add("kept") })
			h.Cancel()
			assert.True(t, h.Cancelled())
			assert.Nil(t, h.Task())
			assert.Equal(t, 2, l.QueueLen())
			task.SleepInsert(co, 1)
			tr.Add("me")
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"me", "kept"}, tr.Events)
	})
}
