package iterco_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// A coroutine under a Monitor that returns an *OOBData as its error has
// not handed out data: every way of driving it says so with ErrOOBReturned.
func TestReturnedOOBDataIsNotData(t *testing.T) {
	returnsOOB := func(co *iterco.Co) (int, error) { return 0, &iterco.OOBData[string]{Data: "fake"} }
	tests := []struct {
		name  string
		drive func(co *iterco.Co, b *iterco.Bound[string, int]) error
	}{
		{"Await", func(co *iterco.Co, b *iterco.Bound[string, int]) error { _, err := b.Await(co); return err }},
		{"Start", func(co *iterco.Co, b *iterco.Bound[string, int]) error { _, err := b.Start(co); return err }},
		{"TryAwait", func(co *iterco.Co, b *iterco.Bound[string, int]) error {
			_, ok, err := b.TryAwait(co, nil)
			assert.True(t, ok, "an outcome, not data")
			return err
		}},
		{"Step", func(co *iterco.Co, b *iterco.Bound[string, int]) error {
			_, oob, _, err := b.Step(co, nil)
			assert.False(t, oob)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
				var m iterco.Monitor[string]
				return 0, tt.drive(co, iterco.Bind(&m, returnsOOB))
			})
			require.ErrorIs(t, err, iterco.ErrOOBReturned)
			var oob *iterco.OOBData[string]
			assert.False(t, errors.As(err, &oob), "cannot be mistaken for data")
		})
	}
	t.Run("Close", func(t *testing.T) {
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			var m iterco.Monitor[string]
			b := iterco.Bind(&m, func(co *iterco.Co) (int, error) {
				if _, err := m.OOB(co, "want input"); err != nil {
					return 0, &iterco.OOBData[string]{Data: "fake"}
				}
				return 0, nil
			})
			_, err := b.Start(co)
			require.NoError(t, err)
			return 0, b.Close(co)
		})
		assert.ErrorIs(t, err, iterco.ErrOOBReturned)
		assert.NotErrorIs(t, err, iterco.ErrCloseIgnored)
	})
}

// A coroutine that suspends again after AwaitSync delivered the abort
// ignored it, whatever it returns in the end.
func TestAwaitSyncIgnoredAbort(t *testing.T) {
	tests := []struct {
		name    string
		returns error
	}{
		{"returning nil", nil},
		{"returning the close", iterco.ErrClosed},
		{"returning another error", errors.New("other")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			closed := false
			_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
				pending := new(future.Future[int])
				future.Await[int](co, pending) //nolint:errcheck // the abort, ignored
				_, err := future.Await[int](co, pending)
				closed = errors.Is(err, iterco.ErrClosed)
				return 0, tt.returns
			})
			var se *iterco.SynchronousError
			require.ErrorAs(t, err, &se)
			assert.ErrorIs(t, err, iterco.ErrIgnored)
			assert.ErrorIs(t, err, iterco.ErrSynchronousAbort)
			assert.False(t, se.Caught)
			assert.True(t, closed, "the coroutine is closed")
			assert.Contains(t, err.Error(), "ignored the abort")
		})
	}
}

var (
	_ future.Waitable       = (*iterco.Outcome[int])(nil)
	_ future.Awaitable[int] = (*iterco.Outcome[int])(nil)
)

func TestStartedAsFuture(t *testing.T) {
	t.Run("a done Started gives a done future and can still be awaited", func(t *testing.T) {
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			s := iterco.Start(co, func(co *iterco.Co) (int, error) { return 7, nil })
			f, err := s.AsFuture()
			require.NoError(t, err)
			assert.True(t, f.Done())
			v, err := f.Result()
			assert.Equal(t, 7, v)
			assert.NoError(t, err)
			v, err = future.Await[int](co, f)
			assert.Equal(t, 7, v)
			assert.NoError(t, err)
			assert.True(t, s.Done(), "not consumed")
			v, err = s.Await(co)
			assert.Equal(t, 7, v)
			assert.NoError(t, err)
			_, err = s.AsFuture()
			assert.ErrorIs(t, err, iterco.ErrReused, "once awaited it is gone")
			return 0, nil
		})
		require.NoError(t, err)
	})
	t.Run("a failed one keeps its error", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			s := iterco.Start(co, func(co *iterco.Co) (int, error) { return 0, boom })
			f, err := s.AsFuture()
			require.NoError(t, err)
			assert.ErrorIs(t, f.Err(), boom)
			var w future.Waitable = f
			assert.False(t, w.Cancel(""), "a done future cannot be cancelled")
			return s.Await(co)
		})
		assert.ErrorIs(t, err, boom)
	})
	t.Run("a pending one cannot be a future", func(t *testing.T) {
		_, err := iterco.AwaitSync(func(co *iterco.Co) (int, error) {
			s := iterco.Start(co, func(co *iterco.Co) (int, error) {
				return future.Await[int](co, new(future.Future[int]))
			})
			_, err := s.AsFuture()
			assert.ErrorIs(t, err, iterco.ErrNotDone)
			return 0, s.Close()
		})
		require.NoError(t, err)
	})
}
