package resp

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecoder checks the coroutine parser against the hand-written one on
// any input, split anywhere: the same values, and an error where the other
// finds one.
func FuzzDecoder(f *testing.F) {
	f.Add(stream, uint(7))
	f.Add([]byte("*2\r\n$3\r\nabc\r\n:5\r\n"), uint(3))
	f.Add([]byte("%1\r\n#t\r\n,1.5\r\n"), uint(0))
	f.Add([]byte("$2\r\nabcd\r\n"), uint(4))
	f.Fuzz(func(t *testing.T, data []byte, split uint) {
		var want []Value
		var wantErr error
		for buf := data; len(buf) > 0; {
			v, n, err := parseValue(buf, 0)
			if err != nil {
				if !errors.Is(err, errIncomplete) {
					wantErr = err
				}
				break
			}
			want = append(want, v)
			buf = buf[n:]
		}
		k := int(split % uint(len(data)+1))
		var d Decoder
		defer d.Close()
		got, err := d.Feed(data[:k])
		if err == nil {
			var rest []Value
			rest, err = d.Feed(data[k:])
			got = append(got, rest...)
		}
		require.Equal(t, render(want), render(got))
		require.Equal(t, wantErr != nil, err != nil, "hand-written: %v, coroutine: %v", wantErr, err)
	})
}
