package task

import (
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// WaitMode says when Wait returns.
type WaitMode int

const (
	// AllCompleted returns when every task is done.
	AllCompleted WaitMode = iota
	// FirstCompleted returns when any task is done.
	FirstCompleted
	// FirstError returns when any task ends with an error (a cancellation
	// counts), or when all are done.
	FirstError
)

// NoTimeout makes Wait wait as long as it takes.
const NoTimeout time.Duration = 1<<63 - 1

// Wait waits for tasks as mode says, or until timeout passes, and returns
// them split into those done and those still pending, each in argument
// order. Nothing is cancelled. A timeout of zero or less returns at once,
// after a check; pass NoTimeout to wait without limit. Its error is the
// caller's own cancellation, ErrNilAwaitable, or ErrWrongLoop. No tasks:
// empty sets at once.
func Wait(co *iterco.Co, ts []Any, mode WaitMode, timeout time.Duration) (done, pending []Any, err error) {
	c := coreOf(co)
	if c == nil {
		return nil, nil, ErrNoLoop
	}
	for _, t := range ts {
		if t == nil {
			return nil, nil, ErrNilAwaitable
		}
	}
	w := &waitState{ts: ts, mode: mode, wake: future.New[struct{}](c.loop)}
	if !w.satisfied() && timeout > 0 && len(ts) > 0 {
		for i, t := range ts {
			if !t.AddWaiter(c.loop, w) {
				for _, u := range ts[:i] {
					u.RemoveWaiter(w)
				}
				return nil, nil, ErrWrongLoop
			}
		}
		var tm *Timer
		if timeout != NoTimeout {
			tm = c.loop.CallLater(timeout, func() { w.wake.SetResult(struct{}{}) })
		}
		_, err = w.wake.Await(co)
		if tm != nil {
			tm.Cancel()
		}
		for _, t := range ts {
			t.RemoveWaiter(w)
		}
	}
	for _, t := range ts {
		if t.Done() {
			done = append(done, t)
		} else {
			pending = append(pending, t)
		}
	}
	return done, pending, err
}

type waitState struct {
	ts   []Any
	mode WaitMode
	wake *future.Future[struct{}]
}

func (w *waitState) satisfied() bool {
	all := true
	for _, t := range w.ts {
		if !t.Done() {
			all = false
			continue
		}
		switch {
		case w.mode == FirstCompleted:
			return true
		case w.mode == FirstError && t.Err() != nil:
			return true
		}
	}
	return all
}

func (w *waitState) Wake() {
	if !w.wake.Done() && w.satisfied() {
		w.wake.SetResult(struct{}{})
	}
}
