package task_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// after returns a function that sleeps for ms milliseconds (yields if 0),
// logs name and returns v, or err if it is set.
func (tr *trace) after(ms int, name string, v int, err error) iterco.Func[int] {
	return func(co *iterco.Co) (int, error) {
		defer tr.Add("%s ends", name)
		if e := task.Sleep(co, time.Duration(ms)*time.Millisecond); e != nil {
			return 0, e
		}
		return v, err
	}
}

var errBoom = errors.New("boom")

func TestGather(t *testing.T) {
	t.Run("results come in argument order", func(t *testing.T) {
		tr := &trace{}
		v, err := run(t, func(co *iterco.Co) ([]int, error) {
			return task.Gather[int](co,
				task.Create(co, tr.after(20, "slow", 1, nil)),
				task.Create(co, tr.after(0, "quick", 2, nil)),
				task.Create(co, tr.after(10, "middle", 3, nil)),
			)
		})
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2, 3}, v)
		assert.Equal(t, []string{"quick ends", "middle ends", "slow ends"}, tr.Events)
	})

	t.Run("the first error cancels the rest and is returned once they are done", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			slow := task.Create(co, tr.after(1000, "slow", 1, nil))
			_, err := task.Gather[int](co, slow, task.Create(co, tr.after(5, "failing", 0, errBoom)))
			assert.True(t, slow.Done(), "nothing outlives Gather")
			assert.True(t, slow.Cancelled())
			return 0, err
		})
		assert.ErrorIs(t, err, errBoom)
		assert.Equal(t, []string{"failing ends", "slow ends"}, tr.Events)
	})

	t.Run("cancelling the caller cancels the awaitables", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var children []*task.Task[int]
			g := task.Create(co, func(co *iterco.Co) ([]int, error) {
				children = []*task.Task[int]{
					task.Create(co, tr.after(1000, "a", 1, nil)),
					task.Create(co, tr.after(1000, "b", 2, nil)),
				}
				return task.Gather[int](co, children[0], children[1])
			})
			task.Sleep(co, time.Millisecond)
			g.Cancel("")
			_, err := future.Await[[]int](co, g)
			assert.ErrorIs(t, err, future.ErrCancelled)
			for _, c := range children {
				assert.True(t, c.Cancelled())
			}
			return 0, nil
		})
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"a ends", "b ends"}, tr.Events)
	})

	t.Run("futures, duplicates and plain awaitables", func(t *testing.T) {
		v, err := run(t, func(co *iterco.Co) ([]int, error) {
			f := task.NewFuture[int](co)
			task.LoopOf(co).CallSoon(func() { f.SetResult(7) })
			child := task.Create(co, func(co *iterco.Co) (int, error) { return 8, nil })
			return task.Gather[int](co, f, child, f, countdownFrom(3))
		})
		require.NoError(t, err)
		assert.Equal(t, []int{7, 8, 7, 3}, v)
	})

	t.Run("awaitables done already wait for the others", func(t *testing.T) {
		v, err := run(t, func(co *iterco.Co) ([]int, error) {
			done := task.NewFuture[int](co)
			done.SetResult(1)
			return task.Gather[int](co, done, task.Create(co, (&trace{}).after(1, "later", 2, nil)), done)
		})
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2, 1}, v)
	})

	t.Run("no awaitables is an empty result at once", func(t *testing.T) {
		v, err := run(t, func(co *iterco.Co) ([]int, error) { return task.Gather[int](co) })
		require.NoError(t, err)
		assert.Empty(t, v)
	})

	t.Run("a nil awaitable is an error", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) ([]int, error) {
			return task.Gather[int](co, task.Create(co, nopTask), nil)
		})
		assert.ErrorIs(t, err, task.ErrNilAwaitable)
		_, err = run(t, func(co *iterco.Co) ([]int, error) {
			var nilTask *task.Task[int]
			return task.Gather[int](co, nilTask)
		})
		assert.ErrorIs(t, err, task.ErrNilAwaitable)
	})

	t.Run("GatherAll keeps going and returns every outcome", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			vs, errs, err := task.GatherAll[int](co,
				task.Create(co, tr.after(10, "slow", 1, nil)),
				task.Create(co, tr.after(0, "failing", 0, errBoom)),
			)
			assert.Equal(t, []int{1, 0}, vs)
			assert.Nil(t, errs[0])
			assert.ErrorIs(t, errs[1], errBoom)
			return 0, err
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"failing ends", "slow ends"}, tr.Events)
	})

	t.Run("GatherTasks waits for tasks of mixed types", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			s := task.Create(co, func(co *iterco.Co) (string, error) { task.Yield(co); return "s", nil })
			n := task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil })
			if err := task.GatherTasks(co, s, n); err != nil {
				return 0, err
			}
			sv, _ := s.Result()
			nv, _ := n.Result()
			assert.Equal(t, "s", sv)
			assert.Equal(t, 1, nv)
			assert.ErrorIs(t, task.GatherTasks(co, nil), task.ErrNilAwaitable)
			return 0, nil
		})
		require.NoError(t, err)
	})
}

