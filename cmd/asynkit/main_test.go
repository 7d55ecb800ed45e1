package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

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
	assert.Equal(t, 2, run([]string{"bench", "-run", "("}, &out, &errOut))
}

func TestInfoAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run([]string{"info"}, &out, &errOut))
	assert.Contains(t, out.String(), "implementation: Go")
	assert.Equal(t, 2, run(nil, &out, &errOut))
	assert.Equal(t, 2, run([]string{"what"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "usage: asynkit")
}
