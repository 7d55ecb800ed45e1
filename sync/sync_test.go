package sync_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

type trace struct{ events []string }

func (tr *trace) add(format string, args ...any) {
	tr.events = append(tr.events, fmt.Sprintf(format, args...))
}

func run(t *testing.T, main func(co *iterco.Co) error) {
	t.Helper()
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 0, main(co) },
		task.WithClock(task.NewVirtualClock(time.Time{})),
		task.WithExceptionHandler(func(e task.Exception) { t.Errorf("unexpected exception: %s", e) }))
	require.NoError(t, err)
}

// spawn creates a task running fn that returns only an error.
func spawn(co *iterco.Co, name string, fn func(co *iterco.Co) error) *task.Task[int] {
	return task.Create(co, func(co *iterco.Co) (int, error) { return 0, fn(co) }, task.Name(name))
}

// logWhenHeld spawns a task that takes lock, logs that it has it, and
// lets it go.
func logWhenHeld(co *iterco.Co, lock *asyncsync.Lock, tr *trace, name string) *task.Task[int] {
	return spawn(co, name, func(co *iterco.Co) error {
		if err := lock.Acquire(co); err != nil {
			return err
		}
		tr.add("%s has it", name)
		return lock.Release(co)
	})
}

func TestLock(t *testing.T) {
	t.Run("waiters get the lock in arrival order, newcomers queue behind", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			require.NoError(t, lock.Acquire(co))
			var ts []*task.Task[int]
			for i := range 3 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						return err
					}
					tr.add("%d has it", i)
					task.Yield(co)
					return lock.Release(co)
				}))
			}
			task.Yield(co)
			require.NoError(t, lock.Release(co))
			assert.False(t, lock.TryAcquire(co), "handed to a waiter: no barging")
			late := spawn(co, "late", func(co *iterco.Co) error {
				if err := lock.Acquire(co); err != nil {
					return err
				}
				tr.add("late has it")
				return lock.Release(co)
			})
			ts = append(ts, late)
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			assert.False(t, lock.Locked())
			return nil
		})
		assert.Equal(t, []string{"0 has it", "1 has it", "2 has it", "late has it"}, tr.events)
	})

	t.Run("uncontended acquire and release neither suspend nor allocate", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			other := spawn(co, "other", func(co *iterco.Co) error { return nil })
			allocs := testing.AllocsPerRun(100, func() {
				lock.Acquire(co)
				lock.Release(co)
			})
			assert.Zero(t, allocs)
			assert.False(t, other.Done(), "no suspension let the other task run")
			_, err := future.Await[int](co, other)
			return err
		})
	})

	t.Run("a waiter cancelled while waiting leaves no trace", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			lock.Acquire(co)
			a := spawn(co, "a", func(co *iterco.Co) error { return lock.Acquire(co) })
			b := logWhenHeld(co, &lock, tr, "b")
			task.Yield(co)
			a.Cancel("")
			task.Yield(co)
			assert.True(t, a.Cancelled())
			lock.Release(co)
			_, err := future.Await[int](co, b)
			return err
		})
		assert.Equal(t, []string{"b has it"}, tr.events)
	})

	t.Run("a waiter handed the lock and cancelled before it runs passes it on", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			lock.Acquire(co)
			a := spawn(co, "a", func(co *iterco.Co) error { return lock.Acquire(co) })
			b := logWhenHeld(co, &lock, tr, "b")
			task.Yield(co)
			lock.Release(co) // a is woken with the lock...
			a.Cancel("")     // ...and cancelled before it runs
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, future.ErrCancelled)
			_, err = future.Await[int](co, b)
			assert.False(t, lock.Locked())
			return err
		})
		assert.Equal(t, []string{"b has it"}, tr.events)
	})

	t.Run("a cancelled waiter does not hand the lock to a second waiter", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			lock.Acquire(co)
			holders := 0
			waiter := func(name string) *task.Task[int] {
				return spawn(co, name, func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						tr.add("%s: %v", name, err)
						return err
					}
					holders++
					tr.add("%s has it, holders=%d", name, holders)
					task.Yield(co)
					holders--
					return lock.Release(co)
				})
			}
			w0, w1, w2 := waiter("w0"), waiter("w1"), waiter("w2")
			task.Yield(co)
			w1.Cancel("")    // w1 leaves first...
			lock.Release(co) // ...while w0 holds a grant it has not used yet
			return task.GatherTasks(co, w0, w2)
		})
		assert.Equal(t, []string{"w1: future: cancelled", "w0 has it, holders=1", "w2 has it, holders=1"}, tr.events)
	})

	t.Run("misuse", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			assert.ErrorIs(t, lock.Release(co), asyncsync.ErrNotLocked)
			lock.Acquire(co)
			other := spawn(co, "other", func(co *iterco.Co) error { return lock.Release(co) })
			_, err := future.Await[int](co, other)
			assert.ErrorIs(t, err, asyncsync.ErrNotOwner)
			assert.Same(t, task.Current(co), lock.Owner())
			return lock.Release(co)
		})
	})

	t.Run("used from a second loop", func(t *testing.T) {
		var lock asyncsync.Lock
		run(t, func(co *iterco.Co) error {
			lock.Acquire(co)
			return lock.Release(co)
		})
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 0, lock.Acquire(co) })
		assert.ErrorIs(t, err, task.ErrWrongLoop)
	})
}

