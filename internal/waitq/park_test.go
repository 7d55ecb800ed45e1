package waitq_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// run runs main on a loop with a virtual clock and returns what reached
// the exception handler.
func run(t *testing.T, main func(co *iterco.Co) error) []task.Exception {
	t.Helper()
	var got []task.Exception
	_, err := task.Run(context.Background(), task.Proc(main),
		task.WithClock(task.NewVirtualClock(time.Time{})),
		task.WithExceptionHandler(func(e task.Exception) { got = append(got, e) }))
	require.NoError(t, err)
	return got
}

func TestParkWakesInOrderAndRecyclesWaiters(t *testing.T) {
	run(t, func(co *iterco.Co) error {
		var l waitq.List
		l.Kind, l.Label = "test.Primitive", func() string { return "test.Primitive (busy)" }
		loop := task.LoopOf(co)
		var order []string
		park := func(name string) *task.Task[struct{}] {
			return task.Create(co, task.Proc(func(co *iterco.Co) error {
				w := l.Join(loop)
				assert.Zero(t, w.Key)
				assert.Nil(t, w.Who)
				granted, err := l.Wait(co, w)
				order = append(order, name)
				assert.True(t, granted)
				return err
			}), task.Name(name))
		}
		a, b := park("a"), park("b")
		task.Yield(co)
		require.Equal(t, 2, l.Len())
		assert.Equal(t, "test.Primitive (busy)", task.WaitingOn(a), "a waiter says what it waits for")
		assert.Equal(t, "test.Primitive", l.Front().Kind())
		assert.True(t, l.WakeHead())
		assert.False(t, l.WakeHead(), "the head holds a grant it has not used")
		assert.True(t, l.WakeFirst(), "the next one")
		if _, err := task.Gather[struct{}](co, a, b); err != nil {
			return err
		}
		assert.Equal(t, []string{"a", "b"}, order)
		assert.Zero(t, l.Len())
		// A waiter comes from the spare list now: no allocation.
		w := l.Add(loop, 7, "who")
		assert.Equal(t, 7, w.Key)
		assert.Equal(t, "who", w.Who)
		assert.True(t, l.Remove(w))
		assert.Equal(t, "a synchronization primitive", w.String(), "out of any list")
		assert.Equal(t, "", w.Kind())
		return nil
	})
}

func TestAWaiterIsAWaitable(t *testing.T) {
	run(t, func(co *iterco.Co) error {
		var l waitq.List
		loop := task.LoopOf(co)
		w := l.Add(loop, 0, nil)
		var f future.Waitable = w
		woken := false
		assert.True(t, f.AddWaiter(loop, &waker{func() { woken = true }}))
		assert.False(t, f.Done())
		assert.False(t, f.RemoveWaiter(&waker{}), "never added")
		assert.True(t, w.CancelCause(errors.New("why")))
		assert.True(t, f.Done())
		assert.False(t, f.Cancel("again"))
		task.Yield(co)
		assert.True(t, woken)
		assert.True(t, l.AllCancelled())
		l.Remove(w)
		return nil
	})
}

type waker struct{ f func() }

func (w *waker) Wake() { w.f() }

func TestACancelledWaitReturnsTheCancellation(t *testing.T) {
	run(t, func(co *iterco.Co) error {
		var l waitq.List
		loop := task.LoopOf(co)
		waiter := task.Create(co, func(co *iterco.Co) (bool, error) { return l.Wait(co, l.Add(loop, 0, nil)) })
		task.Yield(co)
		waiter.Cancel("stop")
		granted, err := waiter.Await(co)
		assert.False(t, granted)
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.Zero(t, l.Len(), "it left the list")
		return nil
	})
}

// lock is a minimal Locker for a condition's wait.
type lock struct {
	held  bool
	fails int // Acquire fails this many times first
}

func (k *lock) Acquire(*iterco.Co) error {
	if k.fails > 0 {
		k.fails--
		return errors.New("acquire failed")
	}
	k.held = true
	return nil
}

