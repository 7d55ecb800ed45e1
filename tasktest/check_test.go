package tasktest_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
	"github.com/asynkit-go/asynkit/tasktest"
)

// fakeT records what Check tells a test. Check runs on a goroutine of its
// own (see run), so that FailNow can end it as it ends a test.
type fakeT struct {
	testing.TB
	name string

	mu     sync.Mutex
	failed bool
	errs   []string
	logs   []string
}

func (t *fakeT) Helper()      {}
func (t *fakeT) Name() string { return t.name }
func (t *fakeT) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

func (t *fakeT) Errorf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failed = true
	t.errs = append(t.errs, fmt.Sprintf(format, args...))
}

func (t *fakeT) Fatalf(format string, args ...any) {
	t.Errorf(format, args...)
	runtime.Goexit()
}

func (t *fakeT) FailNow() {
	t.mu.Lock()
	t.failed = true
	t.mu.Unlock()
	runtime.Goexit()
}

func (t *fakeT) Logf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.logs = append(t.logs, fmt.Sprintf(format, args...))
}

// output is everything Check said to the test, errors first.
func (t *fakeT) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(append(append([]string{}, t.errs...), t.logs...), "\n")
}

// run runs Check with a fakeT and returns it with the report.
func run(body func(co *iterco.Co) error, opts ...tasktest.Option) (*fakeT, tasktest.Report) {
	return runNamed("TestFake", body, opts...)
}

func runNamed(name string, body func(co *iterco.Co) error, opts ...tasktest.Option) (*fakeT, tasktest.Report) {
	t := &fakeT{name: name}
	var r tasktest.Report
	done := make(chan struct{})
	go func() {
		defer close(done)
		tasktest.Check(t, body, append(opts, tasktest.WriteReport(&r))...)
	}()
	<-done
	return t, r
}

// trace returns the trace section of a failure message.
func trace(msg string) string {
	_, after, _ := strings.Cut(msg, "trace:\n")
	before, _, _ := strings.Cut(after, "replay:")
	return before
}

var tutorial = []struct {
	name string
	prog func(fixed bool) func(co *iterco.Co) error
}{
	{"check-then-act", account},
	{"lost update", cache},
	{"missed event", signal},
	{"early release", counter},
}

var strategies = []struct {
	name string
	opt  tasktest.Option
}{
	{"random", tasktest.Random()},
	{"pct(2)", tasktest.PCT(2)},
}

func TestEachTutorialBugIsFoundByEachStrategy(t *testing.T) {
	for _, p := range tutorial {
		for _, s := range strategies {
			t.Run(p.name+"/"+s.name, func(t *testing.T) {
				ft, r := run(p.prog(false), s.opt)
				require.True(t, ft.Failed(), "the bug was not found")
				assert.Positive(t, r.Failed)
				assert.LessOrEqual(t, r.Failed, 100)
				assert.Equal(t, r.Failed, r.Runs, "Check goes on after the failing run")
				t.Logf("found at run %d", r.Failed)
			})
		}
	}
}

func TestEachTutorialFixPassesTenThousandRuns(t *testing.T) {
	runs := 10_000
	if raceEnabled || testing.Short() {
		runs = 1_000
	}
	for _, p := range tutorial {
		for _, s := range strategies {
			t.Run(p.name+"/"+s.name, func(t *testing.T) {
				ft, r := run(p.prog(true), s.opt, tasktest.Runs(runs))
				require.False(t, ft.Failed(), ft.output())
				assert.Equal(t, runs, r.Runs, "Check reports only runs it made")
				assert.Zero(t, r.Failed)
			})
		}
	}
}

