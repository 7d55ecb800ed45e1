package task

import (
	"context"
	"runtime/pprof"

	"github.com/asynkit-go/asynkit/internal/coro"
)

func (c *core) context() context.Context {
	x := c.extra()
	if x.ctx == nil {
		base := context.Background()
		if b := c.baseContext(); b != nil {
			base = b
			if c.is(markDetach) {
				base = context.WithoutCancel(base)
			}
		}
		x.ctx, x.cancelCtx = context.WithCancelCause(base)
		if len(x.labels) > 0 {
			x.ctx = pprof.WithLabels(x.ctx, pprof.Labels(x.labels...))
		}
		if c.cancelCount() > 0 || c.self().Done() {
			cause := x.cause
			if cause == nil {
				cause = context.Canceled
			}
			x.cancelCtx(cause)
		}
	}
	return x.ctx
}

// Context returns the task's context: created on first use, with the values
// of its creator's context, and cancelled when the task is cancelled or
// done. Code inside the task reaches it as co.Context().
func (t *Task[T]) Context() context.Context { return t.c.context() }

// A task is the owner iterco.Co.Context asks for the context.
var _ coro.Contexter = (*Task[int])(nil)
