// Package bench holds the benchmark kernels shared by the packages'
// benchmarks and by the asynkit command's bench table. Each kernel runs
// asynkit's side and its baseline (goroutines, channels, raw iter.Pull)
// as sub-benchmarks of one benchmark, so the ratio is read from one run.
// A case with a goal also runs its floor (see floors.go): the coroutine
// switches and allocations its kernel cannot avoid, with no loop around
// them, so the table shows how far a goal could go and what the loop's
// bookkeeping costs above that.
package bench