func nopTask(*iterco.Co) (int, error) { return 0, nil }

// countdownFrom is a plain awaitable: it yields n times and returns n.
type countdownFrom int

func (c countdownFrom) Await(co *iterco.Co) (int, error) {
	for range int(c) {
		if err := task.Yield(co); err != nil {
			return 0, err
		}
	}
	return int(c), nil
}

func TestWait(t *testing.T) {
	tests := []struct {
		name        string
		mode        task.WaitMode
		timeout     time.Duration
		wantDone    []string
		wantPending []string
	}{
		{"all completed", task.AllCompleted, task.NoTimeout, []string{"quick", "failing", "slow"}, nil},
		{"first completed", task.FirstCompleted, task.NoTimeout, []string{"quick"}, []string{"failing", "slow"}},
		{"first error", task.FirstError, task.NoTimeout, []string{"quick", "failing"}, []string{"slow"}},
		{"a timeout", task.AllCompleted, 100 * time.Millisecond, []string{"quick", "failing"}, []string{"slow"}},
		{"a zero timeout checks and returns", task.AllCompleted, 0, nil, []string{"quick", "failing", "slow"}},
		{"a negative timeout too", task.FirstCompleted, -time.Second, nil, []string{"quick", "failing", "slow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				ts := []task.Any{
					task.Create(co, tr.after(1, "quick", 1, nil), task.Name("quick")),
					task.Create(co, tr.after(5, "failing", 0, errBoom), task.Name("failing")),
					task.Create(co, tr.after(300, "slow", 3, nil), task.Name("slow")),
				}
				done, pending, err := task.Wait(co, ts, tt.mode, tt.timeout)
				assert.Equal(t, tt.wantDone, names(done))
				assert.Equal(t, tt.wantPending, names(pending))
				for _, p := range pending {
					assert.False(t, p.Cancelled(), "Wait cancels nothing")
				}
				for _, p := range pending {
					p.Cancel("")
				}
				task.GatherAll[int](co, ts[0].(*task.Task[int]), ts[1].(*task.Task[int]), ts[2].(*task.Task[int]))
				return 0, err
			})
			require.NoError(t, err)
		})
	}

	t.Run("no tasks returns at once", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			done, pending, err := task.Wait(co, nil, task.AllCompleted, task.NoTimeout)
			assert.Empty(t, done)
			assert.Empty(t, pending)
			return 0, err
		})
		require.NoError(t, err)
	})

	t.Run("a nil task is an error", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			_, _, err := task.Wait(co, []task.Any{nil}, task.AllCompleted, task.NoTimeout)
			return 0, err
		})
		assert.ErrorIs(t, err, task.ErrNilAwaitable)
	})
}

func names(ts []task.Any) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name())
	}
	return out
}

