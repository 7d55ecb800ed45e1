package task_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// trace collects events in the order they happen, with the async
// functions below that record into it.
type trace struct{ testkit.Trace }

// logger returns an async function that logs name and returns.
func (tr *trace) logger(name string) iterco.Func[string] {
	return func(co *iterco.Co) (string, error) {
		tr.Add(name)
		return name, nil
	}
}

// run runs main on a loop with a virtual clock, so that sleeps and
// timeouts take no time and fire in the same order on every run.
func run[T any](t *testing.T, main iterco.Func[T]) (T, error) {
	t.Helper()
	return task.Run(context.Background(), main, virtual(), task.WithExceptionHandler(func(e task.Exception) {
		t.Errorf("unexpected exception: %s", e)
	}))
}

// epoch is where the tests' virtual clocks start.
var epoch = testkit.Epoch

// virtual gives a loop a virtual clock of its own.
func virtual() task.LoopOption { return testkit.Virtual() }

func TestOrderings(t *testing.T) {
	tests := []struct {
		name string
		give func(tr *trace) iterco.Func[struct{}]
		want []string
	}{
		{
			name: "a task created and then yielded to twice runs between the yields",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					task.Create(co, tr.logger("child"))
					tr.Add("a")
					task.Yield(co)
					tr.Add("b")
					task.Yield(co)
					tr.Add("c")
					return struct{}{}, nil
				}
			},
			want: []string{"a", "child", "b", "c"},
		},
		{
			name: "tasks start in creation order and interleave at each yield",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					var ts []*task.Task[int]
					for i := range 3 {
						ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
							tr.Add("%d:1", i)
							task.Yield(co)
							tr.Add("%d:2", i)
							return i, nil
						}))
					}
					for _, x := range ts {
						v, err := future.Await[int](co, x)
						tr.Add("got %d %v", v, err)
					}
					return struct{}{}, nil
				}
			},
			want: []string{"0:1", "1:1", "2:1", "0:2", "1:2", "2:2", "got 0 <nil>", "got 1 <nil>", "got 2 <nil>"},
		},
		{
			name: "callbacks run in the order they were scheduled, after the ready tasks",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					l := task.LoopOf(co)
					task.Create(co, tr.logger("task"))
					l.CallSoon(func() {
						tr.Add("cb1")
						l.CallSoon(func() { tr.Add("cb1.1") })
					})
					l.CallSoon(func() { tr.Add("cb2") })
					task.Yield(co)
					tr.Add("main")
					task.Yield(co)
					tr.Add("main again")
					return struct{}{}, nil
				}
			},
			want: []string{"task", "cb1", "cb2", "main", "cb1.1", "main again"},
		},
		{
			name: "a future's waiters wake in registration order at the end of the queue",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					f := task.NewFuture[string](co)
					for _, name := range []string{"w1", "w2", "w3"} {
						task.Create(co, func(co *iterco.Co) (int, error) {
							v, _ := future.Await[string](co, f)
							tr.Add("%s %s", name, v)
							return 0, nil
						})
					}
					task.Yield(co) // all three wait now
					task.Create(co, tr.logger("queued before the result"))
					f.SetResult("x")
					tr.Add("set")
					task.Yield(co)
					tr.Add("main")
					return struct{}{}, nil
				}
			},
			want: []string{"set", "queued before the result", "w1 x", "w2 x", "w3 x", "main"},
		},
		{
			name: "awaiting a done task does not suspend",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					child := task.Create(co, tr.logger("child"))
					task.Yield(co)
					task.Create(co, tr.logger("other"))
					v, _ := future.Await[string](co, child)
					tr.Add("got %s", v)
					task.Yield(co)
					return struct{}{}, nil
				}
			},
			want: []string{"child", "got child", "other"},
		},
		{
			name: "timers fire in deadline order, equal deadlines in arming order",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					l := task.LoopOf(co)
					at := l.Time().Add(5 * time.Millisecond)
					l.CallAt(at.Add(time.Millisecond), func() { tr.Add("late") })
					l.CallAt(at, func() { tr.Add("first") })
					l.CallAt(at, func() { tr.Add("second") })
					cancelled := l.CallAt(at, func() { tr.Add("cancelled") })
					require.True(t, cancelled.Cancel())
					require.False(t, cancelled.Cancel())
					task.Sleep(co, 20*time.Millisecond)
					return struct{}{}, nil
				}
			},
			want: []string{"first", "second", "late"},
		},
		{
			name: "a task sleeping wakes after shorter sleepers",
			give: func(tr *trace) iterco.Func[struct{}] {
				return func(co *iterco.Co) (struct{}, error) {
					for _, d := range []int{30, 10, 20} {
						task.Create(co, func(co *iterco.Co) (int, error) {
							task.Sleep(co, time.Duration(d)*time.Millisecond)
							tr.Add("slept %d", d)
							return d, nil
						})
					}
					task.Sleep(co, 50*time.Millisecond)
					return struct{}{}, nil
				}
			},
			want: []string{"slept 10", "slept 20", "slept 30"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &trace{}
			_, err := run(t, tt.give(tr))
			require.NoError(t, err)
			assert.Equal(t, tt.want, tr.Events)
		})
	}
}

