package task

import (
	"context"
	"sync"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/coro"
	"github.com/asynkit-go/asynkit/iterco"
)

// Go runs fn on a new goroutine, for blocking Go code, and returns a future
// on co's loop that completes with fn's outcome. fn's context derives from
// the task's: it is cancelled when the task is cancelled or done, and when
// the returned future is cancelled. A panic in fn is returned as a
// *[iterco.PanicError]. The loop's Close waits for fn to return. Outside a
// loop the future is returned done with ErrNoLoop.
func Go[T any](co *iterco.Co, fn func(ctx context.Context) (T, error)) *future.Future[T] {
	if fn == nil {
		panic("task.Go: nil function")
	}
	c := coreOf(co)
	if c == nil {
		f := new(future.Future[T])
		f.SetError(ErrNoLoop)
		return f
	}
	l := c.loop
	f := future.New[T](l)
	call := &goCall{parent: c.context()}
	f.AddWaiter(l, call)
	// A task that awaits f will be its second waiter, and a future makes
	// room for more than one waiter when the second comes: adding one and
	// removing it makes the room now, rather than on top of the awaiting
	// task's stack as it parks.
	f.AddWaiter(l, placeholder{})
	f.RemoveWaiter(placeholder{})
	if l.goCalls == nil {
		l.goCalls = make(map[future.Waitable]bool)
	}
	l.goCalls[f] = true
	bridge(l, f, func() (T, error) { return fn(call.context()) }, func() { call.cancel(ErrClosed) })
	return f
}

// goCall is the context of a Go function: derived from its task's by
// the goroutine, not by the task (the context package's derivation goes
// some 450 bytes of frames deep, which a task that then awaits would keep
// on its stack while parked), and cancelled when the future is done, by
// the loop, as its waiter. Either may come first.
type goCall struct {
	parent context.Context
	mu     sync.Mutex
	stop   context.CancelCauseFunc // once the goroutine has made the context
	cause  error                   // a cancel that came before it
}

// context makes the function's context, in the goroutine.
func (g *goCall) context() context.Context {
	ctx, stop := context.WithCancelCause(g.parent)
	g.mu.Lock()
	g.stop = stop
	cause := g.cause
	g.mu.Unlock()
	if cause != nil {
		stop(cause)
	}
	return ctx
}

// cancel cancels the function's context with cause, now or as soon as it
// is made.
func (g *goCall) cancel(cause error) {
	g.mu.Lock()
	stop := g.stop
	if stop == nil && g.cause == nil {
		g.cause = cause
	}
	g.mu.Unlock()
	if stop != nil {
		stop(cause)
	}
}

// Wake implements future.Waiter: the future is done.
func (g *goCall) Wake() { g.cancel(context.Canceled) }

// placeholder is a waiter that is never woken (see Go).
type placeholder struct{}

func (placeholder) Wake() {}

// bridge runs work on a goroutine of its own and completes f, a future
// of l, with its outcome, unless f is done by then; a panic of work's is
// its error, as an *[iterco.PanicError]. If l has closed when work
// returns, closed, if not nil, is called instead. The loop's Close waits
// for the goroutine.
func bridge[T any](l *Loop, f *future.Future[T], work func() (T, error), closed func()) {
	l.bridges.Add(1)
	l.inflight.Add(1)
	seq := l.started()
	go func() {
		defer l.bridges.Done()
		// Counted out only once the result is posted, so that a virtual
		// clock never jumps while it is on its way.
		defer l.inflight.Add(-1)
		v, err := guarded(work)
		if l.post(seq, func() {
			delete(l.goCalls, f)
			if !f.Done() {
				if err != nil {
					f.SetError(err)
				} else {
					f.SetResult(v)
				}
			}
		}) != nil && closed != nil {
			closed()
		}
	}()
}

// started numbers work starting now on l whose result l.post delivers
// (0 unless l explores schedules); call it on the loop.
func (l *Loop) started() uint64 {
	if l.explorer != nil {
		return l.explorer.start()
	}
	return 0
}

// post delivers the result of work numbered seq from any goroutine:
// CallSoonThreadsafe, or, when l explores schedules, an arrival that the
// explorer delivers in the order the work started.
func (l *Loop) post(seq uint64, fn func()) error {
	if seq != 0 {
		return l.explorer.arrive(seq, fn)
	}
	return l.CallSoonThreadsafe(fn)
}

