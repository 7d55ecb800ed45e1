package task

import (
	"context"
	"errors"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// ErrTimeout is the error of a deadline that passed (Python's TimeoutError);
// errors.Is(err, context.DeadlineExceeded) is true for it.
var ErrTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string { return "task: timeout" }

// Is makes ErrTimeout match context.DeadlineExceeded.
func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout runs fn in the calling task with a deadline d from now
// (asyncio.timeout): when it passes, the task is cancelled, and the
// cancellation that reaches the end of fn is turned into ErrTimeout. d <= 0
// expires at the next iteration of the loop, so fn runs until it first
// blocks. Timeouts nest; the one that expires first is the one reported,
// and an inner block sees an outer deadline as a plain cancellation. A
// cancel from outside is never turned into a timeout: the task's cancel
// count is restored on the way out (Uncancel), so it stays visible.
func Timeout[T any](co *iterco.Co, d time.Duration, fn iterco.Func[T]) (T, error) {
	return TimeoutAt(co, time.Now().Add(d), fn)
}

// TimeoutAt is Timeout with an absolute deadline on the loop's clock.
func TimeoutAt[T any](co *iterco.Co, when time.Time, fn iterco.Func[T]) (T, error) {
	if fn == nil {
		panic("task.TimeoutAt: nil function")
	}
	c := coreOf(co)
	if c == nil {
		var zero T
		return zero, ErrNoLoop
	}
	t := c.self()
	before := c.cancelRequests
	expired := false
	expire := func() {
		expired = true
		t.Cancel("")
	}
	if when.After(time.Now()) {
		defer c.loop.CallAt(when, expire).Cancel()
	} else {
		// Already due: queued behind what is ready, as asyncio does, so
		// the body runs until it first blocks.
		defer c.loop.CallPos(c.loop.queued(), expire).Cancel()
	}
	v, err := fn(co)
	if expired && t.Uncancel() <= int(before) && errors.Is(err, future.ErrCancelled) {
		var zero T
		return zero, ErrTimeout
	}
	return v, err
}

// WaitFor runs fn with a deadline d from now and returns ErrTimeout if it
// passes first, as asyncio.wait_for: fn is cancelled at the deadline and
// its clean-up runs before WaitFor returns. A cancel of the caller from
// outside stays a cancellation. d <= 0 gives fn until it first blocks.
func WaitFor[T any](co *iterco.Co, d time.Duration, fn iterco.Func[T]) (T, error) {
	return Timeout(co, d, fn)
}
