package iterco_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func runLoop(t *testing.T, main func(co *iterco.Co) error) {
	t.Helper()
	_, err := task.Run(context.Background(), func(co *iterco.Co) (int, error) { return 0, main(co) },
		task.WithClock(task.NewVirtualClock(time.Time{})))
	require.NoError(t, err)
}

// S13, S14
func TestStarted(t *testing.T) {
	t.Run("a coroutine that finishes during its start", func(t *testing.T) {
		tr := &testkit.Trace{}
		runLoop(t, func(co *iterco.Co) error {
			s := iterco.Start(co, func(co *iterco.Co) (string, error) {
				tr.Add("1")
				tr.Add("2")
				return "r", nil
			})
			tr.Add("a")
			assert.True(t, s.Done())
			v, err := s.Result()
			assert.Equal(t, "r", v)
			assert.NoError(t, err)
			assert.NoError(t, s.Err())
			v, err = s.Await(co)
			assert.Equal(t, "r", v)
			assert.NoError(t, err)
			_, err = s.Await(co)
			assert.ErrorIs(t, err, iterco.ErrReused)
			return nil
		})
		assert.Equal(t, []string{"1", "2", "a"}, tr.Events)
	})

	t.Run("a coroutine that blocks during its start", func(t *testing.T) {
		tr := &testkit.Trace{}
		runLoop(t, func(co *iterco.Co) error {
			s := iterco.Start(co, func(co *iterco.Co) (string, error) {
				tr.Add("1")
				if err := task.Sleep(co, 5*time.Millisecond); err != nil {
					return "", err
				}
				tr.Add("2")
				return "r", nil
			})
			assert.Equal(t, []string{"1"}, tr.Events)
			assert.False(t, s.Done())
			assert.True(t, s.Pending())
			_, err := s.Result()
			assert.ErrorIs(t, err, future.ErrInvalidState)
			assert.ErrorIs(t, s.Err(), future.ErrInvalidState)
			tr.Add("a")
			v, err := s.Await(co)
			assert.Equal(t, "r", v)
			assert.True(t, s.Continued())
			_, again := s.Await(co)
			assert.ErrorIs(t, again, iterco.ErrReused)
			return err
		})
		assert.Equal(t, []string{"1", "a", "2"}, tr.Events)
	})

	t.Run("a coroutine that failed during its start", func(t *testing.T) {
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			s := iterco.Start(co, func(co *iterco.Co) (int, error) { return 0, io.ErrUnexpectedEOF })
			assert.True(t, s.Done())
			assert.ErrorIs(t, s.Err(), io.ErrUnexpectedEOF)
			_, err := s.Await(co)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "awaiting gives the error again")
			_, err = s.Await(co)
			assert.ErrorIs(t, err, iterco.ErrReused)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("continued as a task", func(t *testing.T) {
		runLoop(t, func(co *iterco.Co) error {
			s := iterco.Start(co, func(co *iterco.Co) (int, error) { return 5, task.Yield(co) })
			v, err := future.Await[int](co, task.Continue(co, s))
			assert.Equal(t, 5, v)
			return err
		})
	})
}

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

// S15, S16
func TestStartedThrowAndClose(t *testing.T) {
	c := iterco.New(func(co *iterco.Co) (int, error) {
		handler := iterco.Start(co, func(co *iterco.Co) (string, error) {
			if _, err := co.Suspend(nil); errors.Is(err, errZeroDivision) {
				return "handler", nil
			}
			return "", nil
		})
		v, err := handler.Throw(errZeroDivision)
		assert.Equal(t, "handler", v)
		assert.NoError(t, err)
		_, err = handler.Throw(errZeroDivision)
		assert.ErrorIs(t, err, iterco.ErrReused, "throw into a finished coroutine")

		stage := 0
		s := iterco.Start(co, cleanupper(&stage))
		_, err = s.Throw(io.EOF)
		assert.ErrorIs(t, err, iterco.ErrIgnored)
		assert.ErrorIs(t, err, io.EOF)
		assert.Equal(t, 2, stage)
		assert.True(t, s.Pending())
		s.Close() //nolint:errcheck // the clean-up suspends: ignored

		stage = 0
		s = iterco.Start(co, cleanupper(&stage))
		_, err = s.ThrowTries(io.EOF, 2)
		assert.ErrorIs(t, err, io.EOF)
		assert.Equal(t, 2, stage)

		stage = 0
		s = iterco.Start(co, cleanupper(&stage))
		assert.ErrorIs(t, s.Close(), iterco.ErrCloseIgnored)
		assert.Equal(t, 2, stage)
		s.AClose(co) //nolint:errcheck // ends it

		stage = 0
		s = iterco.Start(co, cleanupper(&stage))
		require.NoError(t, s.AClose(co))
		assert.Equal(t, 3, stage, "AClose lets the clean-up suspend")
		assert.NoError(t, s.Close(), "closing twice is fine")

		stage = 0
		s = iterco.Start(co, cleanupper(&stage))
		v, err = s.AThrow(co, errZeroDivision)
		assert.Equal(t, "result", v)
		assert.NoError(t, err)
		assert.Equal(t, 4, stage)

		stage = 0
		s = iterco.Start(co, cleanupper(&stage))
		_, err = s.AThrow(co, errors.New("slap face"))
		assert.EqualError(t, err, "slap face")
		assert.Equal(t, 3, stage)
		return 0, nil
	})
	for {
		if _, done := c.Send(nil); done {
			break
		}
	}
	_, err := c.Result()
	require.NoError(t, err)
}

type ctxKey struct{}

// S17
func TestAwaitContext(t *testing.T) {
	runLoop(t, func(co *iterco.Co) error {
		ctx := context.WithValue(context.Background(), ctxKey{}, "own")
		for _, block := range []bool{false, true} {
			v, err := iterco.AwaitContext(co, ctx, func(co *iterco.Co) (any, error) {
				if block {
					task.Yield(co)
				}
				inner := iterco.Start(co, func(co *iterco.Co) (any, error) { return co.Context().Value(ctxKey{}), nil })
				return inner.Await(co)
			})
			require.NoError(t, err)
			assert.Equal(t, "own", v, "the context reaches what the coroutine starts")
			assert.Nil(t, co.Context().Value(ctxKey{}), "the caller's context is its own")
		}
		return nil
	})
}

// S18
func TestAwaitSync(t *testing.T) {
	v, err := iterco.AwaitSync(func(co *iterco.Co) (string, error) { return "simple", nil })
	assert.Equal(t, "simple", v)
	assert.NoError(t, err)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 0, io.EOF })
	assert.Equal(t, io.EOF, err, "an error comes back unchanged")

	inner := func(x int) iterco.Func[int] { return func(co *iterco.Co) (int, error) { return x + 1, nil } }
	sf := iterco.SyncFunc(func(co *iterco.Co) (int, error) { return inner(1)(co) })
	v2, err := sf()
	assert.Equal(t, 2, v2)
	assert.NoError(t, err)
	v2, _ = iterco.AwaitSync(iterco.AsyncFunc(func() (int, error) { return 3 * 2, nil }))
	assert.Equal(t, 6, v2)

	done := new(future.Future[int])
	done.SetResult(4)
	v2, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return future.Await[int](co, done) })
	assert.Equal(t, 4, v2, "awaiting something done never blocks")
	assert.NoError(t, err)

	v2, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 1, task.Yield(co) })
	assert.Equal(t, 1, v2, "a bare yield resumes at once")
	assert.NoError(t, err)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 1, task.Yield(co) }, iterco.Strict())
	var se *iterco.SynchronousError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, iterco.ErrSynchronousAbort)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		return blockHere(co, new(future.Future[int]))
	})
	require.ErrorAs(t, err, &se)
	assert.EqualError(t, err, "iterco: coroutine failed to complete synchronously")
	assert.Contains(t, string(se.Stack), "iterco_test.blockHere", "the stack says where it blocked")

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		future.Await[int](co, new(future.Future[int])) //nolint:errcheck // caught
		return 1, nil
	})
	require.ErrorAs(t, err, &se)
	assert.True(t, se.Caught)

	_, err = iterco.AwaitSync(func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Second) })
	assert.ErrorIs(t, err, task.ErrNoLoop)
}

