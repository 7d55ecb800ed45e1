package coro_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// script is a body that records what it sees and suspends n times.
type script struct {
	n    int
	log  []string
	seen []any
	pool *coro.Pool
}

func (s *script) RunBody(co *coro.Co) {
	if err := co.StartErr(); err != nil {
		s.log = append(s.log, "start error")
		return
	}
	s.log = append(s.log, "run")
	for range s.n {
		v, err := co.Suspend(nil)
		if err != nil {
			s.log = append(s.log, "error "+err.Error())
			return
		}
		s.seen = append(s.seen, v)
	}
	s.log = append(s.log, "end")
}

func (s *script) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (s *script) Owner() any                                     { return nil }
func (s *script) Pool() *coro.Pool                               { return s.pool }

func withPool(s *script, pool *coro.Pool) *script {
	s.pool = pool
	return s
}

func TestResumeTakesAndReturnsPooledWorkers(t *testing.T) {
	pool := coro.NewPool(2)
	defer pool.Close()
	var co coro.Co
	s := &script{n: 2}
	co.Init(withPool(s, pool))
	co.Resume(nil, nil, nil)
	assert.Equal(t, coro.Suspended, co.State())
	assert.Equal(t, 1, pool.Len(), "the Co took the pool's worker, and its start made the next")
	co.Resume(nil, "x", nil)
	co.Resume(nil, "y", nil)
	assert.Equal(t, coro.Done, co.State())
	assert.Equal(t, []any{"x", "y"}, s.seen)
	assert.Equal(t, 2, pool.Len(), "the worker went back to the pool")
	assert.Equal(t, []string{"run", "end"}, s.log)

	var again coro.Co
	again.Init(&script{pool: pool})
	again.Resume(nil, nil, nil)
	assert.Equal(t, coro.Done, again.State())
	assert.Equal(t, 2, pool.Len(), "a Co that never suspends still runs on a pooled worker, and makes none")
}

func TestPoolIsBounded(t *testing.T) {
	pool := coro.NewPool(1)
	cos := make([]coro.Co, 3)
	for i := range cos {
		cos[i].Init(&script{n: 1, pool: pool})
		cos[i].Resume(nil, nil, nil)
	}
	for i := range cos {
		cos[i].Resume(nil, nil, nil)
	}
	assert.Equal(t, 1, pool.Len())
	pool.Close()
	assert.Equal(t, 0, pool.Len())
	var late coro.Co
	late.Init(&script{pool: pool})
	late.Resume(nil, nil, nil)
	assert.Equal(t, 0, pool.Len(), "a closed pool stops workers put back")
}

// sched is scheduling code for a Host: it resumes each Co in turn.
type sched struct {
	host  *coro.Host
	cos   []*coro.Co
	steps int
	log   []string
}

func (s *sched) RunJob() {
	w := s.host.Current()
	for s.steps > 0 {
		s.steps--
		for _, co := range s.cos {
			if co.State() == coro.Done {
				continue
			}
			co.Resume(nil, nil, nil)
			if !s.host.Owns(w) {
				s.log = append(s.log, "abandoned")
				return
			}
		}
	}
}

func TestHostLendsItsWorker(t *testing.T) {
	pool := coro.NewPool(4)
	defer pool.Close()
	host := coro.NewHost(pool)

	t.Run("a Co that never suspends runs as a plain call", func(t *testing.T) {
		var co coro.Co
		co.Init(&script{pool: pool})
		s := &sched{host: host, cos: []*coro.Co{&co}, steps: 1}
		host.Run(s)
		assert.Equal(t, coro.Done, co.State())
		assert.Empty(t, s.log)
	})

	t.Run("a Co that suspends keeps the worker and scheduling moves on", func(t *testing.T) {
		var a, b coro.Co
		sa, sb := &script{n: 2}, &script{n: 1}
		a.Init(withPool(sa, pool))
		b.Init(withPool(sb, pool))
		s := &sched{host: host, cos: []*coro.Co{&a, &b}, steps: 3}
		host.Run(s)
		assert.Equal(t, coro.Done, a.State())
		assert.Equal(t, coro.Done, b.State())
		assert.Equal(t, []string{"run", "end"}, sa.log)
		assert.Equal(t, []string{"run", "end"}, sb.log)
		// a and b each borrowed a scheduling worker and finished on it:
		// the abandoned scheduling code under each returned at once.
		assert.Equal(t, []string{"abandoned", "abandoned"}, s.log)
	})
}

