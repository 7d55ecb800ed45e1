package future_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// fakeLoop queues callbacks; run runs what is queued.
type fakeLoop struct{ queue []func() }

func (l *fakeLoop) CallSoon(fn func()) { l.queue = append(l.queue, fn) }

func (l *fakeLoop) run() {
	for len(l.queue) > 0 {
		fn := l.queue[0]
		l.queue = l.queue[1:]
		fn()
	}
}

type waiter struct {
	name string
	log  *[]string
}

func (w *waiter) Wake() { *w.log = append(*w.log, w.name) }

func TestOutcomes(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name          string
		give          func(f *future.Future[int])
		wantValue     int
		wantErr       error
		wantCancelled bool
	}{
		{"a result", func(f *future.Future[int]) { f.SetResult(7) }, 7, nil, false},
		{"an error", func(f *future.Future[int]) { f.SetError(boom) }, 0, boom, false},
		{"a cancel", func(f *future.Future[int]) { f.Cancel("") }, 0, future.ErrCancelled, true},
		{"a cancelling error", func(f *future.Future[int]) { f.SetError(future.CancelError("x")) }, 0, future.ErrCancelled, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := future.New[int](&fakeLoop{})
			assert.False(t, f.Done())
			_, err := f.Result()
			assert.ErrorIs(t, err, future.ErrInvalidState)
			tt.give(f)
			assert.True(t, f.Done())
			assert.Equal(t, tt.wantCancelled, f.Cancelled())
			assert.False(t, f.Retrieved())
			v, err := f.Result()
			assert.Equal(t, tt.wantValue, v)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.True(t, f.Retrieved())
			assert.ErrorIs(t, f.SetResult(1), future.ErrInvalidState)
			assert.ErrorIs(t, f.SetError(boom), future.ErrInvalidState)
			assert.False(t, f.Cancel(""))
		})
	}
}

func TestCancelError(t *testing.T) {
	assert.Equal(t, future.ErrCancelled, future.CancelError(""))
	err := future.CancelError("shutting down")
	assert.ErrorIs(t, err, future.ErrCancelled)
	assert.ErrorIs(t, err, context.Canceled)
	assert.EqualError(t, err, "future: cancelled: shutting down")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
}

func TestSetErrorNilPanics(t *testing.T) {
	assert.PanicsWithValue(t, "future.SetError: nil error", func() {
		new(future.Future[int]).SetError(nil)
	})
}

func TestWaitersAndCallbacksRunInRegistrationOrderAfterCompletion(t *testing.T) {
	l := &fakeLoop{}
	f := future.New[string](l)
	var log []string
	f.AddWaiter(l, &waiter{"w1", &log})
	f.AddDoneCallback(func(f *future.Future[string]) {
		v, _ := f.Result()
		log = append(log, "cb1 "+v)
	})
	removed := f.AddDoneCallback(func(*future.Future[string]) { log = append(log, "removed") })
	f.AddWaiter(l, &waiter{"w2", &log})
	f.AddDoneCallback(func(*future.Future[string]) { log = append(log, "cb2") })
	assert.True(t, f.RemoveDoneCallback(removed))
	assert.False(t, f.RemoveDoneCallback(removed))

	f.SetResult("v")
	assert.Equal(t, []string{"w1", "w2"}, log, "waiters are woken inside SetResult; callbacks only queued")
	l.run()
	assert.Equal(t, []string{"w1", "w2", "cb1 v", "cb2"}, log)

	f.AddDoneCallback(func(*future.Future[string]) { log = append(log, "late") })
	assert.Len(t, l.queue, 1, "a callback added to a done future is scheduled at once")
	l.run()
	assert.Equal(t, "late", log[len(log)-1])
}

func TestLoopBinding(t *testing.T) {
	l1, l2 := &fakeLoop{}, &fakeLoop{}
	var f future.Future[int]
	assert.Nil(t, f.Loop())
	assert.PanicsWithValue(t, "future.AddDoneCallback: future is not bound to a loop", func() {
		f.AddDoneCallback(func(*future.Future[int]) {})
	})
	var log []string
	require.True(t, f.AddWaiter(l1, &waiter{"w", &log}))
	assert.Equal(t, l1, f.Loop())
	assert.False(t, f.AddWaiter(l2, &waiter{"other", &log}))
	assert.False(t, f.Bind(l2))
	assert.True(t, f.Bind(l1))
	assert.False(t, f.RemoveWaiter(&waiter{"w", &log}), "waiters compare by identity")
}