func TestEvent(t *testing.T) {
	tr := &trace{}
	run(t, func(co *iterco.Co) error {
		var ev asyncsync.Event
		var ts []*task.Task[int]
		for i := range 3 {
			ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
				err := ev.Wait(co)
				tr.add("%d woke", i)
				return err
			}))
		}
		cancelled := spawn(co, "cancelled", func(co *iterco.Co) error { return ev.Wait(co) })
		task.Yield(co)
		cancelled.Cancel("")
		tr.add("set")
		ev.Set()
		assert.True(t, ev.IsSet())
		assert.NoError(t, ev.Wait(co), "a set event does not block")
		for _, x := range ts {
			future.Await[int](co, x)
		}
		ev.Clear()
		assert.False(t, ev.IsSet())
		_, err := future.Await[int](co, cancelled)
		assert.ErrorIs(t, err, future.ErrCancelled)
		return nil
	})
	assert.Equal(t, []string{"set", "0 woke", "1 woke", "2 woke"}, tr.events)
}

func TestCondition(t *testing.T) {
	t.Run("notify wakes waiters in order, and they hold the lock", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			ready := 0
			var ts []*task.Task[int]
			for i := range 4 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					if err := cond.Acquire(co); err != nil {
						return err
					}
					defer cond.Release(co)
					err := cond.WaitFor(co, func() bool { return ready > 0 })
					assert.True(t, cond.Locked())
					tr.add("%d woke", i)
					return err
				}))
			}
			task.Yield(co)
			cond.Acquire(co)
			ready = 1
			cond.Notify(2)
			cond.Release(co)
			for len(tr.events) < 2 { // the two notified run first
				task.Yield(co)
			}
			tr.add("then all")
			cond.Acquire(co)
			cond.NotifyAll()
			cond.Release(co)
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			return nil
		})
		assert.Equal(t, []string{"0 woke", "1 woke", "then all", "2 woke", "3 woke"}, tr.events)
	})

	t.Run("a cancelled waiter holds the lock again and passes its notification on", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			waiter := func(name string) *task.Task[int] {
				return spawn(co, name, func(co *iterco.Co) error {
					cond.Acquire(co)
					defer cond.Release(co)
					err := cond.Wait(co)
					tr.add("%s: %v locked=%v", name, err, cond.Locked() && cond.Lock().Owner() == task.Current(co))
					return nil
				})
			}
			a, b := waiter("a"), waiter("b")
			task.Yield(co)
			cond.Acquire(co)
			cond.Notify(1) // goes to a...
			a.Cancel("")   // ...which is cancelled before it runs
			cond.Release(co)
			future.Await[int](co, a)
			_, err := future.Await[int](co, b)
			return err
		})
		assert.Equal(t, []string{"a: future: cancelled locked=true", "b: <nil> locked=true"}, tr.events)
	})

	t.Run("waiting without the lock is an error", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			assert.ErrorIs(t, cond.Wait(co), asyncsync.ErrNotLocked)
			return nil
		})
	})
}

