package resp

import (
	"errors"
	"fmt"
	"net"
)

// Client sends commands over a connection and reads their replies with a
// Decoder. It is used from one goroutine at a time.
type Client struct {
	conn    net.Conn
	dec     Decoder
	pending []Value
	buf     []byte
}

// NewClient returns a client over conn.
func NewClient(conn net.Conn) *Client { return &Client{conn: conn, buf: make([]byte, 16<<10)} }

// Do sends a command and returns its reply. A reply of the error types is
// returned as a Value, not as an error: the error is for failures to talk.
func (c *Client) Do(args ...string) (Value, error) {
	if len(args) == 0 {
		return Value{}, errors.New("resp: empty command")
	}
	if _, err := c.conn.Write(Command(args...)); err != nil {
		return Value{}, fmt.Errorf("resp: send %s: %w", args[0], err)
	}
	return c.Read()
}

// Read returns the next reply.
func (c *Client) Read() (Value, error) {
	for len(c.pending) == 0 {
		n, err := c.conn.Read(c.buf)
		if n > 0 {
			vs, ferr := c.dec.Feed(c.buf[:n])
			c.pending = append(c.pending, vs...)
			if ferr != nil {
				return Value{}, ferr
			}
		}
		if err != nil && len(c.pending) == 0 {
			return Value{}, fmt.Errorf("resp: read: %w", err)
		}
	}
	v := c.pending[0]
	c.pending = c.pending[1:]
	return v, nil
}

// Close closes the connection and the decoder.
func (c *Client) Close() error {
	return errors.Join(c.dec.Close(), c.conn.Close())
}
