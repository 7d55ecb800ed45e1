package resp_test

import (
	"fmt"

	"github.com/asynkit-go/asynkit/examples/resp"
)

// A Decoder takes input in whatever chunks it arrives and returns each
// value once it is complete; a value begun is held by the parser, not
// counted as buffered.
func ExampleDecoder() {
	var d resp.Decoder
	defer d.Close()
	for _, chunk := range []string{"+OK\r\n:4", "2\r\n*2\r\n$3\r\nfoo\r\n", "$3\r\nbar\r\n"} {
		values, err := d.Feed([]byte(chunk))
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, v := range values {
			switch v.Kind {
			case resp.SimpleString:
				fmt.Println("string", v.Str)
			case resp.Integer:
				fmt.Println("integer", v.Int)
			case resp.Array:
				fmt.Println("array of", len(v.Elems), "first", v.Elems[0].Str)
			}
		}
		fmt.Println("buffered:", d.Buffered())
	}
	// Output:
	// string OK
	// buffered: 2
	// integer 42
	// buffered: 0
	// array of 2 first foo
	// buffered: 0
}