func TestStopEndsAfterTheCurrentIteration(t *testing.T) {
	l := task.NewLoop()
	defer l.Close()
	tr := &trace{}
	l.CallSoon(func() {
		tr.Add("a")
		l.CallSoon(func() { tr.Add("next run") })
		l.Stop()
	})
	l.CallSoon(func() { tr.Add("b") })
	require.NoError(t, l.RunForever())
	assert.Equal(t, []string{"a", "b"}, tr.Events)
	l.CallSoon(l.Stop)
	require.NoError(t, l.RunForever())
	assert.Equal(t, []string{"a", "b", "next run"}, tr.Events)
}

func TestSameProgramSameOrder(t *testing.T) {
	program := func(tr *trace) iterco.Func[int] {
		return func(co *iterco.Co) (int, error) {
			var ts []*task.Task[int]
			f := task.NewFuture[int](co)
			for i := range 20 {
				ts = append(ts, task.Create(co, func(co *iterco.Co) (int, error) {
					for j := range i % 4 {
						tr.Add("%d.%d", i, j)
						task.Yield(co)
					}
					if i%3 == 0 {
						v, err := future.Await[int](co, f)
						tr.Add("%d woke %d", i, v)
						return v + i, err
					}
					if i == 7 {
						f.SetResult(100)
					}
					return i, nil
				}))
			}
			sum := 0
			for _, x := range ts {
				v, err := future.Await[int](co, x)
				if err != nil {
					return 0, err
				}
				sum += v
			}
			return sum, nil
		}
	}
	first := &trace{}
	want, err := run(t, program(first))
	require.NoError(t, err)
	require.NotEmpty(t, first.Events)
	for range 5 {
		again := &trace{}
		got, err := run(t, program(again))
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.Equal(t, first.Events, again.Events)
	}
}

