// Package explore is the link between package task's loop and package
// tasktest: the loop leaves some choices open (which of several ready
// tasks or callbacks runs next, and when the results of work in flight
// arrive) and asks a Chooser to make them, so that a test can run a
// program under many schedules and replay any one of them.
//
// Package task sets Run when it is initialised; package tasktest calls it.
// Nothing else should use this package.
package explore

import "github.com/asynkit-go/asynkit/iterco"

// A Candidate is one thing the loop may run next.
type Candidate struct {
	// Task is the number of the task whose step this is, 0 for a callback.
	Task uint64
	// Chain names the sequence the candidate heads: what one step queued
	// in a row, which keeps its order. Chains are numbered from 1 per run.
	Chain uint64
	// Arrival marks the choice of letting the results of work in flight
	// (task.Go, awaited Submissions) arrive now, before anything else runs.
	Arrival bool
}

// A Chooser makes the choices a loop leaves open.
type Chooser interface {
	// Pick returns the index of the candidate to run next. It is called
	// only when there are two or more; their order is the loop's FIFO
	// order, so that picking 0 always is the plain loop's schedule.
	Pick(c []Candidate) int
}

// Config says how to run a program for exploration.
type Config struct {
	Chooser Chooser
	// Options are more task.LoopOptions (a recorder, a task factory); the
	// loop's queue and clock are the explorer's own.
	Options []any
	// MaxSteps bounds the steps and callbacks of one run: a program still
	// running then is reported as not finishing.
	MaxSteps int
}

// Outcome is what one run came to.
type Outcome struct {
	// Err is the body's error (a panic in it as an *iterco.PanicError).
	Err error
	// Exceptions are the errors that reached the loop's exception handler:
	// panicking callbacks, errors of tasks nobody awaited.
	Exceptions []string
	// Deadlock, if not nil, lists the tasks blocked when the loop had
	// nothing to run, no timer and no work in flight: one line each.
	Deadlock []string
	// DeadlockAt is the number (Seq) of the last event recorded before
	// the deadlock was found, 0 if nothing was recorded.
	DeadlockAt uint64
	// Uncontrolled says what the loop could not put in a deterministic
	// order (work posted by a goroutine it did not start), if anything.
	Uncontrolled string
	// Unfinished reports that the run went past Config.MaxSteps.
	Unfinished bool
	// Steps counts the steps and callbacks run; Decisions the choices
	// the Chooser was asked for.
	Steps, Decisions int
}

// Run runs body as the main task of a new loop on a virtual clock, under
// cfg, and closes the loop. Package task sets it.
var Run func(body func(co *iterco.Co) error, cfg Config) Outcome
