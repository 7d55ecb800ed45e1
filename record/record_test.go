package record_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/record"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// program is a small one with a bit of everything a recording shows:
// sleeps, a lock, an eager start, a cancel and a failure.
func program(co *iterco.Co) (int, error) {
	var lock asyncsync.Lock
	worker := func(name string, d time.Duration) iterco.Func[int] {
		return func(co *iterco.Co) (int, error) {
			if err := lock.Acquire(co); err != nil {
				return 0, err
			}
			defer lock.Release(co)
			return 1, task.Sleep(co, d)
		}
	}
	a := task.Create(co, worker("a", 10*time.Millisecond), task.Name("a"))
	b := task.Create(co, worker("b", 5*time.Millisecond), task.Name("b"), task.EagerStart(true))
	sleeper := task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Sleep(co, time.Hour) }, task.Name("sleeper"))
	failing := task.Create(co, func(co *iterco.Co) (int, error) {
		task.Yield(co)
		return 0, errors.New("boom")
	}, task.Name("failing"))
	task.Sleep(co, 12*time.Millisecond)
	sleeper.Cancel("enough")
	_, errs, err := task.GatherAll[int](co, a, b, sleeper, failing)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range errs {
		if e == nil {
			n++
		}
	}
	return n, nil
}

func runRecorded(t *testing.T, rec task.Recorder) {
	t.Helper()
	v, err := task.Run(context.Background(), program,
		task.WithClock(task.NewVirtualClock(time.Time{})), task.WithRecorder(rec))
	require.NoError(t, err)
	require.Equal(t, 2, v)
}

func TestTextMatchesTheGoldenFile(t *testing.T) {
	var buf bytes.Buffer
	rec := record.NewText(&buf)
	runRecorded(t, rec)
	require.NoError(t, rec.Err())
	golden := filepath.Join("testdata", "program.txt")
	if *update {
		require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), buf.String())
}

func TestTextIsTheSameOnEveryRun(t *testing.T) {
	var first bytes.Buffer
	runRecorded(t, record.NewText(&first))
	for range 20 {
		var again bytes.Buffer
		runRecorded(t, record.NewText(&again))
		require.Equal(t, first.String(), again.String())
	}
}

type chromeEvent struct {
	Name string         `json:"name"`
	Ph   string         `json:"ph"`
	Ts   int64          `json:"ts"`
	Tid  uint64         `json:"tid"`
	ID   uint64         `json:"id"`
	Args map[string]any `json:"args"`
}

func TestChromeTrace(t *testing.T) {
	var buf bytes.Buffer
	rec := record.NewChrome(&buf)
	runRecorded(t, rec)
	require.NoError(t, rec.Close())
	var evs []chromeEvent
	require.NoError(t, json.Unmarshal(buf.Bytes(), &evs), "valid JSON")

	names := map[uint64]string{}
	depth := map[uint64]int{}
	var last int64
	flowsOut, flowsIn := map[uint64]bool{}, map[uint64]bool{}
	for _, e := range evs {
		if e.Ph == "M" {
			if e.Name == "thread_name" {
				names[e.Tid] = e.Args["name"].(string)
			}
			continue
		}
		assert.GreaterOrEqual(t, e.Ts, last, "times never go back")
		last = e.Ts
		switch e.Ph {
		case "B":
			depth[e.Tid]++
			assert.Equal(t, 1, depth[e.Tid], "slices do not nest on a track")
		case "E":
			depth[e.Tid]--
			assert.Equal(t, 0, depth[e.Tid])
		case "s":
			flowsOut[e.ID] = true
			assert.Equal(t, 1, depth[e.Tid], "an arrow leaves from inside a slice")
		case "f":
			flowsIn[e.ID] = true
			assert.Equal(t, 1, depth[e.Tid], "an arrow lands on a step")
		}
	}
	for tid, d := range depth {
		assert.Zero(t, d, "track %d left open", tid)
	}
	assert.Equal(t, "loop", names[0])
	assert.Equal(t, "t2 a", names[2])
	assert.Equal(t, "t4 sleeper", names[4])
	assert.NotEmpty(t, flowsIn)
	for id := range flowsIn {
		assert.True(t, flowsOut[id], "arrow %d has a start", id)
	}
}

func TestChromeOfNothing(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, record.NewChrome(&buf).Close())
	var evs []chromeEvent
	require.NoError(t, json.Unmarshal(buf.Bytes(), &evs))
	assert.Empty(t, evs)
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n++; w.n > 3 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteErrorsStopTheRecorders(t *testing.T) {
	text := record.NewText(&failingWriter{})
	runRecorded(t, text)
	assert.EqualError(t, text.Err(), "disk full")
	chrome := record.NewChrome(&failingWriter{})
	runRecorded(t, chrome)
	assert.EqualError(t, chrome.Close(), "disk full")
}

// drawTwoLoops draws the program run twice, as two loops.
func drawTwoLoops(t *testing.T) string {
	var buf bytes.Buffer
	rec := record.NewSVG(&buf)
	rec.NextLoop("first <loop>")
	runRecorded(t, rec)
	rec.NextLoop("second")
	runRecorded(t, rec)
	require.NoError(t, rec.Close())
	return buf.String()
}

func TestSVGDrawsEveryLoop(t *testing.T) {
	pic := drawTwoLoops(t)
	assert.True(t, strings.HasPrefix(pic, "<svg"))
	assert.True(t, strings.HasSuffix(pic, "</svg>\n"))
	assert.Contains(t, pic, "first &lt;loop&gt;", "titles are escaped")
	assert.Contains(t, pic, "second")
	assert.Equal(t, 2, strings.Count(pic, ">t4 sleeper<"), "a lane per task, per loop")
	assert.Contains(t, pic, "failed: boom")
	assert.Contains(t, pic, "+5ms", "clock jumps are marked")
	assert.Contains(t, pic, `marker-end="url(#arrow)"`, "wake-ups are arrows")

	assert.Equal(t, pic, drawTwoLoops(t), "the same picture on every run")
}

func TestChromeOfSeveralLoops(t *testing.T) {
	var buf bytes.Buffer
	rec := record.NewChrome(&buf)
	rec.NextLoop("one")
	runRecorded(t, rec)
	rec.NextLoop("two")
	runRecorded(t, rec)
	require.NoError(t, rec.Close())
	var evs []map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &evs))
	pids := map[float64]bool{}
	for _, e := range evs {
		pids[e["pid"].(float64)] = true
	}
	assert.Equal(t, map[float64]bool{1: true, 2: true}, pids)
}
