package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"text/template"

	"github.com/asynkit-go/asynkit/internal/bench"
)

// benchTo measures cases over count rounds, prints the table to stdout,
// and writes the files named (if any). The kernels of the memory cases
// run in processes of their own (see freshProcess).
func benchTo(stdout io.Writer, cases []bench.Case, count int, jsonPath, svgPath, mdPath string) error {
	results, err := bench.Measure(cases, count, freshProcess)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s; %d round(s)\n", machine(), max(count, 1))
	if err := bench.Table(stdout, results); err != nil {
		return err
	}
	write := func(path string, f func(io.Writer) error) error {
		if path == "" {
			return nil
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := f(out); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	}
	if err := write(jsonPath, func(w io.Writer) error { return bench.JSON(w, results) }); err != nil {
		return err
	}
	if err := write(svgPath, func(w io.Writer) error { return chart(w, results) }); err != nil {
		return err
	}
	return write(mdPath, func(w io.Writer) error {
		fmt.Fprintf(w, "%s; %d round(s)\n\n", machine(), max(count, 1))
		return bench.Markdown(w, results)
	})
}

// freshProcess runs one kernel of a case once in a new process of this
// command (bench -kernel), with the runtime's adaptive stack start off, so
// that its goroutines start with the 2 KB stacks of a fresh program whatever
// stacks it saw before: the figure is then the kernel's own (see
// bench.Case's Fresh).
func freshProcess(c bench.Case, k bench.Kernel) (testing.BenchmarkResult, error) {
	var r testing.BenchmarkResult
	exe, err := os.Executable()
	if err != nil {
		return r, err
	}
	cmd := exec.Command(exe, "bench", "-kernel", c.Name+"/"+k.Name)
	godebug := "adaptivestackstart=0"
	if old := os.Getenv("GODEBUG"); old != "" {
		godebug = old + "," + godebug // the last setting of a name wins
	}
	cmd.Env = append(os.Environ(), "GODEBUG="+godebug)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("bench -kernel printed %q: %w", out, err)
	}
	return r, nil
}

// benchKernel runs the kernel named "case/kernel" once (one op: the
// memory kernels measure once whatever b.N) and prints its result as JSON.
func benchKernel(stdout io.Writer, name string) error {
	caseName, kernelName, ok := strings.Cut(name, "/")
	if !ok {
		return fmt.Errorf("-kernel %q: want case/kernel", name)
	}
	cases, err := selectCases("^"+regexp.QuoteMeta(caseName)+"$", true)
	if err != nil {
		return fmt.Errorf("-kernel %q: %w", name, err)
	}
	for _, k := range cases[0].Kernels() {
		if k.Name == kernelName {
			if err := flag.Set("test.benchtime", "1x"); err != nil {
				return err
			}
			return json.NewEncoder(stdout).Encode(testing.Benchmark(k.F))
		}
	}
	return fmt.Errorf("-kernel %q: case %s has no kernel %q", name, caseName, kernelName)
}

// machine describes where the figures come from: the Go version, the
// processors, and the load average when the system tells it.
func machine() string {
	s := fmt.Sprintf("%s, %s/%s, %d CPUs", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			s += ", load " + strings.Join(f[:3], " ")
		}
	}
	return s
}

// bar is one ratio with its goal, as the chart draws it.
type bar struct {
	Label      string
	Ratio, Lo  float64
	Hi, Goal   float64
	Met        bool
	Y          int
	X, W       float64 // the bar
	LoX, HiX   float64 // the range
	GoalX      float64
	FloorX     float64 // the floor's ratio, 0 if the case has none
	RatioLabel string
}

// chart draws each ratio that has a goal as a bar on a logarithmic scale
// from 1/8 to 8, the goal as a tick, the case's floor (if it has one) as
// a dotted tick: green where the goal is met.
func chart(w io.Writer, results []bench.Result) error {
	const left, width, rowH = 330.0, 520.0, 26
	x := func(r float64) float64 {
		r = math.Min(math.Max(r, 1.0/8), 8)
		return left + (math.Log2(r)+3)/6*width
	}
	var bars []bar
	for _, r := range results {
		for _, g := range r.Goals {
			if g.Goal.Max == 0 {
				continue
			}
			for _, rr := range r.Ratios {
				if rr.Baseline != g.Goal.Baseline {
					continue
				}
				b := bar{
					Label: r.Case + " ÷ " + rr.Baseline, Ratio: rr.Median, Lo: rr.Min, Hi: rr.Max,
					Goal: g.Goal.Max, Met: rr.Median <= g.Goal.Max, Y: 40 + len(bars)*rowH,
					RatioLabel: ratioLabel(rr.Median, g.Goal.Max, g.Floor),
				}
				b.X, b.W = x(1.0/8), x(rr.Median)-x(1.0/8)
				b.LoX, b.HiX, b.GoalX = x(rr.Min), x(rr.Max), x(g.Goal.Max)
				if g.Floor > 0 {
					b.FloorX = x(g.Floor)
				}
				bars = append(bars, b)
			}
		}
	}
	ticks := []struct {
		X     float64
		Label string
	}{}
	for _, t := range []float64{0.125, 0.25, 0.5, 1, 2, 4, 8} {
		ticks = append(ticks, struct {
			X     float64
			Label string
		}{x(t), fmt.Sprint(t)})
	}
	return chartTemplate.Execute(w, map[string]any{
		"Bars": bars, "Ticks": ticks, "Height": 60 + len(bars)*rowH, "Width": left + width + 240,
		"One": x(1), "Machine": machine(),
	})
}

