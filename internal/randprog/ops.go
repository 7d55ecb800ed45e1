package randprog

import (
	"errors"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/priority"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// body is what every task of the program runs: operations drawn from the
// program's generator until it decides to stop, a cancellation reaches
// it, or the program's operations run out.
func (p *prog) body(co *iterco.Co) (int, error) {
	for p.ops < p.max {
		if p.rng.IntN(16) == 0 {
			return 0, nil
		}
		err := p.step(co)
		if errors.Is(err, errLeftHeld) {
			return 0, nil
		}
		if err != nil && (isCancel(err) || errors.Is(err, iterco.ErrClosed)) {
			return 0, err
		}
	}
	return 0, nil
}

// step performs one random operation.
func (p *prog) step(co *iterco.Co) error {
	p.ops++
	me := task.Current(co)
	if p.cfg.Priority && p.more.IntN(16) == 0 {
		if t := p.any(); t != nil {
			_ = priority.Set(t, p.level()) // ErrDone for a task that is done: nothing to change
		}
	}
	op := p.rng.IntN(24)
	p.logf("op t%d %d", me.ID(), op)
	switch op {
	case 0, 1:
		return task.Yield(co)
	case 2:
		return task.Sleep(co, p.duration())
	case 3, 4:
		p.spawn(co, op == 4)
		return nil
	case 5:
		if t := p.later(me); t != nil {
			_, err := future.Await[int](co, t)
			return err
		}
	case 6:
		if t := p.any(); t != nil && t != me {
			t.Cancel("")
		}
	case 7:
		if t := p.any(); t != nil && t != me {
			_ = task.Throw(t, errFail)
		}
	case 8:
		if t := p.any(); t != nil && t != me {
			return task.Interrupt(co, t, &task.InterruptError{Msg: "randprog"})
		}
	case 9:
		if p.cfg.Priority {
			return p.withPriorityLocks(co)
		}
		return p.withLock(co)
	case 10:
		return p.withPermit(co)
	case 11:
		p.nextID++
		id := p.nextID
		if err := p.inWait(co, waitPut, func() error { return p.q.Put(co, id) }); err != nil {
			return err
		}
		p.put[id] = true
	case 12:
		var id int
		err := p.inWait(co, waitGet, func() (err error) {
			id, err = p.q.Get(co)
			return err
		})
		if err != nil {
			return err
		}
		if p.got[id] {
			p.violate("item %d got twice", id)
		}
		p.got[id] = true
	case 13:
		return p.condition(co)
	case 14:
		_, err := task.Timeout(co, p.duration(), func(co *iterco.Co) (int, error) {
			return 0, task.Sleep(co, p.duration())
		})
		if errors.Is(err, task.ErrTimeout) {
			return nil
		}
		return err
	case 15:
		if t := p.later(me); t != nil {
			_, err := task.Shield[int](co, t)
			return err
		}
	case 16:
		a, b := p.spawn(co, false), p.spawn(co, true)
		if a != nil && b != nil {
			_, _, err := task.GatherAll[int](co, a, b)
			return err
		}
	case 17:
		if t := p.later(me); t != nil {
			_, _, err := task.Wait(co, []task.Any{t}, task.FirstCompleted, p.duration())
			return err
		}
	case 18:
		return p.group(co)
	case 19:
		if t := p.any(); t != nil && task.IsRunnable(t) && t != me {
			if err := task.Switch(co, t); err != nil && !errors.Is(err, task.ErrNotScheduled) {
				return err
			}
		}
	case 20:
		if t := p.any(); t != nil && t != me {
			_ = task.Reinsert(t, p.rng.IntN(3))
		}
	case 21:
		return p.started(co)
	case 22:
		return task.SleepInsert(co, p.rng.IntN(3))
	case 23:
		if p.rng.IntN(4) == 0 {
			panic("randprog: planned panic")
		}
	}
	return nil
}

func (p *prog) duration() time.Duration {
	return time.Duration(p.rng.IntN(5)) * time.Millisecond
}

// spawn creates a task running the program's body, if there is room.
func (p *prog) spawn(co *iterco.Co, eager bool) *task.Task[int] {
	if len(p.tasks) >= maxTasks {
		return nil
	}
	opts := []task.Option{task.EagerStart(eager)}
	if p.cfg.Priority {
		opts = append(opts, priority.Of(p.level()))
	}
	t := task.Create(co, p.body, opts...)
	p.tasks = append(p.tasks, t)
	return t
}

// any returns a random task of the program, or nil.
func (p *prog) any() *task.Task[int] {
	if len(p.tasks) == 0 {
		return nil
	}
	return p.tasks[p.rng.IntN(len(p.tasks))]
}

// later returns a random task created after me, or nil: awaiting only
// those keeps the program free of cycles of tasks awaiting each other.
func (p *prog) later(me task.Any) *task.Task[int] {
	t := p.any()
	if t == nil || t.ID() <= me.ID() {
		return nil
	}
	return t
}

// errLeftHeld ends a task that holds the lock, without releasing it.
var errLeftHeld = errors.New("randprog: the lock is left held")

func (p *prog) withLock(co *iterco.Co) error {
	err := p.inWait(co, waitLock, func() error { return p.lock.Acquire(co) })
	if err != nil {
		if errors.Is(err, asyncsync.ErrDeadlock) {
			return nil
		}
		return err
	}
	p.holders++
	if p.holders > 1 {
		p.violate("lock held by %d tasks", p.holders)
	}
	err = task.Sleep(co, p.duration())
	p.holders--
	if err == nil && p.more.IntN(8) == 0 {
		return errLeftHeld // the lock is released for the task when it ends
	}
	if rerr := p.lock.Release(co); rerr != nil {
		p.violate("release: %v", rerr)
	}
	return err
}

// level draws a priority.
func (p *prog) level() int {
	return []int{priority.High, priority.Normal, priority.Low}[p.more.IntN(3)]
}

// withPriorityLocks takes the first priority lock and, half the time,
// the second while holding it, holds them across a sleep and lets them
// go (or, now and then, ends the task holding them).
func (p *prog) withPriorityLocks(co *iterco.Co) error {
	n := 1 + p.more.IntN(2)
	for i := range n {
		if err := p.inWait(co, waitPLock0+i, func() error { return p.plocks[i].Acquire(co) }); err != nil {
			for j := i - 1; j >= 0; j-- {
				p.releasePriorityLock(co, j)
			}
			if errors.Is(err, asyncsync.ErrDeadlock) {
				return nil
			}
			return err
		}
	}
	err := task.Sleep(co, p.duration())
	if err == nil && p.more.IntN(8) == 0 {
		return errLeftHeld // the locks are released for the task when it ends
	}
	for j := n - 1; j >= 0; j-- {
		p.releasePriorityLock(co, j)
	}
	return err
}

func (p *prog) releasePriorityLock(co *iterco.Co, i int) {
	if err := p.plocks[i].Release(co); err != nil {
		p.violate("release of priority lock %d: %v", i, err)
	}
}

func (p *prog) withPermit(co *iterco.Co) error {
	if err := p.inWait(co, waitPermit, func() error { return p.sem.Acquire(co) }); err != nil {
		return err
	}
	p.held++
	// Permits handed to waiters that have not run yet are neither held nor
	// free: the count is exact only once the loop closes (Run checks it).
	if p.held+p.sem.Value() > permits || p.sem.Value() < 0 {
		p.violate("%d permits held and %d free, of %d", p.held, p.sem.Value(), permits)
	}
	err := task.Yield(co)
	p.held--
	p.sem.Release()
	return err
}

func (p *prog) condition(co *iterco.Co) error {
	if err := p.cond.Acquire(co); err != nil {
		if errors.Is(err, asyncsync.ErrDeadlock) {
			return nil
		}
		return err
	}
	var err error
	if p.rng.IntN(2) == 0 {
		_, err = task.Timeout(co, p.duration(), func(co *iterco.Co) (int, error) { return 0, p.cond.Wait(co) })
		if errors.Is(err, task.ErrTimeout) {
			err = nil
		}
		if !p.cond.Locked() || p.cond.Owner() != task.Current(co) {
			p.violate("Condition.Wait returned without the lock")
		}
	} else {
		p.cond.Notify(1 + p.rng.IntN(2))
	}
	if rerr := p.cond.Release(co); rerr != nil {
		p.violate("condition release: %v", rerr)
	}
	return err
}

func (p *prog) group(co *iterco.Co) error {
	fail := p.rng.IntN(3) == 0
	err := task.WithGroup(co, func(g *task.Group) error {
		g.Go(co, func(co *iterco.Co) error { return task.Sleep(co, p.duration()) })
		g.Go(co, func(co *iterco.Co) error {
			if err := task.Yield(co); err != nil {
				return err
			}
			if fail {
				return errFail
			}
			return nil
		})
		return nil
	})
	if errors.Is(err, errFail) {
		return nil
	}
	return err
}

func (p *prog) started(co *iterco.Co) error {
	s := iterco.Start(co, func(co *iterco.Co) (int, error) {
		return 0, task.Sleep(co, p.duration())
	})
	if p.rng.IntN(2) == 0 {
		_, err := s.Await(co)
		return err
	}
	t := task.Continue(co, s)
	p.tasks = append(p.tasks, t)
	return nil
}
