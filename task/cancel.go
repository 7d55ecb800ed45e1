package task

import (
	"context"

	"github.com/asynkit-go/asynkit/future"
)

func (c *core) cancelMsg() string {
	if c.x == nil {
		return ""
	}
	return c.x.cancelMsg
}

// cancelError is the error a pending cancellation delivers: with its cause
// if it has one, else with its message.
func (c *core) cancelError() error {
	if c.x != nil && c.x.cause != nil {
		return future.CancelCauseError(c.x.cause)
	}
	return future.CancelError(c.cancelMsg())
}

// causeCanceller is what a waitable that keeps a cancellation's cause has;
// futures and tasks do.
type causeCanceller interface{ CancelCause(cause error) bool }

// CancelCause is Cancel with a cause, as context.CancelCauseFunc: the error
// delivered is future.CancelCauseError(cause), which matches
// [future.ErrCancelled] and unwraps to cause, and context.Cause of the
// task's context is cause. A nil cause is Cancel("").
func (t *Task[T]) CancelCause(cause error) bool {
	if cause == nil {
		return t.Cancel("")
	}
	return t.c.cancel("", cause)
}

// Cancel asks the task to stop: future.CancelError(msg) is delivered at its
// current suspension point (cancelling what it waits on, if that accepts),
// or at its next one if it is running or queued. A task that never ran
// ends without running. The task's context is cancelled at once. Cancel
// reports false if the task is already done. The task may refuse by
// handling the error; each call counts one request (see Cancelling).
func (t *waitable) Cancel(msg string) bool { return t.c.cancel(msg, nil) }

func (c *core) cancel(msg string, cause error) bool {
	if c.self().Done() {
		return false
	}
	c.addCancel()
	if c.loop.rec != nil {
		c.loop.recordTask(EventCancel, c, nil)
	}
	// Kept for a cancel sent again later (a group's): a cancel without a
	// message or cause does not erase the reason an earlier one gave.
	if msg != "" {
		c.extra().cancelMsg = msg
	}
	if cause != nil {
		c.extra().cause = cause
	}
	if c.x != nil && c.x.cancelCtx != nil {
		if cause == nil {
			cause = context.Canceled
		}
		c.x.cancelCtx(cause)
	}
	if c.waitingOn() != nil && c.cancelWaited() {
		c.mark(markCancelSent, true)
		return true
	}
	c.mark(markMustCancel, true)
	return true
}

// cancelWaited cancels what the task waits on with the pending
// cancellation's cause or message, reporting whether it took.
func (c *core) cancelWaited() bool {
	if c.x != nil && c.x.cause != nil {
		if cc, ok := c.waitingOn().(causeCanceller); ok {
			return cc.CancelCause(c.x.cause)
		}
	}
	return c.waitingOn().Cancel(c.cancelMsg())
}

// watch cancels the task when the context of its Context option is done.
// The cancel is posted to the loop, since the context may be cancelled on
// any goroutine; it is stopped when the task is done.
func (c *core) watch() {
	ctx, l := c.baseContext(), c.loop
	c.extra().stopWatch = context.AfterFunc(ctx, func() {
		_ = l.CallSoonThreadsafe(func() { c.cancel("", context.Cause(ctx)) })
	})
}

// Cancelling returns the number of cancel requests not yet withdrawn with
// Uncancel (Python 3.11's Task.cancelling).
func (t *Task[T]) Cancelling() int { return t.c.cancelCount() }

// Uncancel withdraws one cancel request and returns the number left. When
// none are left a pending cancellation is dropped. Code that handles a
// cancellation it caused (a timeout) calls it, so that an outer cancel is
// not swallowed.
func (t *Task[T]) Uncancel() int {
	c := &t.c
	if c.cancelCount() == 0 {
		return 0
	}
	c.dropCancel()
	n := c.cancelCount()
	if n == 0 {
		c.mark(markMustCancel, false)
		if x := c.own(); x != nil {
			x.cancelMsg, x.cause = "", nil
		}
	}
	return n
}

// withdraw takes back the one cancel request a construct made of the task
// (the rule in the package doc) and reports whether the cancellation is
// the construct's own: at most outside requests are left, the number the
// construct does not count as anyone else's.
func (c *core) withdraw(outside int) bool { return c.self().Uncancel() <= outside }
