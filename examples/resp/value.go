package resp

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the type of a RESP value, named by its leading byte.
type Kind byte

// The RESP2 and RESP3 types.
const (
	SimpleString Kind = '+'
	Error        Kind = '-'
	Integer      Kind = ':'
	BulkString   Kind = '$'
	Array        Kind = '*'
	Null         Kind = '_'
	Boolean      Kind = '#'
	Double       Kind = ','
	BigNumber    Kind = '('
	BulkError    Kind = '!'
	Verbatim     Kind = '='
	Map          Kind = '%'
	Set          Kind = '~'
	Attribute    Kind = '|'
	Push         Kind = '>'
)

// Value is one RESP value. Str holds strings, errors, big numbers and
// verbatim text (with its format prefix, "txt:..."); Int integers; Float
// doubles; Bool booleans; Elems the items of arrays, sets and pushes, and
// the keys and values of maps and attributes, alternating. IsNull marks a
// RESP3 null and the RESP2 null bulk string and array.
type Value struct {
	// Kind is the value's type, by its RESP prefix byte.
	Kind Kind
	// Str is a string, error, big number or verbatim text.
	Str string
	// Int is an integer.
	Int int64
	// Float is a double.
	Float float64
	// Bool is a boolean.
	Bool bool
	// Elems are an aggregate's items; a map's or attribute's keys and
	// values alternate.
	Elems []Value
	// IsNull marks a null.
	IsNull bool
}

// String renders v compactly, for tests and messages.
func (v Value) String() string {
	if v.IsNull {
		return "(nil)"
	}
	switch v.Kind {
	case SimpleString, BulkString, BigNumber, Verbatim:
		return strconv.Quote(v.Str)
	case Error, BulkError:
		return "(error) " + v.Str
	case Integer:
		return strconv.FormatInt(v.Int, 10)
	case Double:
		return strconv.FormatFloat(v.Float, 'g', -1, 64)
	case Boolean:
		return strconv.FormatBool(v.Bool)
	case Array, Set, Push, Map, Attribute:
		parts := make([]string, len(v.Elems))
		for i, e := range v.Elems {
			parts[i] = e.String()
		}
		return fmt.Sprintf("%c[%s]", v.Kind, strings.Join(parts, " "))
	}
	return "(null)"
}

// Command encodes args as a RESP array of bulk strings, the form of a
// request.
func Command(args ...string) []byte {
	var b []byte
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}
