package task

import "log/slog"

// LoopOption configures a Loop. Options are small values of this
// package's own types, applied in order over the loop's defaults (a FIFO
// ready queue, the wall clock, a pool of 1024 coroutines, exceptions
// logged); an option given a nil value leaves the default.
type LoopOption interface{ applyLoop(*Loop) }

type queueOption struct{ q Queue }

func (o queueOption) applyLoop(l *Loop) {
	if o.q != nil {
		l.ready, l.fifo = o.q, nil
	}
}

// WithQueue makes the loop use q as its ready queue (a priority queue, for
// instance) instead of the default FIFO ring buffer. q must be empty.
func WithQueue(q Queue) LoopOption { return queueOption{q} }

type handlerOption func(Exception)

func (o handlerOption) applyLoop(l *Loop) {
	if o != nil {
		l.handler = o
	}
}

// WithExceptionHandler sets the function that receives errors nobody else
// can: panics of callbacks, and errors of tasks that nobody retrieved. The
// default logs them, with the logger of [WithLogger] or else the standard
// log package.
func WithExceptionHandler(fn func(Exception)) LoopOption { return handlerOption(fn) }

type loggerOption struct{ l *slog.Logger }

func (o loggerOption) applyLoop(l *Loop) { l.logger = o.l }

// WithLogger makes the loop report through logger: the default exception
// handler logs each [Exception] as an error (its attributes: "err", and
// "task" with the task's name and number), and the loop's warnings (a
// panicking exception handler, the debug mode's findings) are logged as
// warnings. Without it the loop uses the standard log package. A nil
// logger is the same as none.
func WithLogger(logger *slog.Logger) LoopOption { return loggerOption{logger} }

type factoryOption struct{ f TaskFactory }

func (o factoryOption) applyLoop(l *Loop) { l.factory = o.f }

// WithTaskFactory makes f the loop's task factory (see SetTaskFactory):
// task.Run(ctx, main, task.WithTaskFactory(eager.TaskFactory)) runs main
// on a loop whose tasks start eagerly.
func WithTaskFactory(f TaskFactory) LoopOption { return factoryOption{f} }

type poolOption int

func (o poolOption) applyLoop(l *Loop) { l.poolSize = int(o) }

// WithPoolSize sets how many idle coroutines the loop keeps for reuse
// (default 1024). A task that blocks holds a coroutine until it finishes;
// the pool keeps the ones freed since, so that a burst of blocking tasks
// does not start goroutines anew. Idle coroutines are goroutines parked
// "in state coroutine", a few KiB of stack each; Close stops them all.
// Whenever the loop's scheduler moves to another coroutine (a task took
// the one it ran on), the loop makes sure one is kept, so that a task
// that starts another eagerly finds its coroutine ready: making one from
// the task's own code would take more of its stack than waiting does,
// and a parked task keeps the stack it grew (see Task). The loop
// keeps as many of the small records a running task's coroutine
// state lives in (64 bytes each), so that starting a task allocates
// nothing but the task.
func WithPoolSize(n int) LoopOption { return poolOption(max(n, 0)) }

type warmOption int

func (o warmOption) applyLoop(l *Loop) { l.warm = int(o) }

// WithWarmPool makes n coroutines ready for the loop's pool when the loop
// is made (at most the pool's size), each with an 8 KiB stack. The first
// park of a task on a fresh coroutine pays for making the goroutine and
// growing its stack: about 0.7 µs more than on a warm one on an idle
// machine (BenchmarkFirstPark), and up to tens of microseconds on a
// loaded one, which a latency-sensitive program may rather pay up front.
// Each costs about 8 KiB while it waits.
func WithWarmPool(n int) LoopOption { return warmOption(max(n, 0)) }
