package task

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPublishAllocatesNothing(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	allocs := testing.AllocsPerRun(100, func() {
		l.count.steps++
		l.publish()
	})
	assert.Zero(t, allocs)
	assert.Equal(t, l.count.steps, l.Stats().Steps)
}

// A reader still copying the copy the loop would write next keeps it: the
// loop publishes a new copy rather than write under the reader, or skip.
func TestPublishPassesOverACopyBeingRead(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	l.publish()
	p := &l.count.pub
	first := p.current.Load()
	require.NotNil(t, first)
	first.readers.Add(1) // a reader in the current copy
	l.count.steps = 1
	l.publish() // writes the other of the two
	second := p.current.Load()
	assert.NotSame(t, first, second)
	l.count.steps = 2
	l.publish() // the first is still being read: a new copy
	third := p.current.Load()
	assert.NotSame(t, first, third)
	assert.NotSame(t, second, third)
	assert.Equal(t, uint64(0), first.s.Steps, "the copy being read was not written")
	assert.Equal(t, uint64(2), l.Stats().Steps)
	first.readers.Add(-1)
	l.count.steps = 3
	l.publish()
	assert.Equal(t, uint64(3), l.Stats().Steps)
}
