package sync_test

import (
	"testing"

	"github.com/asynkit-go/asynkit/internal/bench"
)

// The kernels live in internal/bench, beside their goroutine baselines.

func BenchmarkLockUncontended(b *testing.B)     { bench.Run(b, bench.Find("LockUncontended")) }
func BenchmarkLockContended(b *testing.B)       { bench.Run(b, bench.Find("LockContended")) }
func BenchmarkLockHeldAcrossYield(b *testing.B) { bench.Run(b, bench.Find("LockHeldAcrossYield")) }
func BenchmarkQueueTransfer(b *testing.B)       { bench.Run(b, bench.Find("QueueTransfer")) }
