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

// CancelCauseError returns the error a cancel with cause produces (as
// context.WithCancelCause keeps one): it matches ErrCancelled and
// context.Canceled, unwraps to cause, so errors.Is and errors.As find it
// (context.DeadlineExceeded, for a deadline), and says both in its
// message. A nil cause gives ErrCancelled.
func CancelCauseError(cause error) error {
	if cause == nil {
		return ErrCancelled
	}
	return &causeError{cause}
}

type causeError struct{ cause error }

func (e *causeError) Error() string { return "future: cancelled: " + e.cause.Error() }

// Is makes a cancellation with a cause match ErrCancelled and
// context.Canceled, whatever the cause.
func (e *causeError) Is(target error) bool {
	return target == ErrCancelled || target == context.Canceled
}

func (e *causeError) Unwrap() error { return e.cause }

func wrapState(what string) error { return fmt.Errorf("future: %w: %s", ErrInvalidState, what) }

func isCancel(err error) bool { return errors.Is(err, ErrCancelled) }
