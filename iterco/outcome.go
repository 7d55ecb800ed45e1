package iterco

import "github.com/asynkit-go/asynkit/internal/coro"

// Outcome is the outcome of finished work as a done future: it implements
// future.Awaitable[T] and future.Waitable, so it can be awaited, gathered
// and waited for like any future that is done. [Started.AsFuture] makes
// one. Awaiting it never suspends; it cannot be cancelled. Its zero value
// is a success with the zero T.
type Outcome[T any] struct {
	v   T
	err error
}

// Done reports true: an Outcome is always done.
func (o *Outcome[T]) Done() bool { return true }

// Result returns the value and error.
func (o *Outcome[T]) Result() (T, error) { return o.v, o.err }

// Err returns the error (nil on success).
func (o *Outcome[T]) Err() error { return o.err }

// Await returns the outcome at once.
func (o *Outcome[T]) Await(*Co) (T, error) { return o.v, o.err }

// AddWaiter implements future.Waitable: w is woken at once.
func (o *Outcome[T]) AddWaiter(_ coro.Loop, w coro.Waiter) bool {
	w.Wake()
	return true
}

// RemoveWaiter implements future.Waitable: there is never one registered.
func (o *Outcome[T]) RemoveWaiter(coro.Waiter) bool { return false }

// Cancel implements future.Waitable: a done future cannot be cancelled.
func (o *Outcome[T]) Cancel(string) bool { return false }
