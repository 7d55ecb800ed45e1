// Package task runs async functions as tasks on a cooperative event loop:
// the [Loop], [Task], [Run], [Create], [Sleep], [Yield], [Current], [All],
// and the bridges to goroutines, [Go] and [Submit].
//
// # The loop
//
// A [Loop] has a FIFO ready queue of callbacks and task steps, a heap of
// timers, and an inbox that other goroutines post to. One goroutine runs
// it, and everything on it runs one piece at a time, so the tasks of a loop
// share memory without locks and a program's interleaving is the same on
// every run. The loop runs in iterations, as asyncio's does: each runs the
// handles that were ready when it began; what they schedule waits for the
// next. Timers due are queued at the start of an iteration.
//
// # Tasks
//
// A task drives one coroutine. [Create] queues its first step behind what
// is ready; the step runs the function until it awaits something not yet
// done, which registers the task's wake-up with it; when that is done the
// task's next step is queued at the end of the ready queue. A task that
// awaits something already done does not suspend. Orderings follow asyncio
// exactly: see the examples.
//
// # Cancellation
//
// One rule governs every cancellation here. A cancel ([Task.Cancel]) is a
// request, counted on the task ([Task.Cancelling], as in Python 3.11); it
// is delivered as an error matching future.ErrCancelled at the task's
// suspension point, cancelling what the task waits on, and stays pending
// until the task next runs; a task that never ran ends without running.
// Code may refuse a delivered cancellation by handling its error, and
// withdraws a request with [Task.Uncancel].
//
// Constructs cancel work on their own behalf: [Timeout] and
// [WithDeadline] the task running the block when time is up, [WithGroup]
// its children and, when one fails, the task running its body, [Gather]
// the rest after the first error. What a construct cancelled is awaited
// before the construct returns, so nothing it started outlives it. A
// request a construct made of the task running it is withdrawn once the
// work is over, and the cancellation becomes the construct's own outcome
// ([ErrTimeout], the group's errors) only if no request it did not make
// is left: a cancel from outside is never swallowed, and reaches the task
// at its next await.
//
// # Combinators
//
// [Gather] waits for awaitables and returns their results in order; the
// first error cancels the rest (asyncio leaves them running; here nothing
// Gather started outlives it). [GatherAll] collects every outcome, [Wait]
// splits tasks into done and pending, [AsCompleted] yields outcomes in
// completion order, and [Shield] keeps a cancellation from reaching the
// work it awaits. [Timeout] and [WaitFor] put a deadline on a block of
// code in the calling task and report [ErrTimeout]; a cancel from outside
// stays a cancellation. [WithDeadline] hands the block its [Deadline], to
// read, move, disable or set later. [WithGroup] runs children whose lifetime is a
// block: the first failure cancels the others, errors come back joined.
//
// # Scheduling control
//
// A program decides who runs next: [SleepInsert] queues the caller at a
// position instead of the end, [Reinsert] moves a queued task, [Switch]
// runs a queued task now, and [CreateDescend] runs a new task depth-first.
// [IsBlocked] and [IsRunnable] answer in O(1), since a task's handle is a
// field of the task and the loop knows whether it is queued; [Runnable],
// [Blocked] and [All] list tasks. The loop's queue primitives
// ([Loop.QueueLen], [Loop.QueueFind], [Loop.QueueInsertPos],
// [Loop.CallPos]) work on any [Queue], the default or a custom one given
// with [WithQueue].
//
// # Interruption
//
// [Throw] delivers any error at a task's suspension point without
// cancelling what it waits on, and queues it last; [Interrupt] also runs
// it at once. An [InterruptError] is a cancellation. Every task can be
// interrupted, and the primitives of the sync package stay consistent when
// a waiter is.
//
// # Contexts
//
// co.Context() inside a task is the task's context.Context: made on first
// use, with the values of its creator's context (as asyncio copies
// contextvars, without the creator's cancellation), and cancelled when the
// task is cancelled or done. A context given with the [Context] option
// is the task's parent and cancels the task when it is done, as a context
// given to work does in Go; [Run]'s context is main's. A cancellation can
// carry a cause ([Task.CancelCause], a context's cause): the error the
// task gets matches future.ErrCancelled and the cause, and
// context.Cause(co.Context()) is the cause.
//
// # Goroutines
//
// Blocking Go code runs on goroutines: [Go] runs a function on one and
// returns a future completed on the loop. [Submit] and
// [Loop.CallSoonThreadsafe] enter a loop from any goroutine. A program
// uses several cores with several loops on several goroutines.
//
// # Time
//
// A loop reads one [Clock] for everything that involves time: timers
// ([Loop.CallLater], [Loop.CallAt]), [Sleep], [Timeout], [WithDeadline],
// [Wait]'s timeout, and how long it may sit idle. [Loop.Now] is its time.
// The default is the wall clock (time.Now, monotonic), read directly.
//
// [WithClock] gives a loop another clock. A [VirtualClock] makes time a
// function of the program alone, so a program gives the same trace on
// every run, timers included:
//
//   - time stands still while anything is ready: a step takes no time;
//   - when nothing is ready, no thread-safe call is waiting in the inbox
//     and nothing is in flight (a [Go] function running, a [Submission]
//     awaited from this loop), the clock jumps straight to the next
//     timer, so an hour of sleeps takes microseconds;
//   - while something is in flight it does not jump: the loop waits for
//     the inbox, as testing/synctest waits for its bubble, and jumps once
//     the result is in and nothing else is ready;
//   - [VirtualClock.Advance] moves it by hand, from any goroutine; timers
//     that come due fire at the loop's next iteration.
//
// The loop's time never goes backwards: a clock that does is read as
// standing still until it passes the time the loop last saw. A
// VirtualClock serves one loop at a time; running a second loop on it
// while the first is open is [ErrClockInUse].
//
// A task's co.Context() has no deadline of its own: [Timeout] cancels the
// task, and so its context, when it expires on the loop's clock. A
// context.WithTimeout or WithDeadline that user code makes runs on the
// wall clock whatever the loop's clock is.
//
// # Recording the schedule
//
// [WithRecorder] gives a loop a [Recorder] that is told, in order, of every
// task created, step started and ended (and what it suspended on), task
// woken (and by which task), cancelled, thrown into and done, callback
// run, timer fired and virtual time jumped: an [Event] each, numbered, with
// the loop's time. A loop without a recorder pays one nil check per event.
// Tasks are named in events by their number on the loop (1 for the first
// task created), so that a recording does not depend on what else the
// process did; package record writes recordings as plain text (stable
// across runs: golden files) and as a Chrome trace that Perfetto shows as
// a timeline.
//
// # Cost
//
// A task is one allocation. Its first step borrows the loop's own
// coroutine: a task that finishes without blocking costs no coroutine
// switch at all, and one that blocks keeps the coroutine its frames are on
// while the loop carries on on another from its pool. A task about to park
// that finds another parked task next in the queue resumes it itself, and
// is resumed by it in turn when the queue comes back: two tasks handing
// off cost one coroutine switch a hand-off; a task that yields with
// nothing else to run goes on at once, past the queue, once its yield has
// started the next iteration. Awaiting something already done costs a few
// nanoseconds and no allocation. `go run ./cmd/asynkit bench` prints
// the figures beside goroutines and channels.
//
// # Errors nobody retrieved
//
// A panicking callback, and a task that failed while nothing waited for it
// and whose error was never read by the time the loop closes, go to the
// loop's exception handler ([WithExceptionHandler]); the loop carries on.
// The default handler logs them, with the logger of [WithLogger] (a
// [log/slog.Logger]) or the standard log package.
//
// # Seeing a running loop
//
//   - [Loop.Dump] writes every live task with its state, what it waits on
//     (a task by name, a sleep with its due time, a lock with its holder, a
//     [Go] call) and its stack, from any goroutine: what to read when a
//     program hangs. [Loop.Tasks] and [Loop.Snapshot] give the same as
//     [TaskInfo] values; [Stack], [WaitingOn] and [StateOf] describe one
//     task. Package taskhttp serves them over HTTP.
//   - [Loop.Stats] counts steps, switches, tasks and queue lengths, from
//     any goroutine, at the cost of an increment; [Loop.PublishExpvar]
//     shows them under /debug/vars.
//   - [WithTrace] shows tasks and their steps in go tool trace;
//     [WithProfileLabels] splits a CPU profile by task ([Labels] adds
//     labels of one's own).
//   - [WithDebug] (or ASYNKIT_DEBUG=1) reports steps that block the loop,
//     stalls, and results nobody awaited, and checks the loop's invariants
//     after every step.
package task
