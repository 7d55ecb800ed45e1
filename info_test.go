package asynkit_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/asynkit-go/asynkit"
)

func TestInfo(t *testing.T) {
	info := asynkit.Info()
	assert.Equal(t, "Go", info.Implementation)
	assert.Equal(t, asynkit.Version, info.Version)
	assert.Equal(t, runtime.Version(), info.GoVersion)
	assert.Contains(t, info.Coroutines, "iter.Pull")
	assert.Equal(t, runtime.GOARCH, info.BuildInfo["GOARCH"])
	assert.Contains(t, info.String(), "implementation: Go\n")
}

func ExampleInfo() {
	info := asynkit.Info()
	fmt.Println(info.Implementation, info.Coroutines)
	// Output: Go iter.Pull (runtime coroutine switch), pooled per loop
}
