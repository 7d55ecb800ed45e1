package asynkit

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the version of this module.
const Version = "0.1.0"

// Implementation describes how asynkit is built and runs, the Go form of
// asynkit's get_implementation_info().
type Implementation struct {
	// Implementation names the implementation: "Go".
	Implementation string
	// Version is the module version.
	Version string
	// GoVersion is the Go toolchain the program was built with.
	GoVersion string
	// Coroutines names the coroutine mechanism.
	Coroutines string
	// PerformanceInfo says what the costs are, in a sentence.
	PerformanceInfo string
	// BuildInfo has the build settings of the running binary (GOOS,
	// GOARCH, -race, ...), empty if the binary carries none.
	BuildInfo map[string]string
}

// Info returns how asynkit is built and runs.
func Info() Implementation {
	info := Implementation{
		Implementation: "Go",
		Version:        Version,
		GoVersion:      runtime.Version(),
		Coroutines:     "iter.Pull (runtime coroutine switch), pooled per loop",
		PerformanceInfo: "a task switch is a coroutine switch; a task that finishes without " +
			"blocking runs as a plain call on the loop's own coroutine",
		BuildInfo: map[string]string{
			"GOOS":   runtime.GOOS,
			"GOARCH": runtime.GOARCH,
		},
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			info.BuildInfo[s.Key] = s.Value
		}
	}
	return info
}

// String renders the information one field a line.
func (i Implementation) String() string {
	return fmt.Sprintf("implementation: %s\nversion: %s\ngo: %s\ncoroutines: %s\nperformance: %s\n",
		i.Implementation, i.Version, i.GoVersion, i.Coroutines, i.PerformanceInfo)
}
