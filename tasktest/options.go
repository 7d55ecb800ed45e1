package tasktest

import "github.com/asynkit-go/asynkit/task"

// Option configures Check.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	strategy   strategy
	runs       int
	seed       uint64
	seedSet    bool
	replay     string
	maxSteps   int
	options    []task.LoopOption
	goroutines bool // check that no goroutine is left
	report     *Report
	maxTrace   int
}

func defaults() config {
	return config{
		strategy:   randomStrategy{},
		runs:       100,
		seed:       DefaultSeed,
		maxSteps:   1_000_000,
		goroutines: true,
		maxTrace:   400,
	}
}

// Runs sets how many runs Random and PCT make (default 100). Exhaustive
// runs until it has run every schedule or its limit.
func Runs(n int) Option {
	if n < 1 {
		panic("tasktest.Runs: n < 1")
	}
	return optionFunc(func(c *config) { c.runs = n })
}

// Seed sets the base seed from which each run's seed is made; it wins
// over TASKTEST_SEED.
func Seed(s uint64) Option {
	return optionFunc(func(c *config) { c.seed, c.seedSet = s, true })
}

// Replay runs only the run a failure printed (its token), and fails the
// test if it fails again, or if it diverged from the recorded run.
// TASKTEST_REPLAY does the same from the environment.
func Replay(token string) Option { return optionFunc(func(c *config) { c.replay = token }) }

// MaxSteps bounds the steps and callbacks of one run (default 1,000,000):
// a run that goes past it fails as not finishing (a livelock, or a loop
// that never ends).
func MaxSteps(n int) Option {
	if n < 1 {
		panic("tasktest.MaxSteps: n < 1")
	}
	return optionFunc(func(c *config) { c.maxSteps = n })
}

// LoopOptions are given to every run's loop, after Check's own: a task
// factory ([task.WithTaskFactory]), a recorder. The loop's queue and
// clock stay Check's.
func LoopOptions(opts ...task.LoopOption) Option {
	return optionFunc(func(c *config) { c.options = append(c.options, opts...) })
}

// AllowGoroutines turns off the check that a run leaves no goroutine
// behind: for a test that runs in parallel with others (t.Parallel),
// whose goroutines the check would count.
func AllowGoroutines() Option { return optionFunc(func(c *config) { c.goroutines = false }) }

// WriteReport makes Check fill r when it returns.
func WriteReport(r *Report) Option { return optionFunc(func(c *config) { c.report = r }) }
