package task

import (
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/iterco"
)

var (
	// ErrNotScheduled reports a scheduling tool applied to a task that is
	// not in the ready queue: blocked, done, or the caller itself
	// (asynkit's "Task is not scheduled").
	ErrNotScheduled = errors.New("task: task is not scheduled")

	// ErrPosition reports a negative queue position.
	ErrPosition = errors.New("task: negative queue position")

	// ErrQueued reports queueing a handle that is in the queue already.
	ErrQueued = errors.New("task: handle is queued already")
)

// insertHere is what a task suspends on to be queued at a position rather
// than at the end: the position its coroutine's note holds (see sleepAt).
var insertHere = new(struct{ _ byte })

// maxPos bounds a stored position; any larger one means the end anyway.
const maxPos = 1<<31 - 1

// SleepInsert suspends co's task and queues it pos places into the ready
// queue instead of at its end: it runs again after exactly pos of the
// handles queued now (tasks and callbacks alike). 0 runs it again before
// anything else; a pos past the end is the end, as Yield. A negative pos
// returns ErrPosition without suspending. It returns the error thrown in
// while suspended, as Yield does.
func SleepInsert(co *iterco.Co, pos int) error {
	mustCo(co, "task.SleepInsert")
	if pos < 0 {
		return fmt.Errorf("%w: SleepInsert(%d)", ErrPosition, pos)
	}
	c := coreOf(co)
	if c == nil {
		return ErrNoLoop
	}
	return c.sleepAt(co, pos)
}

func (c *core) sleepAt(co *iterco.Co, pos int) error {
	c.co.SetNote(min(pos, maxPos))
	_, err := co.Suspend(insertHere)
	return err
}

// Reinsert moves task t, which must be queued, to position pos of its
// loop's ready queue (0 = next). It returns ErrNotScheduled for a task
// that is blocked, done or running, and ErrPosition for a negative pos.
// Its cost does not depend on the length of the queue: O(pos).
func Reinsert(t Any, pos int) error {
	if pos < 0 {
		return fmt.Errorf("%w: Reinsert(%d)", ErrPosition, pos)
	}
	c := t.base()
	if c.loop == nil || !c.loop.remove(&c.h) {
		return ErrNotScheduled
	}
	c.loop.insert(pos, &c.h)
	return nil
}

// SwitchOption configures [Switch], over its default: the caller queued
// last.
type SwitchOption interface{ applySwitch(*switchConfig) }

// switchConfig is what the options of one Switch say.
type switchConfig struct{ pos int }

type insertPos int

func (p insertPos) applySwitch(c *switchConfig) { c.pos = int(p) }

// InsertPos makes Switch queue the caller pos places into the ready queue,
// counted after the target was moved to the front: 0 runs the caller
// before the target, 1 right after it. Without it the caller goes last.
func InsertPos(pos int) SwitchOption { return insertPos(pos) }

// Switch moves task t to the front of the ready queue and switches to it
// now: the caller is suspended and queued at the end (or as InsertPos
// says). t must be queued: for a task that is blocked, done, or the caller
// itself, Switch returns ErrNotScheduled; for a task of another loop,
// ErrWrongLoop; in both cases the caller does not suspend and nothing
// moves. It returns the error thrown in while suspended.
func Switch(co *iterco.Co, t Any, opts ...SwitchOption) error {
	mustCo(co, "task.Switch")
	c := coreOf(co)
	if c == nil {
		return ErrNoLoop
	}
	pos := -1
	if len(opts) > 0 {
		// Only here does the config escape through the options'
		// interface: a Switch without options allocates nothing.
		cfg := &switchConfig{pos: pos}
		for _, o := range opts {
			o.applySwitch(cfg)
		}
		pos = cfg.pos
	}
	if pos < -1 {
		return fmt.Errorf("%w: InsertPos(%d)", ErrPosition, pos)
	}
	target := t.base()
	l := c.loop
	switch {
	case target.loop != l:
		return ErrWrongLoop
	case target == c || !target.h.queued:
		return ErrNotScheduled
	}
	// A target first in line already stays where it is (the default
	// queue's front is where insert would put it).
	if l.fifo == nil || l.fifo.front() != &target.h {
		if !l.remove(&target.h) {
			return ErrNotScheduled
		}
		l.insert(0, &target.h)
	}
	if pos < 0 {
		// Yield's suspension, written out: a frame fewer to return
		// through once the switch comes back.
		_, err := co.Suspend(nil)
		return err
	}
	return c.sleepAt(co, pos)
}

