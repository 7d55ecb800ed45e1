package task

import (
	"errors"
	"fmt"
	"log/slog"
)

var (
	// ErrNoLoop reports code that needs a running loop, run where there is
	// none: in a coroutine driven by hand or under iterco.AwaitSync.
	ErrNoLoop = errors.New("task: no running event loop")

	// ErrWrongLoop reports awaiting a future or task that belongs to
	// another loop. To wait for work on another loop, Submit it.
	ErrWrongLoop = errors.New("task: awaited future belongs to a different loop")

	// ErrLoopRunning reports running a loop that is already running, or
	// starting one from inside a running loop's task.
	ErrLoopRunning = errors.New("task: cannot run a loop while a loop is running here")

	// ErrClosed reports use of a closed loop.
	ErrClosed = errors.New("task: loop is closed")

	// ErrStopped reports that a loop stopped before the task it was run
	// for completed.
	ErrStopped = errors.New("task: loop stopped before the task completed")

	// ErrWaitInLoop reports Submission.Wait called from a task or callback
	// of a loop, which it would block: await the Submission instead.
	ErrWaitInLoop = errors.New("task: Submission.Wait called on a loop; await it instead")

	// ErrAwaitSelf reports a task awaiting itself, which could never end.
	ErrAwaitSelf = errors.New("task: a task cannot await itself")

	errBadSuspend = errors.New("task: coroutine suspended on a value that is not waitable")
)

func badSuspend(v any) error { return fmt.Errorf("%w: %T", errBadSuspend, v) }

// Exception describes an error nobody was there to receive: a callback that
// panicked, or a task that failed and whose error was never retrieved.
// The loop hands it to its exception handler.
type Exception struct {
	// Message says what happened.
	Message string
	// Err is the error (a *iterco.PanicError for a panic).
	Err error
	// Task is the task concerned, if any.
	Task Any
}

// LogValue implements slog.LogValuer: the message, "err", and "task" (its
// name and number) if there is one.
func (e Exception) LogValue() slog.Value {
	return slog.GroupValue(append([]slog.Attr{slog.String("msg", e.Message)}, e.attrs()...)...)
}

func (e Exception) attrs() []slog.Attr {
	attrs := []slog.Attr{slog.Any("err", e.Err)}
	if e.Task != nil {
		attrs = append(attrs, slog.Group("task", slog.String("name", e.Task.Name()), slog.Uint64("id", e.Task.ID())))
	}
	return attrs
}

// String renders the exception for a log line.
func (e Exception) String() string {
	if e.Task != nil {
		return fmt.Sprintf("%s (task %q): %v", e.Message, e.Task.Name(), e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Message, e.Err)
}