func TestKillStopsASuspendedCo(t *testing.T) {
	pool := coro.NewPool(2)
	defer pool.Close()
	var co coro.Co
	s := &script{n: 5}
	co.Init(withPool(s, pool))
	co.Resume(nil, nil, nil)
	kept := pool.Len()
	co.Kill()
	assert.Equal(t, coro.Done, co.State())
	assert.Equal(t, []string{"run", "error coro: worker stopped"}, s.log)
	assert.Equal(t, kept, pool.Len(), "a stopped worker is not reused")
}

func TestStartErrEndsANewCoWithoutAWorker(t *testing.T) {
	var co coro.Co
	s := &script{n: 1}
	co.Init(s)
	co.Resume(nil, nil, coro.ErrClosed)
	assert.Equal(t, coro.Done, co.State())
	assert.Equal(t, []string{"start error"}, s.log)
}

type nested struct {
	child  *coro.Co
	parent *coro.Co
	err    error
}

func (n *nested) RunBody(co *coro.Co) {
	n.child.Resume(co, nil, nil)
	// The parent is blocked in Resume while the child runs: the child
	// using the parent's Co is caught.
}

func (n *nested) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (n *nested) Owner() any                                     { return nil }
func (n *nested) Pool() *coro.Pool                               { return nil }

type usesParent struct{ n *nested }

func (u *usesParent) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (u *usesParent) Owner() any                                     { return nil }
func (u *usesParent) Pool() *coro.Pool                               { return nil }

func (u *usesParent) RunBody(co *coro.Co) { _, u.n.err = u.n.parent.Suspend(nil) }

func TestSuspendFromAChildIsNotCurrent(t *testing.T) {
	var parent, child coro.Co
	n := &nested{child: &child, parent: &parent}
	parent.Init(n)
	child.Init(&usesParent{n})
	parent.Resume(nil, nil, nil)
	require.Equal(t, coro.Done, parent.State())
	assert.ErrorIs(t, n.err, coro.ErrNotCurrent)
}

type inWorker struct{ got bool }

func (i *inWorker) RunBody(co *coro.Co) { i.got = coro.InWorker() }

func (i *inWorker) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (i *inWorker) Owner() any                                     { return nil }
func (i *inWorker) Pool() *coro.Pool                               { return nil }

func TestInWorker(t *testing.T) {
	assert.False(t, coro.InWorker())
	var co coro.Co
	b := &inWorker{}
	co.Init(b)
	co.Resume(nil, nil, nil)
	assert.True(t, b.got)
}

func TestWarmPool(t *testing.T) {
	p := coro.NewPool(4)
	p.Warm(10, 8<<10)
	assert.Equal(t, 4, p.Len(), "bounded by the pool's size")
	p.Close()
	assert.Equal(t, 0, p.Len())
}

func TestKeepOneMakesAFreeWorkerOnlyWhenNoneIsKept(t *testing.T) {
	p := coro.NewPool(4)
	p.KeepOne()
	assert.Equal(t, 1, p.Len(), "none kept: one made")
	p.KeepOne()
	assert.Equal(t, 1, p.Len(), "one kept: nothing made")
	w := p.Get()
	assert.Equal(t, 0, p.Len(), "the kept one was handed out")
	p.KeepOne()
	assert.Equal(t, 1, p.Len())
	p.Put(w)
	assert.Equal(t, 2, p.Len())
	p.Close()
	p.KeepOne()
	assert.Equal(t, 0, p.Len(), "a closed pool makes none")

	none := coro.NewPool(0)
	none.KeepOne()
	assert.Equal(t, 0, none.Len(), "a pool that keeps no worker makes none")
	none.Close()
}