// CreateDescend creates a task running fn and switches to it at once, the
// caller queued right behind it: the child runs depth-first, and the caller
// resumes as soon as the child first blocks or finishes. Unlike an eager
// start, a task always exists. It returns the task, and the error thrown
// into the caller while it waited.
func CreateDescend[T any](co *iterco.Co, fn iterco.Func[T], opts ...Option) (*Task[T], error) {
	t := Create(co, fn, opts...)
	if t.Done() {
		return t, nil // failed to start: no loop
	}
	return t, Switch(co, t, InsertPos(1))
}

// IsBlocked reports whether t waits for something that is not done. O(1).
func IsBlocked(t Any) bool {
	w := t.base().waitingOn()
	return w != nil && !w.Done()
}

// IsRunnable reports whether t can run: it is not done and not blocked.
// The task that is running counts as runnable. O(1).
func IsRunnable(t Any) bool { return !t.Done() && !IsBlocked(t) }

// Runnable returns the live tasks of l that are not blocked, other than the
// one running, in creation order.
func Runnable(l *Loop) []Any { return l.tasksWhere(func(c *core) bool { return !IsBlocked(c.self()) }) }

// Blocked returns the live tasks of l that are blocked, in creation order.
// All(l) is always Runnable(l), Blocked(l) and the running task together.
func Blocked(l *Loop) []Any { return l.tasksWhere(func(c *core) bool { return IsBlocked(c.self()) }) }

func (l *Loop) tasksWhere(pred func(*core) bool) []Any {
	var out []Any
	for _, c := range l.live {
		if c.is(markLive) && c != l.current && pred(c) {
			out = append(out, c.self())
		}
	}
	return out
}

// QueueLen returns the number of handles in the ready queue.
func (l *Loop) QueueLen() int { return l.queued() }

// QueueFind returns the queued handle nearest the back for which pred is
// true, or nil; with remove, it also takes it out of the queue (put it back
// with QueueInsertPos).
func (l *Loop) QueueFind(pred func(*Handle) bool, remove bool) *Handle {
	h := l.ready.Find(pred)
	if h != nil && remove {
		l.remove(h)
	}
	return h
}

// QueueInsertPos queues h, which must not be queued, at position pos with
// Python's list.insert meaning: a pos past the end appends, a negative one
// counts from the end. A handle that is queued already is left where it is
// and ErrQueued is returned: use Reinsert to move a task.
func (l *Loop) QueueInsertPos(pos int, h *Handle) error {
	if h.queued {
		return ErrQueued
	}
	l.insert(pos, h)
	return nil
}

// CallPos schedules fn at position pos of the ready queue (list-insert
// semantics as QueueInsertPos) and returns its handle.
func (l *Loop) CallPos(pos int, fn func()) *Handle {
	h := &Handle{job: callback(fn)}
	if !l.closed {
		l.insert(pos, h)
	}
	return h
}

// TaskKey returns a predicate for QueueFind that matches t's handle.
func TaskKey(t Any) func(*Handle) bool {
	c := t.base()
	return func(h *Handle) bool { return h.job != nil && h.job.base() == c }
}

// CancelOnExit cancels target with msg; defer it to cancel a task or
// future when a block of code is left, however it is left (asynkit's
// cancelling() context manager):
//
//	t := task.Create(co, work)
//	defer task.CancelOnExit(t, "")
//
// A target that is done already is left alone.
func CancelOnExit(target interface{ Cancel(msg string) bool }, msg string) {
	target.Cancel(msg)
}

// Cancelling is CancelOnExit under asynkit's name.
//
// Deprecated: the name reads as the count Task.Cancelling returns; use
// CancelOnExit.
func Cancelling(target interface{ Cancel(msg string) bool }, msg string) {
	CancelOnExit(target, msg)
}
