package tasktest

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asynkit-go/asynkit/internal/explore"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// DefaultSeed is the base seed of Random and PCT when neither [Seed] nor
// TASKTEST_SEED gives one.
const DefaultSeed = 1

// Report is what Check did.
type Report struct {
	// Strategy names the strategy: "random", "pct(2)", "exhaustive".
	Strategy string
	// Runs counts the runs made, the failing one included.
	Runs int
	// Exhausted reports that Exhaustive ran every schedule there is.
	Exhausted bool
	// Failed is the number (from 1) of the failing run, 0 if none failed.
	Failed int
	// Token is the failing run's replay token, "" if none failed.
	Token string
	// Reason says why it failed.
	Reason string
}

// Check runs body as the main task of a fresh loop on a virtual clock,
// once per schedule its strategy chooses (100 random schedules by
// default), and fails t at the first run that goes wrong, with what went
// wrong, the run's trace and the line that replays it. See the package
// documentation for what fails a run and what a strategy may change.
func Check(t testing.TB, body func(co *iterco.Co) error, opts ...Option) {
	t.Helper()
	if body == nil {
		panic("tasktest.Check: nil body")
	}
	c := defaults()
	if s := os.Getenv("TASKTEST_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			t.Fatalf("tasktest: TASKTEST_SEED=%q: not a number", s)
		}
		c.seed = n
	}
	if s := os.Getenv("TASKTEST_REPLAY"); s != "" {
		if name, token, ok := strings.Cut(s, "="); !ok {
			c.replay = s
		} else if name == t.Name() {
			c.replay = token
		}
	}
	for _, o := range opts {
		o.apply(&c)
	}
	ck := &checker{t: t, body: body, c: c}
	if c.goroutines {
		settle()
	}
	if c.replay != "" {
		ck.replay()
		return
	}
	ck.explore()
}

type checker struct {
	t    testing.TB
	body func(co *iterco.Co) error
	c    config
	rec  recorder
	// The chooser of the run going on, for the report of a run that ends
	// in runtime.Goexit (the body called t.FailNow).
	ch chooser
}

func (ck *checker) finish(r Report) {
	if ck.c.report != nil {
		*ck.c.report = r
	}
}

func (ck *checker) explore() {
	t := ck.t
	t.Helper()
	s := ck.c.strategy
	rep := Report{Strategy: s.name()}
	defer func() { ck.finish(rep) }()
	done := false
	defer func() {
		if !done && ck.ch != nil {
			// The body called runtime.Goexit: t.FailNow, most likely.
			t.Errorf("%s", ck.message(rep.Runs, "the body stopped the test (t.FailNow or runtime.Goexit)", nil))
		}
	}()
	var fails string
	for i := 0; ; i++ {
		ch, ok := s.next(i, &ck.c)
		if !ok {
			rep.Exhausted = s.exhausted()
			break
		}
		rep.Runs = i + 1
		ck.ch = ch
		out, leftover := ck.runOnce(ch)
		if why := ch.err(); why != "" {
			fails = "the program is not deterministic: " + why
		} else {
			fails = ck.verdict(out, leftover)
		}
		if fails != "" {
			rep.Failed, rep.Token, rep.Reason = i+1, ck.token(), fails
			t.Errorf("%s", ck.message(i+1, fails, &out))
			done = true
			return
		}
		s.ran(out)
	}
	done = true
	if _, ok := s.(*exhaustive); ok {
		if rep.Exhausted {
			t.Logf("tasktest: %d schedules, every one run", rep.Runs)
		} else {
			t.Logf("tasktest: %d schedules run; the limit stopped the search", rep.Runs)
		}
	}
}

func (ck *checker) replay() {
	t := ck.t
	t.Helper()
	ch, fp, err := parseToken(ck.c.replay)
	rep := Report{Strategy: "replay", Runs: 1}
	defer func() { ck.finish(rep) }()
	if err != nil {
		rep.Reason = err.Error()
		t.Errorf("tasktest: %v", err)
		return
	}
	ck.ch = ch
	done := false
	defer func() {
		if !done {
			t.Errorf("%s", ck.message(1, "the body stopped the test (t.FailNow or runtime.Goexit)", nil))
		}
	}()
	out, leftover := ck.runOnce(ch)
	done = true
	if got := ck.rec.fingerprint(); got != fp {
		rep.Reason = "diverged"
		t.Errorf("tasktest: the replay of %s diverged from the recorded run (trace %s, recorded %s): "+
			"the program is not the one the token came from, or it is not deterministic\ntrace:\n%s",
			ck.c.replay, got, fp, ck.rec.text(ck.c.maxTrace, out.DeadlockAt))
		return
	}
	fails := ck.verdict(out, leftover)
	if fails == "" {
		t.Logf("tasktest: replay of %s: the run passes now", ck.c.replay)
		return
	}
	rep.Failed, rep.Token, rep.Reason = 1, ck.token(), fails
	t.Errorf("%s", ck.message(1, fails, &out))
}