func TestSemaphore(t *testing.T) {
	t.Run("permits go to waiters in order", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewSemaphore(2)
			var ts []*task.Task[int]
			for i := range 5 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					if err := sem.Acquire(co); err != nil {
						return err
					}
					tr.add("%d in", i)
					task.Sleep(co, time.Millisecond)
					tr.add("%d out", i)
					sem.Release()
					return nil
				}))
			}
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			assert.Equal(t, 2, sem.Value())
			return nil
		})
		assert.Equal(t, []string{"0 in", "1 in", "0 out", "1 out", "2 in", "3 in", "2 out", "3 out", "4 in", "4 out"}, tr.events)
	})

	t.Run("a permit handed to a cancelled waiter goes to the next", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewSemaphore(0)
			a := spawn(co, "a", func(co *iterco.Co) error { return sem.Acquire(co) })
			b := spawn(co, "b", func(co *iterco.Co) error { return sem.Acquire(co) })
			task.Yield(co)
			sem.Release()
			a.Cancel("")
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, future.ErrCancelled)
			_, err = future.Await[int](co, b)
			assert.Equal(t, 0, sem.Value())
			return err
		})
	})

	t.Run("bounded", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewBoundedSemaphore(1)
			assert.ErrorIs(t, sem.Release(), asyncsync.ErrReleasedTooMany)
			assert.True(t, sem.TryAcquire(co))
			assert.False(t, sem.TryAcquire(co))
			assert.NoError(t, sem.Release())
			assert.Equal(t, 1, sem.Value())
			return nil
		})
		assert.Panics(t, func() { asyncsync.NewSemaphore(-1) })
	})
}

func TestBarrier(t *testing.T) {
	t.Run("rounds release together and the barrier is reused", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(3)
			var ts []*task.Task[int]
			for i := range 3 {
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					for round := range 3 {
						tr.add("%d arrives %d", i, round)
						idx, err := b.Wait(co)
						if err != nil {
							return err
						}
						tr.add("%d leaves %d as %d", i, round, idx)
					}
					return nil
				}))
			}
			for _, x := range ts {
				if _, err := future.Await[int](co, x); err != nil {
					return err
				}
			}
			assert.Equal(t, 0, b.NWaiting())
			return nil
		})
		require.Len(t, tr.events, 18)
		pos := map[string]int{}
		for i, e := range tr.events {
			pos[e] = i
		}
		for round := range 3 {
			var indices []int
			lastArrival, firstLeave, lastLeave := -1, len(tr.events), -1
			for i := range 3 {
				lastArrival = max(lastArrival, pos[fmt.Sprintf("%d arrives %d", i, round)])
				for idx := range 3 {
					if at, ok := pos[fmt.Sprintf("%d leaves %d as %d", i, round, idx)]; ok {
						indices = append(indices, idx)
						firstLeave, lastLeave = min(firstLeave, at), max(lastLeave, at)
					}
				}
			}
			assert.ElementsMatch(t, []int{0, 1, 2}, indices, "round %d", round)
			assert.Less(t, lastArrival, firstLeave, "round %d: nobody leaves before all arrived", round)
			if round < 2 {
				for i := range 3 {
					for idx := range 3 {
						if at, ok := pos[fmt.Sprintf("%d leaves %d as %d", i, round+1, idx)]; ok {
							assert.Less(t, lastLeave, at, "round %d drains before round %d is released", round, round+1)
						}
					}
				}
			}
		}
	})

	t.Run("abort breaks it for waiters and later callers, reset mends it", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(2)
			waiter := spawn(co, "w", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co)
			assert.Equal(t, 1, b.NWaiting())
			b.Abort()
			_, err := future.Await[int](co, waiter)
			assert.ErrorIs(t, err, asyncsync.ErrBrokenBarrier)
			_, err = b.Wait(co)
			assert.ErrorIs(t, err, asyncsync.ErrBrokenBarrier)
			assert.True(t, b.Broken())
			b.Reset()
			assert.False(t, b.Broken())
			other := spawn(co, "o", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			_, err = b.Wait(co)
			require.NoError(t, err)
			_, err = future.Await[int](co, other)
			return err
		})
	})

	t.Run("a waiter released and cancelled before it runs sees the cancellation", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(2)
			w := spawn(co, "w", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co)
			_, err := b.Wait(co) // releases w...
			require.NoError(t, err)
			w.Cancel("") // ...which is cancelled before it runs
			_, err = future.Await[int](co, w)
			assert.ErrorIs(t, err, future.ErrCancelled)
			other := spawn(co, "o", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			_, err = b.Wait(co)
			require.NoError(t, err, "the next round works")
			_, err = future.Await[int](co, other)
			return err
		})
	})

	t.Run("a cancelled waiter leaves the round as if it never came", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			b := asyncsync.NewBarrier(2)
			c := spawn(co, "c", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co)
			c.Cancel("")
			_, err := future.Await[int](co, c)
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.Equal(t, 0, b.NWaiting())
			d := spawn(co, "d", func(co *iterco.Co) error { _, err := b.Wait(co); return err })
			task.Yield(co) // d arrives first
			idx, err := b.Wait(co)
			assert.Equal(t, 1, idx)
			require.NoError(t, err)
			_, err = future.Await[int](co, d)
			return err
		})
	})
}

