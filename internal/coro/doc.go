// Package coro is the coroutine machinery under iterco and task: pooled
// iter.Pull workers, the Co state machine, and the host that lends its
// worker to the coroutines it starts.
//
// # Workers
//
// A [Worker] is one iter.Pull coroutine whose body runs jobs in a loop: it
// runs the job it was handed, yields "free", and waits for the next job.
// A job may park the worker in the middle (a [Co] suspending), in which case
// the worker's next resumer continues that job. A Co's function runs right
// on the loop's frame, not under a call of the Co's own: every frame under
// a parked coroutine is one more for the collector to scan, on every
// collection. A [Pool] keeps free workers
// for reuse; it is bounded and [Pool.Close] stops every worker it holds, so
// nothing is left "in state coroutine" for goleak to find.
//
// # Co states
//
// A Co is New until first resumed, Running while its function executes,
// Suspended while parked in [Co.Suspend], and Done once the function has
// returned. Exactly one Co of a chain is Running without a child: the one
// whose code executes. Suspend checks that invariant, which is how a Co used
// from the wrong coroutine is caught instead of corrupting a switch.
//
// # Borrowing
//
// A [Host] runs a scheduling function on a worker of its pool. A Co that the
// scheduling code itself resumes for the first time (from == nil) runs as a
// plain call on that same worker. If it finishes without suspending, no
// switch happened at all. If it suspends, it keeps the worker (its frames
// are there): the worker yields to the host's driver, which carries on
// scheduling on another worker. The scheduling code below the borrowed
// frames is abandoned: when the Co finishes later, its resume call returns
// into that old code, which must notice [Host.Owns] is false for its worker
// (or, after a Borrow of its own, that the Co is no longer
// [Co.Borrowed]: parking gave it the worker) and return at once, so the worker unwinds and yields "free" to whoever
// resumed the Co. The chain of coroutines is therefore never deeper than
// driver, scheduler, task. Scheduling code that wants the Co's function
// right on its own frame (one frame fewer under a parked Co) borrows with
// [Co.Borrow], runs the function itself (the Body's RunBody, or what
// that would call, reached without it) and then calls [Co.Returned]: the
// same protocol, written out.
//
// # Hand-offs
//
// A Body's Suspending may answer a suspension with another suspended Co
// to resume first, right from the suspending one: a task that yields
// resumes the next parked task itself, one switch instead of two through
// the scheduler. [Co.Suspend] makes that switch on its own frame and asks
// Suspending again once the other Co parks or finishes. The switch is
// made there, not in the Body's code, because every frame between a
// switch and the code that suspended is a return the processor
// mispredicts when the switch comes back.
//
// PROTOCOL.md, beside this file, is the protocol of this package and of
// the task loop that drives it in one place: the states of a task, the
// one function that makes each transition, what may run after each line,
// and the invariants the debug mode and the random programs check.
package coro
