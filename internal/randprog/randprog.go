package randprog

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// Config says what program to run.
type Config struct {
	// Seed picks the program.
	Seed uint64
	// Ops bounds the operations its tasks perform (default 200).
	Ops int
	// CloseEarly closes the loop after the main task's first steps,
	// whatever is still running, when the seed says so (a quarter of
	// programs).
	CloseEarly bool
	// Debug runs the program on a loop in debug mode: an invariant the
	// loop checks itself (task.ErrInvariant: the ready queue, the live
	// tasks, each task's moves between phases) is a violation too.
	Debug bool
	// Priority runs the program on a priority loop (priority.NewQueue,
	// without aging, so that orderings stay exact), its tasks of random
	// priorities that change now and then, its lock operations on two
	// priority locks, taken in order (the second while holding the
	// first: chains of inheritance), its condition a priority.Condition.
	Priority bool
}

// Result is what running a program gave.
type Result struct {
	// Trace is the loop's recording and the program's log, one line an
	// event: equal for equal seeds.
	Trace string
	// Ops is the number of operations performed.
	Ops int
	// Tasks is the number of tasks created.
	Tasks int
	// Violations lists the invariants that broke, empty for a good run.
	Violations []string
}

const (
	maxTasks = 40
	permits  = 3
)

type prog struct {
	rng *rand.Rand
	// more draws the choices added after testdata/seeds.txt began (a lock
	// left held, priorities), from a stream of its own, so that rng's
	// draws, and the programs those seeds once broke, stay as they were.
	more       *rand.Rand
	l          *task.Loop
	ops, max   int
	tasks      []*task.Task[int]
	trace      strings.Builder
	violations []string

	cfg     Config
	lock    asyncsync.Lock
	plocks  [2]priority.Lock
	holders int
	leftTo  [numWaits]task.Any // the ended owner of each lock checkLock reported last
	// inside holds, for each primitive's wait, the tasks inside it now:
	// checkWakeUps counts which of them are blocked.
	inside    [numWaits]map[task.Any]bool
	lostSince [numWaits]bool // a lost wake-up reported, until it ends
	sem       *asyncsync.Semaphore
	held      int
	q         *asyncsync.Queue[int]
	nextID    int
	put       map[int]bool
	got       map[int]bool
	cond      condition

	open []uint64        // steps open, innermost last
	done map[uint64]bool // tasks done, by number
}

var errFail = errors.New("randprog: planned failure")

