package coro

import (
	"iter"
	"reflect"
	"runtime"
	"strings"
)

// Job is work run on a [Worker].
type Job interface{ RunJob() }

// Worker is one iter.Pull coroutine that runs jobs, one after another.
//
// Its fields are touched only by the goroutine that currently drives it
// (resumes it, or is it); iter.Pull's switches order those accesses.
type Worker struct {
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
	job   Job
	// older and newer link the workers a pool has handed out.
	older, newer *Worker
	// free is true once the last job returned and the worker parked at the
	// top of its loop, ready for another.
	free bool
	// lent is true while the worker is out of its pool (in the pool's busy
	// list). Two flags and no pool pointer keep a worker at 64 bytes: a
	// parked task has one.
	lent bool
}

func newWorker() *Worker {
	w := new(Worker)
	w.next, w.stop = iter.Pull(w.loop())
	return w
}

// loop returns the worker's body: it runs one job after another, parking
// between them. It is a closure rather than a method value, whose wrapper
// would be one more frame under every job: a parked coroutine's stack
// must fit the 2 KB a goroutine starts with. It is not inlined, so that
// the body is one function, whose name InWorker looks for.
//
//go:noinline
func (w *Worker) loop() func(yield func(struct{}) bool) {
	return func(yield func(struct{}) bool) {
		w.yield = yield
		for {
			job := w.job
			w.job = nil
			w.free = false
			if co, ok := job.(*Co); ok {
				// A coroutine started on a worker of its own (an eager
				// start) may have taken its pool's last free worker: the
				// next is made now, from this worker's stack, still
				// shallow, rather than by the next start, from its
				// starter's (see Pool.KeepOne).
				co.body.Pool().KeepOne()
				// A coroutine's function runs right on this frame: one
				// frame fewer under it while it is parked.
				co.run()
			} else {
				job.RunJob()
			}
			w.free = true
			if !yield(struct{}{}) {
				return
			}
		}
	}
}

// run hands a free worker its next job and switches to it. It returns when
// the worker yields: the job finished (w.free) or parked in the middle.
func (w *Worker) run(j Job) {
	w.job = j
	w.next()
}

// Pool keeps free workers for reuse. A nil *Pool is valid: every Get makes a
// new worker and every Put stops it.
//
// A Pool is used from one goroutine at a time (its loop's).
type Pool struct {
	free   []*Worker
	max    int
	closed bool
	host   *Host   // the host that lends its worker, if any
	busy   *Worker // handed out and not back yet, so Close can stop them
}

// NewPool returns a pool that keeps at most max free workers.
func NewPool(max int) *Pool { return &Pool{max: max} }

// Host returns the host the pool belongs to, or nil.
func (p *Pool) Host() *Host {
	if p == nil {
		return nil
	}
	return p.host
}

// Get returns a free worker, making one if none is kept.
func (p *Pool) Get() *Worker {
	if p == nil {
		return newWorker()
	}
	var w *Worker
	if n := len(p.free); n > 0 {
		w = p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
	} else {
		w = newWorker()
	}
	w.lent, w.newer, w.older = true, nil, p.busy
	if p.busy != nil {
		p.busy.newer = w
	}
	p.busy = w
	return w
}

// Put returns a free worker to the pool, or stops it if the pool is full,
// closed, or nil.
func (p *Pool) Put(w *Worker) {
	if p == nil {
		w.stop()
		return
	}
	p.unlink(w)
	if p.closed || len(p.free) >= p.max {
		w.stop()
		return
	}
	p.free = append(p.free, w)
}

func (p *Pool) unlink(w *Worker) {
	if !w.lent {
		return
	}
	if w.newer != nil {
		w.newer.older = w.older
	} else {
		p.busy = w.older
	}
	if w.older != nil {
		w.older.newer = w.newer
	}
	w.older, w.newer, w.lent = nil, nil, false
}

// Warm makes n workers (at most the pool's bound) and keeps them free,
// each with its stack already grown to about stack bytes: a coroutine's
// first park on a fresh worker otherwise pays for making the goroutine
// and copying its stack as it grows, tens of microseconds on a loaded
// machine.
func (p *Pool) Warm(n, stack int) {
	for range min(n, p.max-len(p.free)) {
		w := newWorker()
		w.run(growJob(stack))
		p.free = append(p.free, w)
	}
}