func TestCancel(t *testing.T) {
	t.Run("a task blocked on a future cancels the future and sees ErrCancelled", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			f := task.NewFuture[int](co)
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				_, err := future.Await[int](co, f)
				tr.Add("child: %v", err)
				return 0, err
			})
			task.Yield(co)
			assert.True(t, child.Cancel("stop it"))
			assert.True(t, f.Cancelled(), "the future the task waited on is cancelled")
			_, err := future.Await[int](co, child)
			tr.Add("main: cancelled=%v is=%v canceled=%v", child.Cancelled(),
				errors.Is(err, future.ErrCancelled), errors.Is(err, context.Canceled))
			assert.ErrorContains(t, err, "stop it")
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{
			"child: future: cancelled: stop it",
			"main: cancelled=true is=true canceled=true",
		}, tr.Events)
	})

	t.Run("a task that never ran ends without running", func(t *testing.T) {
		ran := false
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				ran = true
				return 1, nil
			})
			child.Cancel("")
			_, err := future.Await[int](co, child)
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.True(t, child.Cancelled())
			return 0, nil
		})
		require.NoError(t, err)
		assert.False(t, ran)
	})

	t.Run("a queued task gets the error at its next suspension", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				tr.Add("started")
				err := task.Yield(co)
				tr.Add("yield: %v", err)
				err = task.Yield(co)
				tr.Add("then: %v", err)
				return 7, nil
			})
			task.Yield(co)
			child.Cancel("")
			assert.Equal(t, 1, child.Cancelling())
			v, err := future.Await[int](co, child)
			tr.Add("main: %d %v cancelled=%v", v, err, child.Cancelled())
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"started", "yield: future: cancelled", "then: <nil>", "main: 7 <nil> cancelled=false"}, tr.Events)
	})

	t.Run("every request counts until withdrawn, however many", func(t *testing.T) {
		const n = 70_000 // past what a 16-bit count holds
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, waitForever)
			task.Yield(co)
			for range n {
				child.Cancel("")
			}
			assert.Equal(t, n, child.Cancelling())
			for i := n - 1; i > 0; i-- {
				if left := child.Uncancel(); left != i {
					return 0, fmt.Errorf("Uncancel left %d, want %d", left, i)
				}
			}
			assert.Equal(t, 1, child.Cancelling())
			_, err := future.Await[int](co, child)
			assert.ErrorIs(t, err, future.ErrCancelled, "one request is left")
			assert.Equal(t, 0, child.Uncancel())
			assert.Equal(t, 0, child.Uncancel(), "the count stays at 0")
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("a task that returns with a cancel pending counts as cancelled", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var self task.Any
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				self = task.Current(co)
				self.Cancel("late")
				return 5, nil
			})
			_, err := future.Await[int](co, child)
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.True(t, child.Cancelled())
			assert.Same(t, child, self)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("uncancel withdraws requests and a withdrawn cancel is dropped", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				return 3, task.Yield(co)
			})
			assert.True(t, child.Cancel(""))
			assert.True(t, child.Cancel(""))
			assert.Equal(t, 2, child.Cancelling())
			assert.Equal(t, 1, child.Uncancel())
			assert.Equal(t, 0, child.Uncancel())
			assert.Equal(t, 0, child.Uncancel())
			v, err := future.Await[int](co, child)
			assert.Equal(t, 3, v)
			assert.NoError(t, err)
			assert.False(t, child.Cancel(""), "a done task cannot be cancelled")
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("cancelling the awaiting task cancels the awaited one", func(t *testing.T) {
		tr := &trace{}
		_, err := run(t, func(co *iterco.Co) (int, error) {
			inner := task.Create(co, func(co *iterco.Co) (int, error) {
				err := task.Sleep(co, time.Hour)
				tr.Add("inner: %v", err)
				return 0, err
			})
			outer := task.Create(co, func(co *iterco.Co) (int, error) {
				_, err := future.Await[int](co, inner)
				tr.Add("outer: %v", err)
				return 0, err
			})
			task.Yield(co)
			outer.Cancel("")
			_, err := future.Await[int](co, outer)
			assert.ErrorIs(t, err, future.ErrCancelled)
			assert.True(t, inner.Cancelled())
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"inner: future: cancelled", "outer: future: cancelled"}, tr.Events)
	})

	t.Run("the task's context is cancelled with it", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var ctx context.Context
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				ctx = co.Context()
				return 0, task.Sleep(co, time.Hour)
			})
			task.Yield(co)
			require.NoError(t, ctx.Err())
			child.Cancel("")
			assert.ErrorIs(t, ctx.Err(), context.Canceled)
			_, err := future.Await[int](co, child)
			assert.ErrorIs(t, err, future.ErrCancelled)
			return 0, nil
		})
		require.NoError(t, err)
	})
}

type key struct{}

