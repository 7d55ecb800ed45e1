package resp

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRedis starts a redis-server of its own on a free loopback port and
// returns a client connected to it; both stop when the test ends. Without
// redis-server the test is skipped, except in CI, where .ci/run installs
// it and its absence is a failure.
func startRedis(t *testing.T) *Client {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed; .ci/run installs it")
		}
		t.Skip("redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	var conn net.Conn
	for deadline := time.Now().Add(5 * time.Second); ; {
		conn, err = net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err, "redis-server did not come up")
	c := NewClient(conn)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestAgainstRedisServer(t *testing.T) {
	c := startRedis(t)
	do := func(args ...string) string {
		t.Helper()
		v, err := c.Do(args...)
		require.NoError(t, err, "%v", args)
		return v.String()
	}

	assert.Equal(t, `"OK"`, do("SET", "greeting", "hello\r\nworld"))
	assert.Equal(t, `"hello\r\nworld"`, do("GET", "greeting"))
	assert.Equal(t, `(nil)`, do("GET", "missing"))
	assert.Equal(t, `3`, do("RPUSH", "list", "a", "b", "c"))
	assert.Equal(t, `*["a" "b" "c"]`, do("LRANGE", "list", "0", "-1"))
	assert.Equal(t, `2`, do("HSET", "hash", "f1", "v1", "f2", "v2"))
	assert.Equal(t, `*["f1" "v1" "f2" "v2"]`, do("HGETALL", "hash"), "RESP2: a flat array")
	assert.True(t, strings.HasPrefix(do("WRONGCOMMAND"), "(error) ERR unknown command"))
	_, err := c.Do()
	assert.EqualError(t, err, "resp: empty command")

	hello, err := c.Do("HELLO", "3")
	require.NoError(t, err)
	assert.Equal(t, Map, hello.Kind, "RESP3 from here on")
	assert.Equal(t, `%["f1" "v1" "f2" "v2"]`, do("HGETALL", "hash"), "RESP3: a map")
	assert.Equal(t, `(nil)`, do("GET", "missing"))

	info, err := c.Do("INFO", "server")
	require.NoError(t, err)
	assert.Contains(t, info.Str, "redis_version:")

	// A pipeline: every request first, then every reply, in order.
	const n = 200
	var batch []byte
	for i := range n {
		batch = append(batch, Command("SET", fmt.Sprint("k", i), strings.Repeat("x", i))...)
		batch = append(batch, Command("GET", fmt.Sprint("k", i))...)
	}
	_, err = c.conn.Write(batch)
	require.NoError(t, err)
	for i := range n {
		set, err := c.Read()
		require.NoError(t, err)
		require.Equal(t, `"OK"`, set.String())
		get, err := c.Read()
		require.NoError(t, err)
		require.Equal(t, strings.Repeat("x", i), get.Str)
	}
}
