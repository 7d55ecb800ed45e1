package resp

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// This file is the baseline the coroutine parser is measured against: a
// hand-written incremental parser, as one writes it without coroutines. It
// parses whole values from a buffer and, when a value is cut off, reports
// errIncomplete so that the caller keeps the bytes and retries from the
// value's start once more arrive.

var errIncomplete = errors.New("incomplete")

func parseAll(buf []byte) ([]Value, error) {
	var out []Value
	for len(buf) > 0 {
		v, n, err := parseValue(buf, 0)
		if err != nil {
			return out, err
		}
		out = append(out, v)
		buf = buf[n:]
	}
	return out, nil
}

// stateMachine feeds chunks the way a Decoder is fed.
type stateMachine struct{ buf []byte }

func (s *stateMachine) Feed(data []byte) ([]Value, error) {
	s.buf = append(s.buf, data...)
	var out []Value
	for len(s.buf) > 0 {
		v, n, err := parseValue(s.buf, 0)
		if errors.Is(err, errIncomplete) {
			break
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
		s.buf = s.buf[n:]
	}
	if len(s.buf) == 0 {
		s.buf = s.buf[:0:0]
	}
	return out, nil
}

func parseValue(buf []byte, depth int) (Value, int, error) {
	if depth > maxDepth {
		return Value{}, 0, ErrProtocol
	}
	i := bytes.Index(buf, []byte("\r\n"))
	if i < 0 {
		return Value{}, 0, errIncomplete
	}
	if i == 0 {
		return Value{}, 0, ErrProtocol
	}
	v := Value{Kind: Kind(buf[0])}
	text := string(buf[1:i])
	n := i + 2
	var err error
	switch v.Kind {
	case SimpleString, Error, BigNumber:
		v.Str = text
	case Integer:
		v.Int, err = strconv.ParseInt(text, 10, 64)
	case Null:
		v.IsNull = true
	case Boolean:
		if text != "t" && text != "f" {
			return v, 0, ErrProtocol
		}
		v.Bool = text == "t"
	case Double:
		v.Float, err = strconv.ParseFloat(text, 64)
	case BulkString, BulkError, Verbatim:
		size, aerr := strconv.Atoi(text)
		if aerr != nil || size < -1 {
			return v, 0, ErrProtocol
		}
		if size == -1 {
			v.IsNull = true
			return v, n, nil
		}
		if len(buf) < n+size+2 {
			return v, 0, errIncomplete
		}
		if buf[n+size] != '\r' || buf[n+size+1] != '\n' {
			return v, 0, ErrProtocol
		}
		v.Str = string(buf[n : n+size])
		n += size + 2
	case Array, Set, Push, Map, Attribute:
		count, aerr := strconv.Atoi(text)
		if aerr != nil || count < -1 {
			return v, 0, ErrProtocol
		}
		if count == -1 {
			v.IsNull = true
			return v, n, nil
		}
		if v.Kind == Map || v.Kind == Attribute {
			count *= 2
		}
		v.Elems = make([]Value, 0, min(count, 1024))
		for range count {
			e, m, eerr := parseValue(buf[n:], depth+1)
			if eerr != nil {
				return v, 0, eerr
			}
			v.Elems = append(v.Elems, e)
			n += m
		}
		if v.Kind == Attribute {
			next, m, eerr := parseValue(buf[n:], depth)
			return next, n + m, eerr
		}
	default:
		return v, 0, fmt.Errorf("%w: type %q", ErrProtocol, buf[0])
	}
	if err != nil {
		return v, 0, ErrProtocol
	}
	return v, n, nil
}