// Run runs the program cfg names and checks it.
func Run(cfg Config) Result {
	if cfg.Ops <= 0 {
		cfg.Ops = 200
	}
	p := &prog{
		cfg:  cfg,
		rng:  rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		more: rand.New(rand.NewPCG(cfg.Seed^0x2545f4914f6cdd1d, cfg.Seed)),
		max:  cfg.Ops,
		sem:  asyncsync.NewSemaphore(permits),
		q:    asyncsync.NewQueue[int](4),
		put:  map[int]bool{},
		got:  map[int]bool{},
		cond: syncCondition{asyncsync.NewCondition(nil)},
		done: map[uint64]bool{},
	}
	for i := range p.inside {
		p.inside[i] = map[task.Any]bool{}
	}
	opts := []task.LoopOption{
		task.WithClock(task.NewVirtualClock(time.Time{})),
		task.WithRecorder(task.RecorderFunc(p.record)),
		task.WithExceptionHandler(func(e task.Exception) {
			if errors.Is(e.Err, task.ErrInvariant) {
				p.violations = append(p.violations, e.Err.Error())
			}
			p.logf("exception: %s", e.Message)
		}),
		task.WithPoolSize(64),
	}
	if cfg.Priority {
		opts = append(opts, task.WithQueue(priority.NewQueue(priority.WithoutBoost())))
		p.cond = priorityCondition{priority.NewCondition(nil)}
	}
	if cfg.Debug {
		// Slow steps and stalls are the wall clock's business, not the
		// program's: only the loop's own checks count.
		opts = append(opts, task.WithDebug(task.DebugOptions{SlowStep: time.Hour, Stall: time.Hour}),
			task.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	}
	p.l = task.NewLoop(opts...)
	closeEarly := cfg.CloseEarly && p.rng.IntN(4) == 0
	// main starts the program's first tasks and gives them time: it never
	// blocks on them, so that a program whose tasks wait forever still
	// ends, closed with them still waiting.
	main := task.Spawn(p.l, func(co *iterco.Co) (int, error) {
		for range 2 + p.rng.IntN(4) {
			p.spawn(co, p.rng.IntN(2) == 0)
		}
		rounds := 40
		if closeEarly {
			rounds = p.rng.IntN(3)
		}
		for i := 0; i < rounds && len(task.All(p.l)) > 1; i++ {
			if err := task.Sleep(co, 5*time.Millisecond); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}, task.Name("main"))
	_, _ = task.RunUntilComplete(p.l, func(co *iterco.Co) (int, error) {
		_, err := future.Await[int](co, main)
		return 0, err
	})
	if err := p.l.Close(); err != nil {
		p.violate("Close: %v", err)
	}
	for _, t := range p.tasks {
		if !t.Done() {
			p.violate("task %s not done after Close", t.Name())
		}
	}
	for i := range p.plocks {
		if l := &p.plocks[i]; l.Locked() && !l.Owner().Done() {
			p.violate("after Close: priority lock %d held by t%d, not done", i, l.Owner().ID())
		}
	}
	if p.held != 0 || p.sem.Value() != permits || p.holders != 0 || p.lock.Locked() && !p.lock.Owner().Done() {
		p.violate("after Close: %d permits held, %d free of %d; lock held by %d (locked %v)",
			p.held, p.sem.Value(), permits, p.holders, p.lock.Locked())
	}
	if in := len(p.put) - len(p.got); in != p.q.Len() {
		p.violate("after Close: %d items put and not got, %d in the queue", in, p.q.Len())
	}
	for id := range p.got {
		if !p.put[id] {
			p.violate("item %d got but never put", id)
		}
	}
	return Result{Trace: p.trace.String(), Ops: p.ops, Tasks: len(p.tasks), Violations: p.violations}
}

func (p *prog) logf(format string, args ...any) {
	fmt.Fprintf(&p.trace, format+"\n", args...)
}

func (p *prog) violate(format string, args ...any) {
	v := fmt.Sprintf(format, args...)
	p.violations = append(p.violations, v)
	p.logf("VIOLATION %s", v)
}

func isCancel(err error) bool { return errors.Is(err, future.ErrCancelled) }

// record is the loop's recorder: it writes the trace and checks the
// scheduling invariants at every step.
func (p *prog) record(e *task.Event) {
	p.trace.WriteString(e.Format(task.VirtualEpoch))
	p.trace.WriteByte('\n')
	switch e.Kind {
	case task.EventStep:
		if p.done[e.Task] {
			p.violate("step of t%d after it was done", e.Task)
		}
		for _, t := range p.open {
			if t == e.Task {
				p.violate("step of t%d while a step of it is open", e.Task)
			}
		}
		p.checkQueue(e.Task)
		p.checkLocks()
		p.checkWakeUps()
		p.checkInheritance()
		p.open = append(p.open, e.Task)
	case task.EventSuspend, task.EventDone:
		if n := len(p.open); n == 0 || p.open[n-1] != e.Task {
			p.violate("t%d ended a step it was not running (open: %v)", e.Task, p.open)
		} else {
			p.open = p.open[:n-1]
		}
		if e.Kind == task.EventDone {
			p.done[e.Task] = true
		}
	}
}

// checkQueue checks that every live task that can run, other than those
// with a step open and the one about to run, is queued exactly once, and
// that no blocked task is.
func (p *prog) checkQueue(starting uint64) {
	if p.l.IsClosed() {
		return
	}
	queued := map[task.Any]int{}
	p.l.QueueFind(func(h *task.Handle) bool {
		if t := h.Task(); t != nil {
			queued[t]++
		}
		return false
	}, false)
	running := map[uint64]bool{starting: true}
	for _, t := range p.open {
		running[t] = true
	}
	for _, t := range task.All(p.l) {
		n := queued[t]
		if running[t.ID()] {
			continue
		}
		switch {
		case task.IsBlocked(t) && n > 0:
			p.violate("blocked task %s is queued", t.Name())
		case !task.IsBlocked(t) && n == 0:
			p.violate("runnable task %s is not queued", t.Name())
		case n > 1:
			p.violate("task %s is queued %d times", t.Name(), n)
		}
	}
}

// checkLocks checks that a task that ended holding a lock does not keep
// it from tasks waiting for it: the lock, watching its owner while they
// wait, is released for it when it ends. (With nobody waiting, the lock
// stays held until the next task asks.)
func (p *prog) checkLocks() {
	p.checkLock(waitLock, p.lock.Locked(), p.lock.Owner())
	for i := range p.plocks {
		p.checkLock(waitPLock0+i, p.plocks[i].Locked(), p.plocks[i].Owner())
	}
}

func (p *prog) checkLock(kind int, locked bool, owner task.Any) {
	waiting := len(p.inside[kind])
	if locked && owner.Done() && waiting > 0 && p.leftTo[kind] != owner {
		p.leftTo[kind] = owner // once, not at every step it lasts
		p.violate("%s: the lock is held by t%d, which ended, while %d tasks wait for it", waitNames[kind], owner.ID(), waiting)
	}
}

// The waits checkWakeUps follows.
const (
	waitLock = iota
	waitPermit
	waitGet
	waitPut
	waitPLock0 // priority lock 0's Acquire, and 1's after it
	waitPLock1
	numWaits
)

var waitNames = [numWaits]string{"lock.Acquire", "sem.Acquire", "q.Get", "q.Put", "plocks[0].Acquire", "plocks[1].Acquire"}

// inWait runs fn, a wait of kind, noting that co's task is inside it.
func (p *prog) inWait(co *iterco.Co, kind int, fn func() error) error {
	me := task.Current(co)
	p.inside[kind][me] = true
	defer delete(p.inside[kind], me)
	return fn()
}

// checkWakeUps checks that no task stays blocked in a wait while what it
// waits for is there for it and nothing will wake it: a wake-up lost.
// Tasks already woken (runnable, still inside the wait) may be what will:
// a free lock is on its way to one of them, and a semaphore's waiter that
// comes out of its wait wakes as many of those behind it as there are
// free permits (newcomers queue behind woken waiters, so that permits
// can be free while tasks wait behind one). A queue's item, and its free
// place, each woke a getter, or a putter: there are no more of them than
// there are such tasks woken.
func (p *prog) checkWakeUps() {
	if p.l.IsClosed() {
		return
	}
	var there [numWaits]int
	if !p.lock.Locked() {
		there[waitLock] = 1
	}
	there[waitPermit] = p.sem.Value()
	there[waitGet] = p.q.Len()
	there[waitPut] = p.q.Cap() - p.q.Len()
	for i := range p.plocks {
		if !p.plocks[i].Locked() {
			there[waitPLock0+i] = 1
		}
	}
	for kind, in := range p.inside {
		blocked, woken := 0, 0
		for t := range in {
			if task.IsBlocked(t) {
				blocked++
			} else {
				woken++
			}
		}
		lost := blocked > 0 && there[kind] > 0 && woken == 0
		if kind == waitGet || kind == waitPut {
			lost = blocked > 0 && there[kind] > woken
		}
		if lost && !p.lostSince[kind] {
			p.violate("%d tasks blocked in %s while %d is there for them and %d woken tasks will take it",
				blocked, waitNames[kind], there[kind], woken)
		}
		p.lostSince[kind] = lost
	}
}

// checkInheritance checks priority inheritance: the owner of a priority
// lock runs with a priority at least as good as that of every task
// blocked waiting for it (whose own priority counts what it inherits from
// the lock it holds, if it waits for the second lock holding the first).
func (p *prog) checkInheritance() {
	for i := range p.plocks {
		l := &p.plocks[i]
		if !l.Locked() || l.Owner().Done() {
			continue
		}
		own := priority.Effective(l.Owner())
		for t := range p.inside[waitPLock0+i] {
			if task.IsBlocked(t) && priority.Effective(t) < own {
				p.violate("t%d holds priority lock %d at priority %d while t%d waits for it at %d",
					l.Owner().ID(), i, own, t.ID(), priority.Effective(t))
			}
		}
	}
}

// condition is what the program does with a condition: sync's, or on a
// priority loop, priority's.
type condition interface {
	Acquire(co *iterco.Co) error
	Release(co *iterco.Co) error
	Locked() bool
	Wait(co *iterco.Co) error
	Notify(n int)
	Owner() task.Any // its lock's
}

type syncCondition struct{ *asyncsync.Condition }

func (c syncCondition) Owner() task.Any { return c.Lock().Owner() }

type priorityCondition struct{ *priority.Condition }

func (c priorityCondition) Owner() task.Any { return c.Lock().Owner() }
