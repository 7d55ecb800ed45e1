package coro

import "slices"

// Loop is the part of an event loop a future uses: somewhere to schedule
// done callbacks. It is defined here, below iterco, so that iterco can
// offer values that plug into the future package's protocol; package
// future re-exports it.
type Loop interface {
	CallSoon(fn func())
}

// Waiter is woken by a waitable when it is done; package future
// re-exports it.
type Waiter interface {
	Wake()
}

// Waiters holds the waiters of one waitable in registration order: a
// future's, and a task's, which keeps its outcome itself. The zero value
// is empty. One waiter is kept as is, so that the common case (one task
// awaiting) costs no allocation; more go to a list.
type Waiters struct {
	// w is nil, the one waiter, or a *waiterList once there were more.
	w Waiter
}

// waiterList holds more than one waiter. It is never handed out: only
// the Waiters that owns it calls its Wake. Its first two waiters are
// kept in the list itself, one allocation for the common case of two.
type waiterList struct {
	ws  []Waiter // in registration order; at first, two[:]
	two [2]Waiter
}

func (l *waiterList) Wake() {
	for _, w := range l.ws {
		w.Wake()
	}
}

// grow registers w after the others, in a longer list.
//
//go:noinline
func (l *waiterList) grow(w Waiter) { l.ws = append(l.ws, w) }

// Add registers w after the waiters already there.
func (ws *Waiters) Add(w Waiter) {
	if ws.w == nil {
		ws.w = w
		return
	}
	ws.addMore(w)
}

// addMore is Add to a set that has a waiter already. It is not inlined:
// the one waiter is the common case, and a task registers it from the
// top of its stack, which must stay small (see the task package). So it
// calls nothing while the list has room, and its frame keeps none for
// append's growth, which is a call of its own (a second waiter makes
// the list, one allocation).
//
//go:noinline
func (ws *Waiters) addMore(w Waiter) {
	l, ok := ws.w.(*waiterList)
	switch {
	case !ok:
		l = new(waiterList)
		l.two = [2]Waiter{ws.w, w}
		l.ws = l.two[:]
		ws.w = l
	case len(l.ws) < cap(l.ws):
		n := len(l.ws)
		l.ws = l.ws[:n+1]
		l.ws[n] = w
	default:
		l.grow(w)
	}
}

// Remove unregisters w, reporting whether it was registered.
func (ws *Waiters) Remove(w Waiter) bool {
	switch cur := ws.w.(type) {
	case nil:
		return false
	case *waiterList:
		for i, x := range cur.ws {
			if x == w {
				cur.ws = slices.Delete(cur.ws, i, i+1) // and lets go of the slot it vacates
				return true
			}
		}
		return false
	default:
		if cur != w {
			return false
		}
		ws.w = nil
		return true
	}
}

// Any reports whether a waiter is registered.
func (ws *Waiters) Any() bool {
	if l, ok := ws.w.(*waiterList); ok {
		return len(l.ws) > 0
	}
	return ws.w != nil
}

// Wake empties the set and wakes its waiters, in registration order.
func (ws *Waiters) Wake() {
	if w := ws.w; w != nil {
		ws.w = nil
		w.Wake()
	}
}
