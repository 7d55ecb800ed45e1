package coro_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/coro"
)

// namedWaiter records its wake-up in woken.
type namedWaiter struct {
	name  string
	woken *[]string
}

func (w *namedWaiter) Wake() { *w.woken = append(*w.woken, w.name) }

func TestWaitersWakeInRegistrationOrderWhatIsStillRegistered(t *testing.T) {
	tests := []struct {
		add    int
		remove []int // indexes of the waiters taken out before the wake
		want   []string
	}{
		{add: 0, want: nil},
		{add: 1, want: []string{"w0"}},
		{add: 1, remove: []int{0}, want: nil},
		{add: 2, want: []string{"w0", "w1"}},
		{add: 2, remove: []int{0}, want: []string{"w1"}},
		{add: 2, remove: []int{1, 0}, want: nil},
		{add: 3, remove: []int{1}, want: []string{"w0", "w2"}},
		{add: 5, want: []string{"w0", "w1", "w2", "w3", "w4"}},
		{add: 9, remove: []int{0, 4, 8}, want: []string{"w1", "w2", "w3", "w5", "w6", "w7"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d less %v", tt.add, tt.remove), func(t *testing.T) {
			var woken []string
			var ws coro.Waiters
			all := make([]*namedWaiter, tt.add)
			for i := range all {
				all[i] = &namedWaiter{fmt.Sprintf("w%d", i), &woken}
				ws.Add(all[i])
			}
			for _, i := range tt.remove {
				require.True(t, ws.Remove(all[i]))
				require.False(t, ws.Remove(all[i]), "a waiter is removed once")
			}
			assert.Equal(t, len(tt.want) > 0, ws.Any())
			ws.Wake()
			assert.Equal(t, tt.want, woken)
			assert.False(t, ws.Any(), "a wake empties the set")
			ws.Wake()
			assert.Equal(t, tt.want, woken, "and wakes nobody twice")
		})
	}
}

func TestWaitersTakeAllocationsOnlyToGrow(t *testing.T) {
	var woken []string
	w := []*namedWaiter{{"a", &woken}, {"b", &woken}, {"c", &woken}}
	var ws coro.Waiters
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		ws.Add(w[0])
		ws.Remove(w[0])
	}), "one waiter takes no allocation")
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() {
		ws = coro.Waiters{}
		ws.Add(w[0])
		ws.Add(w[1])
	}), "two take one: the list")
	ws = coro.Waiters{}
	ws.Add(w[0])
	ws.Add(w[1])
	ws.Remove(w[1])
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		ws.Add(w[2])
		ws.Remove(w[2])
	}), "a list with room takes another waiter in place")
}
