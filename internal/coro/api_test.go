package coro_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// inPlace is a body that resolves every suspension in place, as a
// synchronous driver does, answering each with the value it was given.
type inPlace struct {
	script
	answers []any
}

func (p *inPlace) Suspending(co *coro.Co, _ *coro.Co) (*coro.Co, bool) {
	if len(p.answers) == 0 {
		return nil, true
	}
	co.SetResume(p.answers[0], nil)
	p.answers = p.answers[1:]
	return nil, false
}

func TestRunHereResolvesSuspensionsInPlace(t *testing.T) {
	var co coro.Co
	body := &inPlace{script: script{n: 2}, answers: []any{"a", "b"}}
	co.Init(body)
	co.RunHere()
	assert.Equal(t, coro.Done, co.State())
	assert.Equal(t, []any{"a", "b"}, body.seen)
	assert.Same(t, coro.Body(body), co.Body())
	assert.Nil(t, co.Owner())
	assert.Panics(t, func() { co.RunHere() }, "a Co runs once")
}

// resumer records when each of its suspensions ends.
type resumer struct {
	script
	resumed int
}

func (r *resumer) Resumed(*coro.Co) { r.resumed++ }

func TestNotifyResumedAndTheCosState(t *testing.T) {
	var co coro.Co
	r := &resumer{script: script{n: 2}}
	co.Init(r)
	co.NotifyResumed()
	co.StartAside(nil)
	require.Equal(t, coro.Suspended, co.State())
	assert.Nil(t, co.Out(), "it suspended on nil")
	assert.True(t, co.Direct(), "started by driver code")
	assert.False(t, co.Borrowed())
	co.SetWaiting(true)
	assert.True(t, co.Waiting())
	co.SetWaiting(false)
	assert.Panics(t, func() { co.StartAside(nil) }, "it has started")

	stack := string(co.Stack())
	assert.True(t, strings.HasPrefix(stack, "goroutine "), stack)
	assert.Contains(t, stack, "coro_test.(*script).RunBody")
	assert.Equal(t, coro.Suspended, co.State(), "reading the stack does not resume it")
	assert.Zero(t, r.resumed)

	co.Resume(nil, 1, nil)
	co.Resume(nil, 2, nil)
	assert.Equal(t, coro.Done, co.State())
	assert.Equal(t, 2, r.resumed)
	assert.Nil(t, co.Stack(), "no stack once done")
	assert.Contains(t, string(coro.StackTrace()), "TestNotifyResumedAndTheCosState")

	var plain coro.Co
	plain.Init(&script{})
	assert.Panics(t, func() { plain.NotifyResumed() }, "its body is no Resumer")
}

func TestAResumeWithAnErrorEndsANewCoWithoutRunningIt(t *testing.T) {
	var co coro.Co
	s := &script{n: 1}
	co.Init(s)
	co.Resume(nil, nil, errors.New("cancelled before it ran"))
	assert.Equal(t, coro.Done, co.State())
	assert.Equal(t, []string{"start error"}, s.log)
}

func TestABorrowedRunIsACallOnTheCallersFrame(t *testing.T) {
	var co coro.Co
	body := &inPlace{script: script{n: 1}, answers: []any{"a"}}
	co.Init(body)
	pool := coro.NewPool(1)
	defer pool.Close()
	w := pool.Get() // stands for the worker the caller runs on
	require.True(t, co.Borrow(w))
	assert.True(t, co.Borrowed())
	assert.True(t, co.Direct())
	assert.True(t, co.IsCurrent())
	co.Body().RunBody(&co)
	co.Returned()
	assert.Equal(t, []any{"a"}, body.seen)
	assert.Equal(t, coro.Done, co.State())
	assert.False(t, co.Borrowed(), "it gave the worker back")
	assert.False(t, co.Borrow(w), "only a new Co is borrowed")
}
