// Package compat switches eager task start on and off for the whole
// process, the way asynkit.compat.enable_eager_tasks does for asyncio: an
// application calls [EnableEagerTasks] once at startup, and every
// [task.Create] on every loop from then on starts eagerly, without
// touching the code that creates the tasks.
//
// # How it works
//
// EnableEagerTasks makes [eager.TaskFactory] the process-wide task factory
// ([task.SetDefaultTaskFactory]); [DisableEagerTasks] puts back the one it
// replaced. A loop with a task factory of its own
// ([task.Loop.SetTaskFactory], [task.WithTaskFactory]) keeps it, and a task
// created with [task.EagerStart](false) stays lazy. Both calls are safe
// from any goroutine and take effect for tasks created afterwards, on
// running loops as on new ones.
//
// # When to use it
//
// Eager start saves a trip through the ready queue for every task that
// finishes (or first blocks) at once, and runs a task's first step in its
// creator's turn, so orderings change: the creator resumes after the new
// task's first step instead of before it. Turn it on for a whole program
// that was written for it; for one part of a program, use package eager.
package compat

import (
	"sync"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/task"
)

var (
	mu       sync.Mutex
	enabled  bool
	previous task.TaskFactory
)

// EnableEagerTasks makes [eager.TaskFactory] the process-wide task factory.
// It is safe from any goroutine and takes effect for every task created
// afterwards, on running loops as on new ones. A second call does nothing.
func EnableEagerTasks() {
	mu.Lock()
	defer mu.Unlock()
	if enabled {
		return
	}
	previous = task.SetDefaultTaskFactory(eager.TaskFactory)
	enabled = true
}

// DisableEagerTasks restores the process-wide task factory that
// EnableEagerTasks replaced. Without a matching Enable it does nothing.
func DisableEagerTasks() {
	mu.Lock()
	defer mu.Unlock()
	if !enabled {
		return
	}
	task.SetDefaultTaskFactory(previous)
	previous, enabled = nil, false
}

// EagerTasksEnabled reports whether EnableEagerTasks is in effect.
func EagerTasksEnabled() bool {
	mu.Lock()
	defer mu.Unlock()
	return enabled
}