// three tasks of two steps each: the hand count of their interleavings is
// 6!/(2!·2!·2!) = 90; each is a distinct order of the six steps.
func TestExhaustiveCountsEveryInterleaving(t *testing.T) {
	orders := map[string]bool{}
	body := func(co *iterco.Co) error {
		var order []string
		tasks := make([]future.Awaitable[struct{}], 3)
		for i := range tasks {
			name := string(rune('a' + i))
			tasks[i] = task.Create(co, func(co *iterco.Co) (struct{}, error) {
				order = append(order, name+"1")
				if err := task.Yield(co); err != nil {
					return struct{}{}, err
				}
				order = append(order, name+"2")
				return struct{}{}, nil
			})
		}
		if _, err := task.Gather[struct{}](co, tasks...); err != nil {
			return err
		}
		orders[strings.Join(order, " ")] = true
		return nil
	}
	ft, r := run(body, tasktest.Exhaustive(1000))
	require.False(t, ft.Failed(), ft.output())
	assert.True(t, r.Exhausted)
	assert.Equal(t, 90, r.Runs)
	assert.Len(t, orders, 90)
	assert.Contains(t, ft.output(), "90 schedules, every one run")

	// A limit below the count stops the search and says so.
	ft, r = run(body, tasktest.Exhaustive(10))
	require.False(t, ft.Failed(), ft.output())
	assert.False(t, r.Exhausted)
	assert.Equal(t, 10, r.Runs)
	assert.Contains(t, ft.output(), "the limit stopped the search")
}

func TestExhaustiveFindsTheOneFailingSchedule(t *testing.T) {
	// Fails only if b runs both its steps before a's first.
	body := func(co *iterco.Co) error {
		var order []string
		step := func(name string) iterco.Func[struct{}] {
			return func(co *iterco.Co) (struct{}, error) {
				order = append(order, name+"1")
				task.Yield(co)
				order = append(order, name+"2")
				return struct{}{}, nil
			}
		}
		a, b := task.Create(co, step("a")), task.Create(co, step("b"))
		task.Gather[struct{}](co, a, b)
		if strings.Join(order, " ") == "b1 b2 a1 a2" {
			return errors.New("b ran first")
		}
		return nil
	}
	ft, r := run(body, tasktest.Exhaustive(100))
	require.True(t, ft.Failed())
	assert.Equal(t, "the body returned an error: b ran first", r.Reason)
	assert.True(t, strings.HasPrefix(r.Token, "path:1.1:"), r.Token)

	// Its token replays it.
	ft2, r2 := run(body, tasktest.Replay(r.Token))
	require.True(t, ft2.Failed())
	assert.Equal(t, r.Reason, r2.Reason)
	assert.Equal(t, trace(ft.errs[0]), trace(ft2.errs[0]))
}

func TestADeadlockNamesEachBlockedTask(t *testing.T) {
	ft, r := run(signal(false))
	require.True(t, ft.Failed())
	assert.Contains(t, r.Reason, "deadlock: nothing can run")
	assert.Contains(t, r.Reason, "main (t1) waits on task consumer (t2)")
	assert.Contains(t, r.Reason, "consumer (t2) waits on")
	assert.NotContains(t, r.Reason, "producer")
	assert.Contains(t, ft.errs[0], "--- deadlock: nothing can run")
}

func TestAReplayReproducesTheTraceByteForByte(t *testing.T) {
	for _, p := range tutorial {
		for _, s := range strategies {
			t.Run(p.name+"/"+s.name, func(t *testing.T) {
				ft, r := run(p.prog(false), s.opt)
				require.True(t, ft.Failed())
				msg := ft.errs[0]
				assert.Contains(t, msg, fmt.Sprintf("replay: tasktest.Replay(%q)", r.Token))
				assert.Contains(t, msg, fmt.Sprintf("TASKTEST_REPLAY='TestFake=%s' go test -run '^TestFake$'", r.Token))

				// By option.
				ft2, r2 := run(p.prog(false), tasktest.Replay(r.Token))
				require.True(t, ft2.Failed())
				assert.Equal(t, r.Token, r2.Token)
				assert.Equal(t, trace(msg), trace(ft2.errs[0]))

				// By the environment, for the test it names only.
				t.Setenv("TASKTEST_REPLAY", "TestFake="+r.Token)
				ft3, r3 := run(p.prog(false))
				require.True(t, ft3.Failed())
				assert.Equal(t, "replay", r3.Strategy)
				assert.Equal(t, trace(msg), trace(ft3.errs[0]))
				ft4, r4 := runNamed("TestOther", p.prog(true))
				assert.False(t, ft4.Failed(), ft4.output())
				assert.Equal(t, 100, r4.Runs)
			})
		}
	}
}

