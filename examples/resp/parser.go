package resp

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/asynkit-go/asynkit/iterco"
)

// ErrProtocol reports input that is not RESP.
var ErrProtocol = errors.New("resp: protocol error")

// maxDepth bounds nesting, so that hostile input cannot grow the stack
// without limit.
const maxDepth = 64

// parser holds the bytes received and not yet parsed. Its run method is
// an async function that parses values one after another for as long as
// it lives, handing each out through the monitor; when it needs more
// bytes, it says so through the monitor, and the driver appends them to
// buf before resuming it.
type parser struct {
	m   iterco.Monitor[Value] // a value, or the zero Value for "more input, please"
	buf []byte
	pos int
}

// more suspends until the driver has appended more input.
func (p *parser) more(co *iterco.Co) error {
	_, err := p.m.OOB(co, Value{})
	return err
}

// run parses values until an error (ErrClosed when the decoder closes).
func (p *parser) run(co *iterco.Co) (struct{}, error) {
	for {
		v, err := p.value(co, 0)
		if err != nil {
			return struct{}{}, err
		}
		if _, err := p.m.OOB(co, v); err != nil {
			return struct{}{}, err
		}
	}
}

// line returns the next line, without its CRLF.
func (p *parser) line(co *iterco.Co) ([]byte, error) {
	for {
		if i := bytes.Index(p.buf[p.pos:], []byte("\r\n")); i >= 0 {
			l := p.buf[p.pos : p.pos+i]
			p.pos += i + 2
			return l, nil
		}
		if err := p.more(co); err != nil {
			return nil, err
		}
	}
}

// bytes returns the next n bytes and the CRLF after them.
func (p *parser) bytes(co *iterco.Co, n int) ([]byte, error) {
	for len(p.buf)-p.pos < n+2 {
		if err := p.more(co); err != nil {
			return nil, err
		}
	}
	b := p.buf[p.pos : p.pos+n]
	if p.buf[p.pos+n] != '\r' || p.buf[p.pos+n+1] != '\n' {
		return nil, fmt.Errorf("%w: bulk data not followed by CRLF", ErrProtocol)
	}
	p.pos += n + 2
	return b, nil
}

func (p *parser) value(co *iterco.Co, depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, fmt.Errorf("%w: nested too deep", ErrProtocol)
	}
	l, err := p.line(co)
	if err != nil {
		return Value{}, err
	}
	if len(l) == 0 {
		return Value{}, fmt.Errorf("%w: empty line", ErrProtocol)
	}
	v := Value{Kind: Kind(l[0])}
	text := string(l[1:])
	switch v.Kind {
	case SimpleString, Error, BigNumber:
		v.Str = text
	case Integer:
		v.Int, err = strconv.ParseInt(text, 10, 64)
	case Null:
		v.IsNull = true
	case Boolean:
		if text != "t" && text != "f" {
			return v, fmt.Errorf("%w: boolean %q", ErrProtocol, text)
		}
		v.Bool = text == "t"
	case Double:
		v.Float, err = strconv.ParseFloat(text, 64)
	case BulkString, BulkError, Verbatim:
		n, perr := strconv.Atoi(text)
		if perr != nil || n < -1 {
			return v, fmt.Errorf("%w: length %q", ErrProtocol, text)
		}
		if n == -1 {
			v.IsNull = true
			return v, nil
		}
		b, berr := p.bytes(co, n)
		if berr != nil {
			return v, berr
		}
		v.Str = string(b)
	case Array, Set, Push, Map, Attribute:
		n, perr := strconv.Atoi(text)
		if perr != nil || n < -1 {
			return v, fmt.Errorf("%w: count %q", ErrProtocol, text)
		}
		if n == -1 {
			v.IsNull = true
			return v, nil
		}
		if v.Kind == Map || v.Kind == Attribute {
			n *= 2
		}
		v.Elems = make([]Value, 0, min(n, 1024))
		for range n {
			e, eerr := p.value(co, depth+1)
			if eerr != nil {
				return v, eerr
			}
			v.Elems = append(v.Elems, e)
		}
		if v.Kind == Attribute {
			// An attribute annotates the value that follows it.
			return p.value(co, depth)
		}
	default:
		return v, fmt.Errorf("%w: unknown type %q", ErrProtocol, l[0])
	}
	if err != nil {
		return v, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	return v, nil
}

// Decoder turns chunks of RESP input into values. It drives the parser
// coroutine with iterco.AwaitSync, so it needs no loop. The zero Decoder is
// ready to use; Close it to release the parser's coroutine. A Decoder is
// used from one goroutine at a time.
type Decoder struct {
	p   parser
	b   *iterco.Bound[Value, struct{}]
	err error
}

// Feed adds data and returns the values it completes, in order. After a
// protocol error the Decoder is unusable: Feed returns that error again.
func (d *Decoder) Feed(data []byte) ([]Value, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.p.pos > 0 && d.p.pos == len(d.p.buf) {
		d.p.buf, d.p.pos = d.p.buf[:0], 0 // all consumed: reuse the buffer
	}
	d.p.buf = append(d.p.buf, data...)
	if d.b == nil {
		d.b = iterco.Bind(&d.p.m, d.p.run)
	}
	return iterco.AwaitSync(func(co *iterco.Co) ([]Value, error) {
		var out []Value
		for {
			v, handedOut, _, err := d.b.Step(co, nil)
			switch {
			case !handedOut:
				d.err = err // the parser returned: a protocol error
				return out, err
			case v.Kind == 0:
				return out, nil // it waits for more input
			}
			out = append(out, v)
		}
	})
}

// Buffered returns the number of bytes received but not yet parsed into a
// value.
func (d *Decoder) Buffered() int { return len(d.p.buf) - d.p.pos }

// Close stops the parser, releasing its coroutine.
func (d *Decoder) Close() error {
	if d.b == nil || d.b.IsDone() {
		return nil
	}
	b := d.b
	_, err := iterco.AwaitSync(func(co *iterco.Co) (struct{}, error) { return struct{}{}, b.Close(co) })
	return err
}
