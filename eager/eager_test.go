package eager_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func run[T any](t *testing.T, main iterco.Func[T], opts ...task.LoopOption) (T, error) {
	t.Helper()
	opts = append(opts, task.WithExceptionHandler(func(e task.Exception) {
		t.Errorf("unexpected exception: %s", e)
	}))
	opts = append([]task.LoopOption{task.WithClock(task.NewVirtualClock(time.Time{}))}, opts...)
	return task.Run(context.Background(), main, opts...)
}

// TestReadmeOrderings is asynkit's README example (S01): the same child
// awaited in place, as a task, and eagerly.
func TestReadmeOrderings(t *testing.T) {
	tests := []struct {
		name    string
		convert func(co *iterco.Co, fn iterco.Func[int]) future.Awaitable[int]
		want    []string
	}{
		{"awaited in place", func(co *iterco.Co, fn iterco.Func[int]) future.Awaitable[int] { return inPlace(fn) }, []string{"a", "b", "c", "1", "2"}},
		{"as a task", func(co *iterco.Co, fn iterco.Func[int]) future.Awaitable[int] { return task.Create(co, fn) }, []string{"a", "b", "1", "c", "2"}},
		{"eagerly", eager.Start[int], []string{"a", "1", "b", "c", "2"}},
		{"as an eager task", func(co *iterco.Co, fn iterco.Func[int]) future.Awaitable[int] {
			return task.Create(co, fn, task.EagerStart(true))
		}, []string{"a", "1", "b", "c", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &testkit.Trace{}
			child := func(co *iterco.Co) (int, error) {
				tr.Add("1")
				if err := task.Sleep(co, 20*time.Millisecond); err != nil {
					return 0, err
				}
				tr.Add("2")
				return 0, nil
			}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				tr.Add("a")
				x := tt.convert(co, child)
				tr.Add("b")
				task.Sleep(co, 10*time.Millisecond)
				tr.Add("c")
				return future.Await(co, x)
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, tr.Events)
		})
	}
}

type inPlace iterco.Func[int]

func (f inPlace) Await(co *iterco.Co) (int, error) { return f(co) }

func TestSynchronousCompletion(t *testing.T) {
	tr := &testkit.Trace{}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		l := task.LoopOf(co)
		before := len(task.All(l))
		queued := l.QueueLen()
		a := eager.Start(co, func(co *iterco.Co) (int, error) {
			tr.Add("child")
			return 42, nil
		})
		f, isFuture := a.(*future.Future[int])
		require.True(t, isFuture, "a finished start is a plain future, not a task")
		assert.True(t, f.Done())
		_, isTask := a.(task.Any)
		assert.False(t, isTask)
		assert.Len(t, task.All(l), before, "no task is left")
		assert.Equal(t, queued, l.QueueLen(), "the ready queue was not touched")
		v, err := future.Await(co, a)
		assert.Equal(t, 42, v)
		return 0, err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"child"}, tr.Events)
}

func TestErrorsGoThroughTheAwaitable(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		block   bool
		wantLog []string
	}{
		{"before any suspension", false, []string{"1", "2"}},
		{"after suspending", true, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &testkit.Trace{}
			_, err := run(t, func(co *iterco.Co) (int, error) {
				a := eager.Start(co, func(co *iterco.Co) (int, error) {
					tr.Add("1")
					if tt.block {
						task.Yield(co)
					}
					tr.Add("2")
					return 0, boom
				})
				assert.Equal(t, tt.wantLog, tr.Events, "right after Start")
				_, err := future.Await(co, a)
				assert.ErrorIs(t, err, boom)
				return 0, nil
			})
			require.NoError(t, err)
			assert.Equal(t, []string{"1", "2"}, tr.Events)
		})
	}

	t.Run("a panic before any suspension", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			a := eager.Start(co, func(co *iterco.Co) (int, error) { panic("early") })
			_, err := future.Await(co, a)
			return 0, err
		})
		var pe *iterco.PanicError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "early", pe.Value)
	})
}