func TestTimeout(t *testing.T) {
	t.Run("a deadline that passes is ErrTimeout, and clean-up runs", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			_, err := task.Timeout(co, 5*time.Millisecond, func(co *iterco.Co) (int, error) {
				defer tr.Add("cleaned up")
				return 0, task.Sleep(co, time.Hour)
			})
			assert.ErrorIs(t, err, task.ErrTimeout)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 0, task.Current(co).Cancelling(), "the count is restored")
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"cleaned up"}, tr.Events)
	})

	t.Run("a body that finishes in time returns its value", func(t *testing.T) {
		v, err := run(t, func(co *iterco.Co) (int, error) {
			return task.Timeout(co, time.Hour, func(co *iterco.Co) (int, error) {
				return 3, task.Sleep(co, time.Millisecond)
			})
		})
		require.NoError(t, err)
		assert.Equal(t, 3, v)
	})

	tests := []struct {
		name string
		give time.Duration
	}{{"zero", 0}, {"negative", -time.Second}}
	for _, tt := range tests {
		t.Run("a "+tt.name+" deadline lets the body run until it blocks", func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				v, err := task.Timeout(co, tt.give, func(co *iterco.Co) (int, error) {
					tr.Add("ran")
					return 1, task.Yield(co)
				})
				assert.Equal(t, 0, v)
				return 0, err
			})
			assert.ErrorIs(t, err, task.ErrTimeout)
			assert.Equal(t, []string{"ran"}, tr.Events)
		})
	}

	t.Run("nested: the inner deadline expires first", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var inner error
			v, outer := task.Timeout(co, time.Hour, func(co *iterco.Co) (int, error) {
				_, inner = task.Timeout(co, 5*time.Millisecond, func(co *iterco.Co) (int, error) {
					return 0, task.Sleep(co, time.Hour)
				})
				return 9, nil
			})
			assert.ErrorIs(t, inner, task.ErrTimeout)
			assert.NoError(t, outer)
			assert.Equal(t, 9, v)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("nested: the outer deadline expires first", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var inner error
			_, outer := task.Timeout(co, 5*time.Millisecond, func(co *iterco.Co) (int, error) {
				_, inner = task.Timeout(co, time.Hour, func(co *iterco.Co) (int, error) {
					return 0, task.Sleep(co, time.Hour)
				})
				return 0, inner
			})
			assert.ErrorIs(t, inner, future.ErrCancelled, "the inner block sees a plain cancellation")
			assert.NotErrorIs(t, inner, task.ErrTimeout)
			assert.ErrorIs(t, outer, task.ErrTimeout)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("a cancel from outside is not turned into a timeout", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				return task.Timeout(co, 5*time.Millisecond, func(co *iterco.Co) (int, error) {
					err := task.Sleep(co, time.Hour)
					task.Sleep(co, 20*time.Millisecond) // the deadline passes meanwhile
					return 0, err
				})
			})
			task.Yield(co)
			child.Cancel("from outside")
			_, err := future.Await[int](co, child)
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.NotErrorIs(t, err, task.ErrTimeout)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("WaitFor", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			v, err := task.WaitFor(co, time.Hour, func(co *iterco.Co) (int, error) { return 4, nil })
			assert.Equal(t, 4, v)
			assert.NoError(t, err)
			_, err = task.WaitFor(co, time.Millisecond, func(co *iterco.Co) (int, error) {
				return 0, task.Sleep(co, time.Hour)
			})
			assert.ErrorIs(t, err, task.ErrTimeout)
			return 0, nil
		})
		require.NoError(t, err)
	})
}

func TestShield(t *testing.T) {
	tr := &trace{}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		inner := task.Create(co, tr.after(10, "inner", 5, nil))
		waiter := task.Create(co, func(co *iterco.Co) (int, error) { return task.Shield[int](co, inner) })
		task.Yield(co)
		waiter.Cancel("")
		_, err := future.Await[int](co, waiter)
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.False(t, inner.Done(), "the shielded work goes on")
		v, err := future.Await[int](co, inner)
		assert.Equal(t, 5, v)
		v, _ = task.Shield[int](co, inner)
		assert.Equal(t, 5, v, "a done awaitable returns at once")
		return 0, err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"inner ends"}, tr.Events)
}

