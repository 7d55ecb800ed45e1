package task

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/future"
	"github.com/asynkit-go/asynkit/iterco"
)

// phasesSeen runs main on a debug loop and returns the phases each task
// went through, in order, and what reached the exception handler.
func phasesSeen(t *testing.T, main iterco.Func[int]) (map[uint32][]phase, []Exception) {
	t.Helper()
	var got []Exception
	l := NewLoop(WithDebug(DebugOptions{SlowStep: time.Hour, Stall: time.Hour}),
		WithClock(NewVirtualClock(time.Time{})),
		WithExceptionHandler(func(e Exception) { got = append(got, e) }))
	seen := map[uint32][]phase{}
	l.debug.onPhase = func(c *core, p phase) { seen[c.id] = append(seen[c.id], p) }
	_, err := RunUntilComplete(l, main)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	return seen, got
}

func TestTasksMoveThroughThePhasesOfTheTable(t *testing.T) {
	boom := errors.New("boom")
	seen, got := phasesSeen(t, func(co *iterco.Co) (int, error) {
		f := NewFuture[int](co)
		waiter := Create(co, func(co *iterco.Co) (int, error) { return f.Await(co) })                  // t2
		yielder := Create(co, func(co *iterco.Co) (int, error) { return 0, Yield(co) })                // t3
		eager := Create(co, func(co *iterco.Co) (int, error) { return f.Await(co) }, EagerStart(true)) // t4
		thrown := Create(co, func(co *iterco.Co) (int, error) { return 0, Sleep(co, time.Hour) })      // t5
		if err := Yield(co); err != nil {
			return 0, err
		}
		require.NoError(t, Throw(thrown, boom))
		f.SetResult(1)
		_, errs, err := GatherAll[int](co, waiter, yielder, eager, thrown)
		assert.Equal(t, []error{nil, nil, nil, boom}, errs)
		return 0, err
	})
	assert.Empty(t, got)
	assert.Equal(t, []phase{phaseBorrowed, phaseWaiting, phaseReady, phaseRunning, phaseDone}, seen[2], "waiter")
	assert.Equal(t, []phase{phaseBorrowed, phaseReady, phaseRunning, phaseDone}, seen[3], "yielder")
	assert.Equal(t, []phase{phaseReyield, phaseWaiting, phaseReady, phaseRunning, phaseDone}, seen[4], "eager")
	assert.Equal(t, []phase{phaseBorrowed, phaseWaiting, phaseReady, phaseRunning, phaseDone}, seen[5], "thrown into")
}

func TestClosingMovesParkedTasksToDone(t *testing.T) {
	seen, got := phasesSeen(t, func(co *iterco.Co) (int, error) {
		Create(co, func(co *iterco.Co) (int, error) { return 0, Sleep(co, time.Hour) }) // t2, left waiting
		return 0, Yield(co)
	})
	assert.Equal(t, []phase{phaseBorrowed, phaseWaiting, phaseRunning, phaseDone}, seen[2])
	require.Len(t, got, 0)
}

func TestAMoveOffTheTableIsReported(t *testing.T) {
	var got []Exception
	l := NewLoop(WithDebug(DebugOptions{}), WithExceptionHandler(func(e Exception) { got = append(got, e) }))
	defer l.Close()
	_, err := RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		c := coreOf(co)
		c.moveTo(phaseNew) // running → new is no transition
		c.moveTo(phaseRunning)
		return 0, nil
	})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.ErrorIs(t, got[0].Err, ErrInvariant)
	assert.Contains(t, got[0].Err.Error(), "moved from running-borrowed to new")
	assert.Contains(t, got[1].Err.Error(), "moved from new to running")
}

func TestOutsideDebugModeMovesAreNotChecked(t *testing.T) {
	t.Setenv("ASYNKIT_DEBUG", "0")
	var got []Exception
	_, err := Run(context.Background(), func(co *iterco.Co) (int, error) {
		c := coreOf(co)
		c.moveTo(phaseNew)
		assert.Equal(t, phaseNew, c.phase)
		c.moveTo(phaseRunning)
		return 0, nil
	}, WithExceptionHandler(func(e Exception) { got = append(got, e) }))
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestEveryPhaseHasANameAndEveryLivePhaseAWayOut(t *testing.T) {
	for p := range phases {
		assert.NotEmpty(t, p.String())
		if p != phaseDone {
			assert.NotZero(t, transitions[p]&of(phaseDone), "%s cannot end", p)
		}
	}
	var _ future.Waitable = (*Task[int])(nil)
}