// runOnce runs the body once under ch, recording its trace, and returns
// the outcome and the goroutines it left (0 if not checked).
func (ck *checker) runOnce(ch chooser) (explore.Outcome, int) {
	ck.rec.reset()
	before := 0
	if ck.c.goroutines {
		before = runtime.NumGoroutine()
	}
	failed := ck.t.Failed()
	opts := make([]any, 0, len(ck.c.options)+1)
	for _, o := range ck.c.options {
		opts = append(opts, o)
	}
	opts = append(opts, task.WithRecorder(&ck.rec))
	out := explore.Run(ck.body, explore.Config{Chooser: ch, Options: opts, MaxSteps: ck.c.maxSteps})
	if !failed && ck.t.Failed() {
		out.Exceptions = append(out.Exceptions, "the body failed the test")
	}
	leftover := 0
	if ck.c.goroutines {
		// Goroutines that ended may take a moment to be counted out.
		for i := 0; i < 100; i++ {
			if leftover = runtime.NumGoroutine() - before; leftover <= 0 {
				leftover = 0
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	return out, leftover
}

// settle waits, a few milliseconds at most, for goroutines that are
// ending (a previous test's) to be gone, so that the first run's count of
// goroutines is not thrown off by one that ends during it.
func settle() {
	n := runtime.NumGoroutine()
	for range 20 {
		time.Sleep(200 * time.Microsecond)
		m := runtime.NumGoroutine()
		if m == n {
			return
		}
		n = m
	}
}

// verdict says why a run failed, or "" if it passed.
func (ck *checker) verdict(out explore.Outcome, leftover int) string {
	var b strings.Builder
	switch {
	case out.Uncontrolled != "":
		fmt.Fprintf(&b, "uncontrolled input: %s", out.Uncontrolled)
	case out.Deadlock != nil:
		b.WriteString("deadlock: nothing can run, no timer is pending and no work is in flight; blocked:")
		for _, l := range out.Deadlock {
			b.WriteString("\n\t" + l)
		}
	case out.Unfinished:
		fmt.Fprintf(&b, "the run did not finish within %d steps", ck.c.maxSteps)
	case out.Err != nil:
		fmt.Fprintf(&b, "the body returned an error: %v", out.Err)
	}
	if len(out.Exceptions) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString("the loop's exception handler got:")
		for _, e := range out.Exceptions {
			b.WriteString("\n\t" + strings.ReplaceAll(e, "\n", "\n\t"))
		}
	}
	if leftover > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d goroutine(s) left behind: started outside task.Go and not stopped?", leftover)
	}
	return b.String()
}

func (ck *checker) message(run int, why string, out *explore.Outcome) string {
	var b strings.Builder
	token := ck.token()
	fmt.Fprintf(&b, "tasktest: run %d (%s) failed: %s\n", run, token, why)
	if out != nil {
		fmt.Fprintf(&b, "%d steps, %d choices\n", out.Steps, out.Decisions)
	}
	var mark uint64
	if out != nil {
		mark = out.DeadlockAt
	}
	fmt.Fprintf(&b, "trace:\n%s", ck.rec.text(ck.c.maxTrace, mark))
	fmt.Fprintf(&b, "replay: tasktest.Replay(%q)\n", token)
	fmt.Fprintf(&b, "    or: TASKTEST_REPLAY='%s=%s' go test -run '^%s$'", ck.t.Name(), token, regexpQuote(ck.t.Name()))
	return b.String()
}

// token is the replay token of the run going on or just ended.
func (ck *checker) token() string { return ck.ch.token() + ":" + ck.rec.fingerprint() }

func regexpQuote(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, "$/^")
}
