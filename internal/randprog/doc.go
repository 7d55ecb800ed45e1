// Package randprog generates random programs for a task.Loop and checks
// the loop's invariants while they run: the project's own fuzzer.
//
// A program is a seed. Its tasks draw operations from a generator seeded
// with it as they run (create, eager create, await, yield, sleep, cancel,
// throw, interrupt, gather, wait, timeout, shield, groups, switch,
// reinsert, locks, conditions, semaphores, queues, iterco.Start and
// task.Continue, panics), on a virtual clock, so that the same seed runs
// the same way every time; the loop may be closed in the middle. After
// every step the checker asserts:
//
//   - a task runs only while it is current, never after it is done, and
//     steps nest only for eager starts;
//   - every live task that is not blocked, and not running, is in the
//     ready queue exactly once; a blocked one is not in it;
//   - a lock has at most one holder, and a task that ends holding it (as
//     programs sometimes do) does not keep it from the tasks waiting for
//     it; a semaphore's permits are conserved;
//   - queue items are neither lost nor duplicated;
//   - no task stays blocked waiting for the lock, a permit, an item or a
//     queue's room while it is there for it and no task already woken
//     will take it or hand it on (no wake-up is lost);
//
// and after the loop closes, that every task created is done. Run
// returns the trace (the loop's recording and the program's own log) and
// the violations.
//
// On a priority loop (Config.Priority) the lock operations take priority
// locks, the condition is a priority one, and the checker asserts priority inheritance too: a lock's owner
// runs at least as urgently as every task blocked waiting for it.
package randprog
