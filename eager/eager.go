package eager

import (
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Start runs fn now, in co's turn, until it first blocks, and returns how
// to await its outcome: if fn finished, a done future (no task was
// scheduled and the ready queue was not touched); if it blocked, the task
// that continues it. An error or panic before the first suspension is in
// the future, never thrown at the caller. Outside a loop the awaitable is
// done with [task.ErrNoLoop]. Start panics if fn is nil.
func Start[T any](co *iterco.Co, fn iterco.Func[T]) future.Awaitable[T] {
	if fn == nil {
		panic("eager.Start: nil function")
	}
	t := task.Create(co, fn, eagerOnly...)
	if t.Done() {
		return t.Future()
	}
	return t
}

// Func returns a function that starts fn eagerly each time it is called
// (asynkit's func_eager and coro_eager).
func Func[T any](fn iterco.Func[T]) func(co *iterco.Co) future.Awaitable[T] {
	if fn == nil {
		panic("eager.Func: nil function")
	}
	return func(co *iterco.Co) future.Awaitable[T] { return Start(co, fn) }
}

// StartCancelling is Start with a function that cancels the work if it is
// still running (asynkit's eager_ctx); defer it:
//
//	a, cancel := eager.StartCancelling(co, fetch)
//	defer cancel()
//
// If fn finished during its eager start, cancel does nothing and the value
// stays there to await.
func StartCancelling[T any](co *iterco.Co, fn iterco.Func[T]) (future.Awaitable[T], func()) {
	a := Start(co, fn)
	return a, func() {
		if t, ok := a.(*task.Task[T]); ok {
			t.Cancel("")
		}
	}
}

// TaskFactory makes every task of a loop start eagerly, unless it is
// created with task.EagerStart(false):
//
//	loop.SetTaskFactory(eager.TaskFactory)
var TaskFactory task.TaskFactory = NewTaskFactory(nil)

// NewTaskFactory returns a factory that applies inner (nil: none) and then
// starts the task eagerly (asynkit's create_eager_task_factory). Options
// the caller gave, and those inner adds, come after the eager start and so
// override it.
func NewTaskFactory(inner task.TaskFactory) task.TaskFactory {
	return task.TaskFactoryFunc(func(l *task.Loop, opts []task.Option) []task.Option {
		if inner != nil {
			opts = inner.TaskOptions(l, opts)
		}
		if len(opts) == 0 {
			return eagerOnly
		}
		return append([]task.Option{task.EagerStart(true)}, opts...)
	})
}

var eagerOnly = []task.Option{task.EagerStart(true)}
