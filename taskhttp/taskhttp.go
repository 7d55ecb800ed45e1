// Package taskhttp serves the tasks of running loops over HTTP, as
// net/http/pprof serves profiles: for each loop, every live task with its
// state, what it waits on and its stack. It is a package of its own so
// that package task does not import net/http.
//
// Mount it on a debug server:
//
//	mux.Handle("/debug/tasks", taskhttp.Handler(loop))
//
// GET serves an HTML page that groups each loop's tasks by what they wait
// on (a hang shows as one big group behind one lock, say); ?format=text
// serves the loops' [task.Loop.Dump] as plain text. The answer is read
// through each loop's inbox (see [task.Loop.Snapshot]): a loop that is
// idle answers at once, a loop stuck in a long step answers when the
// step ends or the request's deadline (10 seconds at most) passes.
package taskhttp

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/asynkit-go/asynkit/task"
)

// Loop is a loop to serve, with the name the page gives it.
type Loop struct {
	// Name is the loop's heading on the page.
	Name string
	// Loop is the loop served.
	Loop *task.Loop
}

// Handler serves the tasks of loops, named "loop 1", "loop 2"... in the
// order given.
func Handler(loops ...*task.Loop) http.Handler {
	named := make([]Loop, len(loops))
	for i, l := range loops {
		named[i] = Loop{fmt.Sprintf("loop %d", i+1), l}
	}
	return NamedHandler(named...)
}

// NamedHandler serves the tasks of loops under the names they are given.
func NamedHandler(loops ...Loop) http.Handler {
	return handler(slices.Clone(loops))
}

// timeout bounds how long a request waits for a loop to answer.
const timeout = 10 * time.Second

type handler []Loop

// group is the tasks of one loop that wait on one thing.
type group struct {
	On    string
	Tasks []task.TaskInfo
}

type loopView struct {
	Name   string
	Err    error
	Count  int
	Groups []group
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	if r.URL.Query().Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, l := range h {
			fmt.Fprintf(w, "# %s\n", l.Name)
			if err := l.Loop.Dump(ctx, w); err != nil {
				fmt.Fprintf(w, "error: %v\n", err)
			}
			fmt.Fprintln(w)
		}
		return
	}
	views := make([]loopView, len(h))
	for i, l := range h {
		infos, err := l.Loop.Snapshot(ctx)
		views[i] = loopView{Name: l.Name, Err: err, Count: len(infos), Groups: groupByWait(infos)}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Execute(w, views); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// groupByWait groups tasks by what they wait on (by state for those that
// wait on nothing), the biggest group first.
func groupByWait(infos []task.TaskInfo) []group {
	var groups []group
	index := map[string]int{}
	for _, t := range infos {
		key := t.WaitingOn
		if key == "" {
			key = "(" + t.State.String() + ")"
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, group{On: key})
		}
		groups[i].Tasks = append(groups[i].Tasks, t)
	}
	slices.SortStableFunc(groups, func(a, b group) int { return len(b.Tasks) - len(a.Tasks) })
	return groups
}

var page = template.Must(template.New("tasks").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>tasks</title>
<style>
body { font-family: sans-serif; margin: 1em 2em; }
h2 { border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
table { border-collapse: collapse; }
td { padding: 0.1em 0.8em 0.1em 0; vertical-align: top; }
pre { margin: 0.2em 0 0.6em; font-size: 0.85em; }
.n { color: #666; }
</style></head><body>
<p>Tasks of each loop, grouped by what they wait on. <a href="?format=text">As text</a>.</p>
{{range .}}<h2>{{.Name}} <span class="n">({{.Count}} tasks)</span></h2>
{{if .Err}}<p>error: {{.Err}}</p>{{end}}
{{range .Groups}}<h3>{{.On}} <span class="n">— {{len .Tasks}}</span></h3>
<table>{{range .Tasks}}<tr><td>t{{.ID}}</td><td>{{.Name}}</td><td>{{.State}}</td><td>{{if .Age}}{{.Age}}{{end}}</td>
<td>{{if .Stack}}<details><summary>stack</summary><pre>{{.Stack}}</pre></details>{{end}}</td></tr>
{{end}}</table>
{{end}}{{end}}</body></html>
`))
