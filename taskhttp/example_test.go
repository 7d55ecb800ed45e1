package taskhttp_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
	"github.com/asynkit-go/asynkit/taskhttp"
)

// A debug server shows the tasks of a running loop. (A real program
// mounts the handler on its debug mux: mux.Handle("/debug/tasks", h).)
func ExampleHandler() {
	l := task.NewLoop()
	started := make(chan struct{})
	worker := task.Spawn(l, func(co *iterco.Co) (int, error) {
		close(started)
		return 0, task.Sleep(co, time.Hour)
	}, task.Name("worker"))
	done := make(chan error, 1)
	go func() { done <- l.RunForever() }()
	<-started

	srv := httptest.NewServer(taskhttp.Handler(l))
	resp, err := http.Get(srv.URL + "/?format=text")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	srv.Close()
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "t") || strings.HasPrefix(line, "#") {
			fmt.Println(strings.Split(line, " on ")[0]) // (the wall clock's due time left out)
		}
	}

	l.CallSoonThreadsafe(func() {
		worker.AddDoneCallback(func(*task.Task[int]) { l.Stop() })
		worker.Cancel("")
	})
	<-done
	l.Close()
	// Output:
	// # loop 1
	// t1 "worker" waiting
}
