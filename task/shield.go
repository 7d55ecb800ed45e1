package task

import (
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// Shield awaits a but keeps a cancellation of the caller from reaching it:
// the caller sees the cancellation at once, and a's work goes on. An
// error a ends with after that reaches the loop's exception handler,
// unless somebody else retrieves it. A plain
// awaitable (not a future or task) is first given a task of its own.
func Shield[T any](co *iterco.Co, a future.Awaitable[T]) (T, error) {
	var zero T
	c := coreOf(co)
	if c == nil {
		return zero, ErrNoLoop
	}
	os, err := ensure(co, []future.Awaitable[T]{a})
	if err != nil {
		return zero, err
	}
	inner := os[0]
	if inner.Done() {
		return inner.Result()
	}
	outer := future.New[T](c.loop)
	w := &shieldWaiter[T]{inner, outer}
	if !inner.AddWaiter(c.loop, w) {
		return zero, ErrWrongLoop
	}
	v, err := outer.Await(co)
	if !outer.Done() || outer.Cancelled() {
		// The caller gave up: nobody waits for inner any more, so an error
		// it ends with is reported as never retrieved, as without a shield.
		inner.RemoveWaiter(w)
	}
	return v, err
}

type shieldWaiter[T any] struct {
	inner outcome[T]
	outer *future.Future[T]
}

func (w *shieldWaiter[T]) Wake() {
	if w.outer.Done() {
		return
	}
	v, err := w.inner.Result()
	if err != nil {
		w.outer.SetError(err)
	} else {
		w.outer.SetResult(v)
	}
}
