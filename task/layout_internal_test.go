package task

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// A task that does not block costs its record and nothing else (its
// coroutine is the loop's, lent for the run): the record's size is the
// cost of every task, and it is kept within its allocation size class.
func TestTaskRecordSize(t *testing.T) {
	var tk Task[int]
	assert.LessOrEqual(t, unsafe.Sizeof(tk), uintptr(144))
	assert.LessOrEqual(t, unsafe.Sizeof(tk.c), uintptr(72))
}
