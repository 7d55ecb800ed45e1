package record_test

import (
	"context"
	"os"
	"time"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/record"
	"github.com/asynkit-go/asynkit/task"
)

// A recording in text is the same on every run of a program on a virtual
// clock: compare it with a golden file to catch a change of schedule.
func ExampleNewText() {
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		t := task.Create(co, func(co *iterco.Co) (int, error) {
			return 0, task.Sleep(co, time.Second)
		}, task.Name("sleeper"))
		_, err := t.Await(co)
		return 0, err
	}, task.WithClock(task.NewVirtualClock(time.Time{})), task.WithRecorder(record.NewText(os.Stdout)))
	// Output:
	// 1 +0s create t1
	// 2 +0s step t1
	// 3 +0s create t2 "sleeper" by t1
	// 4 +0s suspend t1 on task t2
	// 5 +0s step t2
	// 6 +0s suspend t2 on sleep
	// 7 +1s jump 1s
	// 8 +1s timer
	// 9 +1s callback
	// 10 +1s wake t2
	// 11 +1s step t2
	// 12 +1s done t2
	// 13 +1s wake t1 by t2
	// 14 +1s step t1
	// 15 +1s done t1
	// 16 +1s callback
}

// A Chrome trace opens in Perfetto (ui.perfetto.dev: "Open trace file") or
// chrome://tracing as a timeline: a track per task, a slice per step.
func ExampleNewChrome() {
	f, err := os.CreateTemp("", "schedule-*.json")
	if err != nil {
		return
	}
	defer os.Remove(f.Name())
	rec := record.NewChrome(f)
	task.Run(context.Background(), func(co *iterco.Co) (int, error) {
		return 0, task.Sleep(co, time.Millisecond)
	}, task.WithClock(task.NewVirtualClock(time.Time{})), task.WithRecorder(rec))
	rec.Close()
	f.Close()
	// Output:
}
