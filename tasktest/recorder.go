package tasktest

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/asynkit-go/asynkit/task"
)

// recorder keeps a run's events, to print if the run fails.
type recorder struct{ events []task.Event }

func (r *recorder) Record(e *task.Event) { r.events = append(r.events, *e) }

func (r *recorder) reset() {
	clear(r.events)
	r.events = r.events[:0]
}

func (r *recorder) lines() []string {
	out := make([]string, len(r.events))
	for i, e := range r.events {
		out[i] = e.Format(task.VirtualEpoch)
	}
	return out
}

// text is the trace, its last max events if it has more, with a line
// after event number deadlock (if not 0) saying that the loop found a
// deadlock there.
func (r *recorder) text(max int, deadlock uint64) string {
	lines := r.lines()
	events := r.events
	var b strings.Builder
	if len(lines) > max {
		fmt.Fprintf(&b, "\t… %d earlier events\n", len(lines)-max)
		lines, events = lines[len(lines)-max:], events[len(events)-max:]
	}
	for i, l := range lines {
		b.WriteString("\t" + l + "\n")
		if deadlock != 0 && events[i].Seq == deadlock {
			b.WriteString("\t--- deadlock: nothing can run; what follows is the clean-up ---\n")
		}
	}
	return b.String()
}

// fingerprint is a hash of the whole trace, which a replay must match.
func (r *recorder) fingerprint() string {
	h := fnv.New32a()
	for _, l := range r.lines() {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf("%08x", h.Sum32())
}
