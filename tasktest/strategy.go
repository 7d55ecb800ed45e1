package tasktest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/asynkit-go/asynkit/internal/explore"
)

// Random makes Check pick uniformly at random at every choice, from a
// seed made anew for each run. It is the default.
func Random() Option { return optionFunc(func(c *config) { c.strategy = randomStrategy{} }) }

// PCT makes Check schedule by probabilistic concurrency testing with the
// given depth (the number of ordering constraints a bug needs to show;
// 2 or 3 finds most). Every task gets a random priority, the highest
// ready one runs, and at depth−1 random choices the chosen task's
// priority drops below all others. It panics if depth < 1.
func PCT(depth int) Option {
	if depth < 1 {
		panic("tasktest.PCT: depth < 1")
	}
	return optionFunc(func(c *config) { c.strategy = &pctStrategy{d: depth} })
}

// Exhaustive makes Check run every distinct schedule of the program,
// depth first, stopping after max runs. With [WriteReport],
// Report.Exhausted says whether it ran them all; the test log says so
// too. It panics if max < 1.
func Exhaustive(max int) Option {
	if max < 1 {
		panic("tasktest.Exhaustive: max < 1")
	}
	return optionFunc(func(c *config) { c.strategy = &exhaustive{max: max} })
}

// A strategy makes a chooser for each run.
type strategy interface {
	name() string
	// next returns the chooser of run i, or false when there are no more
	// runs to make.
	next(i int, c *config) (chooser, bool)
	// ran is told how a run that passed went.
	ran(out explore.Outcome)
	// exhausted reports that no schedule is left.
	exhausted() bool
}

// A chooser makes the choices of one run.
type chooser interface {
	explore.Chooser
	// token names the run, for Replay (without the trace's fingerprint).
	token() string
	// err says how the run differed from what the chooser expected: the
	// program is not deterministic.
	err() string
}