func blockHere(co *iterco.Co, f *future.Future[int]) (int, error) { return future.Await[int](co, f) }

// S21, S22, S23, S24
func TestMonitor(t *testing.T) {
	t.Run("round trip", func(t *testing.T) {
		var m iterco.Monitor[string]
		helper := func(co *iterco.Co) (string, error) {
			back, _ := m.OOB(co, "foo")
			task.Yield(co)
			back, _ = m.OOB(co, back.(string)+"foo")
			task.Yield(co)
			return back.(string) + "foo", nil
		}
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			b := iterco.Bind(&m, helper)
			_, err := b.Await(co)
			var oob *iterco.OOBData[string]
			require.ErrorAs(t, err, &oob)
			assert.Equal(t, "foo", oob.Data)
			_, err = b.Send(co, "hoo")
			require.ErrorAs(t, err, &oob)
			assert.Equal(t, "hoofoo", oob.Data)
			v, err := b.Send(co, "how")
			assert.Equal(t, "howfoo", v)
			return 0, err
		})
		require.NoError(t, err)
	})

	t.Run("start and try-await for parsers", func(t *testing.T) {
		var m iterco.Monitor[string]
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			b := iterco.Bind(&m, func(co *iterco.Co) (int, error) {
				a, _ := m.OOB(co, "ready")
				c, _ := m.OOB(co, "more")
				return a.(int) + c.(int), nil
			})
			ready, err := b.Start(co)
			assert.Equal(t, "ready", ready)
			require.NoError(t, err)
			_, ok, err := b.TryAwait(co, 1)
			assert.False(t, ok)
			require.NoError(t, err)
			v, ok, err := b.TryAwait(co, 2)
			assert.True(t, ok)
			assert.Equal(t, 3, v)

			plain := iterco.Bind(&m, func(co *iterco.Co) (int, error) { return 0, nil })
			_, startErr := plain.Start(co)
			assert.ErrorIs(t, startErr, iterco.ErrNoOOB)

			notActive := iterco.Bind(new(iterco.Monitor[int]), func(co *iterco.Co) (any, error) {
				return m.OOB(co, "x") // m is not awaiting now
			})
			_, oobErr := notActive.Await(co)
			assert.ErrorIs(t, oobErr, iterco.ErrMonitorNotActive)
			return 0, err
		})
		require.NoError(t, err)
	})

	t.Run("throw and close", func(t *testing.T) {
		tr := &testkit.Trace{}
		var m iterco.Monitor[string]
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			b := iterco.Bind(&m, func(co *iterco.Co) (string, error) {
				if _, err := m.OOB(co, "foo"); errors.Is(err, io.EOF) {
					tr.Add("caught EOF")
					return "bar", nil
				}
				return "", nil
			})
			b.Await(co) //nolint:errcheck // OOB
			v, err := b.Throw(co, io.EOF)
			assert.Equal(t, "bar", v)
			require.NoError(t, err)

			ran := false
			fresh := iterco.Bind(&m, func(co *iterco.Co) (int, error) { ran = true; return 0, nil })
			_, err = fresh.Throw(co, io.EOF)
			assert.ErrorIs(t, err, io.EOF)
			assert.False(t, ran, "a coroutine not started ends without running")

			stubborn := iterco.Bind(&m, func(co *iterco.Co) (int, error) {
				m.OOB(co, "a")
				m.OOB(co, "b") // answers a close with more data
				return 0, nil
			})
			stubborn.Await(co) //nolint:errcheck // OOB
			assert.ErrorIs(t, stubborn.Close(co), iterco.ErrCloseIgnored)
			assert.NoError(t, stubborn.Close(co))
			assert.True(t, stubborn.IsDone())
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"caught EOF"}, tr.Events)
	})

	t.Run("re-entry and sending to a new coroutine are errors", func(t *testing.T) {
		var m iterco.Monitor[int]
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			var inner *iterco.Bound[int, int]
			outer := iterco.Bind(&m, func(co *iterco.Co) (int, error) {
				_, err := inner.Await(co)
				return 0, err
			})
			inner = iterco.Bind(&m, func(co *iterco.Co) (int, error) { return 1, nil })
			_, err := outer.Await(co)
			assert.ErrorIs(t, err, iterco.ErrMonitorActive)
			_, err = iterco.Bind(&m, func(co *iterco.Co) (int, error) { return 0, nil }).Send(co, 5)
			assert.ErrorIs(t, err, iterco.ErrSendToNew)
			return 0, nil
		})
		require.NoError(t, err)
	})

	t.Run("ordinary suspensions pass through to a task", func(t *testing.T) {
		runLoop(t, func(co *iterco.Co) error {
			var m iterco.Monitor[int]
			b := iterco.Bind(&m, func(co *iterco.Co) (string, error) {
				if err := task.Sleep(co, time.Millisecond); err != nil {
					return "", err
				}
				got, _ := m.OOB(co, 1)
				return got.(string), nil
			})
			_, err := b.Await(co)
			var oob *iterco.OOBData[int]
			require.ErrorAs(t, err, &oob)
			v, err := b.Send(co, "ok")
			assert.Equal(t, "ok", v)
			return err
		})
	})
}

