package bench

import (
	"context"
	"testing"

	"github.com/asynkit-go/asynkit/iterco"
	"github.com/asynkit-go/asynkit/task"
)

// Kernel is one side of a comparison.
type Kernel struct {
	Name string
	F    func(b *testing.B)
}

// Case is an asynkit kernel and its baselines.
type Case struct {
	Name      string
	What      string // what one op is
	Ours      Kernel
	Baselines []Kernel
	Goals     []Goal
	// Fresh asks for each kernel to run once in a process of its own (see
	// Runner): its figure is memory in use, which what ran before it in a
	// process changes. The runtime keeps the record of every goroutine
	// that ended for the next one it starts, so a kernel that runs after
	// another would not pay for its goroutines' records; and it sizes new
	// goroutines' stacks by the stacks it has seen.
	Fresh bool
	// Metric is the unit the case's ratios are of where no goal names one:
	// ns/op if empty.
	Metric string
	// Floor names the baseline that is the case's floor (see floors), or
	// is empty. FloorBase names the baseline the floor's ratio is taken
	// to when it is not the goal's baseline.
	Floor, FloorBase string
}

// Kernels returns the case's kernels: asynkit's first, then its baselines.
func (c Case) Kernels() []Kernel { return append([]Kernel{c.Ours}, c.Baselines...) }

// Cases are the comparisons of the core: task creation, hand-offs, and
// awaiting done futures.
var Cases = []Case{
	{
		Name: "Create", What: "a task created, run and completed without blocking",
		Ours:      Kernel{"task", CreateTask},
		Baselines: []Kernel{{"go+WaitGroup", CreateGo}},
	},
	{
		Name: "CreateBlocking", What: "a task that yields once before it completes",
		Ours:      Kernel{"task", CreateBlockingTask},
		Baselines: []Kernel{{"go+WaitGroup", CreateBlockingGo}},
	},
	{
		Name: "Handoff", What: "one hand-off between two tasks through a new Future",
		Ours:      Kernel{"task", HandoffTask},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}, {"chan", HandoffChan}},
	},
	{
		Name: "HandoffReused", What: "one hand-off between two tasks through a Future reset once read",
		Ours:      Kernel{"task", HandoffReused},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}, {"chan", HandoffChan}},
	},
	{
		Name: "Yield", What: "one hand-off between two tasks through the ready queue",
		Ours:      Kernel{"task", YieldTask},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}, {"chan", HandoffChan}},
	},
	{
		Name: "YieldAlone", What: "a Yield with nothing else ready: the task goes on at once",
		Ours:      Kernel{"task", YieldAlone},
		Baselines: []Kernel{{"runtime.Gosched", GoschedAlone}},
	},
	{
		Name: "AwaitDone", What: "an Await of a future that is already done",
		Ours: Kernel{"future", AwaitDone},
	},
	{
		Name: "Gather", What: "one of 1000 tasks gathered: created, run, result collected",
		Ours:      Kernel{"task.Gather", GatherTasks},
		Baselines: []Kernel{{"errgroup-style", GatherGoroutines}},
	},
	{
		Name: "TwoLoops", What: "a task doing 1µs of work in 4 slices: two loops on two goroutines against one loop",
		Ours:      Kernel{"2 loops", LoopsWork(2)},
		Baselines: []Kernel{{"1 loop", LoopsWork(1)}},
	},
	{
		Name: "EagerStart", What: "an eager start that finishes without blocking, its result in hand",
		Ours:      Kernel{"eager.Start", EagerStartSync},
		Baselines: []Kernel{{"go+WaitGroup", GoAndWait}, {"lazy task", LazyStartSync}},
	},
	{
		Name: "FirstSuspension", What: "from starting a task until it first blocks",
		Ours:      Kernel{"eager", FirstSuspension(true)},
		Baselines: []Kernel{{"lazy", FirstSuspension(false)}},
	},
	{
		Name: "EagerFactory", What: "a task that finishes at once, with the eager task factory",
		Ours:      Kernel{"eager factory", createWithFactory(true, nop)},
		Baselines: []Kernel{{"lazy", createWithFactory(false, nop)}},
	},
	{
		Name: "EagerFactoryBlocking", What: "a task that yields once, with the eager task factory",
		Ours:      Kernel{"eager factory", createWithFactory(true, yieldOnce)},
		Baselines: []Kernel{{"lazy", createWithFactory(false, yieldOnce)}},
	},
	{
		Name: "LockUncontended", What: "an Acquire and Release of a free lock",
		Ours:      Kernel{"asyncsync.Lock", LockUncontended},
		Baselines: []Kernel{{"sync.Mutex", MutexUncontended}},
	},
	{
		Name: "LockContended", What: "one lock hand-off between two tasks that take it in turn",
		Ours:      Kernel{"asyncsync.Lock", LockContended},
		Baselines: []Kernel{{"sync.Mutex, alternating", MutexAlternating}},
	},
	{
		Name: "LockHeldAcrossYield", What: "the same, each task yielding while it holds the lock",
		Ours:      Kernel{"asyncsync.Lock", LockHeldAcrossYield},
		Baselines: []Kernel{{"sync.Mutex+Gosched", MutexContended}},
	},
	{
		Name: "QueueTransfer", What: "one item through a bounded queue (64) from one task to another",
		Ours:      Kernel{"asyncsync.Queue", QueueTransfer},
		Baselines: []Kernel{{"chan", ChanTransfer}},
	},
	{
		Name: "Switch", What: "one task.Switch from one task to another",
		Ours:      Kernel{"task", SwitchTask},
		Baselines: []Kernel{{"iter.Pull", HandoffPull}},
	},
	{
		Name: "Reinsert", What: "moving a queued task to the front: 10,000 queued against 10",
		Ours:      Kernel{"10000 queued", ReinsertAmong(10000)},
		Baselines: []Kernel{{"10 queued", ReinsertAmong(10)}},
	},
	{
		Name: "IsRunnable", What: "asking whether a queued task is runnable: 10,000 queued against 10",
		Ours:      Kernel{"10000 queued", IsRunnableAmong(10000)},
		Baselines: []Kernel{{"10 queued", IsRunnableAmong(10)}},
	},
}