func TestAsCompleted(t *testing.T) {
	t.Run("outcomes come in completion order", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			for v, err := range task.AsCompleted[int](co,
				task.Create(co, tr.after(20, "slow", 3, nil)),
				task.Create(co, tr.after(1, "quick", 1, nil)),
				task.Create(co, tr.after(10, "failing", 0, errBoom)),
			) {
				tr.Add("got %d %v", v, err)
			}
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"quick ends", "got 1 <nil>", "failing ends", "got 0 boom", "slow ends", "got 3 <nil>"}, tr.Events)
	})

	t.Run("breaking out leaves the rest running", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			slow := task.Create(co, (&trace{}).after(10, "slow", 2, nil))
			for v := range task.AsCompleted[int](co, slow, task.Create(co, nopTask)) {
				assert.Equal(t, 0, v)
				break
			}
			assert.False(t, slow.Done())
			assert.False(t, slow.Cancelled())
			v, err := future.Await[int](co, slow)
			assert.Equal(t, 2, v)
			return 0, err
		})
		require.NoError(t, err)
	})
}

func TestGroup(t *testing.T) {
	t.Run("waits for every child", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, task.WithGroup(co, func(g *task.Group) error {
				for _, ms := range []int{10, 1, 5} {
					g.Go(co, func(co *iterco.Co) error {
						_, err := tr.after(ms, "child", 0, nil)(co)
						return err
					})
				}
				tr.Add("body ends")
				return nil
			})
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"body ends", "child ends", "child ends", "child ends"}, tr.Events)
	})

	t.Run("the first error cancels the others and the body; errors are joined", func(t *testing.T) {
		tr := &trace{}
		other := errors.New("other")
		_, err := run(t, func(co *iterco.Co) (int, error) {
			err := task.WithGroup(co, func(g *task.Group) error {
				g.Go(co, func(co *iterco.Co) error { _, err := tr.after(1000, "slow", 0, nil)(co); return err })
				g.Go(co, func(co *iterco.Co) error { _, err := tr.after(1, "failing", 0, errBoom)(co); return err })
				g.Go(co, func(co *iterco.Co) error {
					tr.after(1000, "also failing", 0, nil)(co) // cancelled, it fails its clean-up
					return other
				})
				err := task.Sleep(co, time.Hour)
				tr.Add("body: %v", err)
				return err
			})
			assert.Equal(t, 0, task.Current(co).Cancelling(), "the group withdrew the cancel it sent")
			return 0, err
		})
		assert.ErrorIs(t, err, errBoom)
		assert.ErrorIs(t, err, other)
		assert.NotErrorIs(t, err, future.ErrCancelled)
		assert.Equal(t, []string{"failing ends", "slow ends", "also failing ends", "body: future: cancelled"}, tr.Events)
	})

	t.Run("a failing body cancels the children", func(t *testing.T) {
		var child *task.Task[struct{}]
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, task.WithGroup(co, func(g *task.Group) error {
				child = g.Go(co, func(co *iterco.Co) error { return task.Sleep(co, time.Hour) })
				task.Yield(co)
				return errBoom
			})
		})
		assert.ErrorIs(t, err, errBoom)
		assert.True(t, child.Cancelled())
	})

	t.Run("a failure cancels every child, however many", func(t *testing.T) {
		// A group keeps its first 4 children itself and the others in
		// blocks of 32: each count is at or beside a boundary, and of 70
		// the failing one is in the second block.
		for _, n := range []int{1, 4, 5, 35, 36, 37, 68, 69, 70} {
			var children []*task.Task[struct{}]
			_, err := run(t, func(co *iterco.Co) (int, error) {
				return 0, task.WithGroup(co, func(g *task.Group) error {
					for i := range n {
						children = append(children, g.Go(co, func(co *iterco.Co) error {
							if i == min(40, n-1) {
								return errBoom
							}
							return task.Sleep(co, time.Hour)
						}))
					}
					return nil
				})
			})
			assert.ErrorIs(t, err, errBoom, "%d children", n)
			require.Len(t, children, n)
			cancelled := 0
			for _, c := range children {
				if c.Cancelled() {
					cancelled++
				}
			}
			assert.Equal(t, n-1, cancelled, "%d children: all but the failing one cancelled", n)
		}
	})

	t.Run("panics arrive as PanicError", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, task.WithGroup(co, func(g *task.Group) error {
				g.Go(co, func(co *iterco.Co) error { panic("child") })
				panic("body")
			})
		})
		var pe *iterco.PanicError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "body", pe.Value)
	})

	t.Run("a cancel from outside cancels the children and is returned", func(t *testing.T) {
		var child *task.Task[struct{}]
		_, err := run(t, func(co *iterco.Co) (int, error) {
			parent := task.Create(co, func(co *iterco.Co) (int, error) {
				return 0, task.WithGroup(co, func(g *task.Group) error {
					child = g.Go(co, func(co *iterco.Co) error { return task.Sleep(co, time.Hour) })
					return nil
				})
			})
			task.Sleep(co, time.Millisecond)
			parent.Cancel("")
			_, err := future.Await[int](co, parent)
			return 0, err
		})
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.True(t, child.Cancelled())
	})

	t.Run("a closed group refuses children", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var kept *task.Group
			require.NoError(t, task.WithGroup(co, func(g *task.Group) error { kept = g; return nil }))
			late := kept.Go(co, func(co *iterco.Co) error { return nil })
			return 0, late.Err()
		})
		assert.ErrorIs(t, err, task.ErrGroupClosed)
	})
}

