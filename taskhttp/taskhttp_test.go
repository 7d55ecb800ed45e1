package taskhttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
	asyncsync "github.com/asynkit-go/asynkit/sync"
	"github.com/asynkit-go/asynkit/task"
	"github.com/asynkit-go/asynkit/taskhttp"
)

// hung runs a loop whose tasks hang: three wait for a lock that a fourth
// holds while it waits for a future nobody sets. stop ends it.
func hung(t *testing.T) (l *task.Loop, stop func()) {
	l = task.NewLoop()
	never := future.New[int](l)
	var lock asyncsync.Lock
	task.Spawn(l, func(co *iterco.Co) (int, error) {
		if err := lock.Acquire(co); err != nil {
			return 0, err
		}
		defer lock.Release(co)
		return never.Await(co)
	}, task.Name("holder"))
	for _, name := range []string{"w1", "w2", "w3"} {
		task.Spawn(l, func(co *iterco.Co) (int, error) {
			if err := lock.Acquire(co); err != nil {
				return 0, err
			}
			return 0, lock.Release(co)
		}, task.Name(name))
	}
	done := make(chan error, 1)
	go func() { done <- l.RunForever() }()
	return l, func() {
		require.NoError(t, l.CallSoonThreadsafe(l.Stop))
		require.NoError(t, <-done)
		require.NoError(t, l.Close())
	}
}

func get(t *testing.T, h http.Handler, url string) string {
	srv := httptest.NewServer(h)
	defer srv.Close()
	for {
		resp, err := http.Get(srv.URL + url)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		// The loop may not have run its tasks yet: ask until it has.
		if strings.Contains(string(body), "asyncsync.Lock held by") {
			return string(body)
		}
	}
}

func TestTheHTMLPageGroupsTasksByWhatTheyWaitOn(t *testing.T) {
	l, stop := hung(t)
	defer stop()
	body := get(t, taskhttp.NamedHandler(taskhttp.Loop{Name: "main loop", Loop: l}), "/")
	assert.Contains(t, body, "<h2>main loop <span class=\"n\">(4 tasks)</span></h2>")
	// The three waiters are one group, first; the holder's is another.
	first := strings.Index(body, "<h3>asyncsync.Lock held by holder (t1) <span class=\"n\">— 3</span></h3>")
	second := strings.Index(body, "<h3>*future.Future[int] <span class=\"n\">— 1</span></h3>")
	assert.True(t, first >= 0 && second > first, body)
	assert.Contains(t, body, "<summary>stack</summary>")
}

func TestTheTextFormatIsTheDump(t *testing.T) {
	l, stop := hung(t)
	defer stop()
	body := get(t, taskhttp.Handler(l), "/?format=text")
	assert.True(t, strings.HasPrefix(body, "# loop 1\n4 tasks\n"), body)
	assert.Contains(t, body, `t2 "w1" waiting on asyncsync.Lock held by holder (t1)`)
	assert.Contains(t, body, "    github.com/asynkit-go/asynkit/sync.(*Lock).Acquire(")
}
