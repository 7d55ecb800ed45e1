// Package resp is a real user of iterco's Monitor: an incremental parser of
// the Redis serialization protocol (RESP2 and RESP3, nested aggregates)
// written as a plain async function that asks its Monitor for more bytes
// whenever its buffer runs short, and a small client that drives it from a
// net.Conn.
//
// The parser reads top to bottom like a blocking one; being a coroutine,
// it keeps its place between chunks of input on its own, with no state
// machine written out by hand. A Decoder drives it with iterco.AwaitSync,
// without a loop.
package resp
