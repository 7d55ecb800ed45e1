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

// A goal's verdict gives the case's floor over the goal's baseline, the
// median of the rounds' ratios, beside asynkit's own ratio.
func TestJudgeGivesTheFloor(t *testing.T) {
	r := Result{results: map[string]*run{
		"ours":  {ns: []float64{100, 120, 90}},
		"base":  {ns: []float64{200, 200, 200}},
		"floor": {ns: []float64{40, 60, 50}},
	}}
	r.Ratios = []RatioResult{r.ratio("ours", "base", "ns/op"), r.ratio("ours", "floor", "ns/op")}
	g := Goal{Baseline: "base", Max: 0.5}

	with := r.judge("ours", "floor", "", g)
	assert.True(t, with.Met)
	assert.InDelta(t, 0.25, with.Floor, 1e-9)
	assert.Equal(t, "÷ base ≤ 0.50 (0.50; floor 0.25)", with.Says)

	without := r.judge("ours", "", "", g)
	assert.Zero(t, without.Floor)
	assert.Equal(t, "÷ base ≤ 0.50 (0.50)", without.Says)

	missed := r.judge("ours", "floor", "", Goal{Baseline: "base", Max: 0.4})
	assert.False(t, missed.Met)
	assert.InDelta(t, 0.25, missed.Floor, 1e-9)

	// A floor of its own baseline: the floor's ratio is to that.
	r.results["floor base"] = &run{ns: []float64{80, 120, 100}}
	r.Ratios = append(r.Ratios, r.ratio("ours", "floor base", "ns/op"))
	paired := r.judge("ours", "floor", "floor base", g)
	assert.InDelta(t, 0.5, paired.Floor, 1e-9)
	assert.Equal(t, "÷ base ≤ 0.50 (0.50; floor 0.50)", paired.Says)
}

// Every floor belongs to a case with a goal, and runs as one of its
// baselines, with the floor of its baseline if it has one.
func TestFloorsAreBaselinesOfGoalCases(t *testing.T) {
	for name, f := range floors {
		c := Find(name)
		assert.NotEmpty(t, c.Goals, name)
		assert.Equal(t, f.Name, c.Floor, name)
		names := []string{}
		for _, k := range c.Baselines {
			names = append(names, k.Name)
		}
		assert.Contains(t, names, f.Name, name)
		if f.base != nil {
			assert.Equal(t, f.base.Name, c.FloorBase, name)
			assert.Contains(t, names, f.base.Name, name)
		}
	}
}

// A ratio and its goal print with two decimals, or four where two would
// print them alike and hide which side of the goal the ratio is on.
func TestTwoFigures(t *testing.T) {
	tests := []struct {
		goal, ratio      float64
		wantGoal, wantIt string
	}{
		{0.5, 0.83, "0.50", "0.83"},
		{0.5, 0.5006, "0.5000", "0.5006"},
		{0.5, 0.4996, "0.5000", "0.4996"},
		{1 / 1.8, 0.556, "0.5556", "0.5560"},
		{0.5, 0.5, "0.50", "0.50"},
	}
	for _, tt := range tests {
		g, r := TwoFigures(tt.goal, tt.ratio)
		assert.Equal(t, tt.wantGoal, g, "goal %v, ratio %v", tt.goal, tt.ratio)
		assert.Equal(t, tt.wantIt, r, "goal %v, ratio %v", tt.goal, tt.ratio)
	}

	r := Result{results: map[string]*run{"ours": {ns: []float64{100.12}}, "base": {ns: []float64{200}}}}
	r.Ratios = []RatioResult{r.ratio("ours", "base", "ns/op")}
	v := r.judge("ours", "", "", Goal{Baseline: "base", Max: 0.5})
	assert.False(t, v.Met)
	assert.Equal(t, "÷ base ≤ 0.5000 (0.5006)", v.Says)
}
