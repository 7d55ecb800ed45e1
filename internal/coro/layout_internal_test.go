package coro

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// Every parked task holds a Co and a worker: both are kept within their
// allocation size classes.
func TestRecordSizes(t *testing.T) {
	assert.LessOrEqual(t, unsafe.Sizeof(Worker{}), uintptr(64))
	assert.LessOrEqual(t, unsafe.Sizeof(Co{}), uintptr(64))
}
