package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
)

// ErrEventLimit is returned by Run when the engine stopped because it
// processed the maximum number of events set with SetEventLimit.
var ErrEventLimit = errors.New("event limit reached")

// entry is one pending event. Entries are stored by value in a 4-ary heap
// ordered by (at, seq); timer entries carry their *Timer so the timer can
// track its own heap index and be moved in place when re-armed.
type entry struct {
	at    Time
	seq   uint64
	fn    func()
	timer *Timer
}

func (a *entry) less(b *entry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// Engine is the discrete-event kernel: a virtual clock and a queue of
// pending events. It is single-threaded and deterministic; see the package
// documentation for the contract.
type Engine struct {
	now       Time
	seq       uint64
	heap      []entry
	far       []entry // events scheduled more than farAhead ahead (never timers): a second heap, same order
	stopped   bool
	processed uint64
	limit     uint64
	hook      func(at Time, seq uint64)
	rng       *Streams
	deferred  []func()
	spare     []func()
	lanes     []*lane // FIFO timers' lanes, one per delay (lane.go)
	laneLive  int     // timers armed in lanes
}

// New returns an engine at time 0 whose random streams derive from seed.
func New(seed uint64) *Engine {
	return &Engine{rng: NewStreams(seed), heap: make([]entry, 0, 64)}
}

// Now returns the current virtual time.
func (e *Engine) Now() Time { return e.now }

// Rand returns the named random stream (see Streams.Stream).
func (e *Engine) Rand(name string) *rand.Rand { return e.rng.Stream(name) }

// Streams returns the engine's random stream family.
func (e *Engine) Streams() *Streams { return e.rng }

// Pending returns the number of scheduled events.
func (e *Engine) Pending() int { return len(e.heap) + len(e.far) + e.laneLive }

// farAhead: an event (not a timer) scheduled further ahead than this waits
// in a second heap, e.far. A run schedules its whole fault schedule up
// front (a year of random failures: thousands of events); in the one heap
// they made every event of the busy near future sift through a deep heap.
// The next event is the smaller of the two heaps' tops by (time,
// sequence), so the order of events is exactly that of one heap.
const farAhead = Minute

// Where the next event waits.
const (
	srcNone = iota
	srcHeap
	srcFar
	srcLane // e.lanes[i]'s head
)

// source returns where the next event waits (the least by (time, sequence)
// of e.heap's top, e.far's top and every lane's head), its lane when
// srcLane, and its time.
func (e *Engine) source() (src int, ln *lane, at Time) {
	if len(e.far) == 0 && e.laneLive == 0 { // the common case, kept short
		if len(e.heap) == 0 {
			return srcNone, nil, 0
		}
		return srcHeap, nil, e.heap[0].at
	}
	return e.sourceAll()
}

func (e *Engine) sourceAll() (src int, ln *lane, at Time) {
	var best *entry
	if len(e.heap) > 0 {
		src, best = srcHeap, &e.heap[0]
	}
	if len(e.far) > 0 && (best == nil || e.far[0].less(best)) {
		src, best = srcFar, &e.far[0]
	}
	if best != nil {
		at = best.at
	}
	if e.laneLive > 0 {
		for _, l := range e.lanes {
			h := l.top()
			if h == nil {
				continue
			}
			if src == srcNone || h.at < at || (h.at == at && h.seq < e.seqOf(src, ln)) {
				src, ln, at = srcLane, l, h.at
			}
		}
	}
	return src, ln, at
}

// seqOf is the sequence number of the next event of src.
func (e *Engine) seqOf(src int, ln *lane) uint64 {
	switch src {
	case srcHeap:
		return e.heap[0].seq
	case srcFar:
		return e.far[0].seq
	case srcLane:
		return ln.q[ln.head].seq
	}
	return 0
}

// Processed returns how many events have run so far.
func (e *Engine) Processed() uint64 { return e.processed }

// SetEventLimit makes Run stop with ErrEventLimit after n events in total
// (0 means no limit). It guards against runs that never settle.
func (e *Engine) SetEventLimit(n uint64) { e.limit = n }

// SetHook installs a function called just before each event runs, with the
// event's time and sequence number. A nil hook (the default) costs one
// comparison per event.
func (e *Engine) SetHook(h func(at Time, seq uint64)) { e.hook = h }

// At schedules fn to run at time t. Scheduling into the past is an error.
// Events at the same time run in the order they were scheduled.
func (e *Engine) At(t Time, fn func()) error {
	if t < e.now {
		return fmt.Errorf("sim: schedule at %v is before now (%v)", t, e.now)
	}
	e.push(entry{at: t, fn: fn})
	return nil
}

// After schedules fn to run d from now. A negative d is an error.
func (e *Engine) After(d Time, fn func()) error {
	if d < 0 {
		return fmt.Errorf("sim: negative delay %v", d)
	}
	e.push(entry{at: e.now + d, fn: fn})
	return nil
}

// Stop makes Run return after the event that is running now.
func (e *Engine) Stop() { e.stopped = true }

// Run processes events in (time, sequence) order until the queue is empty,
// the next event is later than until, Stop is called, or the event limit is
// reached (then it returns ErrEventLimit). When it returns because the queue
// ran dry or the next event is later than until, the clock is advanced to
// until (unless until is Never).
func (e *Engine) Run(until Time) error {
	e.stopped = false
	e.runDeferred() // work deferred between runs, at the current instant
	for !e.stopped {
		src, ln, at := e.source()
		if src == srcNone || at > until {
			break
		}
		if e.limit != 0 && e.processed >= e.limit {
			return ErrEventLimit
		}
		e.step(src, ln)
	}
	if !e.stopped && until != Never && until > e.now {
		e.now = until
	}
	return nil
}

// Step runs the next event, if any, and reports whether one ran.
func (e *Engine) Step() bool {
	e.runDeferred()
	src, ln, _ := e.source()
	if src == srcNone {
		return false
	}
	e.step(src, ln)
	return true
}

// NextAt returns the time of the next pending event, or Never.
func (e *Engine) NextAt() Time {
	if src, _, at := e.source(); src != srcNone {
		return at
	}
	return Never
}

// step runs the next event, which waits in src (source).
func (e *Engine) step(src int, ln *lane) {
	var top entry
	switch src {
	case srcFar:
		top = e.popFar()
	case srcLane:
		top = e.popLane(ln)
	default:
		top = e.pop()
	}
	e.now = top.at
	e.processed++
	if e.hook != nil {
		e.hook(top.at, top.seq)
	}
	if top.timer != nil {
		top.timer.fn()
	} else {
		top.fn()
	}
	if len(e.deferred) > 0 {
		e.runDeferred()
	}
}

// Defer runs fn once every event of the current instant has run, before
// virtual time moves on (in the order Defer was called); called between
// runs, fn runs at the start of the next Run or Step. A model uses it to
// do once, at the end of an instant, work that many same-instant changes
// would otherwise each trigger (the data plane's recomputation). fn may
// schedule events at the current instant; those run, then any functions
// they deferred.
func (e *Engine) Defer(fn func()) {
	e.deferred = append(e.deferred, fn)
}

func (e *Engine) runDeferred() {
	for len(e.deferred) > 0 {
		if src, _, at := e.source(); src != srcNone && at <= e.now {
			return
		}
		fns := e.deferred
		e.deferred = e.spare[:0]
		for i, fn := range fns {
			fn()
			fns[i] = nil
		}
		e.spare = fns[:0]
	}
}

// Timer is a re-armable, cancellable event. Re-arming moves the timer's
// single queue entry in place: it never allocates, which matters because
// BGP hold timers are re-armed on every keepalive.
type Timer struct {
	e   *Engine
	fn  func()
	idx int // position in the heap, -1 when not there
	// FIFO timers (NewFIFOTimer): armed with ResetAfter, in a lane.
	fifo bool
	ln   *lane  // the lane it is armed in (nil: none)
	gen  uint32 // its live lane entry's generation
	at   Time   // when it fires, while in a lane
	// first: its firings come before every other event of their instant
	// (FirstInInstant)
	first bool
}

// lateSeq is set in the sequence number of every event that is not a
// first-in-instant timer's firing: ordered by (time, sequence), those come
// first within their instant, in the order they were scheduled, then the
// others, in theirs.
const lateSeq = 1 << 63

// nextSeq returns the sequence number of an event scheduled now.
func (e *Engine) nextSeq(first bool) uint64 {
	e.seq++
	if first {
		return e.seq
	}
	return e.seq | lateSeq
}

// FirstInInstant makes t's firings come before every other event of their
// instant (among themselves, in the order they were armed): t models work
// that completes at an instant — a FIB programming a prefix — and is done
// before anything arriving at that instant looks. It returns t.
func (t *Timer) FirstInInstant() *Timer {
	t.first = true
	return t
}

// NewTimer returns an unarmed timer that calls fn when it fires.
func (e *Engine) NewTimer(fn func()) *Timer {
	return &Timer{e: e, fn: fn, idx: -1}
}

// Armed reports whether the timer is scheduled to fire.
func (t *Timer) Armed() bool { return t.idx >= 0 || t.ln != nil }

// When returns when the timer will fire, or Never if it is not armed.
func (t *Timer) When() Time {
	if t.ln != nil {
		return t.at
	}
	if t.idx < 0 {
		return Never
	}
	return t.e.heap[t.idx].at
}

// Reset arms the timer to fire at time at, replacing any earlier arming:
// a re-armed timer fires once, at the new time. For ordering among events at
// the same instant, a re-armed timer counts as scheduled now. Arming in the
// past is an error and leaves the timer as it was.
func (t *Timer) Reset(at Time) error {
	e := t.e
	if at < e.now {
		return fmt.Errorf("sim: timer armed at %v, before now (%v)", at, e.now)
	}
	e.unlane(t)
	if t.idx < 0 {
		e.push(entry{at: at, timer: t})
		return nil
	}
	i := t.idx
	old := e.heap[i].at
	e.heap[i].at = at
	e.heap[i].seq = e.nextSeq(t.first)
	if at < old {
		e.up(i)
	} else {
		e.down(i)
	}
	return nil
}

// ResetAfter arms the timer to fire d from now (d < 0 is treated as 0).
func (t *Timer) ResetAfter(d Time) {
	if d < 0 {
		d = 0
	}
	if t.fifo {
		t.e.arm(t, d)
		return
	}
	_ = t.Reset(t.e.now + d)
}

// Stop cancels the timer. It reports whether the timer was armed. A stopped
// timer never fires until it is armed again.
func (t *Timer) Stop() bool {
	if t.ln != nil {
		t.e.unlane(t)
		return true
	}
	if t.idx < 0 {
		return false
	}
	t.e.remove(t.idx)
	return true
}

// --- 4-ary heap of entries ordered by (at, seq) ---

func (e *Engine) set(i int, x entry) {
	e.heap[i] = x
	if x.timer != nil {
		x.timer.idx = i
	}
}

func (e *Engine) push(x entry) {
	x.seq = e.nextSeq(x.timer != nil && x.timer.first)
	if x.timer == nil && x.at-e.now > farAhead {
		if len(e.far) == cap(e.far) {
			e.far = slices.Grow(e.far, max(len(e.far), 64)) // doubling: thousands are set up at once
		}
		e.far = append(e.far, x)
		farUp(e.far, len(e.far)-1)
		return
	}
	e.heap = append(e.heap, x)
	i := len(e.heap) - 1
	if x.timer != nil {
		x.timer.idx = i
	}
	e.up(i)
}

func (e *Engine) popFar() entry {
	top := e.far[0]
	n := len(e.far) - 1
	e.far[0] = e.far[n]
	e.far[n] = entry{}
	e.far = e.far[:n]
	if n > 0 {
		farDown(e.far, 0)
	}
	return top
}

func (e *Engine) pop() entry {
	top := e.heap[0]
	e.removeAt0()
	if top.timer != nil {
		top.timer.idx = -1
	}
	return top
}

func (e *Engine) removeAt0() {
	n := len(e.heap) - 1
	last := e.heap[n]
	e.heap[n] = entry{}
	e.heap = e.heap[:n]
	if n > 0 {
		e.set(0, last)
		e.down(0)
	}
}

func (e *Engine) remove(i int) {
	x := e.heap[i]
	n := len(e.heap) - 1
	if i == n {
		e.heap[n] = entry{}
		e.heap = e.heap[:n]
	} else {
		last := e.heap[n]
		e.heap[n] = entry{}
		e.heap = e.heap[:n]
		e.set(i, last)
		if i > 0 && last.less(&e.heap[(i-1)/4]) {
			e.up(i)
		} else {
			e.down(i)
		}
	}
	if x.timer != nil {
		x.timer.idx = -1
	}
}

func (e *Engine) up(i int) {
	h := e.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.less(&h[p]) {
			break
		}
		e.set(i, h[p])
		i = p
	}
	e.set(i, x)
}

func (e *Engine) down(i int) {
	h := e.heap
	n := len(h)
	x := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if h[j].less(&h[m]) {
				m = j
			}
		}
		if !h[m].less(&x) {
			break
		}
		e.set(i, h[m])
		i = m
	}
	e.set(i, x)
}

// farUp and farDown keep e.far, a 4-ary heap like e.heap whose entries are
// never timers (no index to track).
func farUp(h []entry, i int) {
	x := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.less(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

func farDown(h []entry, i int) {
	n := len(h)
	x := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < min(c+4, n); j++ {
			if h[j].less(&h[m]) {
				m = j
			}
		}
		if !h[m].less(&x) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = x
}
