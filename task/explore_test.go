package task_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Under every schedule of a group of three children, at most two at
// once (SetLimit), one of which fails, with the group's task cancelled
// from outside or not, its children started lazily or eagerly: WithGroup returns only once every child is done,
// never more than two run at once, a child that never ran did not
// succeed, and the failure (or the cancellation) is what WithGroup
// returns.
func TestGroupUnderEverySchedule(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct{ cancelled, eager bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		cancelled := tt.cancelled
		t.Run(fmt.Sprintf("cancelled from outside: %v, eager children: %v", tt.cancelled, tt.eager), func(t *testing.T) {
			testkit.EverySchedule(t, func(co *iterco.Co) error {
				running, most := 0, 0
				ran := make([]bool, 3)
				child := func(i, yields int, err error) func(co *iterco.Co) error {
					return func(co *iterco.Co) error {
						ran[i] = true
						running++
						most = max(most, running)
						defer func() { running-- }()
						for range yields {
							if err := task.Yield(co); err != nil {
								return err
							}
						}
						return err
					}
				}
				var children []*task.Task[struct{}]
				var groupErr error
				notDone, began := -1, false
				g := task.Create(co, task.Proc(func(co *iterco.Co) error {
					began = true
					groupErr = task.WithGroup(co, func(g *task.Group) error {
						g.SetLimit(2)
						for i, c := range []struct {
							yields int
							err    error
						}{{2, nil}, {1, boom}, {1, nil}} {
							children = append(children, g.Go(co, child(i, c.yields, c.err)))
						}
						return nil
					}, task.EagerStart(tt.eager))
					for i, c := range children {
						if !c.Done() {
							notDone = i
						}
					}
					return groupErr
				}))
				task.Yield(co)
				if cancelled {
					g.Cancel("")
				}
				g.Await(co) //nolint:errcheck // groupErr says it
				switch {
				case !began:
					return nil // cancelled before it began: nothing to check
				case notDone >= 0:
					return fmt.Errorf("WithGroup returned before child %d was done", notDone)
				case most > 2:
					return fmt.Errorf("%d children ran at once, over a limit of 2", most)
				case running != 0:
					return fmt.Errorf("%d children still running", running)
				case !cancelled && !errors.Is(groupErr, boom):
					return fmt.Errorf("WithGroup returned %v, not the child's failure", groupErr)
				case groupErr == nil:
					return errors.New("WithGroup returned nil")
				}
				for i, c := range children {
					if !ran[i] && c.Err() == nil {
						return fmt.Errorf("child %d never ran, and succeeded", i)
					}
				}
				return nil
			})
		})
	}
}

// Under every order of three timers due at once (a timeout's deadline,
// the sleep inside its block, and another task's sleep before it cancels
// the first), a cancel from outside is never turned into a timeout: if it
// came while the block ran, Timeout returns the cancellation; otherwise
// the block's value or ErrTimeout.
func TestTimeoutUnderEverySchedule(t *testing.T) {
	testkit.EverySchedule(t, func(co *iterco.Co) error {
		const d = time.Millisecond
		inBlock, cancelledInBlock := false, false
		var got error
		var value int
		timed := task.Create(co, func(co *iterco.Co) (int, error) {
			inBlock = true
			value, got = task.Timeout(co, d, func(co *iterco.Co) (int, error) {
				if err := task.Sleep(co, d); err != nil {
					return 0, err
				}
				return 7, nil
			})
			inBlock = false
			return value, got
		})
		canceller := task.Create(co, task.Proc(func(co *iterco.Co) error {
			if err := task.Sleep(co, d); err != nil {
				return err
			}
			cancelledInBlock = inBlock
			timed.Cancel("")
			return nil
		}))
		timed.Await(co)     //nolint:errcheck // got says it
		canceller.Await(co) //nolint:errcheck // it does not fail
		switch {
		case cancelledInBlock && (errors.Is(got, task.ErrTimeout) || !errors.Is(got, future.ErrCancelled)):
			return fmt.Errorf("cancelled from outside during the block, Timeout returned %v", got)
		case !cancelledInBlock && got != nil && !errors.Is(got, task.ErrTimeout):
			return fmt.Errorf("not cancelled from outside, Timeout returned %v", got)
		case got == nil && value != 7:
			return fmt.Errorf("Timeout returned %d and no error", value)
		}
		return nil
	})
}

