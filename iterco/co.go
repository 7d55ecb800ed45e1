package iterco

import (
	"context"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// Co is the handle of a running coroutine, passed as the first argument of
// every async function. It is valid only inside its own coroutine (see the
// package doc) and until its function returns: a driver may run another
// function on it afterwards (a loop does, for its next task). It must not
// be copied, and there is no useful zero value: coroutines get one from
// the driver that runs them.
type Co coro.Co

// Func is an async function: it runs inside a coroutine and may suspend
// through co. Its result and error are delivered to whoever awaits it.
type Func[T any] func(co *Co) (T, error)

func (co *Co) raw() *coro.Co { return (*coro.Co)(co) }

// Suspend hands v to the coroutine's driver and parks until resumed, then
// returns the value or error it was resumed with. v is a waitable, nil for a
// bare yield, or a helper's marker (see the package doc).
//
// Called outside its own coroutine, Suspend returns [ErrNotCurrent] at once.
// While the coroutine is being closed it returns [ErrClosed].
func (co *Co) Suspend(v any) (any, error) {
	if co == nil {
		panic("iterco.Co.Suspend: nil Co")
	}
	return co.raw().Suspend(v)
}

// Context returns the coroutine's context. Inside a task it is the task's
// context: a copy of its creator's values, cancelled when the task is
// cancelled or done. A coroutine outside any task, or under AwaitSync,
// has context.Background unless its driver set one.
func (co *Co) Context() context.Context {
	c := co.raw()
	if b, ok := c.Body().(coro.Contexter); ok {
		return b.Context()
	}
	if o, ok := c.Owner().(coro.Contexter); ok {
		return o.Context()
	}
	return context.Background()
}

// Owner returns what the driver registered as the owner of this coroutine's
// chain: for code inside a task, the task. Packages that drive coroutines
// use it (task.Current is the typed form); nil outside any owner.
func (co *Co) Owner() any { return co.raw().Owner() }
