// Package tasktest finds concurrency bugs in code built on package task by
// running it under many schedules, and replays the one that fails.
//
// A loop runs everything in one order: the order a test happens to get.
// Production gets others, because the results of blocking work, timers
// and posts from other goroutines come back in whatever order the world
// gives. [Check] runs a test body as the main task of a fresh loop on a
// virtual clock, many times, each time under a scheduling strategy that
// decides, from a seed, what the program left open:
//
//	func TestTransfer(t *testing.T) {
//		tasktest.Check(t, func(co *iterco.Co) error {
//			// start tasks, await them, return an error if an invariant broke
//		})
//	}
//
// A run fails if the body returns an error, anything panics, a task fails
// with nobody awaiting it, the body fails t, the loop deadlocks (nothing
// ready, no timer pending, no [task.Go] call in flight), a goroutine is
// left behind, or the run does not finish within [MaxSteps]. On the first
// failing run Check fails the test with the strategy and seed, what went
// wrong (for a deadlock: each blocked task and what it waits on), the
// recorded trace of the run, and the line that replays it. Check never
// reports a pass it did not run.
//
// # What a strategy may change
//
// Only what the program did not order:
//
//   - Which of several ready tasks or callbacks runs next. What one step
//     or callback queues in a row is a chain and keeps its order: the
//     callbacks it schedules and its own next step (CallSoon(f) then
//     Yield: f still runs first). A task the step makes ready, by creating
//     it or by completing what it waits on, starts a chain of its own, and
//     so does each timer as it comes due and each arrival from another
//     goroutine. The strategy picks among the heads of the chains.
//   - When the results of blocking work arrive: the results of [task.Go]
//     functions and of awaited [task.Submission]s are held back until the
//     strategy lets them in, then queued in the order the work started,
//     each a chain of its own, so which goroutine finished first never
//     shows.
//   - The order of timers due at the same time: each is a chain.
//
// What the program ordered stays ordered: a task's own steps; callbacks it
// queued in a row; a handle queued at a position ([task.SleepInsert],
// [task.Switch], [task.CreateDescend], [task.Reinsert]) has the handles
// ahead of it run first and nothing behind it. Time is the loop's virtual
// time, which moves only when nothing can run. Check runs the default
// FIFO loop; a priority queue given in [LoopOptions] is replaced.
//
// # Strategies
//
//   - [Random] (the default) picks uniformly at every choice.
//   - [PCT] is probabilistic concurrency testing (Burckhardt et al.,
//     ASPLOS 2010): every task gets a random priority, the highest ready
//     one runs, and at d−1 random points the running task's priority
//     drops below all others. A bug that needs d ordering constraints to
//     show is found in each run with probability at least 1/(n·k^(d−1))
//     for n tasks and k steps, and usually far more often.
//   - [Exhaustive] runs every distinct schedule, depth first, up to a
//     limit, and reports how many there were: for small programs, a proof
//     over all interleavings.
//
// [Runs] sets how many runs Random and PCT make (100 by default) and
// [Seed] their base seed (fixed by default, so a test explores the same
// schedules every time; set TASKTEST_SEED to a number to explore others).
//
// # Replay
//
// A failing run prints a token such as "random:8117204398473519347:1f0c52aa"
// and two ways to run it again: the [Replay] option, or the environment
// variable TASKTEST_REPLAY (either the token, or TestName=token to replay
// one test and run the others as usual). A replay runs the same schedule
// and records the same trace, byte for byte; if the program changed so
// that the trace differs, Check says the replay diverged.
//
// # Determinism
//
// Exploration assumes the body is deterministic for a given schedule: its
// tasks talk to the rest of the process only through task.Go (and
// Submissions), and use no randomness or wall-clock time of their own.
// Work posted to the loop by a goroutine the loop did not start is
// reported as uncontrolled input, not as a flaky failure, and so is a
// task.Go function that waits for the loop: for something posted to it
// (found after a second), or for its context, which only the loop
// cancels (found after ten seconds: the loop cannot tell such a function
// from a slow one sooner). A goroutine left behind is
// found by counting goroutines before and after each run (one of another
// test's ending during the run can hide it for that run; AllowGoroutines
// turns the count off for tests that run in parallel).
package tasktest