// Under every schedule of a Gather of two tasks, one of which fails,
// while another task cancels the gathering one, or not: Gather returns
// only once every task it awaits is done, with the failure or the
// cancellation (the first of them to come), and a Shield'ed task that
// the same cancel reaches runs to its end all the same.
func TestGatherAndShieldUnderEverySchedule(t *testing.T) {
	boom := errors.New("boom")
	for _, cancelled := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancelled from outside: %v", cancelled), func(t *testing.T) {
			testkit.EverySchedule(t, func(co *iterco.Co) error {
				member := func(yields int, err error) *task.Task[int] {
					return task.Create(co, func(co *iterco.Co) (int, error) {
						for range yields {
							if err := task.Yield(co); err != nil {
								return 0, err
							}
						}
						return yields, err
					})
				}
				shielded := member(1, nil)
				var gatherErr error
				var members []*task.Task[int]
				notDone := -1
				g := task.Create(co, task.Proc(func(co *iterco.Co) error {
					members = []*task.Task[int]{member(1, boom), member(1, nil)}
					_, gatherErr = task.Gather[int](co, members[0], members[1])
					for i, m := range members {
						if !m.Done() {
							notDone = i
						}
					}
					if gatherErr != nil {
						return gatherErr
					}
					_, err := task.Shield[int](co, shielded)
					return err
				}))
				task.Yield(co)
				if cancelled {
					g.Cancel("")
				}
				g.Await(co) //nolint:errcheck // gatherErr says it
				if v, err := shielded.Await(co); err != nil || v != 1 {
					return fmt.Errorf("the shielded task ended with %d, %v", v, err)
				}
				switch {
				case members == nil:
					return nil // cancelled before it began
				case notDone >= 0:
					return fmt.Errorf("Gather returned before task %d was done", notDone)
				case !errors.Is(gatherErr, boom) && !(cancelled && errors.Is(gatherErr, future.ErrCancelled)):
					return fmt.Errorf("Gather returned %v", gatherErr)
				}
				return nil
			})
		})
	}
}

// Under every schedule of two task.Go calls whose results come back in
// either order, awaited by a task that another cancels at some point of
// it: the awaiting task ends with the results each call made, or with the
// cancellation, and no goroutine is left behind.
func TestGoUnderEverySchedule(t *testing.T) {
	testkit.EverySchedule(t, func(co *iterco.Co) error {
		var got []int
		var waitErr error
		began := false
		waiter := task.Create(co, task.Proc(func(co *iterco.Co) error {
			began = true
			fs := make([]*future.Future[int], 2)
			for i := range fs {
				fs[i] = task.Go(co, func(context.Context) (int, error) { return 10 + i, nil })
			}
			got, waitErr = task.Gather[int](co, fs[0], fs[1])
			return waitErr
		}))
		canceller := task.Create(co, task.Proc(func(co *iterco.Co) error {
			waiter.Cancel("")
			return nil
		}))
		waiter.Await(co)    //nolint:errcheck // waitErr says it
		canceller.Await(co) //nolint:errcheck // it does not fail
		switch {
		case !began:
			return nil // cancelled before it began
		case waitErr != nil && !errors.Is(waitErr, future.ErrCancelled):
			return fmt.Errorf("the awaiting task ended with %v", waitErr)
		case waitErr == nil && !slices.Equal(got, []int{10, 11}):
			return fmt.Errorf("results %v, not [10 11]", got)
		}
		return nil
	})
}
