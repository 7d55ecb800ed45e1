package task

import "github.com/asynkit-go/asynkit/iterco"

// Proc makes a task function of a procedure: a function that has no
// result, only an error. Create(co, Proc(fn)) is a task of fn without
// writing (struct{}, error).
func Proc(fn func(co *iterco.Co) error) iterco.Func[struct{}] {
	if fn == nil {
		panic("task.Proc: nil function")
	}
	return func(co *iterco.Co) (struct{}, error) { return struct{}{}, fn(co) }
}
