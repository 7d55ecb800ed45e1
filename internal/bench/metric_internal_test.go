package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A case's ratios are of what its goals name, else of its Metric, else of
// time.
func TestMetricFor(t *testing.T) {
	tests := []struct {
		name string
		c    Case
		want string
	}{
		{"a goal to the baseline", Case{Goals: []Goal{{Baseline: "b", Metric: "GB"}}, Metric: "B/task"}, "GB"},
		{"a goal alone", Case{Goals: []Goal{{Metric: "GC-s"}}}, "GC-s"},
		{"the case's metric", Case{Goals: []Goal{{Baseline: "b", Max: 1}}, Metric: "B/task"}, "B/task"},
		{"nothing", Case{}, "ns/op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, metricFor(tt.c, "b"))
		})
	}
}
