package fib

// refFIB is the FIB as it was before prefix blocks (one state per prefix):
// the reference TestBlocksMatchReference compares the FIB with.

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// FIB is one router's forwarding table.
type refFIB struct {
	eng          *sim.Engine
	router       string
	installDelay sim.Time
	tracer       sim.Tracer
	countOnly    bool // the tracer only counts fib.change records (SetCountOnly)
	names        func(nh int) string
	onChange     func(p netip.Prefix)
	ids          IDs

	// Next-hop sets, interned: sets[0] is the empty set (no route).
	sets     [][]int
	setNames []any // trace names of each set ([]string, boxed), built on first use
	setIdx   map[string]int32
	key      []byte
	last     int32      // the set interned last (a run of updates often has one next-hop set)
	ab       []sim.Attr // reused for every trace record (tracers copy what they keep)

	table   []int32  // by prefix ID: installed set (0: none)
	n       int      // installed entries
	lens    [129]int // how many entries have each prefix length (for LPM)
	want    []int32  // by prefix ID: 1 + set waiting to be programmed, 0: not queued
	queue   []int32  // prefix IDs in request order
	head    int
	timer   *sim.Timer
	changes uint64
}

// New returns an empty FIB. names turns a next hop into the string written
// in the trace (it must always give the same name for a next hop);
// onChange is called after each installed change. ids is the simulation's
// prefix table (nil: the FIB keeps its own).
func newRef(eng *sim.Engine, router string, installDelay sim.Time, tracer sim.Tracer, names func(int) string, onChange func(netip.Prefix), ids IDs) *refFIB {
	if ids == nil {
		ids = &ownIDs{m: make(map[netip.Prefix]int32)}
	}
	f := &refFIB{eng: eng, router: router, installDelay: installDelay, tracer: tracer, names: names, onChange: onChange, ids: ids,
		sets: [][]int{nil}, setNames: []any{[]string{}}, setIdx: map[string]int32{"": 0}}
	f.timer = eng.NewFIFOTimer(f.installNext)
	return f
}

// intern returns the index of the next-hop set nh.
func (f *refFIB) intern(nh []int) int32 {
	if slices.Equal(nh, f.sets[f.last]) {
		return f.last
	}
	f.key = f.key[:0]
	for _, h := range nh {
		f.key = binary.AppendVarint(f.key, int64(h))
	}
	if i, ok := f.setIdx[string(f.key)]; ok {
		f.last = i
		return i
	}
	i := int32(len(f.sets))
	f.last = i
	f.sets = append(f.sets, slices.Clone(nh))
	f.setNames = append(f.setNames, nil)
	f.setIdx[string(f.key)] = i
	return i
}

func refGrow(s []int32, n int) []int32 {
	if len(s) < n {
		s = append(s, make([]int32, n-len(s))...)
	}
	return s
}

// Update requests that prefix forward to nexthops (empty: remove). The
// change takes effect after the install queue ahead of it drains.
func (f *refFIB) Update(p netip.Prefix, nexthops []int) { f.UpdateID(f.ids.ID(p), nexthops) }

// UpdateID is Update for the prefix with ID id in the FIB's prefix table.
func (f *refFIB) UpdateID(id int32, nexthops []int) {
	set := f.intern(nexthops)
	if int(id) >= len(f.want) {
		f.want = refGrow(f.want, int(id)+1)
	}
	if f.want[id] == 0 {
		f.queue = append(f.queue, id)
	}
	f.want[id] = set + 1
	if f.installDelay <= 0 {
		for f.head < len(f.queue) {
			f.install()
		}
		return
	}
	if !f.timer.Armed() {
		f.timer.ResetAfter(f.installDelay)
	}
}

func (f *refFIB) installNext() {
	if f.head < len(f.queue) {
		f.install()
	}
	if f.head < len(f.queue) {
		f.timer.ResetAfter(f.installDelay)
	}
}

