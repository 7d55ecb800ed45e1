package priority_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// locker is what the inversion scenario needs of a lock.
type locker interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
}

// inversion is the classic: low holds a lock, high waits for it, and a
// busy medium task competes with low for the loop.
func inversion(t *testing.T, lock locker) []string {
	tr := &testkit.Trace{}
	prioRun(t, func(co *iterco.Co) error {
		var ev asyncsync.Event
		low := spawn(co, func(co *iterco.Co) error {
			if err := lock.Acquire(co); err != nil {
				return err
			}
			if err := ev.Wait(co); err != nil {
				return err
			}
			for i := range 3 {
				tr.Add("low %d", i)
				task.Yield(co)
			}
			return lock.Release(co)
		}, priority.Of(priority.Low), task.Name("low"))
		high := spawn(co, func(co *iterco.Co) error {
			if err := ev.Wait(co); err != nil {
				return err
			}
			if err := lock.Acquire(co); err != nil {
				return err
			}
			tr.Add("high has the lock")
			return lock.Release(co)
		}, priority.Of(priority.High), task.Name("high"))
		medium := spawn(co, func(co *iterco.Co) error {
			if err := ev.Wait(co); err != nil {
				return err
			}
			for i := range 5 {
				tr.Add("medium %d", i)
				task.Yield(co)
			}
			return nil
		}, task.Name("medium"))
		future.Await[int](co, spawn(co, func(*iterco.Co) error { return nil }, priority.Of(1000)))
		ev.Set()
		return awaitAll(co, []*task.Task[int]{low, high, medium})
	}, priority.WithoutBoost())
	return tr.Events
}

func TestPriorityInversion(t *testing.T) {
	t.Run("a priority lock lends low high's priority", func(t *testing.T) {
		assert.Equal(t, []string{"low 0", "low 1", "low 2", "high has the lock",
			"medium 0", "medium 1", "medium 2", "medium 3", "medium 4"}, inversion(t, new(priority.Lock)))
	})
	t.Run("a plain lock leaves high waiting behind medium", func(t *testing.T) {
		assert.Equal(t, []string{"medium 0", "medium 1", "medium 2", "medium 3", "medium 4",
			"low 0", "low 1", "low 2", "high has the lock"}, inversion(t, new(asyncsync.Lock)))
	})
}

// A chain: t0 waits for L0, held by t1, which waits for L1, held by t2,
// and so on; the head of the chain lends its priority to the end.
func TestInheritanceAlongChains(t *testing.T) {
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("of %d locks", n), func(t *testing.T) {
			testkit.Run(t, func(co *iterco.Co) error {
				locks := make([]*priority.Lock, n)
				for i := range locks {
					locks[i] = new(priority.Lock)
				}
				release := make([]*future.Future[int], n+1)
				var ts []*task.Task[int]
				// Task i holds lock i-1 (none for 0) and waits for lock i;
				// task n holds the last lock and waits for release[n].
				for i := n; i >= 0; i-- {
					release[i] = task.NewFuture[int](co)
					p := 0
					if i == 0 {
						p = priority.High
					}
					// Task i holds lock i-1 and, once released, waits for
					// lock i, which task i+1 holds.
					ts = append(ts, spawn(co, func(co *iterco.Co) error {
						if i >= 1 {
							if err := locks[i-1].Acquire(co); err != nil {
								return err
							}
							defer locks[i-1].Release(co)
						}
						if _, err := future.Await[int](co, release[i]); err != nil {
							return err
						}
						if i < n {
							if err := locks[i].Acquire(co); err != nil {
								return err
							}
							return locks[i].Release(co)
						}
						return nil
					}, priority.Of(p), task.Name(fmt.Sprint("t", i))))
					task.Yield(co)
				}
				// ts[0] is task n (holds locks[n-1]); ts[n] is task 0.
				end := ts[0]
				assert.Equal(t, priority.Normal, priority.Effective(end))
				for i := n - 1; i >= 0; i-- {
					release[i].SetResult(0)
					task.Yield(co)
				}
				// Everyone but task 0 now waits along the chain.
				assert.Equal(t, priority.High, priority.Effective(end), "the end of the chain inherits")
				for i := 1; i < n; i++ {
					assert.Equal(t, priority.High, priority.Effective(ts[n-i]))
				}
				// Task 0 leaves: everything drops back.
				ts[n].Cancel("")
				future.Await[int](co, ts[n])
				for i := 0; i < n; i++ {
					assert.Equal(t, priority.Normal, priority.Effective(ts[i]))
				}
				release[n].SetResult(0) // let the chain unwind
				_, _, err := task.GatherAll[int](co, asAwaitables(ts)...)
				return err
			})
		})
	}
}

