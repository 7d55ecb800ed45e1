package task

import (
	"time"

	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// scheduler is the loop seen as the job its host runs.
type scheduler Loop

// RunJob is the scheduling loop. It runs on a pooled coroutine and may be
// abandoned there when a task borrows that coroutine: then it must return
// at once, without touching the loop again (see internal/coro).
func (s *scheduler) RunJob() {
	l := (*Loop)(s)
	for {
		if l.todo == 0 || l.queued() == 0 {
			// (The queue can run dry before todo does when handles are
			// removed from it during the iteration.)
			if l.ranOnce && l.stopping.Load() {
				return
			}
			l.prepare()
			l.todo = l.queued()
			l.ranOnce = true
			if l.todo > l.count.readyMax {
				l.count.readyMax = l.todo
			}
			continue
		}
		h := l.pop()
		l.todo--
		// (Each kind of job is told by its own type, not by a type switch:
		// a step of a task, the usual job, pays two compares this way.)
		if fn, ok := h.job.(callback); ok {
			if fn != nil {
				l.runCallback(fn)
			}
		} else if sl, ok := h.job.(*sleep); ok {
			l.wakeSleep(sl)
		} else if c := h.job.base(); !c.is(markReyield) || !c.reregister() {
			// A task's step: resume its coroutine. (Written out here,
			// not called: this frame lies under a lazy task's own while
			// it runs, and every word of it is stack to keep and to scan
			// while the task is parked. So is the error the step
			// delivers, which is taken last for that reason.)
			co := c.co
			if co == nil {
				co = c.takeCo()
				c.moveTo(phaseBorrowed)
			} else {
				c.moveTo(phaseRunning)
			}
			l.keepReady()
			l.recordStep(c)
			l.current = c
			l.count.steps++
			if err := c.takeError(); err == nil && co.Borrow(l.host.Current()) {
				// Its first step runs right on this frame: no switch,
				// unless it parks (see park). The task's runBody is
				// called here, not through the runner's RunBody (which
				// only calls it): a frame fewer (48 B) under the task,
				// whose stack must fit 2 KB when it parks (see Task).
				c.self().runBody(co)
				if !co.Borrowed() {
					// It parked, which gave it this coroutine, and has
					// finished since: the frame is abandoned, and returns
					// at once.
					co.Returned()
					l.current = nil
					return
				}
				co.Returned()
			} else {
				l.count.switches += 2 // into its coroutine and back
				co.Resume(nil, nil, err)
			}
			l.current = nil
			c.releaseCo()
		}
		if l.debug != nil {
			l.checkInvariants()
		}
	}
}

// pass runs the loop from the coroutine of c, a task about to park, as
// long as what is next in the ready queue is c itself or another parked
// task: c resumes that task from its own coroutine (one switch instead of
// two through the scheduler) and, when the queue comes back to c, goes on
// without ever parking (its Suspend returns at once). Anything else at the
// head (a callback, a new task, an empty queue, a stop) ends the hand-off:
// c parks and the scheduler carries on. Iterations are kept exactly as
// the scheduler keeps them; only tasks the scheduler resumed directly
// hand off, so the chain is at most driver, scheduler, c, next task.
//
// pass makes one decision and answers as [coro.Body]'s Suspending does:
// the next task's coroutine to resume (c's Suspend resumes it from its
// own frame, then calls passed), or none, with whether c parks. c's Co is
// marked waiting (SetWaiting) from the first decision to the last.
func (l *Loop) pass(c *core, co *coro.Co) (*coro.Co, bool) {
	if l.todo == 0 {
		if l.stopping.Load() || l.queued() == 0 && !l.hasInbox.Load() {
			return l.park(co)
		}
		l.prepareNoWait()
		l.todo = l.queued()
		if l.todo == 0 {
			return l.park(co)
		}
	}
	h := l.front()
	if h == &c.h {
		l.pop()
		l.todo--
		c.moveTo(phaseRunning)
		l.recordStep(c)
		l.count.steps++ // c goes on without a switch
		co.SetWaiting(false)
		co.SetResume(nil, c.takeError())
		return nil, false
	}
	next := h.job.base()
	if next == nil || next.co == nil || next.co.State() != coro.Suspended || next.is(markReyield) {
		// Anything but a plain parked task (an eager start's first step,
		// in particular) is the scheduler's to run.
		return l.park(co)
	}
	l.pop()
	l.todo--
	next.moveTo(phaseRunning)
	l.recordStep(next)
	l.current = next
	l.count.steps++
	l.count.handOffs++
	l.count.switches += 2 // into next's coroutine, and back once it parks or ends
	next.co.SetResume(nil, next.takeError())
	l.passedTo = next
	return next.co, false
}

// park answers a suspension, or ends a hand-off, with the task parking:
// whatever runs next on this loop is not this task. (A step that borrowed
// the scheduler's coroutine never returns to reset l.current.)
func (l *Loop) park(co *coro.Co) (*coro.Co, bool) {
	if co.Borrowed() {
		// A first step on the scheduler's coroutine keeps it: the driver
		// under it is switched to, and switches the scheduler onto another.
		l.count.switches += 2
	}
	co.SetWaiting(false)
	l.current = nil
	return nil, true
}

// prepare starts an iteration: takes in posted callbacks, sleeps if there
// is nothing to do, and moves due timers to the ready queue.
func (l *Loop) prepare() {
	if l.explorer != nil {
		l.explorer.prepare()
		return
	}
	if l.hasInbox.Load() {
		l.drainInbox()
	}
	if l.queued() == 0 && !l.stopping.Load() {
		l.idle()
		if l.rec != nil {
			l.ev.Time = l.now()
		}
	}
	l.fireTimers()
}

// prepareNoWait is prepare for a loop with work ready: it never sleeps.
func (l *Loop) prepareNoWait() {
	if l.hasInbox.Load() {
		l.drainInbox()
	}
	l.fireTimers()
}

func (l *Loop) fireTimers() {
	if len(l.timers) == 0 {
		// Only a recording needs the time now. Reading the clock costs as
		// much as a hand-off between two tasks, so while nothing is timed
		// a recording's time is read every 64 iterations (and after the
		// loop slept): at most a few microseconds behind on a busy loop.
		if l.ticks++; l.ticks%64 == 0 {
			l.publish()
			if l.rec != nil {
				l.ev.Time = l.now()
			}
		}
		return
	}
	if l.ticks++; l.ticks%64 == 0 {
		l.publish()
	}
	at := l.nowOffset()
	if l.rec != nil {
		l.ev.Time = l.origin.Add(time.Duration(at))
	}
	for len(l.timers) > 0 && l.timers[0].at <= at {
		tm := l.timers.pop()
		if l.rec != nil {
			l.record(EventTimer, 0)
		}
		if l.explorer != nil {
			l.explorer.newCause()
		}
		l.push(&tm.h)
	}
}

func (l *Loop) idle() {
	if !l.jumps() {
		l.publish()
	}
	if l.debug != nil {
		defer l.debugIdle()()
	}
	l.sleeping.Store(true)
	defer l.sleeping.Store(false)
	if l.clock != nil {
		l.idleOn(l.clock)
	} else if len(l.timers) == 0 {
		<-l.wake
	} else if d := time.Until(l.timers[0].When()); d > 0 {
		if l.sleeper == nil {
			l.sleeper = time.NewTimer(d)
		} else {
			l.sleeper.Reset(d)
		}
		select {
		case <-l.wake:
			l.sleeper.Stop()
		case <-l.sleeper.C:
		}
	}
	if l.hasInbox.Load() {
		l.drainInbox()
	}
}

// jumps reports whether the idle loop's clock is a VirtualClock that will
// jump to the next timer rather than wait: the loop does not sleep then,
// and needs no publication of its Stats for others to read meanwhile (a
// simulation goes idle at nearly every sleep; the copy is published every
// 64 iterations all the same).
func (l *Loop) jumps() bool {
	_, virtual := l.clock.(*VirtualClock)
	return virtual && len(l.timers) > 0 && l.inflight.Load() == 0 && !l.hasInbox.Load()
}

// idleOn lets clock decide how the idle loop waits, and records a jump.
func (l *Loop) idleOn(clock Clock) {
	var next time.Time
	if len(l.timers) > 0 {
		next = l.timers[0].When()
	}
	before := l.now()
	clock.Idle(next, l.wake, l.inflight.Load() > 0 || l.hasInbox.Load())
	if now := l.now(); now.After(before) && l.rec != nil {
		l.ev.Time = now
		l.event(EventJump, 0).Dur = now.Sub(before)
		l.emit()
	}
}

// runCall runs j if it is a callback or a sleep's wake-up, and does
// nothing for a task's step.
func (l *Loop) runCall(j job) {
	switch j := j.(type) {
	case callback:
		if j != nil {
			l.runCallback(j)
		}
	case *sleep:
		l.wakeSleep(j)
	}
}

// wakeSleep ends s, whose time is up: the callback a sleep's timer stands
// for, counted and recorded as one.
func (l *Loop) wakeSleep(s *sleep) {
	l.callbackRuns()
	s.SetResult(struct{}{})
}

// callbackRuns counts and records a callback about to run.
func (l *Loop) callbackRuns() {
	l.count.callbacks++
	if l.rec != nil {
		l.record(EventCallback, 0)
	}
}

func (l *Loop) runCallback(fn func()) {
	l.callbackRuns()
	defer func() {
		if r := recover(); r != nil {
			l.report(Exception{Message: "callback panicked", Err: iterco.Recovered(r)})
		}
	}()
	if l.debug != nil {
		l.debugCallback(fn)
		return
	}
	fn()
}