func TestTheSameSeedRunsTheSameSchedules(t *testing.T) {
	for _, s := range strategies {
		ft1, r1 := run(counter(false), s.opt, tasktest.Seed(42))
		ft2, r2 := run(counter(false), s.opt, tasktest.Seed(42))
		require.True(t, ft1.Failed())
		require.True(t, ft2.Failed())
		assert.Equal(t, r1, r2)
		assert.Equal(t, ft1.errs, ft2.errs)
	}
	// TASKTEST_SEED sets the base seed; Seed wins over it.
	t.Setenv("TASKTEST_SEED", "42")
	_, r3 := run(counter(false))
	_, r4 := run(counter(false), tasktest.Seed(42))
	_, r5 := run(counter(false), tasktest.Seed(tasktest.DefaultSeed))
	assert.Equal(t, r3, r4)
	assert.NotEqual(t, r3.Token, r5.Token)
}

func TestAReplayOfAnotherProgramDiverges(t *testing.T) {
	_, r := run(account(false))
	require.NotEmpty(t, r.Token)
	ft, r2 := run(counter(false), tasktest.Replay(r.Token))
	require.True(t, ft.Failed())
	assert.Equal(t, "diverged", r2.Reason)
	assert.Contains(t, ft.errs[0], "diverged from the recorded run")
}

func TestABadReplayTokenIsAnError(t *testing.T) {
	for _, token := range []string{"", "random", "random:x:0", "pct:0:1:2:3", "path:1.x:0", "foo:1:2"} {
		ft, _ := run(account(true), tasktest.Replay(token+"!"))
		require.True(t, ft.Failed(), token)
		assert.Contains(t, ft.errs[0], "replay token", token)
	}
	t.Setenv("TASKTEST_SEED", "many")
	ft, _ := run(account(true))
	require.True(t, ft.Failed())
	assert.Contains(t, ft.errs[0], `TASKTEST_SEED="many"`)
}

func TestWhatFailsARun(t *testing.T) {
	var ft0 *fakeT
	cases := []struct {
		name string
		body func(co *iterco.Co) error
		want string
	}{
		{"error", func(*iterco.Co) error { return errors.New("boom") }, "the body returned an error: boom"},
		{"panic", func(*iterco.Co) error { panic("oops") }, "the body returned an error: iterco: panic: oops"},
		{"callback panic", func(co *iterco.Co) error {
			task.LoopOf(co).CallSoon(func() { panic("in a callback") })
			return task.Yield(co)
		}, "in a callback"},
		{"unawaited task", func(co *iterco.Co) error {
			task.Create(co, func(*iterco.Co) (int, error) { return 0, errors.New("lost") })
			return task.Yield(co)
		}, "lost"},
		{"the body fails t", func(*iterco.Co) error {
			ft0.Errorf("from inside")
			return nil
		}, "the body failed the test"},
		{"livelock", func(co *iterco.Co) error {
			for {
				if err := task.Yield(co); err != nil {
					return err
				}
			}
		}, "the run did not finish within 1000 steps"},
		{"goroutine left", func(co *iterco.Co) error {
			wait := release
			go func() { <-wait }()
			return nil
		}, "1 goroutine(s) left behind"},
		{"uncontrolled", func(co *iterco.Co) error {
			l := task.LoopOf(co)
			f := task.NewFuture[int](co)
			go l.CallSoonThreadsafe(func() { f.SetResult(1) })
			_, err := f.Await(co)
			return err
		}, "uncontrolled input: work was posted to the loop by a goroutine it did not start"},
		{"a Go function waiting for its context", func(co *iterco.Co) error {
			// Only the loop cancels the context (at the run's end, when it
			// cancels what is left), and the loop waited for the result:
			// once hung, now reported after ten seconds.
			f := task.Go(co, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 0, ctx.Err()
			})
			_, err := f.Await(co)
			return err
		}, "uncontrolled input: a function run by task.Go waited for the loop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			release = make(chan struct{})
			defer close(release)
			ft0 = &fakeT{name: "TestFake"}
			var r tasktest.Report
			done := make(chan struct{})
			go func() {
				defer close(done)
				tasktest.Check(ft0, c.body, tasktest.MaxSteps(1000), tasktest.WriteReport(&r))
			}()
			<-done
			require.True(t, ft0.Failed())
			if c.name == "goroutine left" {
				// Counted goroutines: one of the test framework's, ending
				// during the first run, can hide that run's leak; the
				// next run's shows (see the package doc).
				assert.LessOrEqual(t, r.Failed, 2, "found at the first or second run")
			} else {
				assert.Equal(t, 1, r.Failed, "found at the first run")
			}
			assert.Contains(t, r.Reason, c.want)
		})
	}
}