func TestQueue(t *testing.T) {
	t.Run("orders", func(t *testing.T) {
		tests := []struct {
			name string
			give *asyncsync.Queue[int]
			want []int
		}{
			{"fifo", asyncsync.NewQueue[int](0), []int{3, 1, 2}},
			{"lifo", asyncsync.NewLifoQueue[int](0), []int{2, 1, 3}},
			{"priority", asyncsync.NewPriorityQueue(0, func(a, b int) bool { return a < b }), []int{1, 2, 3}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				run(t, func(co *iterco.Co) error {
					for _, v := range []int{3, 1, 2} {
						require.NoError(t, tt.give.Put(co, v))
					}
					var got []int
					for !tt.give.Empty() {
						v, err := tt.give.Get(co)
						require.NoError(t, err)
						got = append(got, v)
					}
					assert.Equal(t, tt.want, got)
					return nil
				})
			})
		}
	})

	t.Run("bounded: putters wait for room, getters for items", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			q := asyncsync.NewQueue[int](2)
			producer := spawn(co, "p", func(co *iterco.Co) error {
				for i := range 5 {
					if err := q.Put(co, i); err != nil {
						return err
					}
					tr.add("put %d", i)
				}
				return nil
			})
			task.Yield(co)
			assert.True(t, q.Full())
			assert.ErrorIs(t, q.TryPut(9), asyncsync.ErrQueueFull)
			for range 5 {
				v, err := q.Get(co)
				if err != nil {
					return err
				}
				tr.add("got %d", v)
			}
			_, err := q.TryGet()
			assert.ErrorIs(t, err, asyncsync.ErrQueueEmpty)
			_, err = future.Await[int](co, producer)
			return err
		})
		assert.Equal(t, []string{"put 0", "put 1", "got 0", "got 1", "put 2", "put 3", "got 2", "got 3", "put 4", "got 4"}, tr.events)
	})

	t.Run("join with many producers and consumers", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			q := asyncsync.NewQueue[int](3)
			sum := 0
			var consumers []*task.Task[int]
			for range 4 {
				consumers = append(consumers, spawn(co, "c", func(co *iterco.Co) error {
					for {
						v, err := q.Get(co)
						if err != nil {
							return err
						}
						sum += v
						task.Yield(co)
						q.TaskDone()
					}
				}))
			}
			var producers []*task.Task[int]
			for p := range 5 {
				producers = append(producers, spawn(co, "p", func(co *iterco.Co) error {
					for i := range 20 {
						if err := q.Put(co, p*100+i); err != nil {
							return err
						}
					}
					return nil
				}))
			}
			for _, p := range producers {
				if _, err := future.Await[int](co, p); err != nil {
					return err
				}
			}
			require.NoError(t, q.Join(co))
			want := 0
			for p := range 5 {
				for i := range 20 {
					want += p*100 + i
				}
			}
			assert.Equal(t, want, sum)
			assert.ErrorIs(t, q.TaskDone(), asyncsync.ErrTaskDoneTooMany)
			q.Shutdown(false)
			for _, c := range consumers {
				_, err := future.Await[int](co, c)
				assert.ErrorIs(t, err, asyncsync.ErrQueueShutDown)
			}
			return nil
		})
	})

	t.Run("shutdown", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			q := asyncsync.NewQueue[int](1)
			q.Put(co, 1)
			putter := spawn(co, "p", func(co *iterco.Co) error { return q.Put(co, 2) })
			task.Yield(co)
			q.Shutdown(false)
			_, err := future.Await[int](co, putter)
			assert.ErrorIs(t, err, asyncsync.ErrQueueShutDown)
			v, err := q.Get(co)
			assert.Equal(t, 1, v, "items left can still be taken")
			assert.NoError(t, err)
			_, err = q.Get(co)
			assert.ErrorIs(t, err, asyncsync.ErrQueueShutDown)
			assert.ErrorIs(t, q.TryPut(3), asyncsync.ErrQueueShutDown)

			r := asyncsync.NewQueue[int](0)
			r.Put(co, 1)
			r.Put(co, 2)
			r.Shutdown(true)
			_, err = r.Get(co)
			assert.ErrorIs(t, err, asyncsync.ErrQueueShutDown)
			return r.Join(co) // every dropped item counted done
		})
	})

	t.Run("a getter cancelled while waiting takes nothing", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			q := asyncsync.NewQueue[int](0)
			a := spawn(co, "a", func(co *iterco.Co) error { _, err := q.Get(co); return err })
			var got int
			b := spawn(co, "b", func(co *iterco.Co) error { v, err := q.Get(co); got = v; return err })
			task.Yield(co)
			q.Put(co, 7) // wakes a...
			a.Cancel("") // ...which is cancelled before it runs
			future.Await[int](co, a)
			_, err := future.Await[int](co, b)
			assert.Equal(t, 7, got)
			return err
		})
	})
}

