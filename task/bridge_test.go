package task_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestGo(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		fn      func(context.Context) (int, error)
		want    int
		wantErr error
	}{
		{"a value", func(context.Context) (int, error) { return 4, nil }, 4, nil},
		{"an error", func(context.Context) (int, error) { return 0, boom }, 0, boom},
		{"a blocking call", func(context.Context) (int, error) { time.Sleep(5 * time.Millisecond); return 1, nil }, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := run(t, func(co *iterco.Co) (int, error) {
				return future.Await[int](co, task.Go(co, tt.fn))
			})
			assert.Equal(t, tt.want, v)
			assert.ErrorIs(t, err, tt.wantErr)
		})
	}

	t.Run("a panic arrives as a PanicError", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return future.Await[int](co, task.Go(co, func(context.Context) (int, error) { panic("in goroutine") }))
		})
		var pe *iterco.PanicError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "in goroutine", pe.Value)
	})

	t.Run("cancelling the future cancels the goroutine's context", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			f := task.Go(co, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 0, context.Cause(ctx)
			})
			f.Cancel("")
			_, err := future.Await[int](co, f)
			return 0, err
		})
		assert.ErrorIs(t, err, future.ErrCancelled)
	})

	t.Run("cancelling the future once the function runs cancels its context", func(t *testing.T) {
		started := make(chan struct{})
		var cause error
		_, err := run(t, func(co *iterco.Co) (int, error) {
			f := task.Go(co, func(ctx context.Context) (int, error) {
				close(started)
				<-ctx.Done()
				cause = context.Cause(ctx)
				return 0, cause
			})
			if _, _, err := task.Recv(co, started); err != nil {
				return 0, err
			}
			f.Cancel("")
			_, err := future.Await[int](co, f)
			return 0, err
		})
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.ErrorIs(t, cause, context.Canceled, "read after Run, which waits for the goroutine")
	})

	t.Run("the context has the task's values and ends with the task", func(t *testing.T) {
		type key struct{}
		var got any
		ended := make(chan struct{})
		ctx := context.WithValue(context.Background(), key{}, "v")
		_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
			task.Go(co, func(ctx context.Context) (int, error) {
				got = ctx.Value(key{})
				<-ctx.Done() // the task returns without awaiting the call
				close(ended)
				return 0, nil
			})
			return 0, nil
		}, virtual())
		require.NoError(t, err)
		<-ended
		assert.Equal(t, "v", got)
	})

	t.Run("cancelling the task cancels the goroutine and Close waits for it", func(t *testing.T) {
		returned := make(chan struct{})
		_, err := run(t, func(co *iterco.Co) (int, error) {
			child := task.Create(co, func(co *iterco.Co) (int, error) {
				return future.Await[int](co, task.Go(co, func(ctx context.Context) (int, error) {
					<-ctx.Done()
					time.Sleep(5 * time.Millisecond)
					close(returned)
					return 0, ctx.Err()
				}))
			})
			task.Yield(co)
			child.Cancel("")
			_, err := future.Await[int](co, child)
			assert.ErrorIs(t, err, future.ErrCancelled)
			return 0, nil
		})
		require.NoError(t, err)
		select {
		case <-returned:
		default:
			t.Fatal("Run returned before the goroutine did")
		}
	})
}

func TestSubmit(t *testing.T) {
	t.Run("from another goroutine to a running loop", func(t *testing.T) {
		l := task.NewLoop()
		stopped := make(chan error)
		go func() { stopped <- l.RunForever() }()
		s := task.Submit(l, func(co *iterco.Co) (int, error) {
			task.Yield(co)
			return 11, nil
		})
		v, err := s.Wait(context.Background())
		assert.Equal(t, 11, v)
		assert.NoError(t, err)
		<-s.Done()
		require.NoError(t, l.CallSoonThreadsafe(l.Stop))
		require.NoError(t, <-stopped)
		require.NoError(t, l.Close())
		assert.ErrorIs(t, l.CallSoonThreadsafe(func() {}), task.ErrClosed)
	})

	t.Run("to a closed loop", func(t *testing.T) {
		l := task.NewLoop()
		require.NoError(t, l.Close())
		_, err := task.Submit(l, func(co *iterco.Co) (int, error) { return 1, nil }).Wait(context.Background())
		assert.ErrorIs(t, err, task.ErrClosed)
	})

	t.Run("cancelled from the submitting goroutine", func(t *testing.T) {
		l := task.NewLoop()
		stopped := make(chan error)
		go func() { stopped <- l.RunForever() }()
		started := make(chan struct{})
		s := task.Submit(l, func(co *iterco.Co) (int, error) {
			close(started)
			return 0, task.Sleep(co, time.Hour)
		})
		<-started
		s.Cancel()
		_, err := s.Wait(context.Background())
		assert.ErrorIs(t, err, future.ErrCancelled)
		require.NoError(t, l.CallSoonThreadsafe(l.Stop))
		require.NoError(t, <-stopped)
		require.NoError(t, l.Close())
	})

	t.Run("waiting gives up when its context does", func(t *testing.T) {
		l := task.NewLoop() // never run
		s := task.Submit(l, func(co *iterco.Co) (int, error) { return 1, nil })
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		_, err := s.Wait(ctx)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		require.NoError(t, l.Close()) // runs the posted submission, which fails
		_, err = s.Wait(context.Background())
		assert.ErrorIs(t, err, task.ErrClosed)
	})
}

func TestIdleLoopWakesForThreadsafeCalls(t *testing.T) {
	l := task.NewLoop()
	defer l.Close()
	got := make(chan string, 1)
	go func() {
		time.Sleep(5 * time.Millisecond) // the loop is asleep by now
		l.CallSoonThreadsafe(func() {
			got <- "ran"
			l.Stop()
		})
	}()
	require.NoError(t, l.RunForever())
	assert.Equal(t, "ran", <-got)
}

func TestCallSoonThreadsafeFromManyGoroutines(t *testing.T) {
	l := task.NewLoop()
	defer l.Close()
	const goroutines, posts = 8, 200
	count := 0
	done := make(chan struct{})
	for range goroutines {
		go func() {
			for range posts {
				assert.NoError(t, l.CallSoonThreadsafe(func() {
					if count++; count == goroutines*posts {
						l.Stop()
					}
				}))
			}
			done <- struct{}{}
		}()
	}
	require.NoError(t, l.RunForever())
	for range goroutines {
		<-done
	}
	assert.Equal(t, goroutines*posts, count)
}

func TestRunWithAContextCancelledAlready(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := task.Run(ctx, func(co *iterco.Co) (int, error) {
		return 0, task.Sleep(co, time.Hour)
	})
	assert.ErrorIs(t, err, future.ErrCancelled)
}

func TestASubmissionAwaitedOnItsOwnLoopLetsTheVirtualClockJump(t *testing.T) {
	v, err := task.Run(context.Background(), func(co *iterco.Co) (time.Duration, error) {
		l := task.LoopOf(co)
		start := l.Now()
		s := task.Submit(l, func(co *iterco.Co) (int, error) {
			return 7, task.Sleep(co, time.Hour)
		})
		n, err := s.Await(co)
		if n != 7 {
			return 0, fmt.Errorf("got %d", n)
		}
		return l.Now().Sub(start), err
	}, virtual())
	require.NoError(t, err)
	assert.Equal(t, time.Hour, v)
}
