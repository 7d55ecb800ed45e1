package future

import (
	"context"
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// ErrCancelled is the error of a cancelled future or task, Python's
// CancelledError. errors.Is(err, context.Canceled) is true for it and for
// every error that wraps it.
var ErrCancelled error = cancelledError{}

// ErrInvalidState reports an operation the future's state does not allow:
// setting the result of a done future, or reading the result of one that is
// not done (Python's InvalidStateError).
var ErrInvalidState = coro.ErrInvalidState

type cancelledError struct{}

func (cancelledError) Error() string { return "future: cancelled" }

// Is makes ErrCancelled match context.Canceled.
func (cancelledError) Is(target error) bool { return target == context.Canceled }

// CancelError returns the error a cancel with msg produces: ErrCancelled
// itself for an empty msg, else ErrCancelled wrapped with msg.
func CancelError(msg string) error {
	if msg == "" {
		return ErrCancelled
	}
	return fmt.Errorf("%w: %s", ErrCancelled, msg)
}

func wrapState(what string) error { return fmt.Errorf("%w: %s", ErrInvalidState, what) }

func isCancel(err error) bool { return errors.Is(err, ErrCancelled) }
