package iterco

import (
	"errors"
	"fmt"

	"github.com/asynkit-go/asynkit/internal/coro"
)

var (
	// ErrClosed is returned by Suspend while the coroutine is being closed,
	// the Go form of Python's GeneratorExit. A function that sees it should
	// return; a close that finds the function suspended again reports
	// [ErrCloseIgnored].
	ErrClosed = errors.New("iterco: coroutine closed")

	// ErrNotCurrent is returned by Suspend called outside its own
	// coroutine: after its function returned, from a coroutine it started,
	// or from another task.
	ErrNotCurrent = errors.New("iterco: Co used outside its own coroutine")

	// ErrCloseIgnored reports that a coroutine suspended again instead of
	// returning when it was closed (Python: "coroutine ignored
	// GeneratorExit"). The coroutine stays suspended.
	ErrCloseIgnored = errors.New("iterco: coroutine ignored close")
)

// PanicError is a panic recovered inside an async function: the value
// passed to panic and the stack of the goroutine where it happened.
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Stack is the panicking goroutine's stack, as runtime.Stack gives it.
	Stack []byte
}

// Recovered makes the error of a panic that code recovered, with the
// stack of the goroutine it runs on: call it in the deferred function
// that recovered v, so that the stack is the panic's. It is how every
// package of this module reports a panic, and the form Await returns.
func Recovered(v any) *PanicError {
	return &PanicError{Value: v, Stack: coro.StackTrace()}
}

// Error implements error.
func (e *PanicError) Error() string { return fmt.Sprintf("iterco: panic: %v", e.Value) }

// Unwrap returns the panic value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Call runs fn in co and returns its outcome, turning a panic into a
// [*PanicError]. Drivers use it to run the function of a coroutine.
func Call[T any](co *Co, fn Func[T]) (v T, err error) {
	done := false
	defer func() {
		if done {
			return
		}
		if r := recover(); r != nil {
			var zero T
			v, err = zero, Recovered(r)
		}
	}()
	v, err = fn(co)
	done = true
	return v, err
}

// The coroutine layer's Suspend reports these two under iterco's names,
// the ones users see and match.
func init() { coro.NameErrors(ErrClosed, ErrNotCurrent) }

// errInvalidState is future.ErrInvalidState, wrapped with iterco's name
// and what is wrong.
func errInvalidState(what string) error {
	return fmt.Errorf("iterco: %w: %s", coro.ErrInvalidState, what)
}
