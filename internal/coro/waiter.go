package coro

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