func TestPriorityChanges(t *testing.T) {
	t.Run("while queued: the task moves", func(t *testing.T) {
		tr := &testkit.Trace{}
		prioRun(t, func(co *iterco.Co) error {
			a := spawn(co, func(co *iterco.Co) error { tr.Add("a"); return nil }, task.Name("a"))
			b := spawn(co, func(co *iterco.Co) error { tr.Add("b"); return nil }, task.Name("b"))
			require.NoError(t, priority.Set(b, priority.High))
			assert.Equal(t, priority.High, priority.Base(b))
			return awaitAll(co, []*task.Task[int]{a, b})
		})
		assert.Equal(t, []string{"b", "a"}, tr.Events)
	})
	t.Run("while waiting for a lock: the owner inherits it", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			var lock priority.Lock
			require.NoError(t, lock.Acquire(co))
			w := spawn(co, func(co *iterco.Co) error {
				if err := lock.Acquire(co); err != nil {
					return err
				}
				return lock.Release(co)
			})
			task.Yield(co)
			me := task.Current(co)
			assert.Equal(t, priority.Normal, priority.Effective(me))
			require.NoError(t, priority.Set(w, -7))
			assert.Equal(t, -7, priority.Effective(me))
			require.NoError(t, lock.Release(co))
			assert.Equal(t, priority.Normal, priority.Effective(me))
			return awaitAll(co, []*task.Task[int]{w})
		})
	})
	t.Run("a done task", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
			d := spawn(co, func(*iterco.Co) error { return nil })
			future.Await[int](co, d)
			assert.ErrorIs(t, priority.Set(d, 1), priority.ErrDone)
			return nil
		})
	})
}

// A waiter that leaves after it was handed the lock passes the lock on,
// and the priority it lent goes back.
func TestWaiterLeavingAfterTheGrant(t *testing.T) {
	for _, how := range []string{"cancelled", "interrupted"} {
		t.Run(how, func(t *testing.T) {
			tr := &testkit.Trace{}
			testkit.Run(t, func(co *iterco.Co) error {
				var lock priority.Lock
				require.NoError(t, lock.Acquire(co))
				first := spawn(co, func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						tr.Add("first: %v", err != nil)
						return err
					}
					return lock.Release(co)
				}, priority.Of(priority.High))
				second := spawn(co, func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						return err
					}
					tr.Add("second has it")
					return lock.Release(co)
				})
				task.Yield(co)
				require.NoError(t, lock.Release(co)) // handed to first, which has not run
				if how == "cancelled" {
					first.Cancel("")
				} else {
					require.NoError(t, task.Throw(first, &task.InterruptError{}))
				}
				_, _, err := task.GatherAll[int](co, first, second)
				assert.False(t, lock.Locked())
				_, ok := lock.EffectivePriority()
				assert.False(t, ok)
				return err
			})
			assert.Equal(t, []string{"first: true", "second has it"}, tr.Events)
		})
	}
}

