package main

import (
	"flag"
	"sync"
	"testing"
)

var initOnce sync.Once

// testingInit registers the testing flags (test.benchtime among them) that
// testing.Benchmark reads, once, unless a test binary already did.
func testingInit() {
	initOnce.Do(func() {
		if flag.Lookup("test.benchtime") == nil {
			testing.Init()
		}
	})
}
