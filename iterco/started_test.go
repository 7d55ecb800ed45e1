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

// S13, S14
func TestStarted(t *testing.T) {
	t.Run("a coroutine that finishes during its start", func(t *testing.T) {
		tr := &testkit.Trace{}
		testkit.Run(t, func(co *iterco.Co) error {
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
		testkit.Run(t, func(co *iterco.Co) error {
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
		testkit.Run(t, func(co *iterco.Co) error {
			s := iterco.Start(co, func(co *iterco.Co) (int, error) { return 5, task.Yield(co) })
			v, err := future.Await[int](co, task.Continue(co, s))
			assert.Equal(t, 5, v)
			return err
		})
	})
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
	testkit.Run(t, func(co *iterco.Co) error {
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

func TestStartedIntrospection(t *testing.T) {
	testkit.Run(t, func(co *iterco.Co) error {
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
