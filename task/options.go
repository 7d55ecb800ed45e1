package task

import "context"

// Option configures a new task. Options are small values of this
// package's own types, applied in order to the task being made, over its
// defaults (a lazy start, a name given on first use, its creator's
// context).
type Option interface{ applyTask(*core) }

// attachment is a value a package keeps on a task (see Attach).
type attachment struct{ key, value any }

type attachOption attachment

func (o attachOption) applyTask(c *core) { c.roomToAttach().set(o.key, o.value) }

// Attach gives the new task value under key: a way for a package built on
// this one to keep state per task (package priority keeps a task's
// priority so). Use a key of a type of the package's own, as for
// context.WithValue. Tasks that are given nothing pay nothing.
func Attach(key, value any) Option { return attachOption{key, value} }

// Attached returns the value t has under key, or nil.
func Attached(t Any, key any) any { return t.base().attached(key) }

func (c *core) attached(key any) any {
	if x := c.x; x != nil {
		for _, a := range x.attached {
			if a.key == key {
				return a.value
			}
		}
	}
	return nil
}

// SetAttached gives t value under key, replacing what it had.
func SetAttached(t Any, key, value any) { t.base().roomToAttach().set(key, value) }

// roomToAttach returns the task's own extra with room for one attachment
// more. It allocates what that takes (the extra, a longer list) from a
// small frame that holds no key or value: a task that attaches something
// as it comes to wait (package priority attaches its state on a first
// Lock wait) allocates about as deep as it parks (see Task).
//
//go:noinline
func (c *core) roomToAttach() *extra {
	x := c.extra()
	if len(x.attached) == cap(x.attached) {
		x.attached = moreAttached(x.attached)
	}
	return x
}

// moreAttached returns a with room for one attachment more: a list of
// one for the first, which is what most tasks given any have.
//
//go:noinline
func moreAttached(a []attachment) []attachment {
	if cap(a) == 0 {
		return new([1]attachment)[:0]
	}
	return growAttached(a)
}

// growAttached is moreAttached's growth of a longer list, in a call of
// its own: append keeps room for its growth in the frame that calls it,
// which would sit under the allocation of a first list.
//
//go:noinline
func growAttached(a []attachment) []attachment { return append(a, attachment{})[:len(a)] }

// set gives key value, in room made for one more (roomToAttach).
func (x *extra) set(key, value any) {
	for i := range x.attached {
		if x.attached[i].key == key {
			x.attached[i].value = value
			return
		}
	}
	n := len(x.attached)
	x.attached = x.attached[:n+1]
	x.attached[n] = attachment{key, value}
}

type nameOption string

func (o nameOption) applyTask(c *core) { c.extra().name = string(o) }

// Name sets the task's name (default "Task-N" in creation order per
// process, as in asyncio).
func Name(name string) Option { return nameOption(name) }

type contextOption struct{ ctx context.Context }

func (o contextOption) applyTask(c *core) {
	x := c.extra()
	x.from = nil
	if o.ctx != nil {
		x.from = &extra{base: o.ctx}
	}
	c.mark(markDetach, false)
	c.mark(markWatchContext, o.ctx != nil && o.ctx.Done() != nil)
}

// Context makes ctx the parent of the task's context instead of a copy of
// its creator's, and ties the task to it: when ctx is done the task is
// cancelled (from whatever goroutine ctx is cancelled on), and the error
// it gets at its suspension point matches future.ErrCancelled, ctx.Err()
// and context.Cause(ctx), as work given a context expects (errgroup,
// net/http).
func Context(ctx context.Context) Option { return contextOption{ctx} }

type eagerStart bool

func (o eagerStart) applyTask(c *core) { c.mark(markEager, bool(o)) }

// EagerStart with true runs the new task at once, in the caller's turn, until
// it first blocks (Python 3.12's eager tasks): a task that finishes then
// is done when Create returns and was never queued; one that blocks
// continues as any task. Eager starts happen only on a running loop. The
// new task is the current task during its eager part. EagerStart(false)
// asks for a lazy start even where a task factory makes tasks eager.
func EagerStart(on bool) Option { return eagerStart(on) }

// applyOptions applies opts to a new task and reports whether it starts
// eagerly.
func (c *core) applyOptions(opts []Option) (eager bool) {
	if len(opts) > 0 {
		c.apply(opts)
	}
	return c.is(markEager)
}

// apply applies opts to a new task. It is a call of its own, so that a
// task made without options does not have its creator's frames hold
// room for the loop over them (see create).
//
//go:noinline
func (c *core) apply(opts []Option) {
	for _, o := range opts {
		o.applyTask(c)
	}
}