// ratioLabel is a bar's label: its ratio, its goal and its floor (if
// not 0), the ratio and goal to four decimals where two would print them
// alike.
func ratioLabel(ratio, goal, floor float64) string {
	g, r := bench.TwoFigures(goal, ratio)
	if floor > 0 {
		return fmt.Sprintf("%s (goal ≤ %s, floor %.2f)", r, g, floor)
	}
	return fmt.Sprintf("%s (goal ≤ %s)", r, g)
}

var chartTemplate = template.Must(template.New("chart").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="18" font-size="13">asynkit ÷ baseline, time per op (log scale; lower is better; black: the goal, dotted: the floor); {{.Machine}}</text>
{{range .Ticks}}<line x1="{{.X}}" y1="28" x2="{{.X}}" y2="{{$.Height}}" stroke="#eee"/><text x="{{.X}}" y="{{$.Height}}" dy="-4" text-anchor="middle" fill="#888">{{.Label}}</text>
{{end}}<line x1="{{.One}}" y1="28" x2="{{.One}}" y2="{{.Height}}" stroke="#999"/>
{{range .Bars}}<text x="320" y="{{.Y}}" dy="13" text-anchor="end">{{.Label}}</text>
<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="16" fill="{{if .Met}}#7cb87c{{else}}#e07b6a{{end}}"/>
<line x1="{{.LoX}}" y1="{{.Y}}" x2="{{.HiX}}" y2="{{.Y}}" stroke="#333" transform="translate(0,8)"/>
<rect x="{{.GoalX}}" y="{{.Y}}" width="2" height="22" fill="#000" transform="translate(-1,-3)"/>
{{if .FloorX}}<line x1="{{.FloorX}}" y1="-3" x2="{{.FloorX}}" y2="19" stroke="#36c" stroke-width="2" stroke-dasharray="2,2" transform="translate(0,{{.Y}})"/>
{{end}}<text x="860" y="{{.Y}}" dy="13">{{.RatioLabel}}</text>
{{end}}</svg>
`))

// asyncioKernels pairs the asyncio script's kernels with the cases and
// kernels that measure the same on asynkit.
var asyncioKernels = []struct{ script, caseName, kernel string }{
	{"create", "Create", "task"},
	{"create_blocking", "CreateBlocking", "task"},
	{"eager_factory", "EagerFactory", "eager factory"},
	{"yield", "Yield", "task"},
}

// compareAsyncio runs scripts/asyncio_bench.py with python3 and prints
// asynkit's time for the same kernels over asyncio's.
func compareAsyncio(stdout io.Writer, ops int) error {
	var cases []bench.Case
	for _, k := range asyncioKernels {
		for _, c := range bench.Cases {
			if c.Name == k.caseName {
				cases = append(cases, bench.Case{Name: c.Name, What: c.What, Ours: c.Ours})
			}
		}
	}
	out, err := exec.Command("python3", filepath.Join("scripts", "asyncio_bench.py"), strconv.Itoa(ops)).Output()
	if err != nil {
		return fmt.Errorf("python3 scripts/asyncio_bench.py (run it from the repository's root): %w", err)
	}
	var py map[string]any
	if err := json.Unmarshal(out, &py); err != nil {
		return fmt.Errorf("asyncio_bench.py: %w", err)
	}
	results, err := bench.Measure(cases, 1, nil)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "kernel\tasynkit ns/op\tasyncio ns/op (Python %v)\tasynkit/asyncio\t\n", py["python"])
	for i, k := range asyncioKernels {
		ours := results[i].Kernels[0].NsPerOp
		theirs, ok := py[k.script].(float64)
		if !ok {
			fmt.Fprintf(tw, "%s\t%.1f\t(not in this Python)\t\t\n", k.caseName, ours)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.3fx\t\n", k.caseName, ours, theirs, ours/theirs)
	}
	return tw.Flush()
}
