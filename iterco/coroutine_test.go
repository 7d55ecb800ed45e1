package iterco_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// echo suspends on "ready", then keeps suspending on what it was sent,
// until sent "stop"; it returns how many values it received.
func echo(co *iterco.Co) (int, error) {
	n := 0
	v, err := co.Suspend("ready")
	for ; err == nil && v != "stop"; v, err = co.Suspend(v) {
		n++
	}
	return n, err
}

func TestSendRoundTrip(t *testing.T) {
	c := iterco.New(echo)
	assert.True(t, c.IsNew())
	got, done := c.Send(nil)
	assert.Equal(t, "ready", got)
	assert.False(t, done)
	assert.True(t, c.IsSuspended())
	for _, v := range []string{"a", "b"} {
		got, done = c.Send(v)
		assert.Equal(t, v, got)
		assert.False(t, done)
	}
	_, err := c.Result()
	assert.ErrorIs(t, err, future.ErrInvalidState)
	_, done = c.Send("stop")
	require.True(t, done)
	assert.True(t, c.IsDone())
	n, err := c.Result()
	assert.Equal(t, 2, n)
	assert.NoError(t, err)
}

func TestStates(t *testing.T) {
	var c *iterco.Coroutine[int]
	var inside [3]bool
	c = iterco.New(func(co *iterco.Co) (int, error) {
		inside = [3]bool{c.IsNew(), c.IsSuspended(), c.IsDone()}
		_, err := co.Suspend(nil)
		return 1, err
	})
	assert.Equal(t, [3]bool{true, false, false}, [3]bool{c.IsNew(), c.IsSuspended(), c.IsDone()})
	c.Send(nil)
	assert.Equal(t, [3]bool{false, false, false}, inside, "a running coroutine is neither new, suspended nor done")
	assert.Equal(t, [3]bool{false, true, false}, [3]bool{c.IsNew(), c.IsSuspended(), c.IsDone()})
	c.Send(nil)
	assert.Equal(t, [3]bool{false, false, true}, [3]bool{c.IsNew(), c.IsSuspended(), c.IsDone()})
}

func TestThrow(t *testing.T) {
	boom := errors.New("boom")
	t.Run("into a new coroutine ends it without running its code", func(t *testing.T) {
		ran := false
		c := iterco.New(func(co *iterco.Co) (int, error) { ran = true; return 1, nil })
		_, done := c.Throw(boom)
		assert.True(t, done)
		assert.False(t, ran)
		_, err := c.Result()
		assert.ErrorIs(t, err, boom)
	})
	t.Run("into a suspended one is returned by Suspend", func(t *testing.T) {
		c := iterco.New(func(co *iterco.Co) (string, error) {
			if _, err := co.Suspend(nil); err != nil {
				return "handled " + err.Error(), nil
			}
			return "not thrown", nil
		})
		c.Send(nil)
		_, done := c.Throw(boom)
		require.True(t, done)
		v, err := c.Result()
		assert.Equal(t, "handled boom", v)
		assert.NoError(t, err)
	})
	t.Run("a nil error panics", func(t *testing.T) {
		c := iterco.New(echo)
		assert.PanicsWithValue(t, "iterco.Coroutine.Throw: nil error", func() { c.Throw(nil) })
	})
}

func TestClose(t *testing.T) {
	tests := []struct {
		name    string
		fn      iterco.Func[int]
		started bool
		wantErr error
		wantLog []string
	}{
		{
			name:    "a new coroutine ends without running",
			fn:      func(co *iterco.Co) (int, error) { panic("must not run") },
			wantErr: nil,
		},
		{
			name:    "a suspended one that returns ErrClosed closes cleanly",
			fn:      func(co *iterco.Co) (int, error) { _, err := co.Suspend(nil); return 0, err },
			started: true,
			wantErr: nil,
		},
		{
			name: "one that returns another error reports it",
			fn: func(co *iterco.Co) (int, error) {
				co.Suspend(nil)
				return 0, errors.New("cleanup failed")
			},
			started: true,
			wantErr: errors.New("cleanup failed"),
		},
		{
			name: "one that suspends again ignored the close",
			fn: func(co *iterco.Co) (int, error) {
				co.Suspend(nil)
				_, err := co.Suspend(nil) // a second suspension after ErrClosed
				return 0, err
			},
			started: true,
			wantErr: iterco.ErrCloseIgnored,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := iterco.New(tt.fn)
			if tt.started {
				c.Send(nil)
			}
			err := c.Close()
			if tt.wantErr == nil {
				assert.NoError(t, err)
				assert.True(t, c.IsDone())
			} else {
				assert.EqualError(t, err, tt.wantErr.Error())
			}
			if c.IsSuspended() { // ignored: a second close ends it
				assert.NoError(t, c.Close())
			}
			assert.NoError(t, c.Close(), "closing a finished coroutine does nothing")
		})
	}
}

