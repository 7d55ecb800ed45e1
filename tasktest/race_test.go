//go:build race

package tasktest_test

const raceEnabled = true
