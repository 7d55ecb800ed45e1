// Package sync provides loop-aware synchronization for tasks on one event
// loop: Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, and
// Queue with its PriorityQueue and LifoQueue variants.
//
// Outside this package, always import it as asyncsync, even where the
// standard library's sync is absent, so no reader has to guess which one a
// file means:
//
//	import (
//		"sync"
//
//		asyncsync "github.com/asynkit-go/asynkit/sync"
//	)
//
//	var mu sync.Mutex       // guards data shared between goroutines
//	var lock asyncsync.Lock // orders tasks on one loop
//
// # Semantics
//
// The primitives follow asyncio's. They suspend the calling task, never the
// goroutine; they are not safe for concurrent use from several goroutines,
// and one primitive serves the tasks of one loop (it binds to the loop of
// its first user; another loop's task gets task.ErrWrongLoop). The zero
// value of each is ready to use, except those with a constructor; none may
// be copied after first use.
//
// Waiters are served first come, first served. A waiter that is cancelled
// while it waits leaves the primitive exactly as if it had never waited,
// and one that was handed the lock or a permit but is cancelled before it
// runs passes it on: no wake-up is lost and no ownership leaks.
//
// Uncontended paths (acquiring a free lock, releasing with nobody waiting,
// a put to a queue with room) neither suspend nor allocate.
package sync
