// Package sync provides loop-aware synchronization for the tasks of one
// event loop: the asyncio primitives, which suspend a task, never its
// goroutine.
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
// # The primitives
//
//   - [Lock]: mutual exclusion between tasks (asyncio.Lock). Not
//     reentrant: a task that acquires a lock it holds gets [ErrDeadlock].
//   - [Event]: a flag tasks wait to see set (asyncio.Event).
//   - [Condition]: wait for a notification with a lock held, released
//     while waiting ([NewCondition] shares a Lock).
//   - [Semaphore] and [BoundedSemaphore]: a count of permits; the bounded
//     one refuses a release past its initial value ([ErrReleasedTooMany]).
//   - [Barrier]: a number of tasks wait until all have arrived, round
//     after round; Abort and Reset break it ([ErrBrokenBarrier]).
//   - [Queue]: items between producers and consumers, FIFO ([NewQueue]),
//     LIFO ([NewLifoQueue]) or by priority ([NewPriorityQueue]), bounded or
//     not, with Join and TaskDone for work accounting, Shutdown (what close
//     is to a channel) and All to range over it.
//
// Package priority has a Lock and a Condition that serve the most urgent
// task first and lend its priority to the lock's holder.
//
// # Semantics
//
// The primitives follow asyncio's. They are not safe for concurrent use
// from several goroutines, and one primitive serves the tasks of one loop:
// it binds to the loop of its first user, and another loop's task gets
// [task.ErrWrongLoop]. The zero value of each is ready to use (a zero
// Queue is an unbounded FIFO queue; a zero Condition makes its own Lock),
// except a Barrier, which needs [NewBarrier]; none may be copied after
// first use.
//
// # Waiting, cancellation and grants
//
// Waiters are served first come, first served. A waiter that is cancelled
// (or thrown into: [task.Throw], [task.Interrupt]) while it waits leaves
// the primitive exactly as if it had never waited, and one that was
// handed the lock, a permit or a notification but is cancelled before it
// runs passes it on: no wake-up is lost and no ownership leaks. A task
// that ends holding a Lock has it released for it, and the loop's
// exception handler is told ([ErrAbandoned]).
//
// # Seeing who waits
//
// A task waiting on a primitive says so: [task.WaitingOn] and
// [task.Loop.Dump] show "asyncsync.Lock held by NAME (tN)",
// "asyncsync.Queue.Get (empty)" and the like, and a recording names the
// primitive's kind. In debug mode ([task.WithDebug]) a Lock checks that it
// is never handed to two tasks.
//
// # Cost
//
// Uncontended paths (acquiring a free lock, releasing with nobody waiting,
// a put to a queue with room) neither suspend nor allocate; a contended
// wait reuses its waiter records, so a busy primitive stops allocating
// once it has had as many waiters as it ever has at once.
package sync
