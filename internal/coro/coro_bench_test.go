package coro_test

import (
	"iter"
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

func (y *yielder) Suspending(*coro.Co, *coro.Co) (*coro.Co, bool) { return nil, true }
func (y *yielder) Owner() any                                     { return nil }
func (y *yielder) Pool() *coro.Pool                               { return y.pool }

type pingPong struct {
	a, b coro.Co
	host *coro.Host
}

// RunJob resumes a and b in turn until both are done. Their first
// resumptions borrow the host's worker, so it keeps to the host's
// protocol: once a Co took its worker, this frame is abandoned and
// returns as soon as it runs again.
func (p *pingPong) RunJob() {
	w := p.host.Current()
	for !(p.a.State() == coro.Done && p.b.State() == coro.Done) {
		for _, co := range []*coro.Co{&p.a, &p.b} {
			if co.State() != coro.Done {
				co.Resume(nil, nil, nil)
			}
			if !p.host.Owns(w) {
				return
			}
		}
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
	p := &pingPong{host: host}
	p.a.Init(&yielder{n: b.N / 2, pool: pool})
	p.b.Init(&yielder{n: b.N / 2, pool: pool})
	b.ResetTimer()
	host.Run(p)
}

// BenchmarkPullSwitch and BenchmarkPullSwitchUnderFrames are why a
// hand-off switches from Co.Suspend's own frame: the same round trip
// through a bare iter.Pull coroutine, made right from the benchmark's
// loop and from under five more calls. Every frame between a switch and
// the code that asked for it is a return the processor mispredicts each
// time the switch comes back (the calls alone cost a few ns: see
// BenchmarkCallsWithoutSwitch). One op is one round trip.
func BenchmarkPullSwitch(b *testing.B) {
	next, stop := iter.Pull(counter)
	defer stop()
	for range b.N {
		next()
	}
}

func BenchmarkPullSwitchUnderFrames(b *testing.B) {
	next, stop := iter.Pull(counter)
	defer stop()
	for range b.N {
		under5(next)
	}
}

func BenchmarkCallsWithoutSwitch(b *testing.B) {
	next := func() (int, bool) { return 0, true }
	for range b.N {
		under5(next)
	}
}

func counter(yield func(int) bool) {
	for i := 0; yield(i); i++ {
	}
}

//go:noinline
func under5(next func() (int, bool)) int { return under4(next) + 1 }

//go:noinline
func under4(next func() (int, bool)) int { return under3(next) + 1 }

//go:noinline
func under3(next func() (int, bool)) int { return under2(next) + 1 }

//go:noinline
func under2(next func() (int, bool)) int { return under1(next) + 1 }

//go:noinline
func under1(next func() (int, bool)) int {
	v, _ := next()
	return v + 1
}
