package task

import "sync/atomic"

// TaskFactory decides how a loop makes its tasks: it sees the options of
// each Create and Spawn and returns those to create the task with. It is
// the Go form of asyncio's task factories; eager.TaskFactory makes every
// task start eagerly.
type TaskFactory interface {
	// TaskOptions returns the options to create a task of l with, given
	// those its creator passed.
	TaskOptions(l *Loop, opts []Option) []Option
}

// TaskFactoryFunc is a function that is a TaskFactory.
type TaskFactoryFunc func(l *Loop, opts []Option) []Option

// TaskOptions calls f.
func (f TaskFactoryFunc) TaskOptions(l *Loop, opts []Option) []Option { return f(l, opts) }

// SetTaskFactory makes f the loop's task factory; nil goes back to the
// process-wide default (SetDefaultTaskFactory). Call it on the loop's
// goroutine, or before the loop runs.
func (l *Loop) SetTaskFactory(f TaskFactory) { l.factory = f }

// TaskFactory returns the loop's own task factory, nil if it uses the
// process-wide default.
func (l *Loop) TaskFactory() TaskFactory { return l.factory }

type factoryBox struct{ f TaskFactory }

var defaultFactory atomic.Pointer[factoryBox]

// SetDefaultTaskFactory makes f the task factory of every loop that has
// none of its own, and returns the one it replaces (nil: none). It is safe
// from any goroutine and takes effect for every task created afterwards,
// on loops that exist already as on new ones. compat.EnableEagerTasks is
// built on it.
func SetDefaultTaskFactory(f TaskFactory) (previous TaskFactory) {
	var box *factoryBox
	if f != nil {
		box = &factoryBox{f}
	}
	if old := defaultFactory.Swap(box); old != nil {
		return old.f
	}
	return nil
}

// DefaultTaskFactory returns the process-wide task factory, or nil.
func DefaultTaskFactory() TaskFactory {
	if box := defaultFactory.Load(); box != nil {
		return box.f
	}
	return nil
}

// taskOptions returns the options a new task of l is made with: opts,
// through the loop's task factory or else the process-wide one, if
// either is set. Without one it is inlined; with one, what the factory
// does runs a call deeper (see factoryOptions).
func (l *Loop) taskOptions(opts []Option) []Option {
	if l.factory == nil && defaultFactory.Load() == nil {
		return opts
	}
	return l.factoryOptions(opts)
}

// factoryOptions is taskOptions through a factory. A task that creates
// another keeps, while it is parked, the stack the creation reached;
// this frame and the factory's are part of it only when there is one.
//
//go:noinline
func (l *Loop) factoryOptions(opts []Option) []Option {
	f := l.factory
	if f == nil {
		box := defaultFactory.Load()
		if box == nil {
			return opts // unset since taskOptions looked
		}
		f = box.f
	}
	// A factory gets a copy: handing it the caller's variadic slice would
	// make every Create's options escape to the heap, factory or not.
	var own []Option
	if len(opts) > 0 {
		own = copyOptions(opts)
	}
	if fn, ok := f.(TaskFactoryFunc); ok {
		return fn(l, own) // a frame less deep than through its method
	}
	return f.TaskOptions(l, own)
}

// copyOptions returns a copy of opts, made in a call of its own: most
// tasks are made with none, and factoryOptions keeps no room for it.
//
//go:noinline
func copyOptions(opts []Option) []Option { return append([]Option(nil), opts...) }