func TestPanicBecomesPanicError(t *testing.T) {
	c := iterco.New(func(co *iterco.Co) (int, error) {
		co.Suspend(nil)
		panic(errors.New("inner"))
	})
	c.Send(nil)
	_, done := c.Send(nil)
	require.True(t, done)
	_, err := c.Result()
	var pe *iterco.PanicError
	require.ErrorAs(t, err, &pe)
	assert.EqualError(t, pe.Unwrap(), "inner")
	assert.Contains(t, string(pe.Stack), "coroutine_test.go")
	assert.EqualError(t, err, "iterco: panic: inner")
}

func TestStackOfSuspendedCoroutine(t *testing.T) {
	c := iterco.New(func(co *iterco.Co) (int, error) {
		_, err := parkHere(co)
		return 0, err
	})
	assert.Nil(t, c.Stack(), "a new coroutine has no stack")
	c.Send(nil)
	st := string(c.Stack())
	assert.Contains(t, st, "iterco_test.parkHere")
	assert.True(t, c.IsSuspended(), "reading the stack does not resume it")
	require.NoError(t, c.Close())
	assert.Nil(t, c.Stack())
}

func parkHere(co *iterco.Co) (any, error) { return co.Suspend("parked") }

func TestMisuse(t *testing.T) {
	t.Run("a Co used after its coroutine returned", func(t *testing.T) {
		var saved *iterco.Co
		c := iterco.New(func(co *iterco.Co) (int, error) { saved = co; return 0, nil })
		c.Send(nil)
		_, err := saved.Suspend(nil)
		assert.ErrorIs(t, err, iterco.ErrNotCurrent)
	})
	t.Run("a Co used while its coroutine is suspended", func(t *testing.T) {
		var saved *iterco.Co
		c := iterco.New(func(co *iterco.Co) (any, error) { saved = co; return co.Suspend(nil) })
		c.Send(nil)
		_, err := saved.Suspend(nil)
		assert.ErrorIs(t, err, iterco.ErrNotCurrent)
		require.NoError(t, c.Close())
	})
	t.Run("resuming a done coroutine panics", func(t *testing.T) {
		c := iterco.New(func(co *iterco.Co) (int, error) { return 0, nil })
		c.Send(nil)
		assert.PanicsWithValue(t, "iterco.Coroutine: resumed after it finished", func() { c.Send(nil) })
	})
	t.Run("resuming a running coroutine panics", func(t *testing.T) {
		var c *iterco.Coroutine[int]
		c = iterco.New(func(co *iterco.Co) (int, error) {
			assert.PanicsWithValue(t, "iterco.Coroutine: resumed while running", func() { c.Send(nil) })
			return 0, nil
		})
		c.Send(nil)
	})
	t.Run("a value sent into a new coroutine panics", func(t *testing.T) {
		c := iterco.New(echo)
		assert.PanicsWithValue(t, "iterco.Coroutine.Send: non-nil value sent to a new coroutine", func() { c.Send(1) })
	})
	t.Run("a nil function panics", func(t *testing.T) {
		assert.PanicsWithValue(t, "iterco.New: nil function", func() { iterco.New[int](nil) })
	})
	t.Run("helpers need the caller's Co", func(t *testing.T) {
		assert.PanicsWithValue(t, "iterco.Start: nil parent (from plain code, use New or AwaitSync)", func() {
			iterco.Start(nil, func(co *iterco.Co) (int, error) { return 0, nil })
		})
		b := iterco.Bind(new(iterco.Monitor[int]), func(co *iterco.Co) (int, error) { return 0, nil })
		assert.Panics(t, func() { b.Await(nil) })
	})
}

func TestContextDefaultsToBackground(t *testing.T) {
	c := iterco.New(func(co *iterco.Co) (bool, error) {
		return co.Context() != nil && co.Context().Err() == nil && co.Owner() == nil, nil
	})
	c.Send(nil)
	ok, _ := c.Result()
	assert.True(t, ok)
}
