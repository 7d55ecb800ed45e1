// Package waitq is the list of parked tasks that every primitive of the
// sync package keeps: one shared type, so that a policy other than FIFO
// (priority order) plugs in once for all of them.
//
// A Waiter is a task parked on its own future; the primitive completes the
// future to wake it, marking it Granted when the wake-up hands it something
// (the lock, a permit, a notification). A waiter that leaves without
// running (cancelled, interrupted) must be removed, and a grant it held
// passed on: that is the primitive's side of the protocol.
package waitq

import (
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// Waiter is one parked task. Its future is embedded: the methods of
// future.Waitable are the future's own, which an interface reaches with a
// jump, not through a frame of the waiter's on top of the parked task's
// stack.
type Waiter struct {
	future.Future[struct{}]
	Granted    bool
	next, prev *Waiter
	list       *List
	// Key orders waiters under a custom Order (a priority); FIFO ignores it.
	Key int
	// Who is what the primitive says is waiting (its task), for one that
	// needs to know.
	Who any
	seq uint64
}

var _ future.Waitable = (*Waiter)(nil)

// String says what the waiter waits for: its list's Label.
func (w *Waiter) String() string {
	if w.list != nil && w.list.Label != nil {
		return w.list.Label()
	}
	return "a synchronization primitive"
}

// Kind returns its list's Kind, or "" when the list has none.
func (w *Waiter) Kind() string {
	if w.list != nil {
		return w.list.Kind
	}
	return ""
}

// Order decides which of two waiters goes first; nil is FIFO.
type Order func(a, b *Waiter) bool

// List is a list of waiters. The zero List is empty and FIFO.
type List struct {
	head, tail *Waiter
	n          int
	seq        uint64
	// Order, if set, keeps the list sorted (stable: equal waiters keep
	// their arrival order).
	Order Order
	// Label, if set, says what the list's waiters wait for ("asyncsync.Lock
	// held by t3"): it is what a waiter's String returns, which task
	// introspection shows.
	Label func() string
	// Kind names the primitive, the same at every moment
	// ("asyncsync.Lock"), for recordings.
	Kind  string
	spare *Waiter // recycled waiters, linked by next
}

// Len returns the number of waiters.
func (l *List) Len() int { return l.n }

// Push adds w: at the back, or in Order, but never ahead of a waiter
// woken with a grant it has not used yet. (Such waiters are at the front,
// and a primitive that hands something to its first waiter, as a lock
// does, relies on the one it handed it to staying first: otherwise a
// wake-up of the first waiter, when another leaves, would hand it again.)
func (l *List) Push(w *Waiter) {
	l.seq++
	w.seq = l.seq
	w.list = l
	l.n++
	at := l.tail
	if l.Order != nil {
		for at != nil && !at.Granted && l.Order(w, at) {
			at = at.prev
		}
	}
	// insert after at (nil: at the front)
	w.prev = at
	if at == nil {
		w.next = l.head
		l.head = w
	} else {
		w.next = at.next
		at.next = w
	}
	if w.next == nil {
		l.tail = w
	} else {
		w.next.prev = w
	}
}

// Remove takes w out of the list, reporting whether it was in it.
func (l *List) Remove(w *Waiter) bool {
	if w.list != l {
		return false
	}
	if w.prev == nil {
		l.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		l.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.next, w.prev, w.list = nil, nil, nil
	l.n--
	return true
}

// Front returns the first waiter, or nil.
func (l *List) Front() *Waiter { return l.head }

// All returns the waiters in order.
func (l *List) All() func(yield func(*Waiter) bool) {
	return func(yield func(*Waiter) bool) {
		for w := l.head; w != nil; {
			next := w.next
			if !yield(w) {
				return
			}
			w = next
		}
	}
}

// WakeFirst grants and wakes the first waiter not woken yet, reporting
// whether there was one.
func (l *List) WakeFirst() bool {
	for w := l.head; w != nil; w = w.next {
		if !w.Done() {
			w.Granted = true
			w.SetResult(struct{}{})
			return true
		}
	}
	return false
}

// WakeHead grants and wakes the first waiter if it has not been woken
// yet, reporting whether it did. Unlike WakeFirst it never looks past the
// head: a lock must not hand itself to a second waiter while the first
// still holds a grant it has not used (asyncio's _wake_up_first).
func (l *List) WakeHead() bool {
	w := l.head
	if w == nil || w.Done() {
		return false
	}
	w.Granted = true
	w.SetResult(struct{}{})
	return true
}

// WakeN grants and wakes up to n waiters not woken yet, in order, in one
// pass, and returns how many it woke.
func (l *List) WakeN(n int) int {
	woke := 0
	for w := l.head; w != nil && woke < n; w = w.next {
		if !w.Done() {
			w.Granted = true
			w.SetResult(struct{}{})
			woke++
		}
	}
	return woke
}

// WakeAll grants and wakes every waiter not woken yet.
func (l *List) WakeAll() { l.WakeN(l.n) }

// AllCancelled reports whether every waiter still listed was cancelled
// (and will leave when its task runs): a newcomer need not queue behind
// them.
func (l *List) AllCancelled() bool {
	for w := l.head; w != nil; w = w.next {
		if !w.Cancelled() {
			return false
		}
	}
	return true
}

// Add lists a waiter for loop with key, saying who it is (Who), and
// returns it; Wait then parks on it. Between the two the primitive may
// act on the list with the waiter in it (a priority lock tells its owner).
func (l *List) Add(loop future.Loop, key int, who any) *Waiter {
	w := l.take()
	w.Key, w.Who = key, who
	w.Bind(loop)
	l.Push(w)
	return w
}

// Join is Add(loop, 0, nil), a plain wait's. A primitive waits with
//
//	l.Wait(co, l.Join(loop))
//
// in its own frame, which stays under the suspension while the task is
// parked; it keeps as little as it can across that call. A parked task's
// stack fits the 2 KB a goroutine starts with only while its frames are
// small (see task.Task), and the deepest point a waiting task reaches
// counts too: the runtime does not give back the stack it grew, for as
// long as the task stays parked. Join takes fewer arguments than Add (no
// more room in the primitive's frame than Wait's), and makes a new
// waiter from its own frame: an allocation goes about as deep as the
// suspension from the frame that asks for it.
func (l *List) Join(loop future.Loop) *Waiter {
	w := l.take()
	w.Bind(loop)
	l.Push(w)
	return w
}

// take returns an empty waiter: a spare one, or a new one.
func (l *List) take() *Waiter {
	w := l.spare
	if w == nil {
		return new(Waiter)
	}
	l.spare = w.next
	*w = Waiter{}
	return w
}

// Wait parks co's task on w, a waiter Add or Join listed, until it is
// woken, and returns whether it was granted something and the error the
// wait ended with (a cancellation). The waiter has left the list by
// then; a grant that comes with an error is the caller's to pass on. The
// task suspends on w itself, a future.Waitable that says what it waits
// for.
//
// Wait(co, Join(loop)) is the whole of a plain wait, written at the call
// site: one frame fewer between the primitive and the switch.
//
// Waiters are recycled: once a task has resumed, nothing refers to its
// waiter's future any more, so the contended path allocates only until
// the list has as many spare waiters as it ever had waiting tasks.
func (l *List) Wait(co *iterco.Co, w *Waiter) (granted bool, err error) {
	for !w.Done() {
		if _, err = co.Suspend(w); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Err()
	}
	l.Remove(w)
	granted, w.Who = w.Granted, nil
	w.next = l.spare
	l.spare = w
	return granted, err
}
