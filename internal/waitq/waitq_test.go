package waitq_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/internal/waitq"
)

func keys(l *waitq.List) []int {
	var out []int
	for w := range l.All() {
		out = append(out, w.Key)
	}
	return out
}

func TestFIFO(t *testing.T) {
	var l waitq.List
	ws := make([]*waitq.Waiter, 4)
	for i := range ws {
		ws[i] = &waitq.Waiter{Key: i}
		l.Push(ws[i])
	}
	assert.Equal(t, []int{0, 1, 2, 3}, keys(&l))
	assert.True(t, l.Remove(ws[1]))
	assert.False(t, l.Remove(ws[1]))
	assert.True(t, l.Remove(ws[3]))
	assert.Equal(t, []int{0, 2}, keys(&l))
	assert.Equal(t, 2, l.Len())
	assert.Same(t, ws[0], l.Front())
}

func TestOrderIsStable(t *testing.T) {
	l := waitq.List{Order: func(a, b *waitq.Waiter) bool { return a.Key < b.Key }}
	for _, k := range []int{3, 1, 2, 1, -5, 0} {
		l.Push(&waitq.Waiter{Key: k})
	}
	assert.Equal(t, []int{-5, 0, 1, 1, 2, 3}, keys(&l))
}

func TestWakeN(t *testing.T) {
	var l waitq.List
	ws := make([]*waitq.Waiter, 5)
	for i := range ws {
		ws[i] = &waitq.Waiter{Key: i}
		l.Push(ws[i])
	}
	assert.Equal(t, 2, l.WakeN(2))
	assert.True(t, ws[0].Granted && ws[1].Granted && !ws[2].Granted)
	assert.Equal(t, 3, l.WakeN(10), "the woken ones are skipped")
	assert.Equal(t, 0, l.WakeN(1))
	assert.False(t, l.WakeFirst())
	assert.False(t, l.AllCancelled())
}
