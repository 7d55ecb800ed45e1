package record

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/asynkit-go/asynkit/task"
)

// SVG is a [task.Recorder] that draws what it recorded as a picture: one
// lane per task (lane 0 is the loop: callbacks and timers), a bar for each
// step, and an arrow from each waker to the task it woke. The horizontal
// axis is the order of events, not time, so that steps that take no time
// (all of them, on a virtual clock) still show; dashed lines mark where
// the clock jumped. Several loops, each begun with NextLoop, are drawn one
// under another. Close writes the picture.
type SVG struct {
	w     io.Writer
	loops []*svgLoop
}

type svgLoop struct {
	name   string
	n      int // events
	lanes  []uint64
	labels map[uint64]string
	open   map[uint64]int // task → index its step began at
	ending uint64         // a task done, its last bar still open
	bars   []svgBar
	arrows []svgArrow
	wakes  map[uint64]svgArrow // pending: from, at; to filled at the step
	marks  []svgMark
}

type svgBar struct {
	task       uint64
	from, to   int
	title      string
	failed     bool
	isCallback bool
}

type svgArrow struct {
	from, to   uint64
	fromI, toI int
}

type svgMark struct {
	at    int
	label string
	jump  bool
}

var _ task.Recorder = (*SVG)(nil)

// NewSVG returns an SVG recorder that draws to w on Close.
func NewSVG(w io.Writer) *SVG { return &SVG{w: w} }

// NextLoop starts the drawing of another loop, titled name.
func (s *SVG) NextLoop(name string) {
	s.loops = append(s.loops, &svgLoop{name: name, labels: map[uint64]string{}, open: map[uint64]int{}, wakes: map[uint64]svgArrow{}})
}

// Record implements [task.Recorder].
func (s *SVG) Record(e *task.Event) {
	if len(s.loops) == 0 {
		s.NextLoop("")
	}
	l := s.loops[len(s.loops)-1]
	i := l.n
	l.n++
	if l.ending != 0 && !(e.Kind == task.EventWake && e.By == l.ending) {
		l.end(l.ending, i, "done", false)
		l.ending = 0
	}
	switch e.Kind {
	case task.EventCreate:
		label := "t" + strconv.FormatUint(e.Task, 10)
		if e.Name != "" {
			label += " " + e.Name
		}
		l.labels[e.Task] = label
		l.lanes = append(l.lanes, e.Task)
	case task.EventStep:
		l.open[e.Task] = i
		if a, ok := l.wakes[e.Task]; ok {
			delete(l.wakes, e.Task)
			a.toI = i
			l.arrows = append(l.arrows, a)
		}
	case task.EventSuspend:
		l.end(e.Task, i, "suspended on "+e.OnString(), false)
	case task.EventDone:
		l.ending = e.Task
		if e.Err != nil {
			l.end(e.Task, i, "failed: "+e.Err.Error(), true)
			l.ending = 0
		}
	case task.EventWake:
		l.wakes[e.Task] = svgArrow{from: e.By, to: e.Task, fromI: i}
	case task.EventCallback:
		l.bars = append(l.bars, svgBar{from: i, to: i + 1, title: "callback", isCallback: true})
	case task.EventTimer:
		l.marks = append(l.marks, svgMark{at: i, label: "timer"})
	case task.EventJump:
		l.marks = append(l.marks, svgMark{at: i, label: "+" + e.Dur.String(), jump: true})
	}
}

func (l *svgLoop) end(t uint64, i int, title string, failed bool) {
	if from, ok := l.open[t]; ok {
		delete(l.open, t)
		l.bars = append(l.bars, svgBar{task: t, from: from, to: i + 1, title: title, failed: failed})
	}
}

const (
	svgLeft   = 150 // room for lane labels
	svgStep   = 12  // pixels per event
	svgLane   = 22
	svgTop    = 28 // room for a loop's title
	svgMargin = 16
)

// Close draws every loop recorded and returns the first write error.
func (s *SVG) Close() error {
	var b strings.Builder
	width, height := 0, svgMargin
	for _, l := range s.loops {
		for t := range l.open {
			l.end(t, l.n, "running", false)
		}
		if l.ending != 0 {
			l.end(l.ending, l.n, "done", false)
		}
		width = max(width, svgLeft+l.n*svgStep+svgMargin)
		height += svgTop + (len(l.lanes)+1)*svgLane + svgMargin
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	y := svgMargin
	for _, l := range s.loops {
		y = l.draw(&b, y)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(s.w, b.String())
	return err
}

var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f"}

// draw draws one loop from y down and returns where the next begins.
func (l *svgLoop) draw(b *strings.Builder, y int) int {
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", svgMargin, y+14, html.EscapeString(l.name))
	y += svgTop
	laneY := map[uint64]int{0: y}
	fmt.Fprintf(b, `<text x="%d" y="%d" fill="#555">loop</text>`+"\n", svgMargin, y+15)
	for k, t := range l.lanes {
		laneY[t] = y + (k+1)*svgLane
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", svgMargin, laneY[t]+15, html.EscapeString(l.labels[t]))
	}
	bottom := y + (len(l.lanes)+1)*svgLane
	x := func(i int) int { return svgLeft + i*svgStep }
	for _, m := range l.marks {
		if m.jump {
			fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-dasharray="3,3"/>`+"\n", x(m.at), y, x(m.at), bottom)
			fmt.Fprintf(b, `<text x="%d" y="%d" fill="#777" font-size="10">%s</text>`+"\n", x(m.at)+2, y-4, html.EscapeString(m.label))
		} else {
			fmt.Fprintf(b, `<circle cx="%d" cy="%d" r="3" fill="#999"><title>%s</title></circle>`+"\n", x(m.at)+svgStep/2, y+11, m.label)
		}
	}
	for _, bar := range l.bars {
		color, ly := "#bbb", laneY[bar.task]
		if !bar.isCallback {
			color = palette[int(bar.task-1)%len(palette)]
		}
		stroke := ""
		if bar.failed {
			stroke = ` stroke="#c00" stroke-width="2"`
		}
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s"%s><title>%s</title></rect>`+"\n",
			x(bar.from)+1, ly+3, (bar.to-bar.from)*svgStep-2, svgLane-6, color, stroke, html.EscapeString(bar.title))
	}
	for _, a := range l.arrows {
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555" marker-end="url(#arrow)"/>`+"\n",
			x(a.fromI)+svgStep/2, laneY[a.from]+svgLane/2, x(a.toI)+2, laneY[a.to]+svgLane/2)
	}
	return bottom + svgMargin
}
