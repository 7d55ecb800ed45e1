package coro_test

import (
	"testing"

	"github.com/asynkit-go/asynkit/internal/coro"
)

type yielder struct {
	n    int
	pool *coro.Pool
}

func (y *yielder) RunBody(co *coro.Co) {
	for range y.n {
		co.Suspend(nil)
	}
}

func (y *yielder) Suspending(*coro.Co, any) bool { return true }
func (y *yielder) Owner() any                    { return nil }
func (y *yielder) Pool() *coro.Pool              { return y.pool }

type pingPong struct {
	a, b coro.Co
}

func (p *pingPong) RunJob() {
	for !(p.a.State() == coro.Done && p.b.State() == coro.Done) {
		p.a.Resume(nil, nil, nil)
		p.b.Resume(nil, nil, nil)
	}
}

// BenchmarkResume is the floor of a task hand-off: scheduling code on a
// host coroutine resuming two coroutines that suspend at once. One op is
// one resume and suspend.
func BenchmarkResume(b *testing.B) {
	b.ReportAllocs()
	pool := coro.NewPool(4)
	defer pool.Close()
	host := coro.NewHost(pool)
	p := &pingPong{}
	p.a.Init(&yielder{n: b.N / 2, pool: pool})
	p.b.Init(&yielder{n: b.N / 2, pool: pool})
	b.ResetTimer()
	host.Run(p)
}
