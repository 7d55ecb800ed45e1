package coro

import (
	"errors"
	"runtime"
)

// The coroutine layer's errors.
var (
	// ErrClosed is what Suspend returns once the Co's worker is stopped
	// ([Co.Kill], [Pool.Close]): the Co must not park again. The layer
	// users see names it (see NameErrors).
	ErrClosed = errors.New("coro: worker stopped")
	// ErrNotCurrent is what Suspend returns when called outside its Co's
	// own code; named as ErrClosed is.
	ErrNotCurrent = errors.New("coro: Suspend outside its own coroutine")
	// ErrInvalidState is the one sentinel behind every "invalid state"
	// error (future.ErrInvalidState): shared here because iterco, below
	// future, reports it too. It names no package; each layer wraps it
	// with its own name and what was wrong.
	ErrInvalidState = errors.New("invalid state")
)

// NameErrors makes Suspend report closed and notCurrent instead of
// ErrClosed and ErrNotCurrent: the layer above gives them the names its
// users see and match (iterco does, at init), without a translation on
// every suspension. It is for package initialisation only.
func NameErrors(closed, notCurrent error) { ErrClosed, ErrNotCurrent = closed, notCurrent }

// State is where a Co is in its life.
type State uint8

// The states of a Co.
const (
	New State = iota
	Running
	Suspended
	Done
)

// Body is what a Co runs, and the driver told of its suspensions.
type Body interface {
	// RunBody runs the Co's function and records its outcome. It must not
	// let a panic escape.
	RunBody(co *Co)
	// Suspending is called in the coroutine, before it parks on what
	// co.On returns. It returns park false to resolve the suspension in
	// place, once it has stored with SetResume what Suspend returns: the
	// Co does not park. Or it names next, a suspended Co to hand the turn
	// to first: Suspend resumes next right from its own frame, with what
	// the driver stored in next with SetResume, and once next parks or
	// finishes it calls Suspending again, with passed set to next, for
	// what comes after. passed is nil on the first call. (The value is
	// the Co's, not an argument: Suspending runs on top of the
	// coroutine's stack, where every word of its frames counts.)
	Suspending(co *Co, passed *Co) (next *Co, park bool)
	// Owner returns the driver-defined owner of the Co's chain (a task),
	// or nil. Coroutines a Co starts inherit it.
	Owner() any
	// Pool returns the pool the Co takes its worker from; nil means a
	// fresh worker each time. A pool that belongs to a Host lends the
	// host's worker to the Co's first run when scheduling code starts it.
	Pool() *Pool
}

// Resumer is a Body that wants to know, in the coroutine, when each
// suspension ends: after Suspending, whether the Co parked or not. A Co
// calls it once its owner calls [Co.NotifyResumed].
type Resumer interface {
	Body
	Resumed(co *Co)
}

type asks uint8

const (
	askStack asks = 1 << iota
	askResumed
)

// NotifyResumed makes the Co call its Body's Resumed (it must be a
// Resumer) as each of its suspensions ends.
func (co *Co) NotifyResumed() {
	if _, ok := co.body.(Resumer); !ok {
		panic("coro: NotifyResumed of a Co whose Body is not a Resumer")
	}
	co.asks |= askResumed
}

// Co is one coroutine: a function, the worker whose stack it runs on once it
// has suspended, and the values that pass between it and its driver.
//
// Fields are touched only by the code of the chain that runs it: its own
// function while Running, its resumer otherwise. The layout is kept small:
// a loop keeps the Cos of finished tasks for the next ones to run on.
type Co struct {
	state    State
	borrowed bool // running on its host's scheduling worker
	direct   bool // last resumed by driver code (from == nil), not by a Co
	resuming bool // waiting in a Resume of another Co
	waiting  bool // its driver parked it in place: see SetWaiting
	killed   bool // its worker was stopped; Suspend must not park again
	thrown   bool // val holds the error it is resumed with
	// asks holds what the Co's owner or resumer asked for: askStack (a
	// stack trace, not a resumption) and askResumed (Resumed calls).
	asks asks

	w    *Worker
	body Body

	// val is what the Co suspended on while it is suspended, and what it
	// is resumed with while it is being resumed (the value, or the error
	// when thrown is set): they never overlap, and one word pair keeps a
	// task small.
	val any
	// note is its driver's: see SetNote.
	note any
}

// Init prepares a new Co to run body.
func (co *Co) Init(body Body) { co.body = body }

// Body returns what the Co runs.
func (co *Co) Body() Body { return co.body }

// Owner returns the owner of the Co's chain (see Body).
func (co *Co) Owner() any {
	if co.body == nil {
		return nil
	}
	return co.body.Owner()
}

