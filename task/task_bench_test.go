package task_test

import (
	"testing"

	"github.com/asynkit-go/asynkit/internal/bench"
)

// The kernels live in internal/bench so the asynkit command's bench table
// runs the very same code; each runs beside its baselines.

func BenchmarkCreate(b *testing.B)          { bench.Run(b, bench.Find("Create")) }
func BenchmarkCreateBlocking(b *testing.B)  { bench.Run(b, bench.Find("CreateBlocking")) }
func BenchmarkHandoff(b *testing.B)         { bench.Run(b, bench.Find("Handoff")) }
func BenchmarkHandoffReused(b *testing.B)   { bench.Run(b, bench.Find("HandoffReused")) }
func BenchmarkYield(b *testing.B)           { bench.Run(b, bench.Find("Yield")) }
func BenchmarkYieldAlone(b *testing.B)      { bench.Run(b, bench.Find("YieldAlone")) }
func BenchmarkAwaitDone(b *testing.B)       { bench.Run(b, bench.Find("AwaitDone")) }
func BenchmarkSwitch(b *testing.B)          { bench.Run(b, bench.Find("Switch")) }
func BenchmarkReinsert(b *testing.B)        { bench.Run(b, bench.Find("Reinsert")) }
func BenchmarkIsRunnable(b *testing.B)      { bench.Run(b, bench.Find("IsRunnable")) }
func BenchmarkGather(b *testing.B)          { bench.Run(b, bench.Find("Gather")) }
func BenchmarkGroupChildren(b *testing.B)   { bench.Run(b, bench.Find("GroupChildren")) }
func BenchmarkTwoLoops(b *testing.B)        { bench.Run(b, bench.Find("TwoLoops")) }
func BenchmarkEagerStart(b *testing.B)      { bench.Run(b, bench.Find("EagerStart")) }
func BenchmarkFirstSuspension(b *testing.B) { bench.Run(b, bench.Find("FirstSuspension")) }
func BenchmarkEagerFactory(b *testing.B)    { bench.Run(b, bench.Find("EagerFactory")) }
func BenchmarkEagerFactoryBlocking(b *testing.B) {
	bench.Run(b, bench.Find("EagerFactoryBlocking"))
}
