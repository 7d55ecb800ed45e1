package iterco_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

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
		testkit.Run(t, func(co *iterco.Co) error {
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
