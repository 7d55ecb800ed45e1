package sync

import (
	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
)

// Event is a flag tasks wait for (asyncio.Event). The zero Event is clear.
// It must not be copied after first use.
type Event struct {
	binding
	set     bool
	waiters waitq.List
}

// Set sets the flag and wakes every waiter, in the order they began to
// wait.
func (e *Event) Set() {
	if e.set {
		return
	}
	e.set = true
	e.waiters.WakeAll()
}

// Clear clears the flag: Wait blocks again.
func (e *Event) Clear() { e.set = false }

// IsSet reports whether the flag is set.
func (e *Event) IsSet() bool { return e.set }

// Wait suspends co's task until the flag is set, at once if it is. It
// returns the error that ended the wait early (a cancellation).
func (e *Event) Wait(co *iterco.Co) error {
	if e.set {
		return nil
	}
	if _, err := e.bind(co); err != nil {
		return err
	}
	if e.waiters.Label == nil {
		e.waiters.Kind, e.waiters.Label = "asyncsync.Event", func() string { return "asyncsync.Event" }
	}
	_, err := e.waiters.Wait(co, e.waiters.Join(e.loop))
	return err
}
