package bench

import (
	"runtime"
	"sync"
	"testing"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// LockUncontended takes and releases a free lock. One op is one pair.
func LockUncontended(b *testing.B) { lockUncontended(b, new(asyncsync.Lock)) }

// taskLock is what lockUncontended needs of a lock.
type taskLock interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
}

func lockUncontended(b *testing.B, lock taskLock) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		b.ResetTimer()
		for range b.N {
			if err := lock.Acquire(co); err != nil {
				return 0, err
			}
			if err := lock.Release(co); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
}

// MutexUncontended is the goroutine baseline of LockUncontended.
func MutexUncontended(b *testing.B) {
	b.ReportAllocs()
	var mu sync.Mutex
	for range b.N {
		mu.Lock()
		//lint:ignore SA2001 an empty critical section is what is measured
		mu.Unlock()
	}
}

// LockContended has two tasks take a lock in strict turn, every
// acquisition a hand-off: once the second task waits for the lock (the
// first yields once, holding it, to let it), each release grants the lock
// to the task waiting, and the releasing task's next Acquire waits for it
// back. One op is one acquisition.
func LockContended(b *testing.B) { lockInTurn(b, false) }

// LockHeldAcrossYield is LockContended with each task yielding while it
// holds the lock, as MutexContended's goroutines do. One op is one
// acquisition.
func LockHeldAcrossYield(b *testing.B) { lockInTurn(b, true) }

func lockInTurn(b *testing.B, yieldHolding bool) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		var lock asyncsync.Lock
		n := b.N / 2
		side := func(first bool) iterco.Func[int] {
			return func(co *iterco.Co) (int, error) {
				for i := range n {
					if err := lock.Acquire(co); err != nil {
						return 0, err
					}
					if yieldHolding || first && i == 0 {
						task.Yield(co)
					}
					if err := lock.Release(co); err != nil {
						return 0, err
					}
				}
				return 0, nil
			}
		}
		b.ResetTimer()
		a, c := task.Create(co, side(true)), task.Create(co, side(false))
		_, err := task.Gather[int](co, a, c)
		return 0, err
	})
}

// MutexContended has two goroutines take a mutex in turn, each yielding
// the processor while it holds it, as LockHeldAcrossYield's tasks yield.
// One op is one acquisition.
func MutexContended(b *testing.B) {
	b.ReportAllocs()
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := b.N / 2
	counter := 0
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				mu.Lock()
				counter++
				runtime.Gosched()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// QueueTransfer moves b.N items through a bounded queue from a producer
// task to a consumer task. One op is one item.
func QueueTransfer(b *testing.B) {
	b.ReportAllocs()
	runMain(b, func(co *iterco.Co) (int, error) {
		q := asyncsync.NewQueue[int](64)
		b.ResetTimer()
		producer := task.Create(co, func(co *iterco.Co) (int, error) {
			for i := range b.N {
				if err := q.Put(co, i); err != nil {
					return 0, err
				}
			}
			return 0, nil
		})
		sum := 0
		for range b.N {
			v, err := q.Get(co)
			if err != nil {
				return 0, err
			}
			sum += v
		}
		_, err := future.Await[int](co, producer)
		return sum, err
	})
}

// ChanTransfer is QueueTransfer's baseline: a buffered channel between two
// goroutines.
func ChanTransfer(b *testing.B) {
	b.ReportAllocs()
	ch := make(chan int, 64)
	go func() {
		for i := range b.N {
			ch <- i
		}
		close(ch)
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
}