var release chan struct{}

func TestFailNowInsideTheBodyIsReported(t *testing.T) {
	ft := &fakeT{name: "TestFake"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tasktest.Check(ft, func(co *iterco.Co) error {
			task.Create(co, func(co *iterco.Co) (int, error) { return 0, task.Yield(co) })
			task.Yield(co)
			ft.FailNow()
			return nil
		})
	}()
	<-done
	require.True(t, ft.Failed())
	require.Len(t, ft.errs, 1)
	assert.Contains(t, ft.errs[0], "run 1 (random:")
	assert.Contains(t, ft.errs[0], "the body stopped the test (t.FailNow or runtime.Goexit)")
	assert.Contains(t, ft.errs[0], "step t1")
}

func TestGoResultsArriveInEveryOrder(t *testing.T) {
	// Three task.Go calls whose results arrive in every order over the
	// runs, whatever order the goroutines finish in.
	seen := map[string]bool{}
	ft, r := run(func(co *iterco.Co) error {
		var order []int
		var tasks []future.Awaitable[struct{}]
		for i := range 3 {
			tasks = append(tasks, task.Create(co, func(co *iterco.Co) (struct{}, error) {
				v, err := task.Go(co, func(context.Context) (int, error) { return i, nil }).Await(co)
				order = append(order, v)
				return struct{}{}, err
			}))
		}
		_, err := task.Gather[struct{}](co, tasks...)
		seen[fmt.Sprint(order)] = true
		return err
	}, tasktest.Exhaustive(10_000))
	require.False(t, ft.Failed(), ft.output())
	assert.True(t, r.Exhausted)
	assert.Len(t, seen, 6)
}

func TestTheLoopsOwnPostsAreInProgramOrder(t *testing.T) {
	// A task that submits to its own loop and awaits the Submission posts
	// from the loop itself: not uncontrolled input.
	ft, r := run(func(co *iterco.Co) error {
		s := task.Submit(task.LoopOf(co), func(co *iterco.Co) (int, error) { return 7, task.Yield(co) })
		v, err := s.Await(co)
		if err == nil && v != 7 {
			err = fmt.Errorf("got %d", v)
		}
		return err
	}, tasktest.Exhaustive(100))
	require.False(t, ft.Failed(), ft.output())
	assert.True(t, r.Exhausted)
}

