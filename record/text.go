package record

import (
	"io"
	"time"

	"github.com/asynkit-go/asynkit/task"
)

// Text is a [task.Recorder] that writes one line an event ([task.Event]'s
// Format), with times relative to the first event. The first write error
// stops it; Err returns that error.
type Text struct {
	w     io.Writer
	start time.Time
	buf   []byte
	err   error
}

var _ task.Recorder = (*Text)(nil)

// NewText returns a Text recorder writing to w.
func NewText(w io.Writer) *Text { return &Text{w: w} }

// Record implements [task.Recorder].
func (t *Text) Record(e *task.Event) {
	if t.err != nil {
		return
	}
	if e.Seq == 1 || t.start.IsZero() {
		t.start = e.Time
	}
	t.buf = append(append(t.buf[:0], e.Format(t.start)...), '\n')
	_, t.err = t.w.Write(t.buf)
}

// Err returns the first error writing failed with.
func (t *Text) Err() error { return t.err }
