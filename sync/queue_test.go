package sync_test

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

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
				testkit.Run(t, func(co *iterco.Co) error {
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
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
			q := asyncsync.NewQueue[int](2)
			producer := spawn(co, "p", func(co *iterco.Co) error {
				for i := range 5 {
					if err := q.Put(co, i); err != nil {
						return err
					}
					tr.Add("put %d", i)
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
				tr.Add("got %d", v)
			}
			_, err := q.TryGet()
			assert.ErrorIs(t, err, asyncsync.ErrQueueEmpty)
			_, err = future.Await[int](co, producer)
			return err
		})
		assert.Equal(t, []string{"put 0", "put 1", "got 0", "got 1", "put 2", "put 3", "got 2", "got 3", "put 4", "got 4"}, tr.Events)
	})

	t.Run("join with many producers and consumers", func(t *testing.T) {
		testkit.Run(t, func(co *iterco.Co) error {
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
		testkit.Run(t, func(co *iterco.Co) error {
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
		testkit.Run(t, func(co *iterco.Co) error {
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

// TestQueueLosesNothingUnderRandomCancellation has producers and consumers
// on a small bounded queue cancelled at random: every item a Put accepted
// is taken by exactly one Get or is still in the queue at the end.
func TestQueueLosesNothingUnderRandomCancellation(t *testing.T) {
	for seed := range int64(20) {
		testkit.Run(t, func(co *iterco.Co) error {
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
