package task

import (
	"iter"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// AsCompleted yields the outcomes of the awaitables in the order they
// finish, suspending co between them. Breaking out of the loop stops
// waiting without cancelling what is left. If co is cancelled while it
// waits, the sequence yields that error and ends.
func AsCompleted[T any](co *iterco.Co, as ...future.Awaitable[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		c := coreOf(co)
		if c == nil {
			yield(zero, ErrNoLoop)
			return
		}
		os, err := ensure(co, as)
		if err != nil {
			yield(zero, err)
			return
		}
		ac := &asCompleted[T]{}
		ws := make([]completionWaiter[T], len(os))
		for i, o := range os {
			ws[i] = completionWaiter[T]{ac, o}
			if !o.AddWaiter(c.loop, &ws[i]) {
				yield(zero, ErrWrongLoop)
				return
			}
		}
		defer func() {
			for i, o := range os {
				o.RemoveWaiter(&ws[i])
			}
		}()
		for range os {
			for len(ac.ready) == 0 {
				ac.wake = future.New[struct{}](c.loop)
				if _, err := ac.wake.Await(co); err != nil {
					ac.wake = nil
					yield(zero, err)
					return
				}
			}
			o := ac.ready[0]
			ac.ready = ac.ready[1:]
			if !yield(o.Result()) {
				return
			}
		}
	}
}

type asCompleted[T any] struct {
	ready []outcome[T]
	wake  *future.Future[struct{}]
}

type completionWaiter[T any] struct {
	ac *asCompleted[T]
	o  outcome[T]
}

func (w *completionWaiter[T]) Wake() {
	w.ac.ready = append(w.ac.ready, w.o)
	if w.ac.wake != nil && !w.ac.wake.Done() {
		w.ac.wake.SetResult(struct{}{})
	}
}
