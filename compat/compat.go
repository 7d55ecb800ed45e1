// Package compat switches eager task start on and off for the whole
// process, the way asynkit.compat.enable_eager_tasks does for asyncio: an
// application calls EnableEagerTasks once at startup, and every
// task.Create on every loop from then on starts eagerly, without touching
// the code that creates the tasks.
//
// It works through task.SetDefaultTaskFactory: a loop with a task factory
// of its own (task.Loop.SetTaskFactory) keeps it, and a task created with
// task.EagerStart(false) stays lazy.
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

// EnableEagerTasks makes eager.TaskFactory the process-wide task factory.
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