func TestContext(t *testing.T) {
	t.Run("a task's context carries its creator's values but not its cancellation", func(t *testing.T) {
		tests := []struct {
			name        string
			mainContext bool // main makes its own context first
			opts        []task.Option
		}{
			{"from a creator with a context of its own", true, nil},
			{"from creators with nothing of their own", false, nil},
			{"from creators with extras of their own", false, []task.Option{task.Name("n")}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
				defer cancel()
				_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
					if tt.mainContext {
						assert.Equal(t, "v", co.Context().Value(key{}))
					}
					child := task.Create(co, func(co *iterco.Co) (string, error) {
						grandchild := task.Create(co, func(co *iterco.Co) (string, error) {
							return co.Context().Value(key{}).(string), nil
						}, tt.opts...)
						return future.Await[string](co, grandchild)
					}, tt.opts...)
					v, err := future.Await[string](co, child)
					assert.Equal(t, "v", v)
					return 0, err
				})
				require.NoError(t, err)
			})
		}
	})

	t.Run("the Context option's values reach the task's children, not its creator's", func(t *testing.T) {
		outer := context.WithValue(context.Background(), key{}, "outer")
		_, err := task.Run(outer, func(co *iterco.Co) (int, error) {
			given := context.WithValue(context.Background(), key{}, "given")
			child := task.Create(co, func(co *iterco.Co) (string, error) {
				grandchild := task.Create(co, func(co *iterco.Co) (string, error) {
					return co.Context().Value(key{}).(string), nil
				})
				return future.Await[string](co, grandchild)
			}, task.Context(given))
			sibling := task.Create(co, func(co *iterco.Co) (string, error) {
				return co.Context().Value(key{}).(string), nil
			})
			vs, err := task.GatherOf(co, []*task.Task[string]{child, sibling})
			assert.Equal(t, []string{"given", "outer"}, vs)
			return 0, err
		})
		require.NoError(t, err)
	})

	t.Run("cancelling Run's context cancels main", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
			go cancel()
			err := task.Sleep(co, time.Hour)
			assert.ErrorIs(t, co.Context().Err(), context.Canceled)
			return 0, err
		})
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.ErrorIs(t, err, context.Canceled)
	})

	t.Run("the Context option makes the task's context a child of the one given", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			ctx, cancel := context.WithCancel(context.Background())
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				<-co.Context().Done()
				return 0, nil
			}, task.Context(ctx), task.Name("watcher"))
			assert.Equal(t, "watcher", child.Name())
			cancel()
			_, err := future.Await[int](co, child)
			return 0, err
		})
		require.NoError(t, err)
	})
}

func TestCurrentAndAll(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		main := task.Current(co)
		require.NotNil(t, main)
		l := task.LoopOf(co)
		assert.Same(t, l, main.Loop())
		var inChild task.Any
		child := task.Create(co, func(co *iterco.Co) (int, error) {
			inChild = task.Current(co)
			return 0, task.Yield(co)
		}, task.Name("child"))
		assert.Equal(t, []task.Any{main, child}, task.All(l))
		task.Yield(co)
		assert.Same(t, child, inChild)
		_, err := future.Await[int](co, child)
		assert.Equal(t, []task.Any{main}, task.All(l))
		return 0, err
	})
	require.NoError(t, err)
}