func TestAwait(t *testing.T) {
	t.Run("a done future returns at once without suspending", func(t *testing.T) {
		f := future.New[int](nil)
		f.SetResult(5)
		c := iterco.New(func(co *iterco.Co) (int, error) { return future.Await[int](co, f) })
		_, done := c.Send(nil)
		require.True(t, done)
		v, err := c.Result()
		assert.Equal(t, 5, v)
		assert.NoError(t, err)
	})

	t.Run("a pending future suspends on itself until done", func(t *testing.T) {
		f := new(future.Future[int])
		c := iterco.New(func(co *iterco.Co) (int, error) { return future.Await[int](co, f) })
		got, done := c.Send(nil)
		require.False(t, done)
		assert.Same(t, f, got)
		f.SetResult(9)
		_, done = c.Send(nil)
		require.True(t, done)
		v, err := c.Result()
		assert.Equal(t, 9, v)
		assert.NoError(t, err)
	})

	t.Run("an error thrown in while waiting is returned and the future left alone", func(t *testing.T) {
		f := new(future.Future[int])
		boom := errors.New("interrupted")
		c := iterco.New(func(co *iterco.Co) (int, error) { return future.Await[int](co, f) })
		c.Send(nil)
		_, done := c.Throw(boom)
		require.True(t, done)
		_, err := c.Result()
		assert.ErrorIs(t, err, boom)
		assert.False(t, f.Done())
	})

	t.Run("a nil awaitable is an error", func(t *testing.T) {
		c := iterco.New(func(co *iterco.Co) (int, error) { return future.Await[int](co, nil) })
		c.Send(nil)
		_, err := c.Result()
		assert.ErrorIs(t, err, future.ErrInvalidState)
	})
}

// lazyValue is a user-defined awaitable: each await runs its body anew.
type lazyValue struct{ calls int }

func (l *lazyValue) Await(co *iterco.Co) (int, error) {
	l.calls++
	if _, err := co.Suspend(nil); err != nil {
		return 0, err
	}
	return l.calls * 10, nil
}

func TestUserAwaitable(t *testing.T) {
	lv := &lazyValue{}
	c := iterco.New(func(co *iterco.Co) (int, error) {
		a, err := future.Await[int](co, lv)
		if err != nil {
			return 0, err
		}
		b, err := future.Await[int](co, lv)
		return a + b, err
	})
	for {
		if _, done := c.Send(nil); done {
			break
		}
	}
	v, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, 30, v)
}

func TestReset(t *testing.T) {
	f := future.New[int](&fakeLoop{})
	require.ErrorIs(t, f.Reset(), future.ErrInvalidState, "a pending future")

	require.NoError(t, f.SetResult(1))
	require.ErrorIs(t, f.Reset(), future.ErrInvalidState, "an outcome nobody read")
	assert.True(t, f.Done(), "a refused Reset changes nothing")

	v, err := f.Result()
	require.NoError(t, err)
	require.Equal(t, 1, v)
	require.NoError(t, f.Reset())
	assert.False(t, f.Done())
	assert.False(t, f.Retrieved())
	_, err = f.Result()
	assert.ErrorIs(t, err, future.ErrInvalidState, "pending again")

	// It carries the next outcome, an error this time, and its waiters.
	var w wakeCounter
	f.AddWaiter(f.Loop(), &w)
	require.NoError(t, f.SetError(errors.New("second")))
	assert.Equal(t, 1, w.n)
	assert.EqualError(t, f.Err(), "second")
	require.NoError(t, f.Reset())
	_, err = f.Result()
	assert.ErrorIs(t, err, future.ErrInvalidState, "the error is gone too")
}

// wakeCounter is a Waiter that counts its wake-ups.
type wakeCounter struct{ n int }

func (w *wakeCounter) Wake() { w.n++ }