// An error of a start that finished at once is in its future: reported
// as never retrieved unless somebody reads it there.
func TestAnUnreadErrorOfAFinishedStartIsReported(t *testing.T) {
	boom := errors.New("boom")
	for _, read := range []bool{true, false} {
		t.Run(fmt.Sprintf("read %v", read), func(t *testing.T) {
			var reported []string
			_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) {
				a := eager.Start(co, func(*iterco.Co) (int, error) { return 0, boom })
				if read {
					_, err := future.Await(co, a)
					assert.ErrorIs(t, err, boom)
				}
				return 0, nil
			}, task.WithExceptionHandler(func(e task.Exception) { reported = append(reported, e.Err.Error()) }))
			require.NoError(t, err)
			if read {
				assert.Empty(t, reported)
			} else {
				assert.Equal(t, []string{"boom"}, reported)
			}
		})
	}
}

func TestStartCancelling(t *testing.T) {
	tests := []struct {
		name    string
		block   bool
		wantLog []string
		wantV   string
		wantErr error
	}{
		{"a start that finished keeps its value", false, []string{"1", "2", "a"}, "v", nil},
		{"a start still running is cancelled", true, []string{"1", "a"}, "", future.ErrCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &testkit.Trace{}
			var a future.Awaitable[string]
			_, err := run(t, func(co *iterco.Co) (int, error) {
				func() {
					var cancel func()
					a, cancel = eager.StartCancelling(co, func(co *iterco.Co) (string, error) {
						tr.Add("1")
						if tt.block {
							if err := task.Yield(co); err != nil {
								return "", err
							}
						}
						tr.Add("2")
						return "v", nil
					})
					defer cancel()
					tr.Add("a")
				}()
				v, err := future.Await(co, a)
				assert.Equal(t, tt.wantV, v)
				assert.ErrorIs(t, err, tt.wantErr)
				if tt.block {
					assert.True(t, a.(*task.Task[string]).Cancelled())
				}
				return 0, nil
			})
			require.NoError(t, err)
			assert.Equal(t, tt.wantLog, tr.Events)
		})
	}
}

func TestDepthFirstTree(t *testing.T) {
	tr := &testkit.Trace{}
	var rec func(depth int, label string) iterco.Func[[]string]
	rec = func(depth int, label string) iterco.Func[[]string] {
		return func(co *iterco.Co) ([]string, error) {
			defer tr.Add(label + "c")
			tr.Add(label + "a")
			if depth == 1 {
				tr.Add(label + "B")
				if err := task.Sleep(co, 10*time.Millisecond); err != nil {
					return nil, err
				}
				return []string{label}, nil
			}
			a := eager.Start(co, rec(depth+1, label+":0"))
			b := eager.Start(co, rec(depth+1, label+":1"))
			tr.Add(label + "b")
			x, err := future.Await(co, a)
			if err != nil {
				return nil, err
			}
			y, err := future.Await(co, b)
			return append(x, y...), err
		}
	}
	v, err := run(t, rec(0, "0"))
	require.NoError(t, err)
	assert.Equal(t, []string{"0:0", "0:1"}, v)
	assert.Equal(t, []string{"0a", "0:0a", "0:0B", "0:1a", "0:1B", "0b", "0:0c", "0:1c", "0c"}, tr.Events)
}

func TestTaskFactory(t *testing.T) {
	tr := &testkit.Trace{}
	l := task.NewLoop()
	defer l.Close()
	l.SetTaskFactory(eager.TaskFactory)
	assert.NotNil(t, l.TaskFactory())
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		t1 := task.Create(co, func(co *iterco.Co) (string, error) {
			tr.Add("sync-run")
			return "immediate", nil
		}, task.Name("s"))
		tr.Add("done=%v name=%s", t1.Done(), t1.Name())
		t2 := task.Create(co, func(co *iterco.Co) (string, error) {
			tr.Add("block-start")
			task.Yield(co)
			tr.Add("block-end")
			return "later", nil
		})
		tr.Add("done=%v", t2.Done())
		lazy := task.Create(co, func(co *iterco.Co) (string, error) {
			tr.Add("lazy anyway")
			return "", nil
		}, task.EagerStart(false))
		vs, err := task.Gather[string](co, t1, t2, lazy)
		tr.Add("%q", vs)
		return 0, err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"sync-run", "done=true name=s", "block-start", "done=false",
		// t2's first queued step deals with its yield: a second trip.
		"lazy anyway", "block-end", `["immediate" "later" ""]`,
	}, tr.Events)
}