func (f *refFIB) install() {
	id := f.queue[f.head]
	f.head++
	if f.head == len(f.queue) {
		f.queue, f.head = f.queue[:0], 0
	}
	set := f.want[id] - 1
	f.want[id] = 0
	f.set(id, set)
}

func (f *refFIB) set(id, set int32) {
	if int(id) >= len(f.table) {
		f.table = refGrow(f.table, max(int(id)+1, len(f.want)))
	}
	old := f.table[id]
	if old == set {
		return
	}
	p := f.ids.Prefix(id)
	if set == 0 {
		f.n--
		f.lens[p.Bits()]--
	} else if old == 0 {
		f.n++
		f.lens[p.Bits()]++
	}
	f.table[id] = set
	f.changes++
	if f.tracer != nil && f.countOnly {
		f.tracer.Trace(f.eng.Now(), "fib.change", f.router)
	} else if f.tracer != nil {
		hops := f.setNames[set]
		if hops == nil {
			nh := f.sets[set]
			names := make([]string, len(nh))
			for i, h := range nh {
				names[i] = f.names(h)
			}
			hops = names
			f.setNames[set] = hops
		}
		f.ab = append(f.ab[:0], sim.A("prefix", f.ids.Boxed(id)), sim.A("nexthops", hops))
		f.tracer.Trace(f.eng.Now(), "fib.change", f.router, f.ab...)
	}
	if f.onChange != nil {
		f.onChange(p)
	}
}

// SetCountOnly says whether the tracer only counts fib.change records
// (sim.Counter): they are then sent without attributes.
func (f *refFIB) SetCountOnly(on bool) { f.countOnly = on }

// Flush empties the table and the install queue at once (the box is gone).
func (f *refFIB) Flush() {
	f.timer.Stop()
	for _, id := range f.queue[f.head:] {
		f.want[id] = 0
	}
	f.queue, f.head = f.queue[:0], 0
	for _, id := range f.sortedIDs() {
		f.set(id, 0)
	}
}

// Lookup returns the next hops of the longest matching prefix for addr.
// It costs one prefix-table lookup per distinct prefix length in the
// table. The slice is shared: do not modify it.
func (f *refFIB) Lookup(addr netip.Addr) ([]int, bool) {
	top := 32
	if addr.Is6() {
		top = 128
	}
	for l := top; l >= 0; l-- {
		if f.lens[l] == 0 {
			continue
		}
		p, _ := addr.Prefix(l)
		if nh, ok := f.Get(p); ok {
			return nh, true
		}
	}
	return nil, false
}

// Get returns the installed next hops of exactly p (shared: do not modify).
func (f *refFIB) Get(p netip.Prefix) ([]int, bool) {
	id, ok := f.ids.Lookup(p)
	if !ok || int(id) >= len(f.table) || f.table[id] == 0 {
		return nil, false
	}
	return f.sets[f.table[id]], true
}

// sortedIDs returns the IDs of the installed prefixes, sorted by prefix.
func (f *refFIB) sortedIDs() []int32 {
	out := make([]int32, 0, f.n)
	for id, s := range f.table {
		if s != 0 {
			out = append(out, int32(id))
		}
	}
	slices.SortFunc(out, func(a, b int32) int { return refComparePrefix(f.ids.Prefix(a), f.ids.Prefix(b)) })
	return out
}

func refComparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// Prefixes returns the installed prefixes, sorted.
func (f *refFIB) Prefixes() []netip.Prefix {
	ids := f.sortedIDs()
	out := make([]netip.Prefix, len(ids))
	for i, id := range ids {
		out[i] = f.ids.Prefix(id)
	}
	return out
}

// Pending returns how many prefixes wait to be programmed.
func (f *refFIB) Pending() int { return len(f.queue) - f.head }

// Changes returns how many installed changes there have been.
func (f *refFIB) Changes() uint64 { return f.changes }