func TestGroupStart(t *testing.T) {
	t.Run("returns the started value while the child goes on", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			err := task.WithGroup(co, func(g *task.Group) error {
				v, err := task.GroupStart(co, g, func(co *iterco.Co, started func(string)) error {
					tr.Add("hello")
					started("world")
					task.Sleep(co, time.Millisecond)
					tr.Add("goodbye")
					return nil
				})
				tr.Add("start gave %s %v", v, err)
				return err
			})
			tr.Add("group done")
			return 0, err
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"hello", "start gave world <nil>", "goodbye", "group done"}, tr.Events)
	})

	tests := []struct {
		name string
		fn   func(co *iterco.Co, started func(int)) error
		want error
	}{
		{"a child that fails before started", func(co *iterco.Co, started func(int)) error { task.Yield(co); return errBoom }, errBoom},
		{"a child that returns without started", func(co *iterco.Co, started func(int)) error { return nil }, task.ErrNotStarted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				var startErr error
				err := task.WithGroup(co, func(g *task.Group) error {
					_, startErr = task.GroupStart(co, g, tt.fn)
					return nil
				})
				assert.ErrorIs(t, startErr, tt.want)
				return 0, err
			})
			require.NoError(t, err, "the group does not see an error that went to GroupStart")
		})
	}

	t.Run("the method form", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, task.WithGroup(co, func(g *task.Group) error {
				v, err := g.Start(co, func(co *iterco.Co, started func(any)) error { started("ready"); return nil })
				assert.Equal(t, "ready", v)
				return err
			})
		})
		require.NoError(t, err)
	})

	t.Run("an error after started goes to the group", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, task.WithGroup(co, func(g *task.Group) error {
				v, err := task.GroupStart(co, g, func(co *iterco.Co, started func(int)) error {
					started(1)
					task.Yield(co)
					return errBoom
				})
				assert.Equal(t, 1, v)
				return err
			})
		})
		assert.ErrorIs(t, err, errBoom)
	})
}

func TestSeveralLoops(t *testing.T) {
	t.Run("a task awaits work submitted to another loop", func(t *testing.T) {
		other := task.NewLoop()
		stopped := make(chan error)
		go func() { stopped <- other.RunForever() }()
		defer func() {
			other.CallSoonThreadsafe(other.Stop)
			require.NoError(t, <-stopped)
			other.Close()
		}()
		v, err := run(t, func(co *iterco.Co) (string, error) {
			s := task.Submit(other, func(co *iterco.Co) (string, error) {
				task.Sleep(co, time.Millisecond)
				return "from the other loop", nil
			})
			return future.Await[string](co, s)
		})
		require.NoError(t, err)
		assert.Equal(t, "from the other loop", v)
	})

	t.Run("cancelling the awaiting task cancels the submitted one", func(t *testing.T) {
		other := task.NewLoop()
		stopped := make(chan error)
		go func() { stopped <- other.RunForever() }()
		var s *task.Submission[int]
		_, err := run(t, func(co *iterco.Co) (int, error) {
			s = task.Submit(other, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) })
			waiter := task.Create(co, func(co *iterco.Co) (int, error) { return future.Await[int](co, s) })
			task.Yield(co) // the waiter awaits s
			waiter.Cancel("")
			_, err := future.Await[int](co, waiter)
			return 0, err
		})
		assert.ErrorIs(t, err, future.ErrCancelled)
		_, err = s.Wait(context.Background())
		assert.ErrorIs(t, err, future.ErrCancelled)
		other.CallSoonThreadsafe(other.Stop)
		require.NoError(t, <-stopped)
		other.Close()
	})
}

