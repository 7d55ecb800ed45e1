// Package iterco is asynkit's resumable unit: coroutines built on iter.Pull
// that suspend by handing a value to whoever drives them.
//
// # Async functions
//
// An async function is a [Func]: func(co *Co) (T, error). The [Co] is the
// proof that code runs inside a coroutine, threaded through calls the way a
// context.Context is. Code suspends with [Co.Suspend], which hands one value
// to the coroutine's driver and returns the value or error the driver
// resumes it with. In practice code does not call Suspend itself: it calls
// future.Await, task.Sleep or a lock's Acquire, which suspend for it.
//
// # The suspension protocol
//
// A coroutine suspends on one of:
//
//   - a waitable (a future or task, or anything with the future package's
//     waiter hook): the driver resumes it once that is done;
//   - nil: a bare yield, asyncio's sleep(0): the driver resumes it after
//     everything that was already ready has run;
//   - a marker of a helper in this package, which the helper's own driver
//     consumes; a nested driver forwards what it does not own to its parent.
//
// While a coroutine is being closed, Suspend returns [ErrClosed]: the
// function should return promptly; deferred clean-up runs as usual.
//
// # Ownership
//
// A Co is valid only inside its own coroutine, while that coroutine's code
// is what runs. Suspend called anywhere else (after the function returned,
// from a coroutine it started, from another task) returns [ErrNotCurrent]
// and parks nothing. Using a Co from an unrelated goroutine while its
// coroutine runs is a data race, which the race detector reports.
//
// # Panics
//
// A panic inside an async function does not crash the program: it ends the
// coroutine with a [*PanicError] holding the value and the stack, delivered
// to whoever reads its result.
//
// # Driving coroutines by hand
//
// [Coroutine] is a coroutine driven with Send, Throw and Close. [Start]
// runs one until it first suspends and lets the caller await it in place,
// throw into it or close it later (asynkit's CoroStart). [AwaitSync] runs
// async code to its end with no loop at all, on the caller's own stack,
// for code that only awaits what is already done. A [Monitor] lets a
// coroutine hand out-of-band data to whoever awaits it (the pattern of an
// incremental parser asking for input), and a [Generator] is an async
// generator built on one; [SyncIter] iterates one without a loop.
//
// # Where it differs from asynkit
//
// [Generator.Throw] on a finished generator returns [ErrExhausted], where
// asynkit returns None: a finished generator says so, as Next does.
// [AwaitSync] resumes a bare yield at once by default (asynkit 0.19's
// rule); [Strict] restores asynkit 0.17's. A coroutine that returns an
// *OOBData as its error instead of handing it out gets [ErrOOBReturned].
//
// # Cost
//
// A coroutine's first run on a task loop borrows the loop's own coroutine:
// it costs a function call until it first suspends. A coroutine that must
// run beside its caller (Start, eager starts) takes a goroutine-backed
// coroutine from its loop's pool (a fresh one with no loop, and for New);
// switching into and out of one costs a coroutine switch each way, not a
// trip through the Go scheduler.
package iterco
