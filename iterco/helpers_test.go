package iterco_test

import (
	"errors"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// cleanupper is S15's coroutine: it catches a ZeroDivisionError-like error
// at its first suspension, suspends again in its clean-up, and records its
// stage.
var errZeroDivision = errors.New("division by zero")

func cleanupper(stage *int) iterco.Func[string] {
	return func(co *iterco.Co) (string, error) {
		*stage = 1
		_, err := co.Suspend(nil)
		if err != nil && !errors.Is(err, errZeroDivision) {
			*stage = 2
			if _, err2 := co.Suspend(nil); err2 != nil {
				return "", err2
			}
			*stage = 3
			return "", err
		}
		*stage = 2
		if _, err := co.Suspend(nil); err != nil {
			return "", err
		}
		*stage = 3
		*stage = 4
		return "result", nil
	}
}

func blockHere(co *iterco.Co, f *future.Future[int]) (int, error) { return future.Await[int](co, f) }

func parkTask(co *iterco.Co) error { return task.Yield(co) }
