package resp

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stream has every RESP2 and RESP3 type, nested aggregates among them.
var stream = []byte("+OK\r\n" +
	"-ERR bad thing\r\n" +
	":-42\r\n" +
	"$5\r\nhe\r\no\r\n" +
	"$-1\r\n" +
	"*3\r\n:1\r\n*2\r\n+a\r\n$0\r\n\r\n_\r\n" +
	"%2\r\n+k1\r\n:1\r\n+k2\r\n~1\r\n#t\r\n" +
	",3.25\r\n" +
	"(12345678901234567890\r\n" +
	"!3\r\nbad\r\n" +
	"=7\r\ntxt:abc\r\n" +
	">2\r\n+message\r\n+hi\r\n" +
	"|1\r\n+ttl\r\n:10\r\n$3\r\nval\r\n" +
	"*-1\r\n")

var want = []string{
	`"OK"`, `(error) ERR bad thing`, `-42`, `"he\r\no"`, `(nil)`,
	`*[1 *["a" ""] (nil)]`, `%["k1" 1 "k2" ~[true]]`, `3.25`, `"12345678901234567890"`,
	`(error) bad`, `"txt:abc"`, `>["message" "hi"]`, `"val"`, `(nil)`,
}

func render(vs []Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

func TestSplitAtEveryPosition(t *testing.T) {
	for k := range len(stream) + 1 {
		var d Decoder
		first, err := d.Feed(stream[:k])
		require.NoError(t, err, "split at %d", k)
		rest, err := d.Feed(stream[k:])
		require.NoError(t, err, "split at %d", k)
		require.Equal(t, want, render(append(first, rest...)), "split at %d", k)
		assert.Zero(t, d.Buffered())
		require.NoError(t, d.Close())
	}
}

func TestByteByByte(t *testing.T) {
	var d Decoder
	defer d.Close()
	var got []Value
	for i := range stream {
		vs, err := d.Feed(stream[i : i+1])
		require.NoError(t, err)
		got = append(got, vs...)
	}
	assert.Equal(t, want, render(got))
}

func TestHalfAValueLeftAtClose(t *testing.T) {
	var d Decoder
	vs, err := d.Feed([]byte("*2\r\n+a\r\n"))
	require.NoError(t, err)
	assert.Empty(t, vs)
	assert.NoError(t, d.Close(), "the parser's coroutine is closed, nothing leaks")
}

func TestProtocolErrors(t *testing.T) {
	tests := []struct {
		name string
		give string
	}{
		{"unknown type", "?x\r\n"},
		{"bad integer", ":abc\r\n"},
		{"bad length", "$x\r\n"},
		{"bulk without CRLF", "$3\r\nabcde\r\n"},
		{"bad boolean", "#x\r\n"},
		{"empty line", "\r\n"},
		{"too deep", string(bytes.Repeat([]byte("*1\r\n"), maxDepth+2)) + ":1\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decoder
			defer d.Close()
			_, err := d.Feed([]byte(tt.give))
			assert.True(t, errors.Is(err, ErrProtocol), "got %v", err)
		})
	}
}

func TestCommand(t *testing.T) {
	assert.Equal(t, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", string(Command("GET", "k")))
}

func TestAgreesWithTheHandWrittenParser(t *testing.T) {
	vs, err := parseAll(stream)
	require.NoError(t, err)
	assert.Equal(t, want, render(vs))
}
