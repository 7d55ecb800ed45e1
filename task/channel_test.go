package task_test

import (
	"bytes"
	"context"
	"errors"
	"log"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

func TestRecv(t *testing.T) {
	ready := make(chan int, 1)
	ready <- 1
	later := make(chan int)
	closed := make(chan int)
	close(closed)
	go func() { later <- 2 }()
	got, err := run(t, func(co *iterco.Co) ([]any, error) {
		var got []any
		for _, ch := range []chan int{ready, later, closed} {
			v, ok, err := task.Recv(co, ch)
			if err != nil {
				return nil, err
			}
			got = append(got, v, ok)
		}
		return got, nil
	})
	require.NoError(t, err)
	assert.Equal(t, []any{1, true, 2, true, 0, false}, got)
}

func TestSend(t *testing.T) {
	buffered := make(chan string, 1)
	unbuffered := make(chan string)
	received := make(chan string, 1)
	go func() { received <- <-unbuffered }()
	_, err := run(t, func(co *iterco.Co) (struct{}, error) {
		if err := task.Send(co, buffered, "now"); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, task.Send(co, unbuffered, "later")
	})
	require.NoError(t, err)
	assert.Equal(t, "now", <-buffered)
	assert.Equal(t, "later", <-received)
}

func TestRecvAndSendAreCancellable(t *testing.T) {
	never, nobody := make(chan int), make(chan int)
	_, err := run(t, func(co *iterco.Co) (struct{}, error) {
		recv := task.Create(co, task.Proc(func(co *iterco.Co) error {
			_, _, err := task.Recv(co, never)
			return err
		}))
		send := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Send(co, nobody, 1) }))
		// (A virtual clock does not move while Go calls are in flight:
		// yield until both wait in theirs.)
		for task.IsRunnable(recv) || task.IsRunnable(send) {
			task.Yield(co)
		}
		recv.Cancel("stop")
		send.Cancel("stop")
		_, err1 := recv.Await(co)
		_, err2 := send.Await(co)
		assert.True(t, recv.Cancelled(), "%v", err1)
		assert.True(t, send.Cancelled(), "%v", err2)
		return struct{}{}, nil
	})
	require.NoError(t, err)
	// Run has closed the loop, which waits for Go functions to return:
	// were a Recv or Send still at its channel, this would reach it.
	select {
	case never <- 0:
		t.Fatal("a cancelled Recv still receives")
	case <-nobody:
		t.Fatal("a cancelled Send still sends")
	default:
	}
}

func TestProc(t *testing.T) {
	boom := errors.New("boom")
	_, err := run(t, func(co *iterco.Co) (struct{}, error) {
		ok := task.Create(co, task.Proc(func(co *iterco.Co) error { return task.Yield(co) }))
		bad := task.Create(co, task.Proc(func(*iterco.Co) error { return boom }))
		_, err1 := ok.Await(co)
		_, err2 := bad.Await(co)
		assert.NoError(t, err1)
		assert.ErrorIs(t, err2, boom)
		return struct{}{}, nil
	})
	require.NoError(t, err)
	assert.Panics(t, func() { task.Proc(nil) })
}

func TestWithLogger(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	_, err := task.Run(context.Background(), func(co *iterco.Co) (struct{}, error) {
		task.Create(co, func(*iterco.Co) (int, error) { return 0, errors.New("lost") }, task.Name("worker"))
		return struct{}{}, task.Yield(co)
	}, virtual(), task.WithLogger(logger))
	require.NoError(t, err)
	assert.Equal(t, `level=ERROR msg="asynkit: task error was never retrieved" err=lost task.name=worker task.id=2`+"\n", buf.String())

	// An Exception is a slog.LogValuer.
	buf.Reset()
	logger.Info("seen", "e", task.Exception{Message: "m", Err: errors.New("x")})
	assert.Equal(t, `level=INFO msg=seen e.msg=m e.err=x`+"\n", buf.String())
}

func TestWithoutLoggerTheStandardLogIsUsed(t *testing.T) {
	var buf bytes.Buffer
	log.SetOutput(&buf)
	flags := log.Flags()
	log.SetFlags(0)
	defer func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(flags)
	}()
	_, err := task.Run(context.Background(), func(co *iterco.Co) (struct{}, error) {
		task.LoopOf(co).CallSoon(func() { panic("p") })
		return struct{}{}, task.Yield(co)
	}, virtual())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(buf.String(), "asynkit: callback panicked: iterco: panic: p"), buf.String())
}
