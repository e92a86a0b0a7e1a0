package sim

// FIFO timers. A timer that is always armed at one delay from now — a
// FIB programming one prefix every InstallDelay, millions of times a run —
// need not sift through the heap: its firings, armed at now + d with
// ever-growing sequence numbers, come in (time, sequence) order, so a
// first-in first-out queue per delay (a lane) keeps them sorted. The next
// event is the least of the heap's top, the far heap's top and the lanes'
// heads, so the order of events is exactly the one heap's.
//
// A FIFO timer armed at an absolute time (Reset) goes to the heap like any
// other. Re-arming or stopping one that waits in a lane leaves its entry
// behind, dead (its generation no longer the timer's), skipped when it
// reaches the head.

// maxLanes bounds the lanes (distinct delays and kinds); an arming at another delay
// goes to the heap.
const maxLanes = 4

// lane holds the firings of FIFO timers armed at delay d, in order.
type lane struct {
	d     Time
	first bool // its timers are FirstInInstant (a lane's entries share one kind of sequence number)
	q     []laneEntry
	head  int
}

type laneEntry struct {
	at  Time
	seq uint64
	t   *Timer
	gen uint32
}

// NewFIFOTimer returns an unarmed timer like NewTimer's, for a timer armed
// mostly with ResetAfter and the same few delays: those armings wait in a
// per-delay FIFO lane instead of the heap (cheaper, same order of events).
func (e *Engine) NewFIFOTimer(fn func()) *Timer {
	return &Timer{e: e, fn: fn, idx: -1, fifo: true}
}

// arm arms FIFO timer t at now + d in the lane of delay d.
func (e *Engine) arm(t *Timer, d Time) {
	if t.idx >= 0 {
		e.remove(t.idx)
	}
	e.unlane(t)
	var l *lane
	for _, x := range e.lanes {
		if x.d == d && x.first == t.first {
			l = x
			break
		}
	}
	if l == nil {
		if len(e.lanes) == maxLanes {
			_ = t.Reset(e.now + d) // every next event looks at each lane: keep them few
			return
		}
		l = &lane{d: d, first: t.first}
		e.lanes = append(e.lanes, l)
	}
	if l.head == len(l.q) {
		l.q, l.head = l.q[:0], 0
	} else if l.head > 64 && l.head > len(l.q)/2 {
		n := copy(l.q, l.q[l.head:])
		clear(l.q[n:])
		l.q, l.head = l.q[:n], 0
	}
	seq := e.nextSeq(t.first)
	t.gen++
	t.ln, t.at = l, e.now+d
	l.q = append(l.q, laneEntry{at: t.at, seq: seq, t: t, gen: t.gen})
	e.laneLive++
}

// unlane takes t out of its lane, if it is in one (its entry stays, dead).
func (e *Engine) unlane(t *Timer) {
	if t.ln != nil {
		t.ln = nil
		t.gen++
		e.laneLive--
	}
}

// top returns l's first live entry (dropping dead ones), or nil.
func (l *lane) top() *laneEntry {
	for l.head < len(l.q) {
		x := &l.q[l.head]
		if x.t.ln == l && x.t.gen == x.gen {
			return x
		}
		*x = laneEntry{}
		l.head++
	}
	return nil
}

// popLane removes l's first live entry (source found it) as an event.
func (e *Engine) popLane(l *lane) entry {
	x := l.q[l.head]
	l.q[l.head] = laneEntry{}
	l.head++
	x.t.ln = nil
	e.laneLive--
	return entry{at: x.at, seq: x.seq, timer: x.t}
}
