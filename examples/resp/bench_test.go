package resp

import (
	"bytes"
	"fmt"
	"testing"
)

// pipelined is about 1 MiB of replies, as a pipeline of GET, LRANGE and
// HGETALL would bring back.
var pipelined = func() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "+OK\r\n:%d\r\n$%d\r\nvalue-%d\r\n", i, len(fmt.Sprint("value-", i)), i)
		fmt.Fprintf(&b, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n")
		fmt.Fprintf(&b, "%%2\r\n+f1\r\n:%d\r\n+f2\r\n$2\r\nv2\r\n", i)
	}
	return b.Bytes()
}()

type feeder interface {
	Feed([]byte) ([]Value, error)
}

// benchFeed feeds the pipelined replies in 4 KiB chunks, as reads from a
// socket would come. One op is the whole MiB.
func benchFeed(b *testing.B, newF func() feeder) {
	b.ReportAllocs()
	b.SetBytes(int64(len(pipelined)))
	for range b.N {
		f := newF()
		count := 0
		for off := 0; off < len(pipelined); off += 4096 {
			vs, err := f.Feed(pipelined[off:min(off+4096, len(pipelined))])
			if err != nil {
				b.Fatal(err)
			}
			count += len(vs)
		}
		if d, ok := f.(*Decoder); ok {
			d.Close()
		}
		if count == 0 {
			b.Fatal("no values")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.Run("coroutine", func(b *testing.B) { benchFeed(b, func() feeder { return new(Decoder) }) })
	b.Run("state-machine", func(b *testing.B) { benchFeed(b, func() feeder { return new(stateMachine) }) }) // baseline
}