func TestEagerStartThatBlocksOnALock(t *testing.T) {
	tr := &trace{}
	run(t, func(co *iterco.Co) error {
		var lock asyncsync.Lock
		require.NoError(t, lock.Acquire(co))
		child := task.Create(co, func(co *iterco.Co) (int, error) {
			tr.add("child starts")
			if err := lock.Acquire(co); err != nil {
				return 0, err
			}
			tr.add("child has the lock")
			return 0, lock.Release(co)
		}, task.EagerStart(true))
		tr.add("creator goes on")
		require.NoError(t, lock.Release(co))
		_, err := future.Await[int](co, child)
		return err
	})
	assert.Equal(t, []string{"child starts", "creator goes on", "child has the lock"}, tr.events)
}

// TestExclusionUnderRandomCancellation has many tasks take a lock and a
// semaphore's permits while others cancel them at random points: never
// two holders of the lock, never more holders than permits, and at the
// end everything is free again.
func TestExclusionUnderRandomCancellation(t *testing.T) {
	for seed := range int64(20) {
		run(t, func(co *iterco.Co) error {
			rng := rand.New(rand.NewSource(seed))
			var lock asyncsync.Lock
			sem := asyncsync.NewSemaphore(3)
			holders, permits := 0, 0
			var ts []*task.Task[int]
			for i := range 30 {
				steps := 1 + rng.Intn(4)
				ts = append(ts, spawn(co, fmt.Sprint(i), func(co *iterco.Co) error {
					for range steps {
						if err := lock.Acquire(co); err != nil {
							return err
						}
						holders++
						require.Equal(t, 1, holders)
						err := task.Yield(co)
						holders--
						require.NoError(t, lock.Release(co))
						if err != nil {
							return err
						}
						if err := sem.Acquire(co); err != nil {
							return err
						}
						permits++
						require.LessOrEqual(t, permits, 3)
						err = task.Yield(co)
						permits--
						sem.Release()
						if err != nil {
							return err
						}
					}
					return nil
				}))
			}
			for range 40 {
				if rng.Intn(3) == 0 {
					ts[rng.Intn(len(ts))].Cancel("")
				}
				task.Yield(co)
			}
			for _, x := range ts {
				future.Await[int](co, x) //nolint:errcheck // cancelled or not
			}
			assert.False(t, lock.Locked())
			assert.Equal(t, 3, sem.Value())
			assert.True(t, lock.TryAcquire(co), "nobody is left waiting")
			return lock.Release(co)
		})
	}
}

