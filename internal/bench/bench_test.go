package bench_test

import (
	"bytes"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/internal/bench"
)

func TestTableRunsEveryKernel(t *testing.T) {
	benchtime := flag.Lookup("test.benchtime")
	old := benchtime.Value.String()
	require.NoError(t, benchtime.Value.Set("20x"))
	defer benchtime.Value.Set(old)

	var out bytes.Buffer
	results, err := bench.Measure(bench.Cases, 2, nil)
	require.NoError(t, err)
	require.NoError(t, bench.Table(&out, results))
	for _, c := range bench.Cases {
		assert.Contains(t, out.String(), c.Name)
		for _, k := range c.Baselines {
			assert.Contains(t, out.String(), k.Name)
		}
	}
	assert.Contains(t, out.String(), "asynkit/baseline")
}

func TestFind(t *testing.T) {
	assert.Equal(t, "Handoff", bench.Find("Handoff").Name)
	assert.Panics(t, func() { bench.Find("nope") })
}

func BenchmarkRecorder(b *testing.B)      { bench.Run(b, bench.Find("Recorder")) }
func BenchmarkVirtualSleeps(b *testing.B) { bench.Run(b, bench.Find("VirtualSleeps")) }
func BenchmarkTimerArm(b *testing.B)      { bench.Run(b, bench.Find("TimerArm")) }
func BenchmarkTimeoutBlock(b *testing.B)  { bench.Run(b, bench.Find("TimeoutBlock")) }
func BenchmarkRecorderWork(b *testing.B)  { bench.Run(b, bench.Find("RecorderWork")) }
func BenchmarkFirstPark(b *testing.B)     { bench.Run(b, bench.Find("FirstPark")) }

func BenchmarkPriorityLoop(b *testing.B)     { bench.Run(b, bench.Find("PriorityLoop")) }
func BenchmarkPriorityQueueOps(b *testing.B) { bench.Run(b, bench.Find("PriorityQueueOps")) }
func BenchmarkPriorityFix(b *testing.B)      { bench.Run(b, bench.Find("PriorityFix")) }
func BenchmarkPriorityLockUncontended(b *testing.B) {
	bench.Run(b, bench.Find("PriorityLockUncontended"))
}
func BenchmarkInheritanceChain(b *testing.B) { bench.Run(b, bench.Find("InheritanceChain")) }
