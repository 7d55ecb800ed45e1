package sync

import (
	"fmt"

	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
)

// Semaphore holds a number of permits (asyncio.Semaphore): Acquire takes
// one, waiting while there are none, and Release gives one back. Make one
// with NewSemaphore. It must not be copied after first use.
type Semaphore struct {
	binding
	value   int
	bound   int // for a bounded semaphore; 0: none
	waiters waitq.List
}

// NewSemaphore returns a semaphore with value permits; it panics if value
// is negative.
func NewSemaphore(value int) *Semaphore {
	if value < 0 {
		panic("sync.NewSemaphore: negative value")
	}
	return &Semaphore{value: value}
}

// BoundedSemaphore is a Semaphore whose Release fails past its initial
// value (asyncio.BoundedSemaphore).
type BoundedSemaphore struct{ Semaphore }

// NewBoundedSemaphore returns a bounded semaphore with value permits; it
// panics if value is negative.
func NewBoundedSemaphore(value int) *BoundedSemaphore {
	if value < 0 {
		panic("sync.NewBoundedSemaphore: negative value")
	}
	return &BoundedSemaphore{Semaphore{value: value, bound: value}}
}

// Locked reports whether Acquire would wait.
func (s *Semaphore) Locked() bool { return s.value == 0 || !s.waiters.AllCancelled() }

// Value returns the number of free permits.
func (s *Semaphore) Value() int { return s.value }

// Acquire takes a permit, suspending co's task until one is free. Waiters
// are served in order, and a newcomer queues behind them. It returns nil
// once the task holds a permit, or the error that ended the wait (a
// cancellation), in which case it holds none and a permit it was handed
// goes to the next waiter.
func (s *Semaphore) Acquire(co *iterco.Co) error {
	if _, err := s.bind(co); err != nil {
		return err
	}
	if !s.Locked() {
		s.value--
		return nil
	}
	if s.waiters.Label == nil {
		s.waiters.Kind, s.waiters.Label = "asyncsync.Semaphore", func() string { return fmt.Sprintf("asyncsync.Semaphore (value %d)", s.value) }
	}
	// Nothing is kept across the wait: this frame stays under the
	// suspension while the task is parked (see waitq.List.Join).
	granted, err := s.waiters.Wait(co, s.waiters.Join(s.loop))
	return s.waited(granted, err)
}

// waited ends Acquire's wait, which err ended, granted a permit or not.
// (Not inlined: Acquire's frame keeps no room for it.)
//
//go:noinline
func (s *Semaphore) waited(granted bool, err error) error {
	if err != nil && granted {
		s.value++ // a permit it will not use
	}
	// Newcomers may have queued behind it meanwhile: wake as many as
	// there are permits (asyncio's rule).
	s.wake()
	return err
}

// TryAcquire takes a permit if one is free and nobody waits, without
// suspending, and reports whether it did.
func (s *Semaphore) TryAcquire(co *iterco.Co) bool {
	if _, err := s.bind(co); err != nil || s.Locked() {
		return false
	}
	s.value--
	return true
}

// Release gives a permit back, handing it to the first waiter if there is
// one.
func (s *Semaphore) Release() {
	s.value++
	s.wake()
}

// wake hands free permits to waiters, each taken out of the count now so
// that a newcomer cannot take it first.
func (s *Semaphore) wake() {
	s.value -= s.waiters.WakeN(s.value)
}

// Release gives a permit back; past the initial value it returns
// ErrReleasedTooMany and changes nothing.
func (b *BoundedSemaphore) Release() error {
	if b.value >= b.bound {
		return ErrReleasedTooMany
	}
	b.Semaphore.Release()
	return nil
}
