package bench

import (
	"fmt"
	"io"
	"testing"
	"text/tabwriter"
)

// Table runs every case with testing.Benchmark and writes one row per
// kernel: ns/op, allocs/op, and the ratio of asynkit's time to the
// baseline's (below 1 means asynkit is faster).
func Table(w io.Writer, cases []Case) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "case\tkernel\tns/op\tallocs/op\tasynkit/baseline\t")
	for _, c := range cases {
		ours := testing.Benchmark(c.Ours.F)
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%d\t\t\n", c.Name, c.Ours.Name, nsPerOp(ours), ours.AllocsPerOp())
		for _, k := range c.Baselines {
			base := testing.Benchmark(k.F)
			fmt.Fprintf(tw, "\t%s\t%.1f\t%d\t%.2fx\t\n", k.Name, nsPerOp(base), base.AllocsPerOp(), nsPerOp(ours)/nsPerOp(base))
		}
	}
	return tw.Flush()
}

func nsPerOp(r testing.BenchmarkResult) float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.T.Nanoseconds()) / float64(r.N)
}
