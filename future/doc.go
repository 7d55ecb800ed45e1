// Package future defines Future[T], the Awaitable interface, Await, and the
// errors every asynkit package shares.
//
// # Awaiting
//
// [Await] suspends the calling coroutine until an [Awaitable] is done and
// returns its result. Anything with an Await method is awaitable: a
// [*Future], a task.Task, or a type of your own (the Go form of Python's
// __await__ and asynkit's awaitmethod):
//
//	type Config struct{ path string }
//
//	// Await loads the file each time the Config is awaited.
//	func (c *Config) Await(co *iterco.Co) (string, error) { ... }
//
// Awaiting something that is already done returns at once, without
// suspending and without allocating.
//
// # Ownership
//
// A Future belongs to one event loop (a task.Loop), or to none while it is
// unbound: the zero Future is unbound, and the first task that awaits it
// binds it to that task's loop. A Future is not safe for concurrent use:
// complete it on its loop, or from another goroutine through the loop's
// thread-safe entry points (task.Loop.CallSoonThreadsafe).
//
// # Reuse
//
// A Future completes once. A producer that hands one consumer value after
// value may reuse it instead of making a new one each time: the consumer,
// once it has read the outcome, calls [Future.Reset], and the next
// SetResult completes it again (its example shows the pattern). Such a
// hand-off allocates nothing.
//
// # Callbacks
//
// Done callbacks and waiters run in the order they were registered. A
// callback never runs inside SetResult, SetError or Cancel: completing a
// future schedules its callbacks on the loop, which runs them in a later
// step, after whatever was already ready.
//
// # The waiter hook
//
// A coroutine suspends on a [Waitable], the non-generic face of a future.
// Its driver (a task) registers a [Waiter] that the Waitable wakes when it
// is done, and cancels the Waitable when the task is cancelled. Futures and
// tasks implement it; a custom Waitable may too.
//
// # Errors
//
// [ErrCancelled] is the error of a cancelled future or task; it matches
// context.Canceled under errors.Is, and a cancel message is kept in the
// error's text. [ErrInvalidState] reports setting a done future or reading
// one that is not done.
package future
