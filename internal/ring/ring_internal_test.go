package ring

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRemovalsClearTheirSlots(t *testing.T) {
	var b Buffer[*int]
	for range 5 {
		b.PushBack(new(int))
	}
	b.PopFront()
	b.PopBack()
	b.Truncate(1)
	b.Truncate(0)
	for i, v := range b.buf {
		assert.Nil(t, v, "slot %d still holds a value", i)
	}
}
