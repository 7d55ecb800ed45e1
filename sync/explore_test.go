package sync_test

import (
	"testing"

	"github.com/asynkit-go/asynkit/internal/testkit"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

// Under every schedule of three tasks that take a Lock in turn, one of
// them cancelled at some point of it, the lock has one holder at a time
// and ends free.
func TestLockUnderEverySchedule(t *testing.T) {
	testkit.LockUnderEverySchedule(t, func() testkit.Locker { return new(asyncsync.Lock) }, [3][]task.Option{})
}
