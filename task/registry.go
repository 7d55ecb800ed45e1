package task

import "slices"

// The loop's live tasks are kept in creation order in l.live, a list that
// is compacted lazily: a task that is done leaves its entry (unmarked
// markLive) until the dead entries outnumber the live ones and 32, so
// that a task needs no index of its place and unlinking is O(1),
// amortized. Until then the list keeps the done task's record reachable:
// at most as many such records as there are live tasks, plus 32.

func (l *Loop) link(c *core) {
	c.mark(markLive, true)
	n := len(l.live)
	if n == cap(l.live) {
		l.growLive()
	}
	// Not append, whose call to grow the list would take room in the
	// frame of every task creation (see create).
	l.live = l.live[:n+1]
	l.live[n] = c
	l.ntasks++
}

//go:noinline
func (l *Loop) growLive() { l.live = slices.Grow(l.live, 1) }

func (l *Loop) unlink(c *core) {
	if !c.is(markLive) {
		return // not linked
	}
	c.mark(markLive, false)
	l.ntasks--
	if n := len(l.live); l.live[n-1] == c {
		// The newest task is done (an eager start that finished, say):
		// its entry goes at once.
		l.live[n-1] = nil
		l.live = l.live[:n-1]
		return
	}
	if dead := len(l.live) - l.ntasks; dead > 32 && dead > l.ntasks {
		k := 0
		for _, t := range l.live {
			if t.is(markLive) {
				l.live[k] = t
				k++
			}
		}
		clear(l.live[k:])
		l.live = l.live[:k]
	}
}

// tasks returns the live tasks in creation order.
func (l *Loop) tasks() []Any {
	all := make([]Any, 0, l.ntasks)
	for _, c := range l.live {
		if c.is(markLive) {
			all = append(all, c.self())
		}
	}
	return all
}