// guarded calls work, and returns a panic of its as an
// *[iterco.PanicError].
func guarded[T any](work func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = iterco.Recovered(r)
		}
	}()
	return work()
}

// Submission is a task submitted to a loop from another goroutine with
// [Submit]: a way for that goroutine to wait for its outcome.
//
// A task of another loop awaits a Submission with [future.Await]: its loop
// gets a future of its own, completed when the task finishes (asyncio's
// run_coroutine_threadsafe and wrap_future); cancelling the awaiting task
// cancels the submitted one.
type Submission[T any] struct {
	l    *Loop
	done chan struct{}
	t    *Task[T] // set on the loop

	mu       sync.Mutex // guards what follows until done is closed
	v        T
	err      error
	finished bool
	notify   []func()
}

var _ future.Awaitable[int] = (*Submission[int])(nil)

// Submit starts a task running fn on l from any goroutine (the loop may be
// running or about to run) and returns a Submission to wait for it. If l is
// closed, the Submission is done with ErrClosed.
func Submit[T any](l *Loop, fn iterco.Func[T], opts ...Option) *Submission[T] {
	if fn == nil {
		panic("task.Submit: nil function")
	}
	s := &Submission[T]{l: l, done: make(chan struct{})}
	err := l.CallSoonThreadsafe(func() {
		s.t = Spawn(l, fn, opts...)
		if s.t.Done() {
			s.Wake()
			return
		}
		s.t.AddWaiter(l, s)
	})
	if err != nil {
		s.finish(*new(T), err)
	}
	return s
}

// Wake implements [future.Waiter]; it runs on the loop when the task is done.
func (s *Submission[T]) Wake() { s.finish(s.t.Result()) }

func (s *Submission[T]) finish(v T, err error) {
	s.mu.Lock()
	s.v, s.err, s.finished = v, err, true
	notify := s.notify
	s.notify = nil
	s.mu.Unlock()
	close(s.done)
	for _, fn := range notify {
		fn()
	}
}

// Await waits for the submitted task from a task on any loop, its own
// included, and returns its outcome. Outside a loop it returns ErrNoLoop.
func (s *Submission[T]) Await(co *iterco.Co) (T, error) {
	var zero T
	l := LoopOf(co)
	if l == nil {
		return zero, ErrNoLoop
	}
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return s.v, s.err
	}
	f := future.New[T](l)
	complete := func(v T, err error) {
		if f.Done() {
			return
		}
		if err != nil {
			f.SetError(err)
		} else {
			f.SetResult(v)
		}
	}
	if s.l == l {
		// Awaited on its own loop: the outcome is handed over where it is
		// made, and nothing is in flight (a virtual clock may jump while
		// the submitted task sleeps).
		s.notify = append(s.notify, func() { complete(s.v, s.err) })
	} else {
		l.inflight.Add(1)
		seq := l.started()
		s.notify = append(s.notify, func() {
			// On the submission's loop: hand the outcome to the awaiting one.
			v, err := s.v, s.err
			defer l.inflight.Add(-1)
			l.post(seq, func() { complete(v, err) })
		})
	}
	s.mu.Unlock()
	f.AddWaiter(l, cancelRemote[T]{s, f})
	return f.Await(co)
}

// cancelRemote cancels a submitted task when the future that waits for it
// on another loop is cancelled.
type cancelRemote[T any] struct {
	s *Submission[T]
	f *future.Future[T]
}

func (c cancelRemote[T]) Wake() {
	if c.f.Cancelled() {
		c.s.Cancel()
	}
}

// Done returns a channel closed when the task is done.
func (s *Submission[T]) Done() <-chan struct{} { return s.done }

// Wait blocks until the task is done or ctx is, and returns the task's
// outcome or ctx's error, for a goroutine outside every loop. Called from
// a task or callback of a running loop it would block that loop's
// goroutine (forever, if the task is that loop's), so it returns
// ErrWaitInLoop at once: await the Submission there instead.
func (s *Submission[T]) Wait(ctx context.Context) (T, error) {
	select {
	case <-s.done:
	default:
		if coro.InWorker() {
			var zero T
			return zero, ErrWaitInLoop
		}
	}
	select {
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.v, s.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Cancel asks the loop to cancel the task, from any goroutine.
func (s *Submission[T]) Cancel() {
	_ = s.l.CallSoonThreadsafe(func() {
		if s.t != nil {
			s.t.Cancel("")
		}
	})
}
