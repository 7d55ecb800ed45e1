package sync

import (
	"fmt"

	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
)

// Barrier makes parties tasks wait for each other (asyncio.Barrier): each
// Wait blocks until parties tasks are waiting, then all go on together,
// and the barrier is ready for the next round. Make one with NewBarrier:
// a zero Barrier, which would wait for nobody, panics. It must not be
// copied.
type Barrier struct {
	binding
	parties int
	count   int    // tasks that arrived this round
	leaving int    // tasks of a released round not yet gone
	broken  bool   // aborted, until Reset
	rounds  uint64 // rounds released so far
	breaks  uint64 // times waiters were turned away (Abort, Reset)
	arrived waitq.List
	blocked waitq.List // arrivals during a release, held for the next round
}

// NewBarrier returns a barrier for parties tasks; it panics if parties is
// not positive.
func NewBarrier(parties int) *Barrier {
	if parties <= 0 {
		panic("sync.NewBarrier: parties must be positive")
	}
	return &Barrier{parties: parties}
}

// Parties returns the number of tasks the barrier waits for.
func (b *Barrier) Parties() int { return b.parties }

// NWaiting returns the number of tasks waiting in the current round.
func (b *Barrier) NWaiting() int { return b.count }

// Broken reports whether the barrier is broken.
func (b *Barrier) Broken() bool { return b.broken }

// Wait blocks until parties tasks wait, and returns this task's arrival
// index in the round (0 for the first, parties-1 for the one that released
// the others). It returns ErrBrokenBarrier if the barrier is or gets
// broken, and a cancellation if the task is cancelled while it waits, in
// which case it leaves the round as if it had not arrived.
func (b *Barrier) Wait(co *iterco.Co) (int, error) {
	if b.parties == 0 {
		panic("sync.Barrier.Wait: zero Barrier; make one with NewBarrier")
	}
	if _, err := b.bind(co); err != nil {
		return 0, err
	}
	// A round being released finishes before a new one fills.
	for b.leaving > 0 && !b.broken {
		if b.blocked.Label == nil {
			b.blocked.Kind, b.blocked.Label = "asyncsync.Barrier", func() string { return "asyncsync.Barrier (releasing the last round)" }
		}
		if _, err := b.blocked.Wait(co, b.blocked.Join(b.loop)); err != nil {
			return 0, err
		}
	}
	if b.broken {
		return 0, ErrBrokenBarrier
	}
	index := b.count
	b.count++
	if b.count == b.parties {
		b.release()
		b.leave()
		return index, nil
	}
	round, breaks := b.rounds, b.breaks
	if b.arrived.Label == nil {
		b.arrived.Kind, b.arrived.Label = "asyncsync.Barrier", func() string { return fmt.Sprintf("asyncsync.Barrier (%d of %d arrived)", b.count, b.parties) }
	}
	_, err := b.arrived.Wait(co, b.arrived.Join(b.loop))
	switch {
	case b.breaks != breaks:
		return 0, ErrBrokenBarrier
	case b.rounds != round:
		b.leave()
		// Released, but cancelled before it ran: the cancellation stands.
		if err != nil {
			return 0, err
		}
		return index, nil
	default: // cancelled before the round filled: as if it never came
		b.count--
		return 0, err
	}
}

// release lets the round's waiters go.
func (b *Barrier) release() {
	b.rounds++
	b.leaving = b.count
	b.count = 0
	b.arrived.WakeAll()
}

// leave counts a task out of a released round; the last one opens the next.
func (b *Barrier) leave() {
	if b.leaving--; b.leaving == 0 {
		b.blocked.WakeAll()
	}
}

// Reset returns the barrier to its empty state. Tasks waiting in the
// current round get ErrBrokenBarrier, and so do tasks a released round
// let go that have not resumed yet (as asyncio's reset does); the barrier
// is usable again at once.
func (b *Barrier) Reset() {
	if b.count > 0 || b.leaving > 0 {
		b.breakAll()
	}
	b.broken = false
}

// Abort breaks the barrier: every waiting task, and every later Wait, gets
// ErrBrokenBarrier, until Reset.
func (b *Barrier) Abort() {
	b.breakAll()
	b.broken = true
}

func (b *Barrier) breakAll() {
	b.breaks++
	b.count, b.leaving = 0, 0
	b.arrived.WakeAll()
	b.blocked.WakeAll()
}
