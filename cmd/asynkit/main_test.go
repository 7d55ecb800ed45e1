package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The bench command runs each memory kernel in a process of its own,
	// started from os.Executable: in these tests, this binary.
	if len(os.Args) > 1 && os.Args[1] == "bench" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	goleak.VerifyTestMain(m)
}

var update = flag.Bool("update", false, "rewrite the golden files")

func TestDemoMatchesGolden(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"demo"}, &out, &errOut), errOut.String())
	golden := filepath.Join("..", "..", "testdata", "demo.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String())
}

func TestBenchPrintsTable(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"bench", "-benchtime", "10x"}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "go+WaitGroup")
	assert.Contains(t, out.String(), "Handoff")
}

func TestBenchRunSelectsCases(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"bench", "-benchtime", "5x", "-run", "^Yield$"}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "Yield")
	assert.NotContains(t, out.String(), "Handoff")
	assert.Equal(t, 2, run([]string{"bench", "-run", "nothing-matches"}, &out, &errOut))
	assert.Equal(t, 2, run([]string{"bench", "-run", "MillionParked"}, &out, &errOut), "a heavy case runs only with -heavy")
	assert.Equal(t, 2, run([]string{"bench", "-run", "("}, &out, &errOut))
}

func TestBenchWritesResultsAndGoals(t *testing.T) {
	dir := t.TempDir()
	js, svg, md := filepath.Join(dir, "b.json"), filepath.Join(dir, "b.svg"), filepath.Join(dir, "b.md")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"bench", "-benchtime", "5x", "-count", "2", "-run", "^(Create|Switch)$",
		"-json", js, "-svg", svg, "-md", md}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "2 round(s)")
	assert.Contains(t, out.String(), "÷ go+WaitGroup ≤ 0.25")
	assert.Regexp(t, `(met|not met)`, out.String())

	var results []struct {
		Case   string `json:"case"`
		Ratios []struct {
			Baseline string  `json:"baseline"`
			Median   float64 `json:"median"`
		} `json:"ratios"`
		Goals []struct {
			Met   bool    `json:"met"`
			Floor float64 `json:"floor"`
		} `json:"goals"`
	}
	b, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &results))
	require.Len(t, results, 2)
	assert.Equal(t, "Create", results[0].Case)
	assert.Equal(t, "go+WaitGroup", results[0].Ratios[0].Baseline)
	assert.Positive(t, results[0].Ratios[0].Median)
	assert.Len(t, results[0].Goals, 1)
	assert.Equal(t, "floor: 96 B", results[0].Ratios[1].Baseline)
	assert.Positive(t, results[0].Goals[0].Floor)

	b, err = os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<svg")
	assert.Contains(t, string(b), "Create ÷ go+WaitGroup")
	assert.Contains(t, string(b), "Switch ÷ iter.Pull")
	assert.Contains(t, string(b), "stroke-dasharray", "the floors' ticks")

	b, err = os.ReadFile(md)
	require.NoError(t, err)
	assert.Contains(t, string(b), "| case | what one op is |")
	assert.Contains(t, string(b), "| Create | a task created")
}

func TestBenchRunsAMemoryKernelInAProcessOfItsOwn(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"bench", "-count", "2", "-run", "^ParkedMemory$"}, &out, &errOut), errOut.String())
	assert.Regexp(t, `task +\d+ B/task`, out.String())
	assert.Regexp(t, `goroutine +\d+ B/task`, out.String())
	assert.Contains(t, out.String(), "÷ goroutine ≤ 1.25")

	out.Reset()
	require.Equal(t, 0, run([]string{"bench", "-kernel", "ParkedMemory/goroutine"}, &out, &errOut), errOut.String())
	var r testing.BenchmarkResult
	require.NoError(t, json.Unmarshal(out.Bytes(), &r))
	assert.Equal(t, 1, r.N, "a memory kernel measures once")
	assert.Positive(t, r.Extra["B/task"])

	for _, bad := range []string{"ParkedMemory", "Nope/task", "ParkedMemory/nope"} {
		errOut.Reset()
		assert.Equal(t, 1, run([]string{"bench", "-kernel", bad}, &out, &errOut), bad)
		assert.Contains(t, errOut.String(), bad)
	}
}

func TestBenchHeavySelectsTheHeavyCases(t *testing.T) {
	cases, err := selectCases("Parked", true)
	require.NoError(t, err)
	var names []string
	for _, c := range cases {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"ParkedMemory", "ParkedDeep", "MillionParked", "HotPairParked"}, names)
}

func TestInfoAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run([]string{"info"}, &out, &errOut))
	assert.Contains(t, out.String(), "implementation: Go")
	assert.Equal(t, 2, run(nil, &out, &errOut))
	assert.Equal(t, 2, run([]string{"what"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "usage: asynkit")
}

func TestDemoWritesTraceAndPicture(t *testing.T) {
	dir := t.TempDir()
	trace, svg := filepath.Join(dir, "demo.json"), filepath.Join(dir, "demo.svg")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"demo", "-trace", trace, "-svg", svg}, &out, &errOut), errOut.String())
	want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "demo.golden"))
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String(), "recording changes nothing")

	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	var evs []map[string]any
	require.NoError(t, json.Unmarshal(data, &evs))
	processes := 0
	for _, e := range evs {
		if e["name"] == "process_name" {
			processes++
		}
	}
	assert.Equal(t, strings.Count(string(want), "\n"), processes, "one per demo")

	pic, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pic, []byte("<svg")))
	assert.Contains(t, string(pic), "waiters of a future wake")

	assert.Equal(t, 1, run([]string{"demo", "-trace", filepath.Join(dir, "no", "such", "dir.json")}, &out, &errOut))
	assert.Equal(t, 2, run([]string{"demo", "-bogus"}, &out, &errOut))
}

func TestSoak(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"soak", "-duration", "1500ms"}, &out, &errOut), errOut.String())
	assert.Contains(t, errOut.String(), "tasks/s")
	assert.Contains(t, errOut.String(), "no violation, heap flat")
	assert.Equal(t, 2, run([]string{"soak", "-duration", "x"}, &out, &errOut))
}