func (k *lock) Release(*iterco.Co) error {
	if !k.held {
		return errors.New("not held")
	}
	k.held = false
	return nil
}

// waitReleased is a condition variable's wait on l, as Release's doc
// writes it.
func waitReleased(co *iterco.Co, l *waitq.List, loop future.Loop, who any, k waitq.Locker) error {
	w, err := l.Release(co, loop, 0, who, k)
	if w == nil {
		return err
	}
	notified, err := l.Wait(co, w)
	return l.Reacquire(co, k, notified, err)
}

func TestAConditionsWait(t *testing.T) {
	run(t, func(co *iterco.Co) error {
		var l waitq.List
		loop := task.LoopOf(co)
		k := &lock{}
		assert.EqualError(t, waitReleased(co, &l, loop, nil, k), "not held", "a wait without the lock")

		// Notified: the lock is taken again before it returns.
		k.held = true
		w := task.Create(co, func(co *iterco.Co) (bool, error) {
			err := waitReleased(co, &l, loop, "me", k)
			return k.held, err
		})
		task.Yield(co)
		assert.False(t, k.held, "released while it waits")
		l.WakeN(1)
		held, err := w.Await(co)
		assert.NoError(t, err)
		assert.True(t, held)

		// Notified, then cancelled before it ran: the notification goes to
		// the next waiter; and a failed re-acquisition is retried, its
		// error returned.
		var second *task.Task[bool]
		first := task.Create(co, func(co *iterco.Co) (bool, error) {
			return false, waitReleased(co, &l, loop, nil, k)
		})
		task.Yield(co)
		k.held = true
		second = task.Create(co, func(co *iterco.Co) (bool, error) {
			return true, waitReleased(co, &l, loop, nil, k)
		})
		task.Yield(co)
		l.WakeN(1)
		first.Cancel("gone")
		k.fails = 1
		_, err = first.Await(co)
		assert.ErrorIs(t, err, future.ErrCancelled)
		_, err = second.Await(co)
		assert.NoError(t, err, "the notification passed on")
		return nil
	})
}

// owned records what OwnerWatch tells it.
type owned struct{ ended []task.Any }

func (o *owned) OwnerEnded(t task.Any) { o.ended = append(o.ended, t) }

func TestOwnerWatch(t *testing.T) {
	var o owned
	got := run(t, func(co *iterco.Co) error {
		loop := task.LoopOf(co)
		// owner makes a task that runs until its end is set.
		owner := func() (*task.Task[int], *future.Future[int]) {
			end := task.NewFuture[int](co)
			return task.Create(co, func(co *iterco.Co) (int, error) { return end.Await(co) }), end
		}
		finish := func(end *future.Future[int]) {
			end.SetResult(0)
			for range 3 {
				task.Yield(co)
			}
		}
		var w waitq.OwnerWatch
		w.Watch(loop, nil, &o) // nothing to watch
		a, endA := owner()
		b, endB := owner()
		c, endC := owner()
		w.Watch(loop, a, &o)
		w.Watch(loop, b, &o)
		w.Watch(loop, a, &o) // already: nothing more, and a is the newer
		w.Watch(loop, c, &o) // in place of b, watched longer ago
		finish(endB)
		assert.Empty(t, o.ended, "b's watch was let go")
		finish(endA)
		finish(endC)
		assert.Equal(t, []task.Any{a, c}, o.ended, "a and c, each once")

		d, endD := owner()
		w.Watch(loop, d, &o)
		w.Stop()
		finish(endD)
		assert.Len(t, o.ended, 2, "a stopped watch tells nothing")

		failed := task.Create(co, task.Proc(func(*iterco.Co) error { return errors.New("own error") }))
		failed.Await(co)
		waitq.ReportAbandoned(loop, failed, errors.New("abandoned"))
		return nil
	})
	require.Len(t, got, 1)
	assert.EqualError(t, got[0].Err, "abandoned\nown error")
}
