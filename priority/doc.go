// Package priority schedules tasks by priority, with priority inheritance
// through its locks: asynkit's priority scheduling, deterministic.
//
// # Priorities
//
// A priority is an int; lower runs first. [High] is -10, [Normal] 0 and
// [Low] 10, and any value between or beyond is fine. A task is given one
// with the [Of] option (task.Create(co, fn, priority.Of(priority.High))),
// changes it with [Set], and reads it with [Base]. A task given none is
// Normal, and so is a plain callback.
//
// A task's effective priority ([Effective]) is the best (lowest) of its
// own and, transitively, of every task waiting on a priority [Lock] it
// holds: a task that holds a lock a High task waits for runs as High until
// it lets go (priority inheritance, the cure for priority inversion). It
// is computed from the waiters there are now, never cached.
//
// # The ready queue
//
// [NewQueue] is a task.Queue that runs the handle of best effective
// priority first, FIFO among equals (in the order they were queued); give
// it to a loop with task.WithQueue, or use [NewLoop] and [Run]. A task's
// priority is read when its step is queued, and a queued task whose
// effective priority changes (a waiter arrives at a lock it holds, or
// [Set]) moves to its new place, in O(log n). The scheduling tools of
// package task keep their meaning: position inserts (task.SleepInsert,
// task.Switch, Loop.CallPos, Loop.QueueInsertPos) go to an "immediate"
// class that runs before every priority, at exact positions among
// themselves; QueueFind and Reinsert see that class first, then the rest
// in no set order.
//
// # Boosting
//
// So that a flood of urgent work cannot starve the rest forever, a queued
// handle ages: every [BoostAfter] pops of the queue since it was queued
// count as one step of priority better. Exactly: a handle of priority p
// queued after the queue's k-th pop runs before one of priority q queued
// after its m-th pop when p*BoostAfter + k < q*BoostAfter + m (ties in
// the order they were queued). So a handle of priority p waits for at most
// (p - b) * BoostAfter pops behind handles of priority b queued after it,
// plus the handles queued before it: a Low task under a constant flood of
// High ones runs within 320 pops. The rule depends only on the order of
// operations, so a program gives the same order on every run. Programs
// whose handles do not linger for BoostAfter pops see plain priority
// order; [WithoutBoost] turns aging off, for the exact orderings of
// asynkit with its boost factor at zero.
//
// # Locks and conditions
//
// [Lock] is a task lock like sync.Lock (fair, owned, not reentrant) whose
// waiters are served by effective priority, FIFO among equals, and whose
// owner inherits its waiters' priorities, along chains of locks (a task
// holding A and waiting for B lends A's waiters' priority to B's owner).
// [NewCondition] makes a condition over a Lock whose Notify wakes the most
// urgent waiters first.
//
// # On a plain loop
//
// Each part works on a loop with the default FIFO queue too: the priority
// of a task is kept and read by locks and conditions (a priority Lock
// still serves its waiters by priority, and inheritance is computed), but
// the loop runs ready tasks in FIFO order, so inheritance changes nothing
// there. Priorities order the ready queue only on a loop using [NewQueue].
package priority
