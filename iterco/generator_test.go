package iterco_test

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

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
		testkit.Run(t, func(co *iterco.Co) error {
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
