package bench_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/bench"
)

// The heavy kernels, on a few thousand tasks instead of a million.
func TestHeavyKernelsReportTheirMetrics(t *testing.T) {
	for _, k := range []bench.Kernel{
		{Name: "tasks", F: bench.ParkedHeap(2_000)},
		{Name: "goroutines", F: bench.ParkedGoroutineHeap(2_000)},
		{Name: "coroutines", F: bench.ParkedPullHeap(2_000)},
		{Name: "deep coroutines", F: bench.ParkedPullFramesHeap(2_000)},
	} {
		r := testing.Benchmark(k.F)
		assert.Positive(t, r.Extra["GB"], k.Name)
		assert.Positive(t, r.Extra["GC-s"], k.Name)
	}
	r := testing.Benchmark(bench.HotPair(1_000))
	assert.Positive(t, r.N)
	assert.Positive(t, r.T)
}

func TestGoalOnAMetricAlone(t *testing.T) {
	gb := func(v float64) func(*testing.B) {
		return func(b *testing.B) { b.ReportMetric(v, "GB") }
	}
	cases := []bench.Case{
		{
			Name: "Small", Ours: bench.Kernel{Name: "ours", F: gb(2)},
			Baselines: []bench.Kernel{{Name: "theirs", F: gb(4)}},
			Goals:     []bench.Goal{{Metric: "GB", Max: 3}},
		},
		{
			Name: "Large", Ours: bench.Kernel{Name: "ours", F: gb(5)},
			Goals: []bench.Goal{{Metric: "GB", Max: 3}},
		},
	}
	results, err := bench.Measure(cases, 1, nil)
	require.NoError(t, err)
	require.Len(t, results, 2)
	require.Len(t, results[0].Goals, 1)
	assert.True(t, results[0].Goals[0].Met)
	assert.Equal(t, "GB ≤ 3 (2.00)", results[0].Goals[0].Says)
	require.Len(t, results[0].Ratios, 1)
	assert.Equal(t, "GB", results[0].Ratios[0].Metric, "the ratio is of the goal's metric")
	assert.InDelta(t, 0.5, results[0].Ratios[0].Median, 1e-9)
	assert.False(t, results[1].Goals[0].Met)
	assert.Equal(t, "GB ≤ 3 (5.00)", results[1].Goals[0].Says)

	var md bytes.Buffer
	require.NoError(t, bench.Markdown(&md, results))
	assert.Contains(t, md.String(), "| Small |  | ours 2 GB | theirs 4 GB | 0.50 [0.50–0.50] | GB ≤ 3 (2.00): met |")
	assert.Contains(t, md.String(), "| Large |  | 5 GB | | | GB ≤ 3 (5.00): not met |")
}

func TestHeavyCasesAreSeparate(t *testing.T) {
	for _, h := range bench.HeavyCases {
		for _, c := range bench.Cases {
			assert.NotEqual(t, h.Name, c.Name)
		}
		assert.NotEmpty(t, h.Goals, h.Name)
	}
}

// The kernels of a Fresh case go through the runner, each once a round;
// the others run in process. A runner's error ends the measurement.
func TestFreshCasesRunThroughTheRunner(t *testing.T) {
	inProcess := func(b *testing.B) { b.ReportMetric(7, "GB") }
	cases := []bench.Case{
		{Name: "Fresh", Ours: bench.Kernel{Name: "ours", F: inProcess},
			Baselines: []bench.Kernel{{Name: "theirs", F: inProcess}}, Fresh: true},
		{Name: "Plain", Ours: bench.Kernel{Name: "ours", F: inProcess}},
	}
	var ran []string
	fresh := func(c bench.Case, k bench.Kernel) (testing.BenchmarkResult, error) {
		ran = append(ran, c.Name+"/"+k.Name)
		return testing.BenchmarkResult{N: 1, T: 1, Extra: map[string]float64{"GB": 2}}, nil
	}
	results, err := bench.Measure(cases, 2, fresh)
	require.NoError(t, err)
	assert.Equal(t, []string{"Fresh/ours", "Fresh/theirs", "Fresh/theirs", "Fresh/ours"}, ran)
	assert.Equal(t, 2.0, results[0].Kernels[0].Metrics["GB"])
	assert.Equal(t, 7.0, results[1].Kernels[0].Metrics["GB"])

	_, err = bench.Measure(cases, 1, func(bench.Case, bench.Kernel) (testing.BenchmarkResult, error) {
		return testing.BenchmarkResult{}, errors.New("no room")
	})
	assert.ErrorContains(t, err, "Fresh/ours: no room")
}