func TestMisuse(t *testing.T) {
	t.Run("awaiting a future of another loop is ErrWrongLoop", func(t *testing.T) {
		other := task.NewLoop()
		defer other.Close()
		f := future.New[int](other)
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return future.Await[int](co, f)
		})
		assert.ErrorIs(t, err, task.ErrWrongLoop)
	})

	t.Run("loop code outside a loop gets ErrNoLoop", func(t *testing.T) {
		c := iterco.New(func(co *iterco.Co) (int, error) {
			assert.Nil(t, task.Current(co))
			assert.Nil(t, task.LoopOf(co))
			assert.ErrorIs(t, task.Sleep(co, time.Second), task.ErrNoLoop)
			child := task.Create(co, func(co *iterco.Co) (int, error) { return 1, nil })
			assert.True(t, child.Done())
			assert.ErrorIs(t, child.Err(), task.ErrNoLoop)
			_, err := task.Go(co, func(context.Context) (int, error) { return 1, nil }).Result()
			assert.ErrorIs(t, err, task.ErrNoLoop)
			return 0, nil
		})
		_, done := c.Send(nil)
		require.True(t, done)
	})

	t.Run("Run inside a running loop is ErrLoopRunning", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 1, nil })
			assert.ErrorIs(t, err, task.ErrLoopRunning)
			assert.ErrorIs(t, task.LoopOf(co).RunForever(), task.ErrLoopRunning)
			assert.ErrorIs(t, task.LoopOf(co).Close(), task.ErrLoopRunning)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("setting a result twice is ErrInvalidState", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			f := task.NewFuture[int](co)
			require.NoError(t, f.SetResult(1))
			assert.ErrorIs(t, f.SetResult(2), future.ErrInvalidState)
			assert.ErrorIs(t, f.SetError(errors.New("x")), future.ErrInvalidState)
			return future.Await[int](co, f)
		})
		require.NoError(t, err)
	})

	t.Run("a nil function panics naming the call", func(t *testing.T) {
		assert.PanicsWithValue(t, "task.Run: nil function", func() {
			task.Run[int](context.Background(), nil)
		})
		_, err := run(t, func(co *iterco.Co) (int, error) {
			assert.PanicsWithValue(t, "task.Create: nil function", func() { task.Create[int](co, nil) })
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("a task that panics delivers a PanicError and the loop keeps going", func(t *testing.T) {
		v, err := run(t, func(co *iterco.Co) (int, error) {
			bad := task.Create(co, func(co *iterco.Co) (int, error) {
				task.Yield(co)
				panic("boom")
			})
			good := task.Create(co, func(co *iterco.Co) (int, error) {
				task.Yield(co)
				task.Yield(co)
				return 2, nil
			})
			_, err := future.Await[int](co, bad)
			var pe *iterco.PanicError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "boom", pe.Value)
			assert.Contains(t, string(pe.Stack), "task_test.go")
			return future.Await[int](co, good)
		})
		require.NoError(t, err)
		assert.Equal(t, 2, v)
	})

	t.Run("a callback that panics goes to the exception handler and the loop keeps going", func(t *testing.T) {
		var got []task.Exception
		v, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			task.LoopOf(co).CallSoon(func() { panic("callback boom") })
			task.Yield(co)
			return 3, nil
		}, task.WithExceptionHandler(func(e task.Exception) { got = append(got, e) }))
		require.NoError(t, err)
		assert.Equal(t, 3, v)
		require.Len(t, got, 1)
		assert.Equal(t, "callback panicked", got[0].Message)
		var pe *iterco.PanicError
		require.ErrorAs(t, got[0].Err, &pe)
		assert.Equal(t, "callback boom", pe.Value)
	})

	t.Run("suspending on something not waitable is an error", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			_, err := co.Suspend(42)
			return 0, err
		})
		assert.ErrorContains(t, err, "not waitable: int")
	})

	t.Run("a task awaiting itself is an error", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			self := task.Current(co).(*task.Task[int])
			return future.Await[int](co, self)
		})
		assert.ErrorIs(t, err, task.ErrAwaitSelf)
	})

	t.Run("a Co used after its task finished is ErrNotCurrent", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var childCo *iterco.Co
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				childCo = co
				return 0, nil
			})
			future.Await[int](co, child)
			_, err := childCo.Suspend(nil)
			assert.ErrorIs(t, err, iterco.ErrNotCurrent)
			return 0, nil
		})
		require.NoError(t, err)
	})
}

