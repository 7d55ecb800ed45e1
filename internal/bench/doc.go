// Package bench holds the benchmark kernels shared by the packages'
// benchmarks and by the asynkit command's bench table. Each kernel runs
// asynkit's side and its baseline (goroutines, channels, raw iter.Pull)
// as sub-benchmarks of one benchmark, so the ratio is read from one run.
package bench
