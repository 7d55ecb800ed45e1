// Package asynkit is the root of asynkit for Go: a cooperative event loop
// whose tasks are iter.Pull coroutines, typed futures and tasks, eager task
// start, scheduling control, and coroutine helpers.
//
// The work is done by the sub-packages:
//
//   - [github.com/asynkit-go/asynkit/iterco]: coroutines (Co, Func, Coroutine)
//   - [github.com/asynkit-go/asynkit/future]: Future, Awaitable, Await, shared errors
//   - [github.com/asynkit-go/asynkit/task]: the loop, Task, Run, Sleep, the goroutine bridge,
//     combinators, task groups and scheduling control
//   - [github.com/asynkit-go/asynkit/sync]: loop-aware locks, events, conditions, semaphores,
//     barriers and queues (import it as asyncsync)
//   - [github.com/asynkit-go/asynkit/eager]: eager start, eager task factories and groups
//   - [github.com/asynkit-go/asynkit/compat]: eager start for the whole process
//   - [github.com/asynkit-go/asynkit/priority]: priority scheduling with priority inheritance
//   - [github.com/asynkit-go/asynkit/record]: a loop's recording as text, a Chrome trace, a picture
//   - [github.com/asynkit-go/asynkit/tasktest]: schedule exploration for tests, with replay
//   - [github.com/asynkit-go/asynkit/taskhttp]: the tasks of running loops over HTTP
//
// This package reports what the build is made of: [Info].
package asynkit