// TestEagerBlockedTakesTwoTrips is S11: what the eager part suspended on
// is handled by the task's first queued step, as in asynkit.
func TestEagerBlockedTakesTwoTrips(t *testing.T) {
	tr := &testkit.Trace{}
	child := func(name string) iterco.Func[int] {
		return func(co *iterco.Co) (int, error) {
			tr.Add(name + "-start")
			task.Yield(co)
			tr.Add(name + "-end")
			return 0, nil
		}
	}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		t1 := task.Create(co, child("eager"), task.EagerStart(true))
		tr.Add("after-eager-create")
		t2 := task.Create(co, child("lazy"), task.EagerStart(false))
		tr.Add("after-lazy-create")
		_, err := task.Gather[int](co, t1, t2)
		return 0, err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"eager-start", "after-eager-create", "after-lazy-create", "lazy-start", "eager-end", "lazy-end"}, tr.Events)
}

func TestCurrentDuringAndAfterTheEagerPart(t *testing.T) {
	_, err := run(t, func(co *iterco.Co) (int, error) {
		main := task.Current(co)
		var during, after task.Any
		a := eager.Start(co, func(co *iterco.Co) (int, error) {
			during = task.Current(co)
			task.Yield(co)
			after = task.Current(co)
			return 0, nil
		})
		assert.Same(t, main, task.Current(co), "the creator is current again once Start returns")
		_, err := future.Await(co, a)
		require.NotNil(t, during)
		assert.NotSame(t, main, during, "the new task is current during its eager part")
		assert.Same(t, a, during)
		assert.Same(t, during, after)
		return 0, err
	})
	require.NoError(t, err)
}

func TestTimeoutInsideTheEagerPart(t *testing.T) {
	tr := &testkit.Trace{}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		a := eager.Start(co, func(co *iterco.Co) (int, error) {
			_, err := task.Timeout(co, 5*time.Millisecond, func(co *iterco.Co) (int, error) {
				return 0, task.Sleep(co, time.Hour)
			})
			tr.Add("child: %v", err)
			return 1, nil
		})
		v, err := future.Await(co, a)
		tr.Add("main: %d %v cancelling=%d", v, err, task.Current(co).Cancelling())
		return 0, err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"child: task: timeout", "main: 1 <nil> cancelling=0"}, tr.Events,
		"the timeout cancels the eager task, never its creator")
}

type ctxKey struct{}

func TestContextInsideTheEagerPart(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "v")
	_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
		var seen any
		var taskCtx context.Context
		a := eager.Start(co, func(co *iterco.Co) (int, error) {
			seen = co.Context().Value(ctxKey{})
			taskCtx = co.Context()
			return 0, task.Sleep(co, time.Hour)
		})
		assert.Equal(t, "v", seen)
		a.(task.Any).Cancel("")
		assert.ErrorIs(t, taskCtx.Err(), context.Canceled, "the context is the eager task's")
		assert.NoError(t, co.Context().Err())
		_, err := future.Await(co, a)
		assert.ErrorIs(t, err, future.ErrCancelled)
		return 0, nil
	})
	require.NoError(t, err)
}

func TestCancelBeforeTheContinuationRuns(t *testing.T) {
	tr := &testkit.Trace{}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		a := eager.Start(co, func(co *iterco.Co) (int, error) {
			defer tr.Add("clean-up")
			f := task.NewFuture[int](co)
			_, err := future.Await[int](co, f)
			tr.Add("await: %v", err)
			return 0, err
		})
		a.(task.Any).Cancel("stop")
		_, err := future.Await(co, a)
		assert.ErrorIs(t, err, future.ErrCancelled)
		return 0, nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"await: future: cancelled: stop", "clean-up"}, tr.Events)
}