// runSeed makes run i's seed from the base seed (splitmix64).
func runSeed(base uint64, i int) uint64 {
	z := base + uint64(i+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

type randomStrategy struct{}

func (randomStrategy) name() string        { return "random" }
func (randomStrategy) ran(explore.Outcome) {}
func (randomStrategy) exhausted() bool     { return false }
func (randomStrategy) next(i int, c *config) (chooser, bool) {
	if i >= c.runs {
		return nil, false
	}
	return newRandom(runSeed(c.seed, i)), true
}

type randomChooser struct {
	seed uint64
	rng  *rand.Rand
}

func newRandom(seed uint64) *randomChooser {
	return &randomChooser{seed: seed, rng: rand.New(rand.NewPCG(seed, 0))}
}

func (r *randomChooser) Pick(c []explore.Candidate) int { return r.rng.IntN(len(c)) }
func (r *randomChooser) token() string                  { return "random:" + strconv.FormatUint(r.seed, 10) }
func (r *randomChooser) err() string                    { return "" }

type pctStrategy struct {
	d    int
	maxK int // the most choices a run has made so far
}

func (p *pctStrategy) name() string    { return fmt.Sprintf("pct(%d)", p.d) }
func (p *pctStrategy) exhausted() bool { return false }
func (p *pctStrategy) ran(out explore.Outcome) {
	p.maxK = max(p.maxK, out.Decisions)
}

func (p *pctStrategy) next(i int, c *config) (chooser, bool) {
	if i >= c.runs {
		return nil, false
	}
	// k is the length of a run in choices, which PCT spreads its change
	// points over: the longest seen so far, or a guess before the first.
	k := p.maxK
	if k == 0 {
		k = 32
	}
	return newPCT(p.d, k, runSeed(c.seed, i)), true
}

type pctChooser struct {
	d, k   int
	seed   uint64
	rng    *rand.Rand
	change []int // the choices (from 1) at which the chosen task drops
	prio   map[uint64]uint64
	n      int
}

func newPCT(d, k int, seed uint64) *pctChooser {
	p := &pctChooser{d: d, k: k, seed: seed, rng: rand.New(rand.NewPCG(seed, 1)), prio: map[uint64]uint64{}}
	for range d - 1 {
		p.change = append(p.change, 1+p.rng.IntN(k))
	}
	return p
}

// actor names who a candidate's priority belongs to: its task, or, for a
// callback, its chain; all arrivals share one.
func actor(c explore.Candidate) uint64 {
	switch {
	case c.Arrival:
		return 1 << 62
	case c.Task != 0:
		return c.Task
	}
	return 1<<61 | c.Chain
}

func (p *pctChooser) highest(c []explore.Candidate) int {
	best, bestPrio := 0, uint64(0)
	for i, cand := range c {
		a := actor(cand)
		pr, ok := p.prio[a]
		if !ok {
			// Above every priority a change point gives (below d).
			pr = p.rng.Uint64() | 1<<63
			p.prio[a] = pr
		}
		if pr > bestPrio {
			best, bestPrio = i, pr
		}
	}
	return best
}

func (p *pctChooser) Pick(c []explore.Candidate) int {
	p.n++
	best := p.highest(c)
	for j, at := range p.change {
		if at == p.n {
			p.prio[actor(c[best])] = uint64(p.d - 1 - j)
			best = p.highest(c)
		}
	}
	return best
}

func (p *pctChooser) token() string { return fmt.Sprintf("pct:%d:%d:%d", p.d, p.k, p.seed) }
func (p *pctChooser) err() string   { return "" }

// exhaustive walks the tree of choices depth first: each run follows the
// path of the one before up to its last choice that has a sibling left,
// takes that sibling, and picks the first candidate after it.
type exhaustive struct {
	max      int
	path     []choice
	complete bool
}

type choice struct{ pick, n int }

func (e *exhaustive) name() string        { return "exhaustive" }
func (e *exhaustive) ran(explore.Outcome) {}
func (e *exhaustive) exhausted() bool     { return e.complete }
func (e *exhaustive) next(i int, _ *config) (chooser, bool) {
	if i > 0 {
		for len(e.path) > 0 && e.path[len(e.path)-1].pick == e.path[len(e.path)-1].n-1 {
			e.path = e.path[:len(e.path)-1]
		}
		if len(e.path) == 0 {
			e.complete = true
			return nil, false
		}
		e.path[len(e.path)-1].pick++
	}
	if i >= e.max {
		return nil, false
	}
	return &pathChooser{path: &e.path}, true
}

// pathChooser follows a path of choices, then picks the first candidate,
// extending the path. A replay's path has n == 0: not checked.
type pathChooser struct {
	path *[]choice
	pos  int
	bad  string
}

func (p *pathChooser) Pick(c []explore.Candidate) int {
	path := *p.path
	pick := 0
	if p.pos < len(path) {
		st := path[p.pos]
		if st.n != 0 && st.n != len(c) && p.bad == "" {
			p.bad = fmt.Sprintf("choice %d had %d candidates, and %d in an earlier run with the same choices before it",
				p.pos+1, len(c), st.n)
		}
		pick = min(st.pick, len(c)-1)
	} else {
		*p.path = append(path, choice{0, len(c)})
	}
	p.pos++
	return pick
}

func (p *pathChooser) token() string {
	path := (*p.path)[:min(p.pos, len(*p.path))]
	for len(path) > 0 && path[len(path)-1].pick == 0 {
		path = path[:len(path)-1]
	}
	picks := make([]string, len(path))
	for i, st := range path {
		picks[i] = strconv.Itoa(st.pick)
	}
	return "path:" + strings.Join(picks, ".")
}

func (p *pathChooser) err() string { return p.bad }

var errToken = errors.New(`replay token: want "random:SEED:FP", "pct:D:K:SEED:FP" or "path:P.P.P:FP"`)

// parseToken makes the chooser a replay token names, and returns the
// fingerprint of the trace it recorded.
func parseToken(s string) (chooser, string, error) {
	f := strings.Split(s, ":")
	if len(f) < 3 {
		return nil, "", fmt.Errorf("%w, not %q", errToken, s)
	}
	fp := f[len(f)-1]
	num := func(v string) (uint64, bool) {
		n, err := strconv.ParseUint(v, 10, 64)
		return n, err == nil
	}
	switch {
	case f[0] == "random" && len(f) == 3:
		if seed, ok := num(f[1]); ok {
			return newRandom(seed), fp, nil
		}
	case f[0] == "pct" && len(f) == 5:
		d, ok1 := num(f[1])
		k, ok2 := num(f[2])
		seed, ok3 := num(f[3])
		if ok1 && ok2 && ok3 && d >= 1 && k >= 1 && d < 1<<16 && k < 1<<31 {
			return newPCT(int(d), int(k), seed), fp, nil
		}
	case f[0] == "path" && len(f) == 3:
		var path []choice
		if f[1] != "" {
			for _, v := range strings.Split(f[1], ".") {
				n, ok := num(v)
				if !ok || n >= 1<<31 {
					return nil, "", fmt.Errorf("%w, not %q", errToken, s)
				}
				path = append(path, choice{pick: int(n)})
			}
		}
		return &pathChooser{path: &path}, fp, nil
	}
	return nil, "", fmt.Errorf("%w, not %q", errToken, s)
}