func TestProgramOrderIsKept(t *testing.T) {
	// Under every schedule: Switch runs its target next; callbacks queued in a row run in that order, and
	// before the next step of the task that queued them.
	ft, r := run(func(co *iterco.Co) error {
		var order []string
		note := func(s string) iterco.Func[struct{}] {
			return func(co *iterco.Co) (struct{}, error) {
				order = append(order, s)
				return struct{}{}, nil
			}
		}
		third := task.Create(co, note("third"))
		other := task.Create(co, note("other"))
		if err := task.Switch(co, other); err != nil {
			return err
		}
		if order[0] != "other" {
			return fmt.Errorf("after the switch: %q", order)
		}
		l := task.LoopOf(co)
		for i := range 3 {
			l.CallSoon(func() { order = append(order, fmt.Sprint("cb", i)) })
		}
		if err := task.Yield(co); err != nil {
			return err
		}
		if cbs := strings.Join(slicesWith(order, "cb"), " "); cbs != "cb0 cb1 cb2" {
			return fmt.Errorf("callbacks: %q", cbs)
		}
		_, err := third.Await(co)
		return err
	}, tasktest.Exhaustive(1000))
	require.False(t, ft.Failed(), ft.output())
	require.True(t, r.Exhausted)
	assert.Greater(t, r.Runs, 1)
}

func slicesWith(s []string, prefix string) []string {
	var out []string
	for _, v := range s {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}

func TestTimersDueTogetherRunInEveryOrder(t *testing.T) {
	seen := map[string]bool{}
	ft, r := run(func(co *iterco.Co) error {
		var order []string
		var tasks []future.Awaitable[struct{}]
		for _, s := range []struct {
			name string
			d    time.Duration
		}{{"a", time.Second}, {"b", time.Second}, {"c", 2 * time.Second}} {
			tasks = append(tasks, task.Create(co, func(co *iterco.Co) (struct{}, error) {
				err := task.Sleep(co, s.d)
				order = append(order, s.name)
				return struct{}{}, err
			}))
		}
		_, err := task.Gather[struct{}](co, tasks...)
		got := strings.Join(order, "")
		seen[got] = true
		if order[2] != "c" {
			// The later timer never overtakes the earlier ones.
			return fmt.Errorf("order %s", got)
		}
		return err
	}, tasktest.Exhaustive(1000))
	require.False(t, ft.Failed(), ft.output())
	assert.True(t, r.Exhausted)
	assert.Equal(t, map[string]bool{"abc": true, "bac": true}, seen)
}

func TestTheFirstExhaustiveScheduleIsTheFIFOOne(t *testing.T) {
	// With no task.Go in it, a program's first exhaustive schedule (every
	// choice the first candidate) is the plain loop's.
	errStop := errors.New("stop")
	body := func(co *iterco.Co) error {
		err := counter(true)(co)
		if err == nil {
			err = errStop
		}
		return err
	}
	var plain []string
	rec := task.RecorderFunc(func(e *task.Event) { plain = append(plain, "\t"+e.Format(task.VirtualEpoch)) })
	_, err := task.Run(context.Background(), func(co *iterco.Co) (struct{}, error) {
		return struct{}{}, body(co)
	}, task.WithClock(task.NewVirtualClock(task.VirtualEpoch)), task.WithRecorder(rec))
	require.ErrorIs(t, err, errStop)
	// Run names its main task differently; the rest must agree.
	plain[0] = strings.Replace(plain[0], "create t1", `create t1 "main"`, 1)

	ft, r := run(body, tasktest.Exhaustive(1))
	require.True(t, ft.Failed())
	assert.Equal(t, "path::", r.Token[:6])
	assert.Equal(t, strings.Join(plain, "\n")+"\n", trace(ft.errs[0]))
}

func TestLoopOptionsReachEveryRun(t *testing.T) {
	// With the eager task factory every run's tasks start eagerly: the
	// check-then-act bug is still found, and the fix still passes.
	eagerly := tasktest.LoopOptions(task.WithTaskFactory(eager.TaskFactory))
	ft, r := run(account(false), eagerly)
	require.True(t, ft.Failed())
	assert.Contains(t, r.Reason, "balance -10")
	ft, r = run(account(true), eagerly)
	require.False(t, ft.Failed(), ft.output())
	assert.Equal(t, 100, r.Runs)
}
