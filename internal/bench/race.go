//go:build race

package bench

// raceEnabled is set under the race detector, which keeps memory per
// goroutine ever started: the memory cases park fewer tasks there.
const raceEnabled = true
