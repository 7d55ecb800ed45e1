package ring_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/ring"
)

func contents(b *ring.Buffer[int]) []int {
	var got []int
	for i := range b.Len() {
		got = append(got, *b.At(i))
	}
	return got
}

func TestBufferOperations(t *testing.T) {
	var b ring.Buffer[int]
	assert.Equal(t, 0, b.Len())
	assert.True(t, b.Full(), "the zero Buffer has no room yet")
	b.PushBack(2)
	b.PushBack(3)
	b.PushFront(1)
	b.PushFront(0)
	assert.Equal(t, []int{0, 1, 2, 3}, contents(&b))
	assert.Equal(t, 16, b.Cap())
	b.Insert(2, 9)
	assert.Equal(t, []int{0, 1, 9, 2, 3}, contents(&b))
	b.Insert(0, -1)
	b.Insert(b.Len(), 10)
	assert.Equal(t, []int{-1, 0, 1, 9, 2, 3, 10}, contents(&b))
	assert.Equal(t, -1, b.PopFront())
	assert.Equal(t, 10, b.PopBack())
	b.Truncate(2)
	assert.Equal(t, []int{0, 1}, contents(&b))
}

// TestBufferAgainstSlice runs random operations on a Buffer and on a
// slice side by side, across the wrap and through several growths.
// Grow makes room only in a full Buffer, wrapped or not, keeping the
// order; Put then fills it without growing.
func TestGrowThenPut(t *testing.T) {
	var b ring.Buffer[int]
	b.Grow()
	require.Equal(t, 16, b.Cap(), "the zero Buffer grows to 16")
	b.Grow()
	assert.Equal(t, 16, b.Cap(), "a Buffer with room keeps its size")
	for i := range 16 {
		b.Put(i)
	}
	for range 5 {
		b.PushBack(b.PopFront()) // wrap: the front is no longer slot 0
	}
	require.True(t, b.Full())
	b.Grow()
	assert.Equal(t, 32, b.Cap())
	b.Put(16)
	want := []int{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 16}
	assert.Equal(t, want, contents(&b))
}

func TestBufferAgainstSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var b ring.Buffer[int]
	var want []int
	for step := range 20000 {
		switch op := r.IntN(7); {
		case op == 0:
			b.PushBack(step)
			want = append(want, step)
		case op == 1:
			b.PushFront(step)
			want = slices.Insert(want, 0, step)
		case op == 2:
			i := r.IntN(len(want) + 1)
			b.Insert(i, step)
			want = slices.Insert(want, i, step)
		case op == 3 && len(want) > 0:
			require.Equal(t, want[0], b.PopFront())
			want = want[1:]
		case op == 4 && len(want) > 0:
			require.Equal(t, want[len(want)-1], b.PopBack())
			want = want[:len(want)-1]
		case op == 5 && step%50 == 0:
			k := 0
			for i := range b.Len() {
				if v := *b.At(i); v%2 == 0 {
					*b.At(k) = v
					k++
				}
			}
			b.Truncate(k)
			want = slices.DeleteFunc(want, func(v int) bool { return v%2 != 0 })
		}
		require.Equal(t, len(want), b.Len())
		if step%97 == 0 {
			require.Equal(t, want, contents(&b))
		}
	}
	require.Equal(t, want, contents(&b))
	assert.Zero(t, b.Cap()&(b.Cap()-1), "the capacity stays a power of two")
}

// A Buffer that grew for a burst gives the room back as it empties, if
// its owner calls Fit, down to ring.Keep, and keeps its values in order
// through every move.
func TestBufferShrinksAfterABurst(t *testing.T) {
	var b ring.Buffer[int]
	for i := range 100 { // the values wrap around the end of the buffer
		b.PushBack(i)
		b.PopFront()
	}
	const burst = 10 * ring.Keep
	for i := range burst {
		b.PushBack(i)
	}
	grown := b.Cap()
	require.GreaterOrEqual(t, grown, burst)
	front, back := 0, burst-1
	for b.Len() > 0 {
		if b.Len()%3 == 0 {
			require.Equal(t, back, b.PopBack())
			back--
		} else {
			require.Equal(t, front, b.PopFront())
			front++
		}
		b.Fit()
		require.True(t, b.Cap() == ring.Keep || 4*b.Len() >= b.Cap(),
			"%d values in %d slots", b.Len(), b.Cap())
	}
	assert.Equal(t, ring.Keep, b.Cap())

	for i := range burst {
		b.PushBack(i)
	}
	b.Truncate(3)
	assert.Greater(t, b.Cap(), ring.Keep, "a removal leaves the room as it is")
	b.Fit()
	assert.Equal(t, []int{0, 1, 2}, contents(&b))
	assert.Equal(t, ring.Keep, b.Cap(), "Fit gives it all back at once")
}

// Pushes and pops right after a shrink do not move the values again:
// a shrink leaves the Buffer half full at most.
func TestBufferDoesNotShrinkAndGrowInTurn(t *testing.T) {
	var b ring.Buffer[int]
	for i := range 4 * ring.Keep {
		b.PushBack(i)
	}
	for b.Cap() == 4*ring.Keep {
		b.PopFront()
		b.Fit()
	}
	caps := b.Cap()
	for i := range 1000 {
		b.PushBack(i)
		b.PopFront()
		b.Fit()
		require.Equal(t, caps, b.Cap())
	}
}

func BenchmarkPushPop(b *testing.B) {
	b.ReportAllocs()
	var r ring.Buffer[*int]
	v := new(int)
	for range 8 {
		r.PushBack(v)
	}
	for range b.N {
		r.PushBack(r.PopFront())
	}
}

func BenchmarkChannelPushPop(b *testing.B) {
	b.ReportAllocs()
	c := make(chan *int, 16)
	v := new(int)
	for range 8 {
		c <- v
	}
	for range b.N {
		c <- <-c
	}
}