// Run runs c's kernels as sub-benchmarks of b.
func Run(b *testing.B, c Case) {
	b.Run(c.Ours.Name, c.Ours.F)
	for _, k := range c.Baselines {
		b.Run(k.Name, k.F)
	}
}

// Find returns the case named name.
func Find(name string) Case {
	for _, c := range Cases {
		if c.Name == name {
			return c
		}
	}
	panic("bench: no case " + name)
}

const batch = 1000

// work burns about d of CPU in a way the compiler cannot drop.
func work(iterations int) int {
	x := 1
	for i := range iterations {
		x = x*31 + i
	}
	return x
}

// workIterations is about 220 ns of work on the machines this runs
// on; what matters is that both sides do the same.
const workIterations = 400

// runMain runs main on a new loop made with opts, and fails b if main
// fails.
func runMain(b *testing.B, main iterco.Func[int], opts ...task.LoopOption) {
	var l *task.Loop
	if kernelRan != nil {
		inner := main
		main = func(co *iterco.Co) (int, error) {
			l = task.LoopOf(co)
			return inner(co)
		}
	}
	if _, err := task.Run(context.Background(), main, opts...); err != nil {
		b.Fatal(err)
	}
	if kernelRan != nil {
		kernelRan(b.N, l.Stats())
	}
}

// kernelRan, set by a test, is told each kernel loop's Stats once it has
// run, with the b.N it ran: how the test compares the switches a kernel
// makes with its floor's.
var kernelRan func(n int, s task.Stats)

func nop(*iterco.Co) (int, error) { return 1, nil }

func yieldOnce(co *iterco.Co) (int, error) { return 1, task.Yield(co) }