// A Low task under a constant flood of High ones runs within
// (Low-High)*BoostAfter pops of the queue.
func TestBoostingBound(t *testing.T) {
	const bound = (priority.Low - priority.High) * priority.BoostAfter
	pops := 0
	lowRan := -1
	prioRun(t, func(co *iterco.Co) error {
		low := spawn(co, func(*iterco.Co) error { lowRan = pops; return nil }, priority.Of(priority.Low))
		var flood func(co *iterco.Co) error
		flood = func(co *iterco.Co) error {
			pops++
			if lowRan < 0 && pops < 10*bound {
				spawn(co, flood, priority.Of(priority.High))
			}
			return nil
		}
		spawn(co, flood, priority.Of(priority.High))
		_, err := future.Await[int](co, low)
		return err
	})
	require.GreaterOrEqual(t, lowRan, 0, "low ran")
	assert.LessOrEqual(t, lowRan, bound)
	t.Logf("low ran after %d High tasks (bound %d)", lowRan, bound)

	lowRan, pops = -1, 0
	prioRun(t, func(co *iterco.Co) error {
		low := spawn(co, func(*iterco.Co) error { lowRan = pops; return nil }, priority.Of(priority.Low))
		var flood func(co *iterco.Co) error
		flood = func(co *iterco.Co) error {
			if pops++; pops < 3*bound {
				spawn(co, flood, priority.Of(priority.High))
			}
			return nil
		}
		spawn(co, flood, priority.Of(priority.High))
		_, err := future.Await[int](co, low)
		return err
	}, priority.WithoutBoost())
	assert.Equal(t, 3*bound, lowRan, "without boosting the flood runs first")
}

// After every step of random programs of tasks taking and leaving
// priority locks, the package's effective priorities equal a computation
// from scratch over the whole wait graph.
func TestEffectiveMatchesTheWaitGraph(t *testing.T) {
	for seed := range uint64(200) {
		checkWaitGraph(t, seed)
	}
}

func checkWaitGraph(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	locks := []*priority.Lock{new(priority.Lock), new(priority.Lock), new(priority.Lock)}
	base := map[task.Any]int{}
	waiting := map[task.Any]*priority.Lock{}
	var all []task.Any
	check := func() {
		want := map[task.Any]int{}
		for _, t := range all {
			want[t] = base[t]
		}
		// Relax along "waits for a lock held by" until nothing changes.
		for changed := true; changed; {
			changed = false
			for w, l := range waiting {
				if o := l.Owner(); o != nil && task.IsBlocked(w) && want[w] < want[o] {
					want[o] = want[w]
					changed = true
				}
			}
		}
		for _, tk := range all {
			if !tk.Done() {
				require.Equal(t, want[tk], priority.Effective(tk), "seed %d: task %s", seed, tk.Name())
			}
		}
		for _, l := range locks {
			best, ok := 0, false
			for w, wl := range waiting {
				if wl == l && task.IsBlocked(w) && (!ok || want[w] < best) {
					best, ok = want[w], true
				}
			}
			p, gotOK := l.EffectivePriority()
			require.Equal(t, ok, gotOK, "seed %d", seed)
			if ok {
				require.Equal(t, best, p, "seed %d", seed)
			}
		}
	}
	prioRun(t, func(co *iterco.Co) error {
		var ts []*task.Task[int]
		for i := range 6 {
			p := rng.IntN(21) - 10
			tk := spawn(co, func(co *iterco.Co) error {
				me := task.Current(co)
				var held []*priority.Lock
				defer func() {
					for _, l := range held {
						l.Release(co)
					}
				}()
				for range 12 {
					check()
					switch rng.IntN(4) {
					case 0:
						// Locks are taken in one order, so that no cycle
						// of waits (a deadlock) can form.
						from := 0
						for _, h := range held {
							from = max(from, slices.Index(locks, h)+1)
						}
						if from == len(locks) {
							continue
						}
						l := locks[from+rng.IntN(len(locks)-from)]
						waiting[me] = l // counts while it is blocked
						err := l.Acquire(co)
						delete(waiting, me)
						if err != nil {
							return err
						}
						held = append(held, l)
					case 1:
						if len(held) > 0 {
							l := held[len(held)-1]
							held = held[:len(held)-1]
							if err := l.Release(co); err != nil {
								return err
							}
						}
					case 2:
						np := rng.IntN(21) - 10
						base[me] = np
						require.NoError(t, priority.Set(me, np))
					default:
						if err := task.Yield(co); err != nil {
							return err
						}
					}
				}
				return nil
			}, priority.Of(p), task.Name(fmt.Sprint("t", i)))
			base[tk] = p
			all = append(all, tk)
			ts = append(ts, tk)
		}
		_, _, err := task.GatherAll[int](co, asAwaitables(ts)...)
		return err
	})
}

