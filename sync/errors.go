package sync

import (
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

var (
	// ErrNotLocked reports releasing a lock that is not locked.
	ErrNotLocked = errors.New("sync: release of an unlocked lock")
	// ErrNotOwner reports a task releasing a lock another task holds.
	ErrNotOwner = errors.New("sync: release of a lock held by another task")
	// ErrDeadlock reports a task waiting for a Lock it holds itself, which
	// would never end.
	ErrDeadlock = errors.New("sync: task acquires a lock it holds")
	// ErrAbandoned is what the loop's exception handler is told when a
	// task ends holding a Lock: the lock was released for it.
	ErrAbandoned = errors.New("sync: task ended holding a lock")
	// ErrReleasedTooMany reports a BoundedSemaphore released past its bound.
	ErrReleasedTooMany = errors.New("sync: bounded semaphore released too many times")
	// ErrBrokenBarrier is the error of waiting on a broken barrier.
	ErrBrokenBarrier = errors.New("sync: barrier is broken")
	// ErrQueueFull is TryPut's error on a full queue.
	ErrQueueFull = errors.New("sync: queue is full")
	// ErrQueueEmpty is TryGet's error on an empty queue.
	ErrQueueEmpty = errors.New("sync: queue is empty")
	// ErrQueueShutDown is the error of using a queue after Shutdown.
	ErrQueueShutDown = errors.New("sync: queue is shut down")
	// ErrTaskDoneTooMany reports more TaskDone calls than items put.
	ErrTaskDoneTooMany = errors.New("sync: TaskDone called too many times")
)

// describeLock names a lock and its owner.
func describeLock(kind string, owner task.Any) string {
	if owner == nil {
		return kind
	}
	return fmt.Sprintf("%s held by %s (t%d)", kind, owner.Name(), owner.ID())
}

// binding ties a primitive to the loop of its first user.
type binding struct{ loop *task.Loop }

func (b *binding) bind(co *iterco.Co) (*task.Loop, error) {
	_, l, err := b.bindTask(co)
	return l, err
}

// bindTask is bind that also returns the calling task.
func (b *binding) bindTask(co *iterco.Co) (task.Any, *task.Loop, error) {
	t := task.Current(co)
	if t == nil {
		return nil, nil, task.ErrNoLoop
	}
	l := t.Loop()
	switch {
	case b.loop == nil:
		b.loop = l
	case b.loop != l:
		return nil, nil, task.ErrWrongLoop
	}
	return t, l, nil
}
