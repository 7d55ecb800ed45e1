// Command asynkit shows what the library does and what it costs.
//
// Usage:
//
//	asynkit demo    print the README's ordering examples, run by the library
//	                (-trace FILE writes their schedules as a Chrome trace for
//	                Perfetto, -svg FILE draws them as a picture)
//	asynkit bench   time asynkit beside goroutines, channels and iter.Pull,
//	                with each goal met or not (-benchtime 1s or 100000x per
//	                kernel, -run to pick cases, -count N rounds for medians
//	                and ranges, -json, -svg and -md FILE to write the results,
//	                -asyncio to run the same kernels on asyncio and compare)
//	asynkit soak    run a mixed workload and random programs with their
//	                invariant checks (-duration 60s), printing live counters
//	                to stderr; fails if an invariant breaks or memory grows
//	asynkit info    print how this build of asynkit is made
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/asynkit-go/asynkit"
	"github.com/asynkit-go/asynkit/internal/bench"
	"github.com/asynkit-go/asynkit/record"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "demo":
		fs := flag.NewFlagSet("demo", flag.ContinueOnError)
		fs.SetOutput(stderr)
		tracePath := fs.String("trace", "", "write the demos' schedules to this file as Chrome trace-event JSON")
		svgPath := fs.String("svg", "", "draw the demos' schedules to this file as an SVG picture")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if err := demoTo(stdout, *tracePath, *svgPath); err != nil {
			fmt.Fprintln(stderr, "asynkit demo:", err)
			return 1
		}
	case "bench":
		fs := flag.NewFlagSet("bench", flag.ContinueOnError)
		fs.SetOutput(stderr)
		benchtime := fs.String("benchtime", "1s", "time (or Nx count) per kernel, as go test's -benchtime")
		only := fs.String("run", "", "run only the cases whose name matches this regular expression")
		count := fs.Int("count", 1, "rounds: each kernel runs this many times, the order alternating; medians and ranges are reported")
		jsonPath := fs.String("json", "", "write the results to this file as JSON")
		svgPath := fs.String("svg", "", "draw the ratios against their goals to this file as an SVG picture")
		mdPath := fs.String("md", "", "write the results to this file as a Markdown table (BENCHMARKS.md's)")
		heavy := fs.Bool("heavy", false, "also run the heavy cases: a million parked tasks (about 10 GB at the peak and a minute or two)")
		asyncio := fs.Bool("asyncio", false, "run the same kernels on CPython's asyncio (python3 scripts/asyncio_bench.py) and compare")
		kernel := fs.String("kernel", "", "run the one kernel named `case/kernel` once and print its result as JSON (how the memory cases run each kernel in a process of its own)")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if *kernel != "" {
			testingInit()
			if err := benchKernel(stdout, *kernel); err != nil {
				fmt.Fprintln(stderr, "asynkit bench:", err)
				return 1
			}
			return 0
		}
		cases, err := selectCases(*only, *heavy)
		if err != nil {
			fmt.Fprintln(stderr, "asynkit bench:", err)
			return 2
		}
		testingInit()
		if err := flag.Set("test.benchtime", *benchtime); err != nil {
			fmt.Fprintln(stderr, "asynkit bench:", err)
			return 2
		}
		if *asyncio {
			if err := compareAsyncio(stdout, 200_000); err != nil {
				fmt.Fprintln(stderr, "asynkit bench:", err)
				return 1
			}
			return 0
		}
		if err := benchTo(stdout, cases, *count, *jsonPath, *svgPath, *mdPath); err != nil {
			fmt.Fprintln(stderr, "asynkit bench:", err)
			return 1
		}
	case "soak":
		fs := flag.NewFlagSet("soak", flag.ContinueOnError)
		fs.SetOutput(stderr)
		d := fs.Duration("duration", time.Minute, "how long to run")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if err := soak(stderr, *d); err != nil {
			fmt.Fprintln(stderr, "asynkit soak:", err)
			return 1
		}
	case "info":
		fmt.Fprint(stdout, asynkit.Info())
	default:
		usage(stderr)
		return 2
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: asynkit demo [-trace file] [-svg file] | bench [-benchtime d] [-run regexp] [-count n] [-json file] [-svg file] [-md file] [-asyncio] | soak [-duration d] | info")
}

// demoTo runs the demos, recording them to the files named (if any).
func demoTo(stdout io.Writer, tracePath, svgPath string) (err error) {
	var recs recorders
	var closers []func() error
	for _, out := range []struct {
		path string
		make func(io.Writer) (loopRecorder, func() error)
	}{
		{tracePath, func(w io.Writer) (loopRecorder, func() error) { r := record.NewChrome(w); return r, r.Close }},
		{svgPath, func(w io.Writer) (loopRecorder, func() error) { r := record.NewSVG(w); return r, r.Close }},
	} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			return err
		}
		r, closeRec := out.make(f)
		recs = append(recs, r)
		closers = append(closers, closeRec, f.Close)
	}
	defer func() {
		for _, c := range closers {
			if cerr := c(); err == nil {
				err = cerr
			}
		}
	}()
	if len(recs) == 0 {
		return demo(stdout, nil)
	}
	return demo(stdout, recs)
}

// selectCases returns the benchmark cases whose name matches pattern (all
// for an empty one), the heavy ones too if heavy is set.
func selectCases(pattern string, heavy bool) ([]bench.Case, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	all := bench.Cases
	if heavy {
		all = append(slices.Clip(all), bench.HeavyCases...)
	}
	var out []bench.Case
	for _, c := range all {
		if re.MatchString(c.Name) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no case matches %q", pattern)
	}
	return out, nil
}
