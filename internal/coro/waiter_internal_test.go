package coro

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nopWaiter has a byte, so that each is a pointer of its own.
type nopWaiter struct{ _ byte }

func (*nopWaiter) Wake() {}

// A waiter taken out of a list is not kept by it: a future that lives
// long, with many waiters that come and go, keeps only those still there.
func TestAListLetsGoOfTheWaitersRemoved(t *testing.T) {
	w := []*nopWaiter{{}, {}, {}}
	var ws Waiters
	for _, x := range w {
		ws.Add(x)
	}
	require.True(t, ws.Remove(w[1]))
	l := ws.w.(*waiterList)
	assert.Equal(t, []Waiter{w[0], w[2]}, l.ws)
	assert.Nil(t, l.ws[:cap(l.ws)][2], "the slot the removal vacated")
}
