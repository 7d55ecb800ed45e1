package coro

import "context"

// Contexter is what a Body or an owner implements to give the code of its
// coroutines a context: a task gives its own, a started coroutine its own
// or its owner's. iterco.Co.Context asks the Body first, then the owner.
type Contexter interface {
	Context() context.Context
}
