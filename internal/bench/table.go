package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
)

// Result is the outcome of one case: each kernel's figures over the
// rounds, and each goal's verdict.
type Result struct {
	Case    string          `json:"case"`
	What    string          `json:"what"`
	Kernels []KernelResult  `json:"kernels"`
	Ratios  []RatioResult   `json:"ratios"`
	Goals   []GoalResult    `json:"goals,omitempty"`
	results map[string]*run // by kernel name
}

// KernelResult is one kernel's figures: medians over the rounds.
type KernelResult struct {
	Kernel  string             `json:"kernel"`
	NsPerOp float64            `json:"ns_per_op"`
	Allocs  int64              `json:"allocs_per_op"`
	Bytes   int64              `json:"bytes_per_op"`
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// RatioResult is asynkit's time (or metric) over a baseline's: the median
// of the rounds' ratios, with the lowest and the highest.
type RatioResult struct {
	Baseline string  `json:"baseline"`
	Metric   string  `json:"metric"`
	Median   float64 `json:"median"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
}

// GoalResult is one goal's verdict.
type GoalResult struct {
	Goal Goal   `json:"goal"`
	Met  bool   `json:"met"`
	Says string `json:"says"` // "÷ go ≤ 0.25 (0.41; floor 0.15)", "allocs ≤ 1 (1)"
	// Floor is the case's floor over the goal's baseline, the median of
	// the rounds: the lowest the ratio could be with no bookkeeping. Zero
	// when the case has no floor or the goal no ratio.
	Floor float64 `json:"floor,omitempty"`
}

// run is one kernel's figures in each round.
type run struct {
	ns      []float64
	allocs  []int64
	bytes   []int64
	metrics map[string][]float64
}

// Runner runs one kernel of a case and returns its result. Measure runs
// the kernels of Fresh cases with one; the bench command's runs each in a
// process of its own.
type Runner func(c Case, k Kernel) (testing.BenchmarkResult, error)

// Measure runs every case rounds times and returns the results. In even
// rounds asynkit's kernel runs first, in odd ones last, so that whatever
// the machine does over time weighs on both sides alike. The kernels of a
// Fresh case run through fresh, unless it is nil: then they run in this
// process like the others.
func Measure(cases []Case, rounds int, fresh Runner) ([]Result, error) {
	results := make([]Result, len(cases))
	for i, c := range cases {
		r := Result{Case: c.Name, What: c.What, results: map[string]*run{}}
		kernels := c.Kernels()
		for round := range max(rounds, 1) {
			order := slices.Clone(kernels)
			if round%2 == 1 {
				slices.Reverse(order)
			}
			for _, k := range order {
				var res testing.BenchmarkResult
				if c.Fresh && fresh != nil {
					var err error
					if res, err = fresh(c, k); err != nil {
						return nil, fmt.Errorf("%s/%s: %w", c.Name, k.Name, err)
					}
				} else {
					res = testing.Benchmark(k.F)
				}
				ru := r.results[k.Name]
				if ru == nil {
					ru = &run{metrics: map[string][]float64{}}
					r.results[k.Name] = ru
				}
				ru.ns = append(ru.ns, nsPerOp(res))
				ru.allocs = append(ru.allocs, res.AllocsPerOp())
				ru.bytes = append(ru.bytes, res.AllocedBytesPerOp())
				for unit, v := range res.Extra {
					ru.metrics[unit] = append(ru.metrics[unit], v)
				}
			}
		}
		for _, k := range kernels {
			ru := r.results[k.Name]
			kr := KernelResult{Kernel: k.Name, NsPerOp: median(ru.ns), Allocs: medianInt(ru.allocs), Bytes: medianInt(ru.bytes)}
			for unit, vs := range ru.metrics {
				if kr.Metrics == nil {
					kr.Metrics = map[string]float64{}
				}
				kr.Metrics[unit] = median(vs)
			}
			r.Kernels = append(r.Kernels, kr)
		}
		for _, b := range c.Baselines {
			r.Ratios = append(r.Ratios, r.ratio(c.Ours.Name, b.Name, metricFor(c, b.Name)))
		}
		for _, g := range c.Goals {
			r.Goals = append(r.Goals, r.judge(c.Ours.Name, c.Floor, c.FloorBase, g))
		}
		results[i] = r
	}
	return results, nil
}

// metricFor is the unit the ratio to baseline is taken of.
// A goal on a metric names it: the goal to that baseline first, else the
// first goal on a metric alone, else the case's Metric.
func metricFor(c Case, baseline string) string {
	for _, g := range c.Goals {
		if g.Baseline == baseline && g.Metric != "" {
			return g.Metric
		}
	}
	for _, g := range c.Goals {
		if g.Baseline == "" && g.Metric != "" {
			return g.Metric
		}
	}
	if c.Metric != "" {
		return c.Metric
	}
	return "ns/op"
}

func (r *Result) series(kernel, metric string) []float64 {
	ru := r.results[kernel]
	if metric == "ns/op" {
		return ru.ns
	}
	return ru.metrics[metric]
}

func (r *Result) ratio(ours, base, metric string) RatioResult {
	o, b := r.series(ours, metric), r.series(base, metric)
	var rs []float64
	for i := range min(len(o), len(b)) {
		if b[i] > 0 {
			rs = append(rs, o[i]/b[i])
		}
	}
	rr := RatioResult{Baseline: base, Metric: metric}
	if len(rs) > 0 {
		rr.Median, rr.Min, rr.Max = median(rs), slices.Min(rs), slices.Max(rs)
	}
	return rr
}

// judge gives goal g's verdict on ours. floor names the case's floor
// kernel ("" for none) and floorBase the kernel the floor's ratio is taken
// to ("" for the goal's baseline).
func (r *Result) judge(ours, floor, floorBase string, g Goal) GoalResult {
	var says []string
	met := true
	var floorRatio float64
	if g.Max > 0 && g.Baseline != "" {
		for _, rr := range r.Ratios {
			if rr.Baseline == g.Baseline {
				ok := rr.Median <= g.Max
				met = met && ok
				goal, got := TwoFigures(g.Max, rr.Median)
				say := fmt.Sprintf("÷ %s ≤ %s (%s", g.Baseline, goal, got)
				if floor != "" {
					base := cmp.Or(floorBase, g.Baseline)
					floorRatio = r.ratio(floor, base, rr.Metric).Median
					say += fmt.Sprintf("; floor %.2f", floorRatio)
				}
				says = append(says, say+")")
			}
		}
	}
	var k KernelResult
	for _, kr := range r.Kernels {
		if kr.Kernel == ours {
			k = kr
		}
	}
	if g.Baseline == "" && g.Metric != "" && g.Max > 0 {
		v, ok := k.Metrics[g.Metric]
		met = met && ok && v <= g.Max
		says = append(says, fmt.Sprintf("%s ≤ %g (%.2f)", g.Metric, g.Max, v))
	}
	if g.HasAllocs {
		met = met && k.Allocs <= g.MaxAllocs
		says = append(says, fmt.Sprintf("allocs ≤ %d (%d)", g.MaxAllocs, k.Allocs))
	}
	if g.MaxBytes > 0 {
		met = met && k.Bytes <= g.MaxBytes
		says = append(says, fmt.Sprintf("B/op ≤ %d (%d)", g.MaxBytes, k.Bytes))
	}
	return GoalResult{Goal: g, Met: met, Says: strings.Join(says, ", "), Floor: floorRatio}
}

// TwoFigures formats a goal and a ratio to it with two decimals, or four
// where two would print them alike: a ratio of 0.5006 against a goal of
// 0.5 must not read "0.50 (0.50): not met".
func TwoFigures(goal, ratio float64) (string, string) {
	format := "%.2f"
	if fmt.Sprintf(format, goal) == fmt.Sprintf(format, ratio) && goal != ratio {
		format = "%.4f"
	}
	return fmt.Sprintf(format, goal), fmt.Sprintf(format, ratio)
}

// Table writes results as a text table: a row per kernel, with each
// baseline's ratio (median, and its range over the rounds) and the goals.
func Table(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tkernel\tns/op\tallocs\tB/op\tasynkit/baseline\tgoal\t")
	for _, r := range results {
		for i, k := range r.Kernels {
			name := ""
			if i == 0 {
				name = r.Case
			}
			ratio := ""
			if i > 0 {
				rr := r.Ratios[i-1]
				ratio = fmt.Sprintf("%.2fx", rr.Median)
				if rr.Max > rr.Min {
					ratio += fmt.Sprintf(" [%.2f–%.2f]", rr.Min, rr.Max)
				}
				if rr.Metric != "ns/op" {
					ratio += " of " + rr.Metric
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name, k.Kernel, figure(k), allocs(k), bytes(k), ratio, goalsFor(r, i))
		}
	}
	return tw.Flush()
}

// allocs and bytes are a kernel's allocations and bytes per op, or "-"
// for a kernel measured by a metric of its own, whose ops are not its
// unit.
func allocs(k KernelResult) string {
	if len(k.Metrics) > 0 {
		return "-"
	}
	return fmt.Sprint(k.Allocs)
}

// allocsNote is ", N allocs", or nothing for a kernel measured by a
// metric of its own.
func allocsNote(k KernelResult) string {
	if len(k.Metrics) > 0 {
		return ""
	}
	return fmt.Sprintf(", %d allocs", k.Allocs)
}

func bytes(k KernelResult) string {
	if len(k.Metrics) > 0 {
		return "-"
	}
	return fmt.Sprint(k.Bytes)
}

// figure is a kernel's main figure: ns/op, or its extra metrics in the
// order of their names: whole numbers from 100 up, three significant
// digits below.
func figure(k KernelResult) string {
	if len(k.Metrics) == 0 {
		return fmt.Sprintf("%.1f", k.NsPerOp)
	}
	var out []string
	for _, unit := range slices.Sorted(maps.Keys(k.Metrics)) {
		format := "%.3g %s"
		if v := k.Metrics[unit]; math.Abs(v) >= 100 {
			format = "%.0f %s"
		}
		out = append(out, fmt.Sprintf(format, k.Metrics[unit], unit))
	}
	return strings.Join(out, ", ")
}

// goalsFor is the goal column of kernel row i of r: on the ours row, the
// goals that name no baseline; on a baseline's row, its goals.
func goalsFor(r Result, i int) string {
	var out []string
	for _, g := range r.Goals {
		on := 0
		for j, k := range r.Kernels {
			if k.Kernel == g.Goal.Baseline {
				on = j
			}
		}
		if on != i {
			continue
		}
		verdict := "not met"
		if g.Met {
			verdict = "met"
		}
		out = append(out, g.Says+": "+verdict)
	}
	return strings.Join(out, "; ")
}

// Markdown writes results as a Markdown table, for BENCHMARKS.md.
func Markdown(w io.Writer, results []Result) error {
	fmt.Fprintln(w, "| case | what one op is | asynkit | baseline | ratio (median [range]) | goal |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range results {
		ours := r.Kernels[0]
		if len(r.Ratios) == 0 {
			fmt.Fprintf(w, "| %s | %s | %s%s | | | %s |\n", r.Case, r.What, figure(ours), allocsNote(ours), goalsFor(r, 0))
			continue
		}
		for i, rr := range r.Ratios {
			base := r.Kernels[i+1]
			what, name, goals := "", "", goalsFor(r, i+1)
			if i == 0 {
				// The first row carries the case, and the goals on asynkit's
				// figures alone.
				name, what = r.Case, r.What
				if own := goalsFor(r, 0); own != "" && goals != "" {
					goals = own + "; " + goals
				} else if own != "" {
					goals = own
				}
			}
			fmt.Fprintf(w, "| %s | %s | %s %s%s | %s %s | %.2f [%.2f–%.2f] | %s |\n",
				name, what, ours.Kernel, figure(ours), allocsNote(ours), base.Kernel, figure(base),
				rr.Median, rr.Min, rr.Max, goals)
		}
	}
	return nil
}

// JSON writes results as JSON.
func JSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

func nsPerOp(r testing.BenchmarkResult) float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.T.Nanoseconds()) / float64(r.N)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianInt(v []int64) int64 {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return int64(math.Round(median(f)))
}
