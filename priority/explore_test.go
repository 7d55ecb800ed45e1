package priority_test

import (
	"testing"

	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/priority"
	"github.com/asynkit-go/asynkit/task"
)

// Under every schedule of three tasks of different priorities that take
// a priority Lock in turn, one of them cancelled at some point of it, the
// lock has one holder at a time and ends free. (Among those schedules is
// a newcomer more urgent than the waiter the lock is on its way to, and a
// waiter leaving before that one takes it.)
func TestLockUnderEverySchedule(t *testing.T) {
	testkit.LockUnderEverySchedule(t, func() testkit.Locker { return new(priority.Lock) },
		[3][]task.Option{{priority.Of(priority.Low)}, {priority.Of(priority.Normal)}, {priority.Of(priority.High)}})
}

// The same with a priority Condition, its waiters of two priorities, the
// cancelled one the more urgent, so that the notification goes to it
// first.
func TestConditionUnderEverySchedule(t *testing.T) {
	testkit.ConditionUnderEverySchedule(t, func() testkit.Condition { return priority.NewCondition(nil) },
		[3][]task.Option{{priority.Of(priority.Low)}, {priority.Of(priority.High)}, nil})
}