// TestQueueLosesNothingUnderRandomCancellation has producers and consumers
// on a small bounded queue cancelled at random: every item a Put accepted
// is taken by exactly one Get or is still in the queue at the end.
func TestQueueLosesNothingUnderRandomCancellation(t *testing.T) {
	for seed := range int64(20) {
		run(t, func(co *iterco.Co) error {
			rng := rand.New(rand.NewSource(seed))
			q := asyncsync.NewQueue[int](2)
			put := map[int]bool{}
			got := map[int]int{}
			var ts []*task.Task[int]
			for p := range 5 {
				ts = append(ts, spawn(co, "p", func(co *iterco.Co) error {
					for i := range 10 {
						v := p*100 + i
						if err := q.Put(co, v); err != nil {
							return err
						}
						put[v] = true
					}
					return nil
				}))
			}
			for range 5 {
				ts = append(ts, spawn(co, "c", func(co *iterco.Co) error {
					for {
						v, err := q.Get(co)
						if err != nil {
							return err
						}
						got[v]++
						if err := task.Yield(co); err != nil {
							return err
						}
					}
				}))
			}
			for range 60 {
				if rng.Intn(4) == 0 {
					ts[rng.Intn(len(ts))].Cancel("")
				}
				task.Yield(co)
			}
			q.Shutdown(false)
			for _, x := range ts {
				future.Await[int](co, x) //nolint:errcheck // cancelled or shut down
			}
			for !q.Empty() {
				v, err := q.TryGet()
				require.NoError(t, err)
				got[v]++
			}
			for v := range put {
				assert.Equal(t, 1, got[v], "seed %d: item %d", seed, v)
			}
			for v, n := range got {
				assert.True(t, put[v], "seed %d: item %d was never put", seed, v)
				assert.Equal(t, 1, n)
			}
			return nil
		})
	}
}

// The cases asyncio got wrong for years, with an interruption (task.Throw)
// instead of a cancellation: a waiter handed the lock or a permit and
// interrupted before it runs passes it on, and a condition waiter holds
// the lock again.
func TestInterruptSafety(t *testing.T) {
	interrupt := errors.New("interrupted")
	t.Run("lock", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			lock.Acquire(co)
			a := spawn(co, "a", func(co *iterco.Co) error { return lock.Acquire(co) })
			b := logWhenHeld(co, &lock, tr, "b")
			task.Yield(co)
			lock.Release(co) // a is handed the lock...
			require.NoError(t, task.Throw(a, interrupt))
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, interrupt)
			_, err = future.Await[int](co, b)
			return err
		})
		assert.Equal(t, []string{"b has it"}, tr.events)
	})

	t.Run("semaphore", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			sem := asyncsync.NewSemaphore(0)
			a := spawn(co, "a", func(co *iterco.Co) error { return sem.Acquire(co) })
			b := spawn(co, "b", func(co *iterco.Co) error { return sem.Acquire(co) })
			task.Yield(co)
			sem.Release()
			require.NoError(t, task.Interrupt(co, a, interrupt))
			_, err := future.Await[int](co, a)
			assert.ErrorIs(t, err, interrupt)
			_, err = future.Await[int](co, b)
			assert.Equal(t, 0, sem.Value())
			return err
		})
	})

	t.Run("condition", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			cond := asyncsync.NewCondition(nil)
			var held bool
			w := spawn(co, "w", func(co *iterco.Co) error {
				cond.Acquire(co)
				defer cond.Release(co)
				err := cond.Wait(co)
				held = cond.Lock().Owner() == task.Current(co)
				return err
			})
			task.Yield(co)
			require.NoError(t, task.Interrupt(co, w, interrupt))
			_, err := future.Await[int](co, w)
			assert.ErrorIs(t, err, interrupt)
			assert.True(t, held, "Wait holds the lock again when interrupted")
			assert.False(t, cond.Locked())
			return nil
		})
	})
}

func TestSizes(t *testing.T) {
	run(t, func(co *iterco.Co) error {
		q := asyncsync.NewQueue[int](4)
		q.Put(co, 1)
		assert.Equal(t, 1, q.Len())
		assert.Equal(t, 4, q.Cap())
		assert.Equal(t, 0, asyncsync.NewLifoQueue[int](-1).Cap(), "0 or less: unbounded")
		assert.Equal(t, 3, asyncsync.NewBarrier(3).Parties())
		assert.Panics(t, func() { asyncsync.NewBarrier(0) })
		assert.Panics(t, func() { asyncsync.NewPriorityQueue[int](0, nil) })
		return nil
	})
}

