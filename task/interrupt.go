package task

import (
	"context"
	"errors"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

var (
	// ErrThrowDone reports throwing into a task that is done ("cannot
	// interrupt task which is done").
	ErrThrowDone = errors.New("task: cannot interrupt a task that is done")
	// ErrThrowCancelled reports throwing into a task with a cancellation
	// pending ("cannot interrupt a cancelled task").
	ErrThrowCancelled = errors.New("task: cannot interrupt a cancelled task")
	// ErrThrowSelf reports a task throwing into itself, or into a task
	// whose code runs now under it, such as the creator of a task in its
	// eager start ("cannot interrupt self").
	ErrThrowSelf = errors.New("task: cannot interrupt self")
)

// InterruptError is an interruption thrown into a task with Throw or
// Interrupt (asynkit's InterruptException). It is a cancellation:
// errors.Is(err, [future.ErrCancelled]) and context.Canceled are true for
// it, and a task that ends with it counts as cancelled.
type InterruptError struct {
	// Msg says why, if anything.
	Msg string
}

// Error implements error.
func (e *InterruptError) Error() string {
	if e.Msg == "" {
		return "task: interrupted"
	}
	return "task: interrupted: " + e.Msg
}

// Is makes an InterruptError match [future.ErrCancelled] and context.Canceled.
func (e *InterruptError) Is(target error) bool {
	return target == future.ErrCancelled || target == context.Canceled
}

// Throw makes t stop waiting and delivers err at its suspension point
// (asynkit's task_throw): what t waited on is left as it is (a future is
// not cancelled and stays usable), and t's next step goes to the end of
// the ready queue. A task that never ran gets err at its start and runs
// none of its code. A second Throw before t runs replaces the first. It
// returns ErrThrowDone, ErrThrowCancelled or ErrThrowSelf when t is done,
// has a cancellation pending, or is the running task; it panics if err is
// nil. Call it on t's loop (from a task or callback of it): from another
// loop or goroutine it returns ErrWrongLoop when it can tell (t's loop
// sleeps), and is a data race the race detector reports otherwise; post
// it to t's loop with CallSoonThreadsafe instead. Primitives of the sync package stay consistent: a waiter
// interrupted after it was handed a lock passes the lock on.
func Throw(t Any, err error) error {
	if err == nil {
		panic("task.Throw: nil error")
	}
	c := t.base()
	l := c.loop
	switch {
	case t.Done():
		return ErrThrowDone
	case l.sleeping.Load():
		// Only code outside the loop can run while it sleeps: a task of
		// another loop, or another goroutine.
		return ErrWrongLoop
	case c.cancelPending():
		return ErrThrowCancelled
	case l.current == c, c.co != nil && c.co.State() == coro.Running && !c.co.Waiting():
		return ErrThrowSelf
	}
	if w := c.waitingOn(); w != nil {
		w.RemoveWaiter(c)
		c.setWaitingOn(nil)
		c.moveTo(phaseReady)
	}
	if l.rec != nil {
		l.recordTask(EventThrow, c, err)
	}
	c.extra().thrown = err
	l.remove(&c.h)
	l.enqueue(c)
	return nil
}

// Interrupt throws err into t and switches to it (asynkit's
// task_interrupt): t runs next, then whatever was queued, then the caller.
// When it returns, the error has been delivered. Its errors are Throw's,
// and Switch's for a task of another loop.
func Interrupt(co *iterco.Co, t Any, err error) error {
	mustCo(co, "task.Interrupt")
	c := coreOf(co)
	if c == nil {
		return ErrNoLoop
	}
	if t.base() == c {
		return ErrThrowSelf
	}
	if t.Loop() != c.loop {
		return ErrWrongLoop
	}
	if err := Throw(t, err); err != nil {
		return err
	}
	return Switch(co, t)
}
