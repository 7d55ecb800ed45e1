package task

import "github.com/asynkit-go/asynkit/internal/coro"

// CallSoonThreadsafe schedules fn to run on the loop, from any goroutine,
// and wakes the loop if it sleeps. It returns ErrClosed if the loop is
// closed. Callbacks posted before Close but not yet run are run by Close.
func (l *Loop) CallSoonThreadsafe(fn func()) error {
	l.made("task.Loop.CallSoonThreadsafe")
	if l.explorer != nil && coro.InWorker() {
		// Posted by the loop's own code (a Submit from a task): an
		// arrival in program order, not the outside world's doing.
		return l.explorer.arrive(l.explorer.start(), fn)
	}
	l.mu.Lock()
	if l.shut.Load() {
		l.mu.Unlock()
		return ErrClosed
	}
	l.inbox = append(l.inbox, fn)
	l.hasInbox.Store(true)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

func (l *Loop) drainInbox() {
	l.mu.Lock()
	in := l.inbox
	l.inbox, l.spare = l.spare[:0], nil
	l.hasInbox.Store(false)
	l.mu.Unlock()
	for i, fn := range in {
		if l.explorer != nil {
			l.explorer.newCause()
		}
		l.push(&Handle{job: callback(fn)})
		in[i] = nil
	}
	l.spare = in[:0]
}
