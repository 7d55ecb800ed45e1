// Package record writes what a task.Loop records (see "Recording the
// schedule" in package task) in two forms: plain text, one line an event,
// stable across runs of a program on a task.VirtualClock, for golden
// files and diffs; and Chrome trace-event JSON, which Perfetto
// (ui.perfetto.dev) and chrome://tracing open as a timeline with one track
// per task, a slice per step and an arrow from each waker to the task it
// woke.
//
//	var buf bytes.Buffer
//	rec := record.NewText(&buf)
//	task.Run(ctx, main, task.WithClock(task.NewVirtualClock(start)), task.WithRecorder(rec))
//
// A recorder is used by one loop, on that loop's goroutine.
package record
