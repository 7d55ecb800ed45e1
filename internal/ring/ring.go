// Package ring provides Buffer, the one growable ring buffer the loop's
// ready queue and the sync package's FIFO queue are built on.
//
// A Buffer is a double-ended queue of values indexed from its front. Its
// capacity is a power of two (16 at the least), so an index wraps with a
// mask; it doubles when a push finds it full, and [Buffer.Fit] halves it
// while it is less than a quarter full, down to [Keep]. The zero
// Buffer is empty and ready to use. A Buffer is not safe for concurrent
// use.
package ring

// Keep is the capacity [Buffer.Fit] leaves a Buffer however empty it is:
// room for a thousand values is not worth giving back.
const Keep = 1024

// Buffer is a growable ring buffer of T. PushBack, PushFront, PopFront and
// At are O(1) (amortised, for the pushes); Insert is O(min(i, Len-i)).
type Buffer[T any] struct {
	buf  []T
	mask int // len(buf)-1
	head int
	n    int
}

// Len returns the number of values held.
func (b *Buffer[T]) Len() int { return b.n }

// At returns the i-th value from the front, 0 ≤ i < Len. The pointer is
// valid until the next push, Insert or Fit.
func (b *Buffer[T]) At(i int) *T { return &b.buf[(b.head+i)&b.mask] }

// Front returns the front value, as At(0); the Buffer must not be empty.
func (b *Buffer[T]) Front() *T { return &b.buf[b.head] }

// PushBack adds v at the back.
func (b *Buffer[T]) PushBack(v T) {
	if b.n == len(b.buf) {
		b.grow()
	}
	b.buf[(b.head+b.n)&b.mask] = v
	b.n++
}

// Put adds v at the back of a Buffer that is not full (see Full): a push
// that never grows the Buffer, for an owner that makes room first, with
// Grow or otherwise, and keeps the hot path small.
func (b *Buffer[T]) Put(v T) {
	b.buf[(b.head+b.n)&b.mask] = v
	b.n++
}

// Grow doubles the capacity of a full Buffer (see Full), as the next
// push would; a Buffer with room is left as it is.
//
//go:noinline
func (b *Buffer[T]) Grow() {
	if b.n == len(b.buf) {
		b.grow()
	}
}

// PushFront adds v at the front.
func (b *Buffer[T]) PushFront(v T) {
	if b.n == len(b.buf) {
		b.grow()
	}
	b.head = (b.head - 1) & b.mask
	b.buf[b.head] = v
	b.n++
}

// PopFront removes and returns the front value; the Buffer must not be
// empty. The slot it leaves is zeroed, so the Buffer keeps nothing alive.
func (b *Buffer[T]) PopFront() T {
	var zero T
	v := b.buf[b.head]
	b.buf[b.head] = zero
	b.head = (b.head + 1) & b.mask
	b.n--
	return v
}

// PopBack removes and returns the back value; the Buffer must not be
// empty.
func (b *Buffer[T]) PopBack() T {
	var zero T
	p := b.At(b.n - 1)
	v := *p
	*p = zero
	b.n--
	return v
}

// Insert puts v at index i, 0 ≤ i ≤ Len, moving the shorter side of the
// Buffer by one slot to make room.
func (b *Buffer[T]) Insert(i int, v T) {
	if b.n == len(b.buf) {
		b.grow()
	}
	if i < b.n-i {
		b.head = (b.head - 1) & b.mask
		for j := 0; j < i; j++ {
			*b.At(j) = *b.At(j + 1)
		}
	} else {
		for j := b.n; j > i; j-- {
			*b.At(j) = *b.At(j - 1)
		}
	}
	*b.At(i) = v
	b.n++
}

// Truncate drops the values from index n on, 0 ≤ n ≤ Len, zeroing their
// slots. With At it compacts a Buffer in place: move the values to keep
// to the front, then truncate.
func (b *Buffer[T]) Truncate(n int) {
	var zero T
	for i := n; i < b.n; i++ {
		*b.At(i) = zero
	}
	b.n = n
}

// Full reports whether the next push would grow the Buffer.
func (b *Buffer[T]) Full() bool { return b.n == len(b.buf) }

// Fit gives back the room a burst left: while less than a quarter of the
// Buffer is in use, it halves, down to [Keep]. Removals leave the room as
// it is, so that they stay cheap; an owner that removes calls Fit after
// them (a ready queue that has run a million tasks, say). A Buffer that
// Fit halved is less than half full, so the next push does not grow it.
func (b *Buffer[T]) Fit() {
	if b.n < len(b.buf)>>2 && len(b.buf) > Keep {
		b.shrink()
	}
}

// Cap returns the number of values the Buffer holds before it grows.
func (b *Buffer[T]) Cap() int { return len(b.buf) }

// grow moves the values of a full Buffer to one twice the size (16 at
// the least).
func (b *Buffer[T]) grow() {
	buf := make([]T, max(16, 2*len(b.buf)))
	n := copy(buf, b.buf[b.head:])
	copy(buf[n:], b.buf[:b.head])
	b.buf, b.mask, b.head = buf, len(buf)-1, 0
}

// shrink moves the values of a Buffer less than a quarter full to one
// half the size or smaller: the smallest, down to Keep, that is still at
// least a quarter full.
//
//go:noinline
func (b *Buffer[T]) shrink() {
	c := len(b.buf) / 2
	for c > Keep && b.n < c>>2 {
		c /= 2
	}
	buf := make([]T, c)
	if end := b.head + b.n; end <= len(b.buf) {
		copy(buf, b.buf[b.head:end])
	} else {
		n := copy(buf, b.buf[b.head:])
		copy(buf[n:], b.buf[:end&b.mask])
	}
	b.buf, b.mask, b.head = buf, c-1, 0
}
