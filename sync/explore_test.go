package sync_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// Under every schedule of three tasks that take a Lock in turn, one of
// them cancelled at some point of it, the lock has one holder at a time
// and ends free.
func TestLockUnderEverySchedule(t *testing.T) {
	testkit.LockUnderEverySchedule(t, func() testkit.Locker { return new(asyncsync.Lock) }, [3][]task.Option{})
}

// Under every schedule of three tasks that take a permit of a Semaphore
// of two in turn (the first twice, so that it comes back while the others
// wait or leave), one of them cancelled at some point of it, no more than
// two hold one at a time and every permit comes back.
func TestSemaphoreUnderEverySchedule(t *testing.T) {
	testkit.EverySchedule(t, func(co *iterco.Co) error {
		sem := asyncsync.NewSemaphore(2)
		holders := 0
		var broke error
		work := func(rounds int) iterco.Func[int] {
			return func(co *iterco.Co) (int, error) {
				for range rounds {
					if err := sem.Acquire(co); err != nil {
						return 0, err
					}
					if holders++; holders > 2 && broke == nil {
						broke = fmt.Errorf("%d tasks hold a permit of 2", holders)
					}
					err := task.Yield(co)
					holders--
					sem.Release()
					if err != nil {
						return 0, err
					}
				}
				return 0, nil
			}
		}
		ts := []*task.Task[int]{task.Create(co, work(2)), task.Create(co, work(1)), task.Create(co, work(1))}
		task.Yield(co)
		ts[1].Cancel("")
		if err := testkit.AwaitOrCancelled(co, ts...); err != nil {
			return err
		}
		if broke != nil {
			return broke
		}
		if sem.Value() != 2 {
			return fmt.Errorf("%d permits free at the end, of 2", sem.Value())
		}
		return nil
	})
}

// Under every schedule of two producers and two consumers of a queue of
// one item, one consumer cancelled at some point of it, every item put is
// got once: by a consumer, or by main from what is left.
func TestQueueUnderEverySchedule(t *testing.T) {
	testkit.EverySchedule(t, func(co *iterco.Co) error {
		q := asyncsync.NewQueue[int](1)
		got := map[int]int{}
		produce := func(v int) iterco.Func[int] {
			return func(co *iterco.Co) (int, error) { return 0, q.Put(co, v) }
		}
		consume := func(co *iterco.Co) (int, error) {
			for {
				v, err := q.Get(co)
				if err != nil {
					return 0, err
				}
				got[v]++
			}
		}
		consumers := []*task.Task[int]{task.Create(co, consume), task.Create(co, consume)}
		producers := []*task.Task[int]{task.Create(co, produce(1)), task.Create(co, produce(2))}
		task.Yield(co)
		consumers[1].Cancel("")
		if err := testkit.AwaitOrCancelled(co, producers...); err != nil {
			return err
		}
		consumers[0].Cancel("")
		if err := testkit.AwaitOrCancelled(co, consumers...); err != nil {
			return err
		}
		for v, err := q.TryGet(); err == nil; v, err = q.TryGet() {
			got[v]++
		}
		if got[1] != 1 || got[2] != 1 || len(got) != 2 {
			return fmt.Errorf("items got: %v, of 1 and 2 put once each", got)
		}
		return nil
	})
}

// Under every schedule of two tasks that wait on a Condition for an item
// and a third that makes one, one waiter cancelled at some point of it:
// no notification is lost (see testkit.ConditionUnderEverySchedule).
func TestConditionUnderEverySchedule(t *testing.T) {
	testkit.ConditionUnderEverySchedule(t, func() testkit.Condition { return asyncsync.NewCondition(nil) }, [3][]task.Option{})
}