// asyncio breaks the tasks a released round has not resumed yet when the
// barrier is reset, as it does for Abort.
func TestBarrierResetWhileARoundDrains(t *testing.T) {
	tr := &trace{}
	run(t, func(co *iterco.Co) error {
		b := asyncsync.NewBarrier(3)
		var ts []*task.Task[int]
		for _, name := range []string{"a", "b"} {
			ts = append(ts, spawn(co, name, func(co *iterco.Co) error {
				i, err := b.Wait(co)
				tr.add("%s: %d %v", name, i, err)
				return nil
			}))
		}
		task.Yield(co)
		i, err := b.Wait(co) // releases a and b, which have not run yet
		tr.add("main: %d %v", i, err)
		b.Reset()
		assert.False(t, b.Broken())
		for _, tk := range ts {
			future.Await[int](co, tk)
		}
		return nil
	})
	assert.Equal(t, []string{"main: 2 <nil>", "a: 0 sync: barrier is broken", "b: 0 sync: barrier is broken"}, tr.events)
}

// A task that ends holding a Lock does not leave it held forever: the
// lock passes to its next waiter (or to the next task that asks), and the
// loop's exception handler is told once.
func TestLockOwnerEndsHoldingIt(t *testing.T) {
	tests := []struct {
		name       string
		waitBefore bool // a waiter queued before the owner ended
		ownerErr   error
	}{
		{"a waiter queued before the owner ended", true, nil},
		{"a task that asks after the owner ended", false, nil},
		{"an owner that failed", true, errors.New("owner failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported []task.Exception
			tr := &trace{}
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
				var lock asyncsync.Lock
				owner := task.Create(co, func(co *iterco.Co) (int, error) {
					if err := lock.Acquire(co); err != nil {
						return 0, err
					}
					task.Yield(co)
					return 0, tt.ownerErr // forgets to release
				}, task.Name("owner"))
				task.Yield(co)
				var waiter *task.Task[int]
				if tt.waitBefore {
					waiter = logWhenHeld(co, &lock, tr, "waiter")
				}
				for !owner.Done() {
					task.Yield(co)
				}
				if !tt.waitBefore {
					waiter = logWhenHeld(co, &lock, tr, "waiter")
				}
				_, err := future.Await[int](co, waiter)
				assert.False(t, lock.Locked())
				return 0, err
			}, task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e) }))
			require.NoError(t, err)
			assert.Equal(t, []string{"waiter has it"}, tr.events)
			require.Len(t, reported, 1)
			assert.ErrorIs(t, reported[0].Err, asyncsync.ErrAbandoned)
			assert.Equal(t, "owner", reported[0].Task.Name())
			if tt.ownerErr != nil {
				assert.ErrorIs(t, reported[0].Err, tt.ownerErr, "the owner's own error is not lost")
			}
		})
	}
}

func TestMisuseThatWouldHang(t *testing.T) {
	t.Run("the owner acquiring its lock again", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			var lock asyncsync.Lock
			require.NoError(t, lock.Acquire(co))
			assert.ErrorIs(t, lock.Acquire(co), asyncsync.ErrDeadlock)
			assert.Equal(t, task.Current(co), lock.Owner(), "still held, once")
			return lock.Release(co)
		})
	})
	t.Run("a zero Barrier panics naming its constructor", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			var b asyncsync.Barrier
			assert.PanicsWithValue(t, "sync.Barrier.Wait: zero Barrier; make one with NewBarrier", func() { b.Wait(co) })
			return nil
		})
	})
}

func TestZeroValuesWork(t *testing.T) {
	t.Run("a zero Queue is an unbounded FIFO", func(t *testing.T) {
		run(t, func(co *iterco.Co) error {
			var q asyncsync.Queue[int]
			assert.True(t, q.Empty())
			for i := range 3 {
				require.NoError(t, q.Put(co, i))
			}
			assert.Equal(t, 3, q.Len())
			assert.Equal(t, 0, q.Cap())
			for i := range 3 {
				v, err := q.Get(co)
				require.NoError(t, err)
				assert.Equal(t, i, v)
			}
			return nil
		})
	})
	t.Run("a zero Condition has a lock of its own", func(t *testing.T) {
		tr := &trace{}
		run(t, func(co *iterco.Co) error {
			var c asyncsync.Condition
			waiter := spawn(co, "waiter", func(co *iterco.Co) error {
				if err := c.Acquire(co); err != nil {
					return err
				}
				defer c.Release(co)
				if err := c.Wait(co); err != nil {
					return err
				}
				tr.add("notified")
				return nil
			})
			task.Yield(co)
			require.NoError(t, c.Acquire(co))
			c.Notify(1)
			require.NoError(t, c.Release(co))
			_, err := future.Await[int](co, waiter)
			return err
		})
		assert.Equal(t, []string{"notified"}, tr.events)
	})
}