func TestCombinatorsCancelledFromOutside(t *testing.T) {
	tests := []struct {
		name string
		give func(co *iterco.Co, slow *task.Task[int]) error
		// wantSlowCancelled says whether the combinator passed the
		// cancellation on to what it waited for.
		wantSlowCancelled bool
	}{
		{"Gather", func(co *iterco.Co, slow *task.Task[int]) error {
			_, err := task.Gather[int](co, slow)
			return err
		}, true},
		{"GatherAll", func(co *iterco.Co, slow *task.Task[int]) error {
			_, _, err := task.GatherAll[int](co, slow)
			return err
		}, true},
		{"Wait", func(co *iterco.Co, slow *task.Task[int]) error {
			_, _, err := task.Wait(co, []task.Any{slow}, task.AllCompleted, task.NoTimeout)
			return err
		}, false},
		{"AsCompleted", func(co *iterco.Co, slow *task.Task[int]) error {
			for _, err := range task.AsCompleted[int](co, slow) {
				return err
			}
			return nil
		}, false},
		{"Shield", func(co *iterco.Co, slow *task.Task[int]) error {
			_, err := task.Shield[int](co, slow)
			return err
		}, false},
		{"WaitFor", func(co *iterco.Co, slow *task.Task[int]) error {
			_, err := task.WaitFor(co, time.Hour, slow.Await)
			return err
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, func(co *iterco.Co) (int, error) {
				slow := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, 50*time.Millisecond) })
				waiter := task.Create(co, func(co *iterco.Co) (int, error) { return 0, tt.give(co, slow) })
				task.Yield(co)
				waiter.Cancel("from outside")
				_, err := future.Await[int](co, waiter)
				assert.ErrorIs(t, err, future.ErrCancelled)
				assert.NotErrorIs(t, err, task.ErrTimeout)
				task.Yield(co)
				assert.Equal(t, tt.wantSlowCancelled, slow.Cancelled())
				_, _ = future.Await[int](co, slow)
				return 0, nil
			})
			require.NoError(t, err)
		})
	}
}

func TestAsCompletedOfNothing(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		for range task.AsCompleted[int](co) {
			t.Fatal("nothing to yield")
		}
		for _, err := range task.AsCompleted[int](co, nil) {
			assert.ErrorIs(t, err, task.ErrNilAwaitable)
		}
		return 0, nil
	})
	require.NoError(t, err)
}

// TestGroupUnderRandomFailures runs groups whose children fail, finish or
// get cancelled at random: WithGroup never returns before every child is
// done, and its error holds every child error that was not a cancellation.
func TestGroupUnderRandomFailures(t *testing.T) {
	for seed := range int64(30) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			rng := rand.New(rand.NewSource(seed))
			var children []*task.Task[struct{}]
			var want []error
			err := task.WithGroup(co, func(g *task.Group) error {
				for i := range 8 {
					steps, fails := rng.Intn(4), rng.Intn(3) == 0
					cause := fmt.Errorf("child %d failed", i)
					children = append(children, g.Go(co, func(co *iterco.Co) error {
						for range steps {
							if err := task.Yield(co); err != nil {
								return err
							}
						}
						if fails {
							want = append(want, cause)
							return cause
						}
						return nil
					}))
					if rng.Intn(4) == 0 {
						task.Yield(co)
					}
					if rng.Intn(5) == 0 && len(children) > 0 {
						children[rng.Intn(len(children))].Cancel("")
					}
				}
				return nil
			})
			for _, c := range children {
				require.True(t, c.Done(), "seed %d: a child outlived its group", seed)
			}
			for _, w := range want {
				assert.ErrorIs(t, err, w, "seed %d", seed)
			}
			if len(want) == 0 {
				assert.NoError(t, err, "seed %d", seed)
			}
			assert.Equal(t, 0, task.Current(co).Cancelling(), "seed %d: the group withdrew its cancel", seed)
			return 0, nil
		})
		require.NoError(t, err)
	}
}