func TestRunCleansUp(t *testing.T) {
	t.Run("tasks left when main returns are cancelled and awaited", func(t *testing.T) {
		tr := &trace{}
		v, err := run(t, func(co *iterco.Co) (int, error) {
			task.Create(co, func(co *iterco.Co) (int, error) {
				defer tr.Add("left-over cleaned up")
				err := task.Sleep(co, time.Hour)
				tr.Add("left-over: %v", err)
				return 0, err
			})
			task.Yield(co)
			return 1, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 1, v)
		assert.Equal(t, []string{"left-over: future: cancelled", "left-over cleaned up"}, tr.Events)
	})

	t.Run("errors nobody retrieved reach the exception handler", func(t *testing.T) {
		var got []task.Exception
		boom := errors.New("boom")
		_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			task.Create(co, func(co *iterco.Co) (int, error) { return 0, boom }, task.Name("failing"))
			task.Yield(co)
			return 0, nil
		}, task.WithExceptionHandler(func(e task.Exception) { got = append(got, e) }))
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.ErrorIs(t, got[0].Err, boom)
		assert.Equal(t, "failing", got[0].Task.Name())
	})

	t.Run("closing a loop closes the coroutines of tasks still alive", func(t *testing.T) {
		tr := &trace{}
		l := task.NewLoop()
		v, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
			task.Create(co, func(co *iterco.Co) (int, error) {
				defer tr.Add("deferred ran")
				_, err := future.Await[int](co, task.NewFuture[int](co))
				tr.Add("waiter: %v", err)
				return 0, err
			})
			task.Yield(co)
			// Runs in the loop's last iteration, which stops before what it
			// creates can start.
			task.Create(co, func(co *iterco.Co) (int, error) {
				task.Create(co, tr.logger("never started"))
				return 0, nil
			})
			return 5, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 5, v)
		assert.Len(t, task.All(l), 2)
		require.NoError(t, l.Close())
		require.NoError(t, l.Close())
		assert.Equal(t, []string{"waiter: iterco: coroutine closed", "deferred ran"}, tr.Events)
		assert.Empty(t, task.All(l))
		assert.ErrorIs(t, l.RunForever(), task.ErrClosed)
	})

	t.Run("a coroutine that ignores close is stopped", func(t *testing.T) {
		l := task.NewLoop()
		var errs []error
		_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
			task.Create(co, func(co *iterco.Co) (int, error) {
				for {
					if err := task.Yield(co); err != nil {
						errs = append(errs, err)
					}
				}
			})
			return 0, task.Yield(co)
		})
		require.NoError(t, err)
		require.NoError(t, l.Close())
		assert.Equal(t, []error{iterco.ErrClosed, iterco.ErrClosed}, errs)
	})
}

func TestRunUntilCompleteStopped(t *testing.T) {
	l := task.NewLoop()
	defer l.Close()
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		task.LoopOf(co).Stop()
		return 0, task.Sleep(co, time.Hour)
	})
	assert.ErrorIs(t, err, task.ErrStopped)
}

func TestCancellingAndLoopState(t *testing.T) {
	l := task.NewLoop()
	assert.False(t, l.IsRunning())
	var child *task.Task[int]
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		assert.True(t, task.LoopOf(co).IsRunning())
		func() {
			child = task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) })
			defer task.CancelOnExit(child, "left the block")
			task.Yield(co)
		}()
		_, err := future.Await[int](co, child)
		assert.ErrorContains(t, err, "left the block")
		return 0, nil
	})
	require.NoError(t, err)
	assert.False(t, l.IsClosed())
	require.NoError(t, l.Close())
	assert.True(t, l.IsClosed())
	assert.Equal(t, `boom (task "t"): x`, task.Exception{Message: "boom", Err: errors.New("x"), Task: task.Spawn(l, nopTask, task.Name("t"))}.String())
	assert.Equal(t, "boom: x", task.Exception{Message: "boom", Err: errors.New("x")}.String())
}

func TestShieldPassesAnErrorOn(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		inner := task.Create(co, func(co *iterco.Co) (int, error) { task.Yield(co); return 0, errBoom })
		return task.Shield[int](co, inner)
	})
	assert.ErrorIs(t, err, errBoom)
}

func TestGoexitInATaskLeavesNothingBehind(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		task.Run(context.Background(), func(co *iterco.Co) (int, error) {
			task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) })
			task.Yield(co)
			runtime.Goexit() // what t.FailNow does
			return 0, nil
		})
	}()
	<-done
	// goleak, in TestMain, finds no coroutine of the loop left parked.
}