// S25, S26
func TestGenerator(t *testing.T) {
	bottom := func(co *iterco.Co, g *iterco.Generator[int], i int, v any) (any, error) {
		for k := 1; k <= 3; k++ {
			base := 0
			if n, ok := v.(int); ok {
				base = n
			}
			var err error
			if v, err = g.Yield(co, i+k+base); err != nil {
				return nil, err
			}
			task.Yield(co)
		}
		return v, nil
	}
	top := func(co *iterco.Co, g *iterco.Generator[int]) error {
		v, err := bottom(co, g, 10, nil)
		if err != nil {
			return err
		}
		task.Yield(co)
		_, err = bottom(co, g, 20, v)
		return err
	}

	t.Run("all values, from the body and a helper", func(t *testing.T) {
		var got []int
		for v, err := range iterco.SyncIter[int](iterco.NewGenerator(top)) {
			require.NoError(t, err)
			got = append(got, v)
		}
		assert.Equal(t, []int{11, 12, 13, 21, 22, 23}, got)
	})

	t.Run("send", func(t *testing.T) {
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			g := iterco.NewGenerator(top)
			_, err := g.Send(co, "foo")
			assert.ErrorIs(t, err, iterco.ErrSendToNew)
			var vs []int
			for _, send := range []any{nil, 0, 100} {
				v, err := g.Send(co, send)
				require.NoError(t, err)
				vs = append(vs, v)
			}
			assert.Equal(t, []int{11, 12, 113}, vs)
			return 0, g.Close(co)
		})
		require.NoError(t, err)
	})

	t.Run("close in the middle of a for range", func(t *testing.T) {
		tr := &testkit.Trace{}
		g := iterco.NewGenerator(func(co *iterco.Co, g *iterco.Generator[int]) error {
			defer tr.Add("gen finally")
			for i := range 10 {
				if _, err := g.Yield(co, i); err != nil {
					tr.Add("gen got %v", err)
					return err
				}
			}
			return nil
		})
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			for v, err := range g.All(co) {
				require.NoError(t, err)
				if v == 1 {
					break
				}
			}
			assert.True(t, g.IsDone())
			_, err := g.Next(co)
			assert.ErrorIs(t, err, iterco.ErrExhausted)
			assert.NoError(t, g.Close(co), "closing again does nothing")
			return 0, nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"gen got iterco: coroutine closed", "gen finally"}, tr.Events)
	})

	t.Run("strict: an item that blocks ends the sequence", func(t *testing.T) {
		g := iterco.NewGenerator(func(co *iterco.Co, g *iterco.Generator[int]) error {
			if _, err := g.Yield(co, 11); err != nil {
				return err
			}
			task.Yield(co)
			_, err := g.Yield(co, 12)
			return err
		})
		var got []int
		var last error
		for v, err := range iterco.SyncIter[int](g, iterco.Strict()) {
			if err != nil {
				last = err
				break
			}
			got = append(got, v)
		}
		assert.Equal(t, []int{11}, got)
		var se *iterco.SynchronousError
		assert.ErrorAs(t, last, &se)
	})

	t.Run("yield from another task is an error", func(t *testing.T) {
		runLoop(t, func(co *iterco.Co) error {
			g := iterco.NewGenerator(func(co *iterco.Co, g *iterco.Generator[int]) error {
				helper := task.Create(co, func(co *iterco.Co) (any, error) { return g.Yield(co, 2) })
				_, err := future.Await[any](co, helper)
				return err
			})
			_, err := g.Next(co)
			assert.ErrorContains(t, err, "not waitable")
			return nil
		})
	})
}