func asAwaitables(ts []*task.Task[int]) []future.Awaitable[int] {
	as := make([]future.Awaitable[int], len(ts))
	for i, t := range ts {
		as[i] = t
	}
	return as
}

// A task that ends holding a priority Lock has it released for it, as
// with sync.Lock, and the priority it lent is gone.
func TestLockOwnerEndsHoldingIt(t *testing.T) {
	for _, waitBefore := range []bool{true, false} {
		t.Run(fmt.Sprintf("a waiter queued before the end: %v", waitBefore), func(t *testing.T) {
			var reported []task.Exception
			tr := &testkit.Trace{}
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
				var lock priority.Lock
				end := task.NewFuture[int](co)
				owner := spawn(co, func(co *iterco.Co) error {
					if err := lock.Acquire(co); err != nil {
						return err
					}
					_, err := future.Await[int](co, end)
					return err // forgets to release
				}, task.Name("owner"))
				task.Yield(co)
				waiter := func() *task.Task[int] {
					return spawn(co, func(co *iterco.Co) error {
						if err := lock.Acquire(co); err != nil {
							return err
						}
						tr.Add("waiter has it")
						return lock.Release(co)
					}, priority.Of(priority.High))
				}
				var w *task.Task[int]
				if waitBefore {
					w = waiter()
					task.Yield(co)
					assert.Equal(t, priority.High, priority.Effective(owner), "the owner inherits while it lives")
				}
				end.SetResult(0)
				for !owner.Done() {
					task.Yield(co)
				}
				if !waitBefore {
					w = waiter()
				}
				_, err := future.Await[int](co, w)
				assert.False(t, lock.Locked())
				return 0, err
			}, testkit.Virtual(), task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e) }))
			require.NoError(t, err)
			assert.Equal(t, []string{"waiter has it"}, tr.Events)
			require.Len(t, reported, 1)
			assert.ErrorIs(t, reported[0].Err, asyncsync.ErrAbandoned)
			assert.Equal(t, "owner", reported[0].Task.Name())
		})
	}
}

// A task that holds the lock while others wait is watched, however it
// came to hold it.
func TestLockOwnerEndsHoldingItAfterAHandOff(t *testing.T) {
	testkit.LockOwnerEndsAfterHandOff(t, func() testkit.Locker { return new(priority.Lock) }, asyncsync.ErrAbandoned)
}

// A waiter that arrives while the lock is on its way to a waiter it was
// released to queues behind that waiter, however urgent it is: were it
// placed ahead, a wake-up of the head (a waiter leaving) would hand the
// lock to it too, and two tasks would hold it.
func TestLockOnItsWayIsNotHandedToAMoreUrgentNewcomer(t *testing.T) {
	tr := &testkit.Trace{}
	testkit.Run(t, func(co *iterco.Co) error {
		var lock priority.Lock
		holders := 0
		user := func(name string) func(co *iterco.Co) error {
			return func(co *iterco.Co) error {
				if err := lock.Acquire(co); err != nil {
					tr.Add("%s: %v", name, err)
					return nil
				}
				holders++
				tr.Add("%s has it, with %d holding", name, holders)
				task.Yield(co)
				holders--
				return lock.Release(co)
			}
		}
		require.NoError(t, lock.Acquire(co))
		low := spawn(co, user("low"), priority.Of(priority.Low))
		leaving := spawn(co, user("leaving"), priority.Of(priority.Low))
		task.Yield(co)                       // both wait
		require.NoError(t, lock.Release(co)) // on its way to low
		high := spawn(co, user("high"), priority.Of(priority.High))
		// high queues, and leaving leaves, waking the head, before low runs.
		require.NoError(t, task.Switch(co, high, task.InsertPos(1)))
		leaving.Cancel("")
		require.NoError(t, task.Switch(co, leaving, task.InsertPos(1)))
		return awaitAll(co, []*task.Task[int]{low, leaving, high})
	})
	assert.Equal(t, []string{"leaving: future: cancelled", "low has it, with 1 holding", "high has it, with 1 holding"}, tr.Events)
}