// The error of a shielded task whose caller gave up reaches the exception
// handler once, as the same task's would without the shield.
func TestShieldedErrorIsReportedOnce(t *testing.T) {
	tests := []struct {
		name   string
		shield bool
	}{
		{"without a shield", false},
		{"with a shield", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported []string
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
				inner := task.Create(co, func(co *iterco.Co) (int, error) {
					task.Yield(co)
					task.Yield(co)
					return 0, errBoom
				}, task.Name("inner"))
				if tt.shield {
					waiter := task.Create(co, func(co *iterco.Co) (int, error) { return task.Shield[int](co, inner) })
					task.Yield(co)
					waiter.Cancel("")
					_, err := future.Await[int](co, waiter)
					assert.ErrorIs(t, err, future.ErrCancelled)
				}
				for !inner.Done() {
					task.Yield(co)
				}
				return 0, nil
			}, task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e.String()) }))
			require.NoError(t, err)
			assert.Equal(t, []string{`task error was never retrieved (task "inner"): boom`}, reported)
		})
	}
}

// A task's Future is a future of its own that takes the task's outcome:
// at once if the task is done, when it finishes otherwise. An error is
// reported as never retrieved unless it is read from the task or from
// the future.
func TestFutureTakesTheTasksOutcome(t *testing.T) {
	outcomes := []struct {
		name      string
		fn        iterco.Func[int]
		cancel    bool
		want      int
		wantErr   error
		cancelled bool
	}{
		{"a value", func(*iterco.Co) (int, error) { return 7, nil }, false, 7, nil, false},
		{"an error", func(*iterco.Co) (int, error) { return 0, errBoom }, false, 0, errBoom, false},
		{"a cancellation", func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) }, true, 0, future.ErrCancelled, true},
	}
	for _, tt := range outcomes {
		for _, early := range []bool{true, false} {
			for _, reader := range []string{"the future", "the task", "nobody"} {
				when := "once done"
				if early {
					when = "while pending"
				}
				t.Run(fmt.Sprintf("%s, asked %s, read by %s", tt.name, when, reader), func(t *testing.T) {
					var reported []string
					_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
						tk := task.Create(co, tt.fn, task.Name("tk"))
						var f *future.Future[int]
						if early {
							f = tk.Future()
							assert.False(t, f.Done())
						}
						task.Yield(co)
						if tt.cancel {
							tk.Cancel("")
						}
						for !tk.Done() {
							task.Yield(co)
						}
						if !early {
							f = tk.Future()
						}
						require.True(t, f.Done())
						assert.Equal(t, tt.cancelled, f.Cancelled())
						var v int
						var err error
						switch reader {
						case "the future":
							v, err = future.Await[int](co, f)
						case "the task":
							v, err = tk.Result()
						default:
							return 0, nil
						}
						assert.Equal(t, tt.want, v)
						if tt.wantErr == nil {
							assert.NoError(t, err)
						} else {
							assert.ErrorIs(t, err, tt.wantErr)
						}
						return 0, nil
					}, task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e.String()) }))
					require.NoError(t, err)
					if reader == "nobody" && tt.wantErr == errBoom {
						assert.Equal(t, []string{`task error was never retrieved (task "tk"): boom`}, reported)
					} else {
						assert.Empty(t, reported)
					}
				})
			}
		}
	}
}

// Each call of Future makes a future; the first takes the task's place
// among the errors reported if nobody reads them.
func TestEachFutureIsNew(t *testing.T) {
	var reported []string
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		tk := task.Create(co, func(*iterco.Co) (int, error) { return 0, errBoom })
		task.Yield(co)
		f1, f2 := tk.Future(), tk.Future()
		assert.NotSame(t, f1, f2)
		assert.ErrorIs(t, f1.Err(), errBoom)
		assert.ErrorIs(t, f2.Err(), errBoom)
		return 0, nil
	}, task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e.String()) }))
	require.NoError(t, err)
	assert.Empty(t, reported)
}

// The record counts cancel requests in a byte; more go to its extra.
func TestCancelRequestsBeyondAByteAreCounted(t *testing.T) {
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		tk := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) })
		task.Yield(co)
		for range 300 {
			tk.Cancel("")
		}
		assert.Equal(t, 300, tk.Cancelling())
		for i := 299; i >= 0; i-- {
			require.Equal(t, i, tk.Uncancel())
		}
		tk.Cancel("")
		_, err := tk.Await(co)
		assert.ErrorIs(t, err, future.ErrCancelled)
		return 0, nil
	})
	require.NoError(t, err)
}