// S27
func TestIntrospection(t *testing.T) {
	var m iterco.Monitor[int]
	var b *iterco.Bound[int, int]
	var inside [3]bool
	b = iterco.Bind(&m, func(co *iterco.Co) (int, error) {
		inside = [3]bool{b.IsNew(), b.IsSuspended(), b.IsDone()}
		m.OOB(co, 1)
		return 0, nil
	})
	_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		assert.Equal(t, [3]bool{true, false, false}, [3]bool{b.IsNew(), b.IsSuspended(), b.IsDone()})
		b.Await(co) //nolint:errcheck // OOB
		assert.Equal(t, [3]bool{false, false, false}, inside)
		assert.Equal(t, [3]bool{false, true, false}, [3]bool{b.IsNew(), b.IsSuspended(), b.IsDone()})
		assert.Contains(t, string(b.Stack()), "iterco_test.TestIntrospection")
		b.Await(co) //nolint:errcheck // done
		assert.Equal(t, [3]bool{false, false, true}, [3]bool{b.IsNew(), b.IsSuspended(), b.IsDone()})
		return 0, nil
	})
	require.NoError(t, err)
}

func TestGeneratorThrowAndRunning(t *testing.T) {
	_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
		var g *iterco.Generator[int]
		g = iterco.NewGenerator(func(co *iterco.Co, gen *iterco.Generator[int]) error {
			_, err := gen.Yield(co, 1)
			if errors.Is(err, io.EOF) {
				_, err = gen.Yield(co, 2) // caught: yield again
			}
			if err != nil {
				return err
			}
			_, again := g.Next(co) // from inside: it is running
			assert.ErrorIs(t, again, iterco.ErrGeneratorRunning)
			assert.True(t, g.Running())
			return errors.New("body failed")
		})
		assert.True(t, g.IsNew())
		v, err := g.Next(co)
		require.NoError(t, err)
		assert.Equal(t, 1, v)
		assert.True(t, g.IsSuspended())
		assert.Contains(t, string(g.Stack()), "iterco_test")
		v, err = g.Throw(co, io.EOF)
		assert.Equal(t, 2, v, "a caught throw yields the next value")
		assert.NoError(t, err)
		_, err = g.Next(co)
		assert.EqualError(t, err, "body failed")
		_, err = g.Throw(co, io.EOF)
		assert.ErrorIs(t, err, iterco.ErrExhausted)

		fresh := iterco.NewGenerator(func(co *iterco.Co, gen *iterco.Generator[int]) error { return nil })
		_, err = fresh.Throw(co, io.EOF)
		assert.ErrorIs(t, err, io.EOF, "a generator not started ends with the error")
		return 0, nil
	})
	require.NoError(t, err)
}

func TestStartedIntrospection(t *testing.T) {
	runLoop(t, func(co *iterco.Co) error {
		s := iterco.Start(co, func(co *iterco.Co) (int, error) { return 0, parkTask(co) })
		assert.False(t, s.IsNew())
		assert.True(t, s.IsSuspended())
		assert.False(t, s.IsDone())
		assert.Contains(t, string(s.Stack()), "iterco_test.parkTask")
		_, err := s.Await(co)
		assert.True(t, s.IsDone())
		assert.Nil(t, s.Stack())
		return err
	})
}

func parkTask(co *iterco.Co) error { return task.Yield(co) }

func TestErrorTexts(t *testing.T) {
	assert.EqualError(t, &iterco.OOBData[int]{Data: 7}, "iterco: out-of-band data: 7")
	assert.EqualError(t, &iterco.SynchronousError{Err: io.EOF}, "iterco: coroutine failed to complete synchronously: EOF")
	assert.ErrorIs(t, &iterco.SynchronousError{Err: io.EOF}, io.EOF)
	assert.Contains(t, (&iterco.SynchronousError{Caught: true}).Error(), "handled the abort")
}