// Under every schedule of three tasks meeting at a Barrier of three, the
// second cancelled at some point of it: if it left the round before the
// round filled, another party (main) fills it in its place; the parties
// that a released round lets go have distinct indices, 2 for the one that
// released it (a party released but cancelled before it ran keeps the
// cancellation, as in asyncio); and the barrier ends empty, not broken,
// ready for the next round.
func TestBarrierUnderEverySchedule(t *testing.T) {
	testkit.EverySchedule(t, func(co *iterco.Co) error {
		b := asyncsync.NewBarrier(3)
		var arrived asyncsync.Event
		var indices []int
		party := func(signal bool) iterco.Func[int] {
			return func(co *iterco.Co) (int, error) {
				if signal {
					arrived.Set() // and arrives in the same step
				}
				i, err := b.Wait(co)
				if err == nil {
					indices = append(indices, i)
				}
				return i, err
			}
		}
		y := task.Create(co, party(false), task.EagerStart(true)) // in the round already
		x := task.Create(co, party(false))
		z := task.Create(co, party(true))
		task.Yield(co)
		x.Cancel("")
		x.Await(co) //nolint:errcheck // released or cancelled
		if err := arrived.Wait(co); err != nil {
			return err
		}
		if b.NWaiting() == 2 { // x left the round: main takes its place
			if _, err := party(false)(co); err != nil {
				return err
			}
		}
		for _, p := range []*task.Task[int]{y, z} {
			if _, err := p.Await(co); err != nil {
				return fmt.Errorf("a party that was not cancelled: %w", err)
			}
		}
		seen := map[int]bool{}
		for _, i := range indices {
			if seen[i] || i < 0 || i > 2 {
				return fmt.Errorf("indices %v: not distinct, or not 0 to 2", indices)
			}
			seen[i] = true
		}
		switch {
		case !seen[2]:
			return fmt.Errorf("indices %v: none released the round", indices)
		case b.NWaiting() != 0 || b.Broken():
			return fmt.Errorf("%d waiting, broken: %v, at the end", b.NWaiting(), b.Broken())
		}
		// The barrier is ready for the next round: the last one's parties
		// have all left it.
		next := make([]*task.Task[int], 3)
		for i := range next {
			next[i] = task.Create(co, party(false), task.EagerStart(true))
		}
		_, err := task.GatherOf(co, next)
		return err
	})
}

// Under every schedule of a producer and a consumer of a queue of one
// item that a third task shuts down at some point of them, at once or
// not: the
// producer's puts that succeeded are all got (or, at once, dropped),
// each got once and in order, both end with ErrQueueShutDown or done,
// and Join returns.
func TestQueueShutdownUnderEverySchedule(t *testing.T) {
	for _, immediate := range []bool{false, true} {
		t.Run(fmt.Sprintf("immediate: %v", immediate), func(t *testing.T) {
			testkit.EverySchedule(t, func(co *iterco.Co) error {
				q := asyncsync.NewQueue[int](1)
				put, got := 0, []int{}
				producer := task.Create(co, task.Proc(func(co *iterco.Co) error {
					for i := range 3 {
						if err := q.Put(co, i); err != nil {
							return err
						}
						put++
					}
					return nil
				}))
				consumer := task.Create(co, task.Proc(func(co *iterco.Co) error {
					for {
						v, err := q.Get(co)
						if err != nil {
							return err
						}
						got = append(got, v)
						if err := q.TaskDone(); err != nil {
							return err
						}
					}
				}))
				closer := task.Create(co, task.Proc(func(co *iterco.Co) error {
					for range 2 {
						if err := task.Yield(co); err != nil {
							return err
						}
					}
					q.Shutdown(immediate)
					return nil
				}))
				for _, x := range []*task.Task[struct{}]{closer, producer, consumer} {
					if _, err := x.Await(co); err != nil && !errors.Is(err, asyncsync.ErrQueueShutDown) {
						return err
					}
				}
				if !errors.Is(consumer.Err(), asyncsync.ErrQueueShutDown) {
					return fmt.Errorf("the consumer ended with %v", consumer.Err())
				}
				for i, v := range got {
					if v != i {
						return fmt.Errorf("got %v: not each once, in order", got)
					}
				}
				switch {
				case !immediate && len(got) != put:
					return fmt.Errorf("%d put, %d got: %v", put, len(got), got)
				case len(got) > put || q.Len() != 0:
					return fmt.Errorf("%d put, %d got, %d left", put, len(got), q.Len())
				}
				return q.Join(co)
			})
		})
	}
}
