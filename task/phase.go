package task

import "fmt"

// phase is where a task is in its life: the states of the table in
// internal/coro/PROTOCOL.md, kept in the task as one byte and changed only
// by moveTo. What else the task's flags say (a cancel pending, a hand-off
// under way) is orthogonal to it.
type phase uint8

const (
	// phaseNew: made lazily; its first step is queued.
	phaseNew phase = iota
	// phaseEager: its first step runs inside Create, on a coroutine of
	// its own.
	phaseEager
	// phaseReyield: suspended during its eager start; its first queued
	// step registers what it suspended on.
	phaseReyield
	// phaseBorrowed: its first step runs on the scheduler's coroutine.
	phaseBorrowed
	// phaseRunning: a later step runs, on its own coroutine.
	phaseRunning
	// phaseReady: parked, its next step queued.
	phaseReady
	// phaseWaiting: parked until what it waits on is done.
	phaseWaiting
	// phaseDone: finished.
	phaseDone
	phases
)

var phaseNames = [phases]string{
	phaseNew: "new", phaseEager: "eager-starting", phaseReyield: "reyield",
	phaseBorrowed: "running-borrowed", phaseRunning: "running", phaseReady: "ready",
	phaseWaiting: "waiting", phaseDone: "done",
}

func (p phase) String() string { return phaseNames[p] }

// set is a set of phases.
type set uint16

func of(ps ...phase) set {
	var s set
	for _, p := range ps {
		s |= 1 << p
	}
	return s
}

// transitions is PROTOCOL.md's table: from each phase, the phases a task
// may move to. A loop's Close resumes each parked task with ErrClosed (it
// runs, then is done) and ends a New one without running its function; a
// waiting task thrown into, or woken by a cancel its waitable takes, is
// ready again.
var transitions = [phases]set{
	phaseNew:      of(phaseBorrowed, phaseDone),
	phaseEager:    of(phaseReyield, phaseDone),
	phaseReyield:  of(phaseReady, phaseWaiting, phaseRunning, phaseDone),
	phaseBorrowed: of(phaseReady, phaseWaiting, phaseDone),
	phaseRunning:  of(phaseReady, phaseWaiting, phaseDone),
	phaseReady:    of(phaseRunning, phaseDone),
	phaseWaiting:  of(phaseReady, phaseRunning, phaseDone),
}

// moveTo makes the task's phase p. In debug mode a move the table does
// not have is reported as an ErrInvariant. (Small enough to be inlined:
// it is on every step's path.)
func (c *core) moveTo(p phase) {
	if c.loop.debug != nil {
		c.checkMove(p)
	}
	c.phase = p
}

// checkMove reports a move to p that the table does not have.
func (c *core) checkMove(p phase) {
	if c.phase == p {
		return
	}
	if transitions[c.phase]&(1<<p) == 0 {
		c.loop.report(Exception{Message: "debug check", Err: fmt.Errorf("%w: task t%d moved from %s to %s",
			ErrInvariant, c.id, c.phase, p)})
	}
	if on := c.loop.debug.onPhase; on != nil {
		on(c, p)
	}
}