// State returns the Co's state.
func (co *Co) State() State { return co.state }

// On returns what the Co suspends on, while its Body's Suspending decides
// what to do about it (until it calls SetResume).
func (co *Co) On() any { return co.val }

// Out returns what the Co last suspended on.
func (co *Co) Out() any {
	if co.state != Suspended {
		return nil
	}
	return co.val
}

// SetWaiting marks a Co whose driver treats it as parked although its
// coroutine runs: a task handing off resumes others from inside its own
// Suspend while it waits. Drivers use it to tell that apart from a Co that
// really runs.
func (co *Co) SetWaiting(on bool) { co.waiting = on }

// SetNote keeps v with the Co for its driver, which reads it back with
// Note; the layer never looks at it. A driver whose Co is not part of
// its own record (a task takes one only while it runs or waits) keeps
// there what it needs only then: what it waits on.
func (co *Co) SetNote(v any) { co.note = v }

// Note returns what SetNote kept.
func (co *Co) Note() any { return co.note }

// Waiting reports what SetWaiting said.
func (co *Co) Waiting() bool { return co.waiting }

// Direct reports whether the Co was last resumed by driver code rather
// than from another Co's coroutine: only then may it resume others itself
// without the chain growing past driver, scheduler, task, task.
func (co *Co) Direct() bool { return co.direct }

// Borrowed reports whether the Co runs on its host's scheduling worker.
func (co *Co) Borrowed() bool { return co.borrowed }

// SetResume stores what Suspend returns when the driver resolves a
// suspension in place.
func (co *Co) SetResume(in any, err error) { co.store(in, err) }

// store keeps what the Co is resumed with: err if there is one (the
// value is dropped then), else in.
func (co *Co) store(in any, err error) {
	co.thrown = err != nil
	if err != nil {
		in = err
	}
	co.val = in
}

// StartErr returns the error a new Co was resumed with: a Body checks it
// before running its function, since an error thrown into a coroutine that
// never ran ends it without running any of its code.
func (co *Co) StartErr() error {
	if co.thrown {
		return co.val.(error)
	}
	return nil
}

// IsCurrent reports whether co's own code is what runs now in its chain.
func (co *Co) IsCurrent() bool { return co.state == Running && !co.resuming }

// Suspend hands v to the driver and parks until resumed; it returns the
// value or error the Co is resumed with.
func (co *Co) Suspend(v any) (any, error) {
	if !co.IsCurrent() {
		return nil, ErrNotCurrent
	}
	if co.killed {
		panic("iterco: coroutine suspended again after it was stopped")
	}
	co.val = v // see On
	next, park := co.body.Suspending(co, nil)
	for next != nil {
		// A hand-off: next is resumed from this frame, not from the
		// driver's code under it. Every frame between the switch and the
		// code that suspends is a return the processor mispredicts once
		// the switch comes back, so the switch is made here, as Resume
		// would make it.
		if next.state != Suspended {
			panic("coro: hand-off to a coroutine that is not suspended")
		}
		next.state, next.direct = Running, false
		next.enter(co)
		next.w.next()
		next.leave(co)
		next.settle()
		next, park = co.body.Suspending(co, next)
	}
	if !park {
		if co.asks&askResumed != 0 {
			co.body.(Resumer).Resumed(co)
		}
		return co.take()
	}
	if co.w == nil {
		panic("coro: Suspend without a worker")
	}
	co.state = Suspended // on co.val, still what it was given
	if co.borrowed {
		// The frames below are the scheduler's: keep the worker and send the
		// host's driver on to another one.
		co.borrowed = false
		co.body.Pool().host.cur = nil
	}
	for {
		if !co.w.yield(struct{}{}) {
			co.killed = true
			co.state = Running
			co.val = nil
			return nil, ErrClosed
		}
		if co.asks&askStack == 0 {
			break
		}
		co.asks &^= askStack
		co.val = stackTrace() // Stack takes it, and puts back what was there
	}
	if co.asks&askResumed != 0 {
		co.body.(Resumer).Resumed(co)
	}
	return co.take()
}

func (co *Co) take() (any, error) {
	v, thrown := co.val, co.thrown
	co.val, co.thrown = nil, false
	if thrown {
		return nil, v.(error)
	}
	return v, nil
}

// RunJob runs the Co's function on the worker it was handed. (A worker's
// loop calls run itself, a frame fewer under a parked Co: RunJob is what
// makes a Co a Job to hand a worker.)
func (co *Co) RunJob() { co.run() }

func (co *Co) run() {
	co.body.RunBody(co)
	co.state = Done
	co.val, co.thrown = nil, false
}