func TestEagerStartThatBlocksOn(t *testing.T) {
	tests := []struct {
		name  string
		block func(co *iterco.Co) error
	}{
		{"a sleep", func(co *iterco.Co) error { return task.Sleep(co, time.Millisecond) }},
		{"a future set by a callback", func(co *iterco.Co) error {
			f := task.NewFuture[int](co)
			task.LoopOf(co).CallSoon(func() { f.SetResult(1) })
			_, err := future.Await[int](co, f)
			return err
		}},
		{"another eager task", func(co *iterco.Co) error {
			_, err := future.Await(co, eager.Start(co, func(co *iterco.Co) (int, error) { return 0, task.Yield(co) }))
			return err
		}},
		{"a future done by the time the task registers", func(co *iterco.Co) error {
			f := task.NewFuture[int](co)
			task.Create(co, func(co *iterco.Co) (int, error) { return 0, f.SetResult(1) })
			_, err := future.Await[int](co, f)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := run(t, func(co *iterco.Co) (int, error) {
				a := eager.Start(co, func(co *iterco.Co) (int, error) {
					if err := tt.block(co); err != nil {
						return 0, err
					}
					return 7, nil
				})
				_, isTask := a.(*task.Task[int])
				assert.True(t, isTask)
				return future.Await(co, a)
			})
			require.NoError(t, err)
			assert.Equal(t, 7, v)
		})
	}
}

func TestDeepRecursion(t *testing.T) {
	const depth = 10000
	var rec func(n int) iterco.Func[int]
	rec = func(n int) iterco.Func[int] {
		return func(co *iterco.Co) (int, error) {
			if n == depth {
				return n, task.Yield(co)
			}
			return future.Await(co, eager.Start(co, rec(n+1)))
		}
	}
	goroutines := runtime.NumGoroutine()
	v, err := task.Run(context.Background(), rec(0), task.WithPoolSize(16))
	require.NoError(t, err)
	assert.Equal(t, depth, v)
	assert.LessOrEqual(t, runtime.NumGoroutine(), goroutines+1, "every coroutine is gone after Run")
}

func TestFunc(t *testing.T) {
	double := eager.Func(func(co *iterco.Co) (int, error) { return 21 * 2, nil })
	v, err := run(t, func(co *iterco.Co) (int, error) { return future.Await(co, double(co)) })
	require.NoError(t, err)
	assert.Equal(t, 42, v)
	assert.PanicsWithValue(t, "eager.Func: nil function", func() { eager.Func[int](nil) })
	assert.PanicsWithValue(t, "eager.Start: nil function", func() { eager.Start[int](nil, nil) })
}

func TestOutsideALoop(t *testing.T) {
	c := iterco.New(func(co *iterco.Co) (int, error) {
		return future.Await(co, eager.Start(co, func(co *iterco.Co) (int, error) { return 1, nil }))
	})
	_, done := c.Send(nil)
	require.True(t, done)
	_, err := c.Result()
	assert.ErrorIs(t, err, task.ErrNoLoop)
}

func TestSpawnFromACallbackStartsEagerly(t *testing.T) {
	tr := &testkit.Trace{}
	l := task.NewLoop()
	defer l.Close()
	l.SetTaskFactory(eager.TaskFactory)
	_, err := task.RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		done := task.NewFuture[int](co)
		l.CallSoon(func() {
			tr.Add("callback")
			t := task.Spawn(l, func(co *iterco.Co) (int, error) {
				tr.Add("spawned runs")
				task.Yield(co)
				tr.Add("spawned ends")
				return 0, done.SetResult(1)
			})
			tr.Add("spawn returned, done=%v", t.Done())
		})
		return future.Await[int](co, done)
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"callback", "spawned runs", "spawn returned, done=false", "spawned ends"}, tr.Events)
}
