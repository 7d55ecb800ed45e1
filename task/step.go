package task

import (
	"context"
	"errors"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// runner is a task as its coroutine sees it ([coro.Body]). It is not
// generic: a generic type's method called through an interface runs under
// a wrapper frame, and Suspending runs on top of the task's stack, whose
// deepest point decides whether it fits 2 KB (see Task).
type runner core

// RunBody runs the task's function.
func (r *runner) RunBody(co *coro.Co) { (*core)(r).self().runBody(co) }

// Owner returns the task.
func (r *runner) Owner() any { return (*core)(r).self() }

// Pool returns the loop's pool of coroutines.
func (r *runner) Pool() *coro.Pool { return r.loop.pool }

// runBody runs the task's function, on its coroutine co, to its end.
func (t *Task[T]) runBody(co *coro.Co) {
	if err := co.StartErr(); err != nil {
		var zero T
		t.finish(zero, err)
		return
	}
	l := t.c.loop
	l.count.bodies++
	if l.tracing || l.labelling {
		t.c.bodyStarts()
	}
	// The function runs right on this frame, with one deferred call: a
	// parked task's stack is the scheduler's few frames, this one and its
	// own, which must fit the 2 KB a goroutine starts with. The deferred
	// call is the core's, which keeps one word here (a closure would
	// keep the dictionary too).
	defer t.c.recoverBody()
	var v T
	var err error
	start := t.err
	t.err = nil // the function is let go once it runs
	t.c.fate |= fateInBody
	switch fn := start.(type) {
	case pendingFunc[T]:
		v, err = fn((*iterco.Co)(co))
	case pendingProc:
		err = fn((*iterco.Co)(co))
	default:
		panic("task: a first step with no function to run")
	}
	t.c.fate &^= fateInBody
	t.ended(v, err)
}

// panicked ends the task with err, what its function's panic became.
func (t *Task[T]) panicked(err error) {
	var zero T
	t.ended(zero, err)
}

// recoverBody is deferred by runBody: it ends the task with the panic of
// its function, as the function's return would have ended it. It calls
// recover only on the way out of the function itself, which did not
// return (a panic of the loop's own code, after the function returned,
// goes on; after a runtime.Goexit, recover returns nil, and the task is
// left as it is).
func (c *core) recoverBody() {
	if c.fate&fateInBody == 0 {
		return
	}
	c.fate &^= fateInBody
	if p := recover(); p != nil {
		c.self().panicked(iterco.Recovered(p))
	}
}

// ended is the end of the task's function, returned or panicked.
func (t *Task[T]) ended(v T, err error) {
	l := t.c.loop
	if l.tracing || l.labelling {
		t.c.bodyEnds()
	}
	l.count.bodies--
	t.finish(v, err)
}

// finish records the outcome, wakes the waiters and unlinks the task.
func (t *Task[T]) finish(v T, err error) {
	c := &t.c
	nobody := !t.waiters.Any()
	if c.is(markMustCancel) && err == nil {
		// Cancelled right before it returned: asyncio counts it cancelled.
		err = c.cancelError()
	}
	if c.loop.rec != nil {
		c.loop.event(EventDone, c.id).Err = err
		c.loop.emit()
	}
	if c.loop.debug != nil {
		c.loop.debugStepEnd(c)
		if err == nil && !t.retrieved() {
			c.loop.track(tracked{task: t})
		}
	}
	t.settle(v, err)
	c.mark(markMustCancel|markCancelSent, false)
	if w := c.waitingOn(); w != nil {
		// A task stopped while it suspended (see close) is still
		// registered where it was to wait.
		w.RemoveWaiter(c)
		c.setWaitingOn(nil)
	}
	c.moveTo(phaseDone)
	c.loop.unlink(c)
	if c.loop.count.done++; err != nil && !t.Cancelled() {
		c.loop.count.failed++
	}
	if c.x != nil {
		if c.x.trace != nil {
			c.x.trace.End()
		}
		if c.x.cancelCtx != nil {
			c.x.cancelCtx(context.Canceled)
		}
		if c.x.stopWatch != nil {
			c.x.stopWatch()
		}
	}
	if nobody && c.unreadError(err) {
		c.loop.keepUnretrieved(unread{task: t})
	}
}

// unreadError reports whether err, what the task ended with, is one the
// loop reports if nobody reads it: not a cancellation, nor the ErrClosed
// of a loop's Close.
func (c *core) unreadError(err error) bool {
	return err != nil && c.fate&fateEnd != fateCancelled && !(c.is(markClosing) && errors.Is(err, iterco.ErrClosed))
}

// reregister is the first step after an eager start: it registers what
// the task suspended on then, unless a cancel or a throw came meanwhile,
// and reports whether that is all the step does; if not, the task is
// resumed, with the error that registering met if any (kept as thrown
// in: see takeError). It is kept out of the scheduler's loop, whose
// frame is under every lazy task's own frames while it runs.
//
//go:noinline
func (c *core) reregister() (done bool) {
	c.mark(markReyield, false)
	if c.cancelPending() || c.hasThrown() {
		return false // the step delivers the cancellation or error at once
	}
	if err := c.registerGuarded(c.co.Out()); err != nil {
		c.extra().thrown = err // for the step to deliver (see takeError)
		return false
	}
	return true
}

// takeError returns the error the task's next step delivers: a pending
// cancellation, an error thrown in, or nil. (It inlines: nearly every
// step delivers nil, and most tasks have an extra record, their
// creator's carrier, whose thrown is nil.)
func (c *core) takeError() error {
	if c.marks&(markMustCancel|markCancelSent) == 0 && (c.x == nil || c.x.thrown == nil) {
		return nil
	}
	return c.takePendingError()
}

func (c *core) takePendingError() error {
	c.mark(markCancelSent, false)
	if c.is(markMustCancel) {
		c.mark(markMustCancel, false)
		return c.cancelError()
	}
	if c.hasThrown() {
		err := c.x.thrown
		c.x.thrown = nil
		return err
	}
	return nil
}

func (c *core) hasThrown() bool { return c.x != nil && c.x.thrown != nil }

// cancelPending reports whether a cancellation will reach the task when it
// next runs: either still to deliver, or already delivered to what it
// waits on.
func (c *core) cancelPending() bool { return c.is(markMustCancel | markCancelSent) }

// Suspending is the task's side of the suspension protocol: it arranges
// the wake-up for what the coroutine suspends on, before it parks, and
// answers as [coro.Body]'s Suspending does: park, go on at once, or hand
// the turn to another task's coroutine first (see Loop.pass). A call with
// passed set is the end of a hand-off (see passed).
func (r *runner) Suspending(co *coro.Co, passed *coro.Co) (*coro.Co, bool) {
	c := (*core)(r)
	if passed != nil {
		return c.passed(co)
	}
	l := c.loop
	if l.debug != nil {
		l.debugStepEnd(c)
	}
	if l.tracing {
		c.endRegion()
	}
	if l.starting == c {
		if l.rec != nil {
			c.recordSuspend(co.On())
		}
		return nil, true // an eager start: its first queued step registers co.On()
	}
	if co.On() == nil && l.todo == 0 && l.peek != nil && l.queued() == 0 && !l.closed && !l.stopping.Load() {
		return l.alone(c, co)
	}
	if err := c.register(co.On()); err != nil {
		co.SetResume(nil, err)
		return nil, false
	}
	if l.rec != nil {
		c.recordSuspend(co.On())
	}
	if co.Direct() && !co.Borrowed() && l.peek != nil {
		co.SetWaiting(true)
		return l.pass(c, co)
	}
	return l.park(co)
}

// alone answers a bare yield of a task that is all there is to run: the
// iteration is over and nothing is ready. The loop would queue the task,
// start the next iteration (posted callbacks and due timers queue behind
// it) and run it first; alone does the same without the queue: the task
// goes on at once. It resumes no other task, so it holds wherever the
// task runs: on the scheduler's coroutine (a first step), on its own, or
// handed the turn by another task. (Not inlined: Suspending runs on top of a parking
// task's stack, whose deepest point decides whether it fits 2 KB.)
//
//go:noinline
func (l *Loop) alone(c *core, co *coro.Co) (*coro.Co, bool) {
	if l.rec != nil {
		c.recordSuspend(nil)
	}
	l.prepareNoWait()
	l.todo = l.queued()
	l.recordStep(c)
	l.count.steps++
	co.SetResume(nil, c.takeError())
	return nil, false
}

// passed is the task's side of a hand-off's end: the task it handed the
// turn to (l.passedTo) has parked or finished, and c runs the loop again
// from its own coroutine.
func (c *core) passed(co *coro.Co) (*coro.Co, bool) {
	l := c.loop
	l.current = c
	l.passedTo.releaseCo()
	l.passedTo = nil
	return l.pass(c, co)
}

// register arranges for the task to run again after suspending on v: at
// once in the queue (a bare yield, or at a position), or when the waitable
// v is done. It returns the error to resume the task with instead.
func (c *core) register(v any) error {
	if v == insertHere {
		c.moveTo(phaseReady)
		pos, _ := c.co.Note().(int)
		c.co.SetNote(nil)
		c.loop.insert(pos, &c.h)
		return nil
	}
	if v == nil {
		c.moveTo(phaseReady)
		if !c.h.queued {
			c.loop.enqueue(c)
		}
		return nil
	}
	if c.loop.debug != nil {
		if _, ok := v.(future.Waitable); ok {
			c.checkMove(phaseWaiting)
		}
	}
	// While w is held, nothing is called before AddWaiter (the debug
	// check above comes first for that), so that w needs no room in this
	// frame: it is the deepest of a suspension, on top of the task's
	// stack, which must fit 2 KB (see Task).
	w, ok := v.(future.Waitable)
	if !ok {
		return badSuspend(v)
	}
	was := c.phase
	c.phase = phaseWaiting // before AddWaiter, which wakes it if w is done
	c.setWaitingOn(w)
	if !w.AddWaiter(c.loop, c) {
		c.setWaitingOn(nil)
		c.phase = was
		return ErrWrongLoop
	}
	if c.is(markMustCancel) && c.waitingOn() != nil && c.cancelWaited() {
		c.mark(markMustCancel, false)
		c.mark(markCancelSent, true)
	}
	return nil
}

// registerGuarded is register run outside the task's coroutine (the first
// step after an eager start): a panic in the awaitable's waiter hook
// becomes the error the task is resumed with, as it would have been in
// the task had it registered there.
func (c *core) registerGuarded(v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.setWaitingOn(nil)
			err = iterco.Recovered(r)
		}
	}()
	return c.register(v)
}

// Wake implements [future.Waiter]: what the task waits on is done.
func (c *core) Wake() {
	if c.loop.rec != nil {
		c.loop.recordTask(EventWake, c, nil)
	}
	c.setWaitingOn(nil)
	c.moveTo(phaseReady)
	c.loop.enqueue(c)
}

// close ends a task whose loop is closing: a suspended coroutine is resumed
// with [iterco.ErrClosed], and stopped outright if it suspends again.
func (c *core) close() {
	c.mark(markClosing, true)
	l := c.loop
	switch c.coState() {
	case coro.New:
		c.moveTo(phaseBorrowed)
		l.recordStep(c)
		c.takeCo().Resume(nil, nil, iterco.ErrClosed)
	case coro.Suspended:
		if w := c.waitingOn(); w != nil {
			w.RemoveWaiter(c)
			c.setWaitingOn(nil)
		}
		c.moveTo(phaseRunning)
		l.recordStep(c)
		c.co.Resume(nil, nil, iterco.ErrClosed)
		if c.co.State() == coro.Suspended {
			l.recordStep(c)
			c.co.Kill()
		}
	}
	c.releaseCo()
	c.loop.unlink(c) // in case the coroutine could not finish
}
