package task

func (l *Loop) link(c *core) {
	c.idx = int32(len(l.live))
	l.live = append(l.live, c)
	l.ntasks++
}

func (l *Loop) unlink(c *core) {
	if c.idx < 0 {
		return // not linked
	}
	l.live[c.idx] = nil
	c.idx = -1
	l.ntasks--
	if dead := len(l.live) - l.ntasks; dead > 32 && dead > l.ntasks {
		k := 0
		for _, t := range l.live {
			if t != nil {
				t.idx = int32(k)
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
		if c != nil {
			all = append(all, c.self())
		}
	}
	return all
}