// KeepOne makes a free worker if the pool keeps none, so that the next
// Get does not make one; a nil Pool keeps none. A worker is made by
// iter.Pull, whose calls and allocations go deeper than a suspension
// does: made by a Get from a coroutine's own code (an eager start), it
// would grow that coroutine's stack for good. A Host keeps one each time
// it moves its scheduling code to another worker, from the driver's own
// stack (not from the scheduling code, whose worker a task may take over
// and park on), and a worker keeps one as it starts a Co of its pool,
// from its own stack, still shallow then: a task that starts several
// children eagerly, each taking a worker, finds the next one made.
func (p *Pool) KeepOne() {
	if p != nil && len(p.free) == 0 {
		p.keepOne()
	}
}

//go:noinline
func (p *Pool) keepOne() {
	if !p.closed && p.max > 0 {
		p.free = append(p.free, newWorker())
	}
}

// growJob uses about its value in bytes of stack, so that the worker it
// runs on keeps a stack that size.
type growJob int

func (g growJob) RunJob() { grow(int(g)) }

//go:noinline
func grow(n int) byte {
	var pad [512]byte
	if n <= len(pad) {
		return pad[0]
	}
	pad[1] = grow(n - len(pad))
	return pad[1]
}

// Len reports how many free workers the pool keeps.
func (p *Pool) Len() int {
	if p == nil {
		return 0
	}
	return len(p.free)
}

// Close stops every kept worker, and every worker still handed out: a
// coroutine parked on one (one its owner forgot) sees ErrClosed from
// Suspend and runs to its end. Workers Put afterwards are stopped at once.
// Close is called when none of the pool's workers runs.
func (p *Pool) Close() {
	if p == nil {
		return
	}
	p.closed = true
	for i, w := range p.free {
		w.stop()
		p.free[i] = nil
	}
	p.free = nil
	for p.busy != nil {
		w := p.busy
		p.unlink(w)
		w.stop()
	}
}

// Host runs a scheduling job on workers of its pool and lends the worker to
// each Co the scheduling code starts (see the package doc).
type Host struct {
	pool *Pool
	cur  *Worker
}

// NewHost returns a host drawing workers from pool. Cos made with pool
// borrow the host's worker when its scheduling code first resumes them.
func NewHost(pool *Pool) *Host {
	h := &Host{pool: pool}
	pool.host = h
	return h
}

// Run runs sched on a pooled worker, moving it to a fresh worker each time
// a borrowing Co takes the one it is on, and returns once sched returns on
// a worker the host still owns. It is called by the driving goroutine.
func (h *Host) Run(sched Job) {
	for {
		w := h.pool.Get()
		// A coroutine kept ready for an eager start in the code that w
		// runs (see Pool.KeepOne), made here, on the driver's stack.
		h.pool.KeepOne()
		h.cur = w
		w.run(sched)
		if h.cur == w {
			h.cur = nil
			h.pool.Put(w)
			return
		}
	}
}

// Current returns the worker the scheduling code runs on now. Scheduling
// code reads it once on entry and checks [Host.Owns] after each step.
func (h *Host) Current() *Worker { return h.cur }

// Owns reports whether w still runs the scheduling code. False means a Co
// took w and the code running on it is abandoned: it must return at once.
func (h *Host) Owns(w *Worker) bool { return h.cur == w }

// InWorker reports whether the calling code runs on a worker: inside a
// coroutine of some loop or driver. It walks the stack, so it is for
// checks on slow paths only.
func InWorker() bool {
	pcs := make([]uintptr, 64)
	skip := 0
	for {
		n := runtime.Callers(skip, pcs)
		frames := runtime.CallersFrames(pcs[:n])
		for {
			f, more := frames.Next()
			if strings.HasPrefix(f.Function, workerBody) {
				return true
			}
			if !more {
				break
			}
		}
		if n < len(pcs) {
			return false
		}
		skip += n
	}
}

// workerBody is the name of the function every worker runs.
var workerBody = runtime.FuncForPC(reflect.ValueOf((*Worker)(nil).loop()).Pointer()).Name()
