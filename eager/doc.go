// Package eager starts async functions at once, in the caller's turn, until
// they first block: asynkit's headline feature. A function that finishes
// without blocking never becomes a scheduled task at all; one that blocks
// continues as a task. Starting I/O this way saves a whole trip through the
// ready queue before the first request goes out.
//
// # Orderings
//
// With main logging a, starting child (which logs 1, sleeps, logs 2),
// logging b, sleeping less, logging c and awaiting the child:
//
//	awaited in place (no task):  a b c 1 2
//	task.Create (lazy):          a b 1 c 2
//	eager.Start:                 a 1 b c 2
//
// # The current task
//
// During an eager start the new task is task.Current (Python 3.12's native
// rule, not asynkit's), so task.Timeout, task.WaitFor, cancellation and
// co.Context() all act on the new task inside eagerly started code.
//
// # What a blocked start becomes
//
// As in asynkit, what the function suspended on during its eager part is
// handled by the task's first queued step: a bare yield costs two trips
// through the queue, and a future that completes meanwhile still wakes the
// task at the end of the queue. Cancelling the task before that step
// delivers the cancellation into the function where it suspended, so its
// deferred clean-up runs (asynkit would never resume it).
//
// # Making every task eager
//
// [TaskFactory] as a loop's task factory (task.Loop.SetTaskFactory), or
// compat.EnableEagerTasks for the whole process, makes every task.Create
// start eagerly; [NewTaskFactory] makes a custom factory eager.
//
// # Cost
//
// An eager start runs the function on a pooled coroutine of its own, so
// that the caller can go on if it blocks: one switch in and one out when it
// finishes at once, and one allocation (the task).
package eager
