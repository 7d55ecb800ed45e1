package eager_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/eager"
	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/internal/testkit"
	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// TestGroupGo is S43: what has run right after Go, in an eager group and
// in a plain one, and after the group.
func TestGroupGo(t *testing.T) {
	tests := []struct {
		name      string
		eagerly   bool
		block     bool
		wantAfter []string
	}{
		{"eager, blocking", true, true, []string{"a"}},
		{"eager, not blocking", true, false, []string{"a", "b"}},
		{"plain, blocking", false, true, nil},
		{"plain, not blocking", false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var result, afterGo []string
			_, err := run(t, func(co *iterco.Co) (int, error) {
				ev := task.NewFuture[int](co)
				child := func(co *iterco.Co) error {
					result = append(result, "a")
					if tt.block {
						if _, err := future.Await[int](co, ev); err != nil {
							return err
						}
					}
					result = append(result, "b")
					return nil
				}
				body := func(spawn func()) error {
					spawn()
					afterGo = append([]string(nil), result...)
					return ev.SetResult(1)
				}
				if tt.eagerly {
					return 0, eager.WithGroup(co, func(g *eager.Group) error {
						return body(func() {
							if tk := g.Go(co, child); tk.Done() {
								require.NoError(t, tk.Err(), "finished in its eager start")
							}
						})
					})
				}
				return 0, task.WithGroup(co, func(g *task.Group) error {
					return body(func() { g.Go(co, child) })
				})
			})
			require.NoError(t, err)
			assert.Equal(t, tt.wantAfter, afterGo)
			assert.Equal(t, []string{"a", "b"}, result)
		})
	}

	t.Run("an error before the first suspension is Go's, not the group's", func(t *testing.T) {
		_, err := run(t, func(co *iterco.Co) (int, error) {
			var goErr error
			err := eager.WithGroup(co, func(g *eager.Group) error {
				goErr = g.Go(co, func(co *iterco.Co) error { return io.EOF }).Err()
				return nil
			})
			assert.ErrorIs(t, goErr, io.EOF)
			return 0, err
		})
		require.NoError(t, err)
	})

	t.Run("an error after blocking goes to the group", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := run(t, func(co *iterco.Co) (int, error) {
			return 0, eager.WithGroup(co, func(g *eager.Group) error {
				g.Go(co, func(co *iterco.Co) error { task.Yield(co); return boom })
				return nil
			})
		})
		assert.ErrorIs(t, err, boom)
	})
}

// TestGroupStart is asynkit's README example of an eager group's start.
func TestGroupStart(t *testing.T) {
	tr := &testkit.Trace{}
	_, err := run(t, func(co *iterco.Co) (int, error) {
		var v string
		err := eager.WithGroup(co, func(g *eager.Group) error {
			var err error
			v, err = eager.GroupStart(co, g, func(co *iterco.Co, started func(string)) error {
				tr.Add("hello")
				started("world")
				task.Sleep(co, time.Millisecond)
				tr.Add("goodbye")
				return nil
			})
			tr.Add("fine")
			return err
		})
		tr.Add(v)
		return 0, err
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"hello", "fine", "goodbye", "world"}, tr.Events)

	_, err = run(t, func(co *iterco.Co) (int, error) {
		return 0, eager.WithGroup(co, func(g *eager.Group) error {
			v, err := g.Start(co, func(co *iterco.Co, started func(any)) error { started(1); return nil })
			assert.Equal(t, 1, v)
			return err
		})
	})
	require.NoError(t, err)
}

func TestGroupGoWhileShuttingDown(t *testing.T) {
	boom := errors.New("boom")
	ran := false
	var goErr error
	_, err := run(t, func(co *iterco.Co) (int, error) {
		return 0, eager.WithGroup(co, func(g *eager.Group) error {
			first := g.Go(co, func(co *iterco.Co) error {
				task.Yield(co)
				return boom
			})
			require.False(t, first.Done(), "it blocked: the group's child")
			task.Yield(co)
			task.Yield(co) // the child has failed: this await is cancelled
			goErr = g.Go(co, func(co *iterco.Co) error { ran = true; return nil }).Err()
			return nil
		})
	})
	assert.ErrorIs(t, err, boom)
	assert.ErrorIs(t, goErr, task.ErrGroupAborting)
	assert.False(t, ran, "never started")
}
