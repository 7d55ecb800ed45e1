package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/randprog"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// soakStats are the counters the soak's report line shows.
type soakStats struct {
	created, live, failed, programs, ops atomic.Int64
}

// soak runs a mixed workload on one long-lived loop for d, and random
// programs with their invariant checks on loops of their own, printing
// live counters to w every second. It fails if an invariant breaks or if
// the heap keeps growing: the heap after the last second must not exceed
// twice the heap after the first quarter, plus 64 MiB.
func soak(w io.Writer, d time.Duration) error {
	var st soakStats
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()

	errc := make(chan error, 2)
	go func() { errc <- soakLoop(ctx, &st) }()
	go func() { errc <- soakPrograms(ctx, &st) }()

	var baseline uint64
	start, last, lastCreated := time.Now(), time.Now(), int64(0)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var heap uint64
	for done := 0; done < 2; {
		select {
		case err := <-errc:
			if err != nil {
				cancel()
				<-errc
				return err
			}
			done++
		case now := <-tick.C:
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			heap = ms.HeapAlloc
			if baseline == 0 && now.Sub(start) >= d/4 {
				baseline = heap
			}
			created := st.created.Load()
			rate := float64(created-lastCreated) / now.Sub(last).Seconds()
			last, lastCreated = now, created
			fmt.Fprintf(w, "soak %4.0fs  tasks/s %9.0f  live %6d  failed %9d  programs %6d  ops %9d  heap %6.1f MiB  gc pause %v\n",
				now.Sub(start).Seconds(), rate, st.live.Load(), st.failed.Load(), st.programs.Load(), st.ops.Load(),
				float64(heap)/(1<<20), time.Duration(ms.PauseNs[(ms.NumGC+255)%256]))
		}
	}
	if baseline > 0 && heap > 2*baseline+64<<20 {
		return fmt.Errorf("heap grew from %d to %d bytes", baseline, heap)
	}
	fmt.Fprintf(w, "soak: %d tasks, %d programs, %d operations, no violation, heap flat\n",
		st.created.Load(), st.programs.Load(), st.ops.Load())
	return nil
}

var errSoakFail = errors.New("soak: planned failure")

// soakLoop keeps one loop busy until ctx is done: batches of tasks that
// yield, sleep, take a lock, pass items through a queue, fail with nobody
// looking, and cancel each other.
func soakLoop(ctx context.Context, st *soakStats) error {
	var lock asyncsync.Lock
	q := asyncsync.NewQueue[int](16)
	_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
		rng := rand.New(rand.NewPCG(1, 2))
		l := task.LoopOf(co)
		for ctx.Err() == nil {
			batch := make([]*task.Task[int], 0, 256)
			kinds := make([]int, 0, cap(batch))
			for i := range cap(batch) {
				kind := rng.IntN(6)
				kinds = append(kinds, kind)
				batch = append(batch, task.Create(co, func(co *iterco.Co) (int, error) {
					switch kind {
					case 0:
						return 0, task.Yield(co)
					case 1:
						return 0, task.Sleep(co, time.Duration(i%3)*time.Microsecond)
					case 2:
						if err := lock.Acquire(co); err != nil {
							return 0, err
						}
						defer lock.Release(co)
						return 0, task.Yield(co)
					case 3:
						if err := q.Put(co, i); err != nil {
							return 0, err
						}
						_, err := q.Get(co)
						return 0, err
					case 4:
						return 0, errSoakFail // nobody looks: reported, not kept
					}
					return 0, task.Sleep(co, time.Hour) // cancelled below
				}, task.EagerStart(i%2 == 0)))
			}
			st.created.Add(int64(len(batch)))
			st.live.Store(int64(len(task.All(l))))
			for i, t := range batch {
				if !t.Done() && (kinds[i] == 5 || rng.IntN(3) == 0) {
					t.Cancel("")
				}
			}
			me := task.Current(co)
			for i, t := range batch {
				if kinds[i] == 4 {
					continue // failed, and nobody looks
				}
				_, err := future.Await[int](co, t)
				switch {
				case me.Cancelling() > 0:
					return 0, err // the soak is over
				case err != nil && !errors.Is(err, future.ErrCancelled) && !errors.Is(err, errSoakFail):
					return 0, err
				}
			}
		}
		return 0, nil
	}, task.WithExceptionHandler(func(e task.Exception) { st.failed.Add(1) }))
	if errors.Is(err, future.ErrCancelled) || errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

// soakPrograms runs random programs, each on a loop of its own, until
// ctx is done; a broken invariant ends the soak.
func soakPrograms(ctx context.Context, st *soakStats) error {
	for seed := uint64(1 << 32); ctx.Err() == nil; seed++ {
		r := randprog.Run(randprog.Config{Seed: seed, Ops: 300, CloseEarly: true})
		if len(r.Violations) > 0 {
			return fmt.Errorf("soak: program %d: %v", seed, r.Violations)
		}
		st.programs.Add(1)
		st.ops.Add(int64(r.Ops))
	}
	return nil
}