// Groups under the eager task factory, and a cancel from outside at the
// moment a child fails: asyncio's TaskGroup rules.
func TestGroupFailureRules(t *testing.T) {
	t.Run("a child failing in its eager start cancels the body's next await", func(t *testing.T) {
		tr := &trace{}
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			return 0, task.WithGroup(co, func(g *task.Group) error {
				never := task.NewFuture[int](co)
				g.Go(co, func(co *iterco.Co) error { tr.Add("child fails"); return errBoom })
				tr.Add("body awaits")
				_, err := future.Await[int](co, never) // only the child would have set it
				tr.Add("body: %v", err)
				return err
			})
		}, task.WithTaskFactory(eagerFactory))
		assert.ErrorIs(t, err, errBoom)
		assert.NotErrorIs(t, err, future.ErrCancelled)
		assert.Equal(t, []string{"child fails", "body awaits", "body: future: cancelled"}, tr.Events)
	})

	t.Run("a failing group starts no more children", func(t *testing.T) {
		ran := false
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var late *task.Task[struct{}]
			err := task.WithGroup(co, func(g *task.Group) error {
				g.Go(co, func(co *iterco.Co) error { return errBoom })
				task.Yield(co) // the child fails; this await is cancelled
				late = g.Go(co, func(co *iterco.Co) error { ran = true; return nil })
				return nil
			})
			assert.ErrorIs(t, err, errBoom)
			require.True(t, late.Done(), "never started")
			assert.ErrorIs(t, late.Err(), task.ErrGroupAborting)
			return 0, nil
		})
		require.NoError(t, err)
		assert.False(t, ran)
	})

	t.Run("an eager child of a failing group never starts", func(t *testing.T) {
		ran := false
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			var late *task.Task[struct{}]
			err := task.WithGroup(co, func(g *task.Group) error {
				g.Go(co, func(co *iterco.Co) error { return errBoom })
				late = g.Go(co, func(co *iterco.Co) error { ran = true; return nil })
				return nil
			})
			assert.ErrorIs(t, err, errBoom)
			assert.ErrorIs(t, late.Err(), task.ErrGroupAborting)
			return 0, nil
		}, task.WithTaskFactory(eagerFactory))
		require.NoError(t, err)
		assert.False(t, ran)
	})

	t.Run("a cancel from outside as a child fails is delivered again", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			parentReady := task.NewFuture[int](co)
			var parent *task.Task[int]
			parent = task.Create(co, func(co *iterco.Co) (int, error) {
				err := task.WithGroup(co, func(g *task.Group) error {
					g.Go(co, func(co *iterco.Co) error {
						parentReady.SetResult(0)
						task.Yield(co)
						parent.Cancel("outside") // the same step the child fails in
						return errBoom
					})
					return nil
				})
				tr.Add("group: boom %v, cancelling %d", errors.Is(err, errBoom), task.Current(co).Cancelling())
				err = task.Sleep(co, time.Hour)
				tr.Add("sleep: %v", err)
				return 0, err
			})
			future.Await[int](co, parentReady)
			_, err := future.Await[int](co, parent)
			assert.True(t, parent.Cancelled())
			return 0, err
		})
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.Equal(t, []string{"group: boom true, cancelling 1", "sleep: future: cancelled: outside"}, tr.Events)
	})
}

// eagerFactory makes every task start eagerly, as eager.TaskFactory does
// (which this package cannot import).
var eagerFactory = task.TaskFactoryFunc(func(_ *task.Loop, opts []task.Option) []task.Option {
	return append([]task.Option{task.EagerStart(true)}, opts...)
})

