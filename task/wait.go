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
	w, err := startWait(co, ts, mode, timeout)
	if w == nil {
		return nil, nil, err
	}
	// The wait is made from this frame, which stays under the task's
	// suspension: what comes before and after it is in calls of its own
	// (see Task on the 2 KB a parked task's stack fits).
	if w.registered {
		_, err = w.wake.Await(co)
		w.stop()
	}
	return w.split(err)
}

// startWait checks Wait's tasks and, unless they are satisfied already
// or the timeout is up, registers for them and arms the timeout. It
// returns nil and the error when Wait fails at once.
//
//go:noinline
func startWait(co *iterco.Co, ts []Any, mode WaitMode, timeout time.Duration) (*waitState, error) {
	c := coreOf(co)
	if c == nil {
		return nil, ErrNoLoop
	}
	for _, t := range ts {
		if t == nil {
			return nil, ErrNilAwaitable
		}
	}
	w := &waitState{ts: ts, mode: mode, wake: future.New[struct{}](c.loop)}
	if w.satisfied() || timeout <= 0 || len(ts) == 0 {
		return w, nil
	}
	for i, t := range ts {
		if !t.AddWaiter(c.loop, w) {
			for _, u := range ts[:i] {
				u.RemoveWaiter(w)
			}
			return nil, ErrWrongLoop
		}
	}
	w.registered = true
	if timeout != NoTimeout {
		w.timer = c.loop.CallLater(timeout, func() { w.wake.SetResult(struct{}{}) })
	}
	return w, nil
}

// stop ends a wait: the timeout disarmed, and the waiters removed.
//
//go:noinline
func (w *waitState) stop() {
	if w.timer != nil {
		w.timer.Cancel()
	}
	for _, t := range w.ts {
		t.RemoveWaiter(w)
	}
}

// split returns Wait's tasks done and pending, and err.
//
//go:noinline
func (w *waitState) split(err error) (done, pending []Any, _ error) {
	for _, t := range w.ts {
		if t.Done() {
			done = append(done, t)
		} else {
			pending = append(pending, t)
		}
	}
	return done, pending, err
}

type waitState struct {
	ts         []Any
	mode       WaitMode
	wake       *future.Future[struct{}]
	timer      *Timer // the timeout, if armed
	registered bool   // a waiter on every task
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
