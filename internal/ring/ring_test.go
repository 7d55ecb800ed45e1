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
