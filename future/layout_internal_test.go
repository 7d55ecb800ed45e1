package future

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// A Future of a word-sized T is one 64-byte allocation, and the part that
// does not depend on T is a plain type whose methods an interface reaches
// without a generic method's wrapper (see outcome).
func TestFutureLayout(t *testing.T) {
	assert.LessOrEqual(t, unsafe.Sizeof(Future[int]{}), uintptr(64))
	field, ok := reflect.TypeOf(Future[int]{}).FieldByName("outcome")
	if assert.True(t, ok) {
		assert.True(t, field.Anonymous, "outcome is embedded")
	}
	for _, m := range []string{"AddWaiter", "RemoveWaiter", "Done", "Cancel"} {
		_, ok := reflect.TypeOf(&outcome{}).MethodByName(m)
		assert.True(t, ok, "outcome has %s", m)
	}
}
