package waitq_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/waitq"
	"github.com/asynkit-go/asynkit/iterco"
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

// A waiter woken with a grant stays ahead of those who come after it,
// however they are ordered: what it was handed is its own to take.
func TestOrderNeverPassesAGrant(t *testing.T) {
	l := waitq.List{Order: func(a, b *waitq.Waiter) bool { return a.Key < b.Key }}
	for _, k := range []int{5, 7} {
		l.Push(&waitq.Waiter{Key: k})
	}
	require.True(t, l.WakeHead()) // 5 is handed something
	l.Push(&waitq.Waiter{Key: 1})
	l.Push(&waitq.Waiter{Key: 6})
	assert.Equal(t, []int{5, 1, 6, 7}, keys(&l))
	assert.False(t, l.WakeHead(), "the head still holds its grant")
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

func TestWaitForChecksFirstAndAfterEachWait(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		trueAfter int // waits before pred holds
		failAt    int // the wait that fails (0: none)
		wantWaits int
		wantErr   error
	}{
		{"true at once: no wait", 0, 0, 0, nil},
		{"true after two waits", 2, 0, 2, nil},
		{"a wait fails", 5, 2, 2, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			waits := 0
			err := waitq.WaitFor(nil, func() bool { return waits >= tt.trueAfter }, func(*iterco.Co) error {
				waits++
				if waits == tt.failAt {
					return boom
				}
				return nil
			})
			assert.Equal(t, tt.wantWaits, waits)
			assert.Equal(t, tt.wantErr, err)
		})
	}
}
