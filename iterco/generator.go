package iterco

import (
	"errors"
	"iter"
)

var (
	// ErrExhausted is what a generator's Send and Next return once its body
	// has returned (Python's StopAsyncIteration).
	ErrExhausted = errors.New("iterco: generator is exhausted")
	// ErrGeneratorRunning reports a generator driven while another call on
	// it is in progress.
	ErrGeneratorRunning = errors.New("iterco: generator is already running")
)

// Generator is an async generator made of an async function and a Monitor
// (asynkit's GeneratorObject): its body, and any helper it calls with the
// same co, produce values with Yield; consumers pull them with Next, Send
// or All. The body may await anything in between: on a loop, those
// suspensions go to the consumer's task. Yield called from another task's
// chain is an error, not a corrupt loop. A generator that was started
// holds a parked goroutine until it is exhausted or closed; All and
// SyncIter close it when the loop over them breaks.
type Generator[T any] struct {
	m       Monitor[T]
	b       *Bound[T, struct{}]
	running bool
	done    bool
}

// NewGenerator returns a generator running body, not started yet.
func NewGenerator[T any](body func(co *Co, g *Generator[T]) error) *Generator[T] {
	if body == nil {
		panic("iterco.NewGenerator: nil body")
	}
	g := &Generator[T]{}
	g.b = Bind(&g.m, func(co *Co) (struct{}, error) { return struct{}{}, body(co, g) })
	return g
}

// Yield hands v to the consumer and suspends until the next Send, Next or
// Throw, returning the value sent (nil for Next) or the error thrown.
func (g *Generator[T]) Yield(co *Co, v T) (any, error) { return g.m.OOB(co, v) }

// Next is Send(co, nil).
func (g *Generator[T]) Next(co *Co) (T, error) { return g.Send(co, nil) }

// Send resumes the generator with v (Yield returns it) and returns the next
// value it yields; ErrExhausted once its body has returned, or the body's
// error. A generator not started yet takes only a nil v (ErrSendToNew).
func (g *Generator[T]) Send(co *Co, v any) (T, error) {
	return g.call(func() (struct{}, error) { return g.b.Send(co, v) })
}

// Throw delivers err at the generator's Yield and returns the next value it
// yields, ErrExhausted if it returns, or its error. A generator not started
// yet ends with err.
func (g *Generator[T]) Throw(co *Co, err error) (T, error) {
	return g.call(func() (struct{}, error) { return g.b.Throw(co, err) })
}

func (g *Generator[T]) call(step func() (struct{}, error)) (T, error) {
	var zero T
	switch {
	case g.running:
		return zero, ErrGeneratorRunning
	case g.done:
		return zero, ErrExhausted
	}
	g.running = true
	defer func() { g.running = false }()
	_, err := step()
	if oob, ok := err.(*OOBData[T]); ok {
		return oob.Data, nil
	}
	if errors.Is(err, ErrSendToNew) {
		return zero, err
	}
	g.done = true
	if err == nil {
		return zero, ErrExhausted
	}
	if errors.Is(err, ErrExhausted) {
		// A body returning ErrExhausted would end a consumer's loop
		// silently (Python's PEP 479 rule).
		return zero, errors.New("iterco: generator body returned ErrExhausted")
	}
	return zero, err
}

// Close ends the generator: ErrClosed at its Yield, and the body must
// return. It returns ErrCloseIgnored if the body yielded instead (the
// generator stays alive; the next Next continues from that Yield), and nil
// for a generator that is done or never started.
func (g *Generator[T]) Close(co *Co) error {
	if g.running {
		return ErrGeneratorRunning
	}
	if g.done {
		return nil
	}
	g.running = true
	defer func() { g.running = false }()
	err := g.b.Close(co)
	if errors.Is(err, ErrCloseIgnored) {
		return err
	}
	g.done = true
	return err
}

// All returns the generator's values as a sequence for range, in co's
// chain; a yielded error ends it after being yielded. Breaking out of the
// loop closes the generator.
func (g *Generator[T]) All(co *Co) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := g.Next(co)
			if errors.Is(err, ErrExhausted) {
				return
			}
			if !yield(v, err) {
				g.Close(co)
				return
			}
			if err != nil {
				return
			}
		}
	}
}

// IsNew reports whether the generator has not started.
func (g *Generator[T]) IsNew() bool { return g.b.IsNew() }

// IsSuspended reports whether it is parked at a Yield or an await.
func (g *Generator[T]) IsSuspended() bool { return g.b.IsSuspended() }

// IsDone reports whether its body returned.
func (g *Generator[T]) IsDone() bool { return g.b.IsDone() }

// Running reports whether a call on it is in progress.
func (g *Generator[T]) Running() bool { return g.running }

// Stack returns the stack of the suspended generator, or nil.
func (g *Generator[T]) Stack() []byte { return g.b.Stack() }
