package iterco_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit/iterco"
)

func TestErrorTexts(t *testing.T) {
	assert.EqualError(t, &iterco.OOBData[int]{Data: 7}, "iterco: out-of-band data: 7")
	assert.EqualError(t, &iterco.SynchronousError{Err: io.EOF}, "iterco: coroutine failed to complete synchronously: EOF")
	assert.ErrorIs(t, &iterco.SynchronousError{Err: io.EOF}, io.EOF)
	assert.Contains(t, (&iterco.SynchronousError{Caught: true}).Error(), "handled the abort")
}
