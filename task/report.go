package task

import (
	"context"
	"log"
	"log/slog"
	"strings"
)

// maxUnretrieved bounds the failed tasks a loop keeps to report at Close:
// past it, the older half is reported at once, so that a loop that runs
// for weeks does not grow with the failures nobody looked at.
const maxUnretrieved = 1024

// unread is an error a loop keeps to report unless somebody reads it:
// a task's, or, once the task handed its outcome to a future f (see
// Task.Future), the future's.
type unread struct {
	task Any
	f    interface{ Retrieved() bool }
}

// read reports whether somebody read the error.
func (u unread) read() bool {
	if u.f != nil {
		return u.task.base().fate&fateRead != 0 || u.f.Retrieved()
	}
	return u.task.retrieved()
}

// keepUnretrieved keeps u, an error of a task that failed while nothing
// waited for it, to report at Close unless somebody reads it first.
func (l *Loop) keepUnretrieved(u unread) {
	l.unretrieved = append(l.unretrieved, u)
	if len(l.unretrieved) >= maxUnretrieved && !l.trimming {
		// Reported from a callback: the handler is user code, and this
		// runs as the task ends.
		l.trimming = true
		l.CallSoon(func() {
			l.trimming = false
			n := len(l.unretrieved) - maxUnretrieved/2
			if n <= 0 {
				return
			}
			l.reportUnretrieved(n)
			k := copy(l.unretrieved, l.unretrieved[n:])
			clear(l.unretrieved[k:])
			l.unretrieved = l.unretrieved[:k]
		})
	}
}

// reportUnretrieved reports the errors of the oldest n kept tasks that
// nobody read.
func (l *Loop) reportUnretrieved(n int) {
	for _, u := range l.unretrieved[:n] {
		if !u.read() {
			l.report(Exception{Message: "task error was never retrieved", Err: u.task.outcome(), Task: u.task})
		}
	}
}

// CallExceptionHandler hands e to the loop's exception handler (asyncio's
// call_exception_handler), for code that finds an error nobody else can
// receive. Call it on the loop's goroutine. A panicking handler is logged
// and ignored.
func (l *Loop) CallExceptionHandler(e Exception) { l.report(e) }

// report hands e to the exception handler, which must not take the loop
// down: a panicking handler is logged and ignored.
func (l *Loop) report(e Exception) {
	defer func() {
		if r := recover(); r != nil {
			l.warn("exception handler panicked", slog.Any("panic", r), slog.Any("handling", e))
		}
	}()
	l.handler(e)
}

// logException is the default exception handler: it logs e, as an error,
// with the loop's logger, or else the standard log package.
func (l *Loop) logException(e Exception) {
	if l.logger != nil {
		l.logger.LogAttrs(context.Background(), slog.LevelError, "asynkit: "+e.Message, e.attrs()...)
		return
	}
	log.Printf("asynkit: %s", e)
}

// warn logs what the loop finds wrong with the program: with its logger,
// as a warning, or else with the standard log package.
func (l *Loop) warn(msg string, attrs ...slog.Attr) {
	if l.logger != nil {
		l.logger.LogAttrs(context.Background(), slog.LevelWarn, "asynkit: "+msg, attrs...)
		return
	}
	var b strings.Builder
	b.WriteString("asynkit: " + msg)
	for _, a := range attrs {
		b.WriteString(" " + a.String())
	}
	log.Print(b.String())
}