// Resume runs co until it next suspends or finishes. from is the Co whose
// code calls Resume, nil for scheduling code or a plain goroutine. A New Co
// resumed by its host's scheduling code borrows the scheduler's worker.
func (co *Co) Resume(from *Co, in any, err error) {
	// store, written out: calling it would take Resume past the
	// inliner's budget, and Resume is a frame under every Co it resumes.
	co.thrown = err != nil
	if err != nil {
		in = err
	}
	co.val = in
	co.resume(from, true)
}

// Borrow starts a New Co on w, the worker its host's scheduling code runs
// on, as Resume from that code would, except that the caller then runs
// the Co's function itself: it calls the Body's RunBody and then
// Returned, so that the function runs right on the caller's frame, one
// frame fewer under it while it is parked. Borrow reports false, and
// changes nothing, unless co is New. Nothing can be thrown in this way:
// use Resume for that.
func (co *Co) Borrow(w *Worker) bool {
	if co.state != New {
		return false
	}
	co.state, co.direct, co.w, co.borrowed = Running, true, w, true
	co.val, co.thrown = nil, false
	return true
}

// Returned ends a borrowed run (see Borrow) once RunBody has returned:
// finished without suspending, or, on a frame its host abandoned, after
// it parked and was resumed elsewhere.
func (co *Co) Returned() {
	co.state = Done
	co.val, co.thrown = nil, false
	if co.borrowed {
		co.borrowed = false
		co.w = nil
	}
}

// RunHere runs a New Co's function on the calling goroutine, with no
// worker: its Body must resolve every suspension in place (Suspending
// returns false), as a synchronous driver does.
func (co *Co) RunHere() {
	if co.state != New {
		panic("coro: RunHere of a coroutine that has started")
	}
	co.state = Running
	co.direct = true
	co.run()
}

// StartAside starts a New Co on a worker of its own, never borrowing: for
// a start that must return to its caller when the Co first suspends (an
// eager start), whoever the caller is. from is as for Resume.
func (co *Co) StartAside(from *Co) {
	if co.state != New {
		panic("coro: StartAside of a coroutine that has started")
	}
	co.val, co.thrown = nil, false
	co.resume(from, false)
}

// resume runs co with what its caller stored (see store). Its
// arguments are few: its frame and its callers' lie under every borrowed
// coroutine's own frames.
func (co *Co) resume(from *Co, borrow bool) {
	switch co.state {
	case New:
		pool := co.body.Pool()
		if h := pool.Host(); borrow && from == nil && !co.thrown && h != nil && h.cur != nil {
			// Scheduling code resumes co: it borrows the code's worker (see
			// Borrow). If co parks, this frame is the abandoned
			// scheduler's, and once co finishes the worker unwinds and
			// yields to whoever resumed co last.
			co.Borrow(h.cur)
			co.body.RunBody(co)
			co.Returned()
			return
		}
		co.state = Running
		co.direct = from == nil
		if co.thrown {
			// Ends without running user code: no worker needed.
			co.run()
			return
		}
		co.w = pool.Get()
		co.enter(from)
		co.w.run(co)
		co.leave(from)
	case Suspended:
		co.state = Running
		co.direct = from == nil
		co.enter(from)
		co.w.next()
		co.leave(from)
	default:
		panic("coro: Resume of a coroutine that is running or done")
	}
	co.settle()
}

// settle puts the worker of a Co that finished on it back in its pool:
// whoever resumed the Co does, once the worker has yielded free.
func (co *Co) settle() {
	if co.state == Done && co.w != nil && co.w.free {
		co.giveBackWorker()
	}
}

func (co *Co) giveBackWorker() {
	w := co.w
	co.w = nil
	co.body.Pool().Put(w)
}

func (co *Co) enter(from *Co) {
	if from != nil {
		from.resuming = true
	}
}

func (co *Co) leave(from *Co) {
	if from != nil {
		from.resuming = false
	}
}

// Kill stops a suspended Co's worker: Suspend returns ErrClosed and never
// parks again, so the function runs to its end on this call. Use it only
// after a polite close was ignored.
func (co *Co) Kill() {
	if co.state != Suspended {
		return
	}
	w := co.w
	co.state = Running
	w.stop()
	co.state = Done
	co.w = nil
}

// Stack returns the stack of a suspended Co, captured in its own goroutine.
func (co *Co) Stack() []byte {
	if co.state != Suspended {
		return nil
	}
	out := co.val
	co.asks |= askStack
	co.w.next()
	s, _ := co.val.([]byte)
	co.val = out
	return s
}

func stackTrace() []byte {
	buf := make([]byte, 4096)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// StackTrace returns the calling goroutine's stack.
func StackTrace() []byte { return stackTrace() }