// TestAPanicOutOfADeadlineBlockDisarmsIt recovers a panic that left a
// block with a deadline and sleeps past that deadline: a deadline left
// armed would cancel the sleep.
func TestAPanicOutOfADeadlineBlockDisarmsIt(t *testing.T) {
	boom := func(*iterco.Co) (int, error) { panic("boom") }
	tests := []struct {
		name  string
		block func(co *iterco.Co) (int, error)
	}{
		{"Timeout", func(co *iterco.Co) (int, error) { return task.Timeout(co, time.Minute, boom) }},
		{"TimeoutAt", func(co *iterco.Co) (int, error) {
			return task.TimeoutAt(co, task.LoopOf(co).Now().Add(time.Minute), boom)
		}},
		{"WithDeadline", func(co *iterco.Co) (int, error) {
			return task.WithDeadline(co, task.LoopOf(co).Now().Add(time.Minute), func(co *iterco.Co, _ *task.Deadline) (int, error) {
				return boom(co)
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vc := task.NewVirtualClock(epoch)
			var recovered any
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
				func() {
					defer func() { recovered = recover() }()
					tt.block(co) //nolint:errcheck // it panics
				}()
				return 0, task.Sleep(co, time.Hour)
			}, task.WithClock(vc))
			assert.Equal(t, "boom", recovered)
			require.NoError(t, err, "the sleep after the block was not cancelled")
			assert.Equal(t, epoch.Add(time.Hour), vc.Now())
		})
	}
}

func TestWithDeadline(t *testing.T) {
	now := func(co *iterco.Co) time.Time { return task.LoopOf(co).Now() }
	past := func(co *iterco.Co) time.Time { return now(co).Add(-time.Second) }
	t.Run("a disabled deadline set later expires", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var kept *task.Deadline
			_, err := task.WithDeadline(co, time.Time{}, func(co *iterco.Co, d *task.Deadline) (int, error) {
				kept = d
				_, ok := d.When()
				assert.False(t, ok, "no deadline yet")
				require.NoError(t, task.Yield(co), "nothing expires")
				when := past(co)
				require.NoError(t, d.Reschedule(when))
				got, ok := d.When()
				assert.True(t, ok)
				assert.Equal(t, when, got)
				return 0, task.Yield(co)
			})
			assert.ErrorIs(t, err, task.ErrTimeout)
			assert.True(t, kept.Expired())
			assert.ErrorIs(t, kept.Reschedule(time.Time{}), task.ErrDeadlineOver)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("a deadline moved later or disabled does not expire", func(t *testing.T) {
		tests := []struct {
			name string
			give func(co *iterco.Co) time.Time
		}{
			{"moved an hour on", func(co *iterco.Co) time.Time { return now(co).Add(time.Hour) }},
			{"disabled", func(*iterco.Co) time.Time { return time.Time{} }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := run(t, func(co *iterco.Co) (int, error) {
					var kept *task.Deadline
					v, err := task.WithDeadline(co, past(co), func(co *iterco.Co, d *task.Deadline) (int, error) {
						kept = d
						require.NoError(t, d.Reschedule(tt.give(co)))
						return 5, task.Yield(co)
					})
					assert.False(t, kept.Expired())
					assert.ErrorIs(t, kept.Reschedule(past(co)), task.ErrDeadlineOver, "the block has ended")
					assert.Equal(t, 0, task.Current(co).Cancelling())
					return v, err
				})
				require.NoError(t, err)
				assert.Equal(t, 5, v)
			})
		}
	})

	t.Run("a deadline moved earlier expires", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return task.WithDeadline(co, now(co).Add(time.Hour), func(co *iterco.Co, d *task.Deadline) (int, error) {
				require.NoError(t, d.Reschedule(past(co)))
				return 0, task.Sleep(co, time.Hour)
			})
		})
		assert.ErrorIs(t, err, task.ErrTimeout)
	})

	t.Run("outside a loop", func(t *testing.T) {
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			return task.WithDeadline(co, time.Time{}, func(co *iterco.Co, d *task.Deadline) (int, error) { return 0, nil })
		})
		assert.ErrorIs(t, err, task.ErrNoLoop)
		assert.PanicsWithValue(t, "task.WithDeadline: nil function", func() {
			task.WithDeadline[int](nil, time.Time{}, nil)
		})
	})
}
