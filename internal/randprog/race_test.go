//go:build race

package randprog_test

const raceEnabled = true
