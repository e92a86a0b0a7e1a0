package fib

import (
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// refFIB is the FIB as it was before prefix blocks: one installed and one
// wanted set per prefix, a queue of prefix IDs. TestBlocksMatchReference
// compares the FIB with it. It shares what is not under test: next-hop
// sets, trace records and the longest-prefix match.
type refFIB struct {
	trail
	nhSets
	installDelay sim.Time
	onChange     func(p netip.Prefix)
	ids          IDs

	table   []int32  // by prefix ID: installed set (0: none)
	n       int      // installed entries
	lens    [129]int // how many entries have each prefix length (for LPM)
	want    []int32  // by prefix ID: 1 + set waiting to be programmed, 0: not queued
	queue   []int32  // prefix IDs in request order
	head    int
	timer   *sim.Timer
	changes uint64
}

func newRef(eng *sim.Engine, router string, installDelay sim.Time, tracer sim.Tracer, names func(int) string, onChange func(netip.Prefix), ids IDs) *refFIB {
	f := &refFIB{trail: trail{eng: eng, router: router, tracer: tracer, names: names}, nhSets: newNHSets(),
		installDelay: installDelay, onChange: onChange, ids: ids}
	f.timer = eng.NewFIFOTimer(f.installNext).FirstInInstant()
	return f
}

func refGrow(s []int32, n int) []int32 {
	if len(s) < n {
		s = append(s, make([]int32, n-len(s))...)
	}
	return s
}

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
	f.change(f.ids, id, set, &f.nhSets)
	if f.onChange != nil {
		f.onChange(p)
	}
}

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

func (f *refFIB) Lookup(addr netip.Addr) ([]int, bool) { return longestMatch(&f.lens, addr, f.Get) }

func (f *refFIB) Get(p netip.Prefix) ([]int, bool) {
	id, ok := f.ids.Lookup(p)
	if !ok || int(id) >= len(f.table) || f.table[id] == 0 {
		return nil, false
	}
	return f.sets[f.table[id]], true
}

func (f *refFIB) sortedIDs() []int32 {
	out := make([]int32, 0, f.n)
	for id, s := range f.table {
		if s != 0 {
			out = append(out, int32(id))
		}
	}
	slices.SortFunc(out, func(a, b int32) int { return comparePrefix(f.ids.Prefix(a), f.ids.Prefix(b)) })
	return out
}

func (f *refFIB) Prefixes() []netip.Prefix {
	ids := f.sortedIDs()
	out := make([]netip.Prefix, len(ids))
	for i, id := range ids {
		out[i] = f.ids.Prefix(id)
	}
	return out
}

func (f *refFIB) Pending() int    { return len(f.queue) - f.head }
func (f *refFIB) Changes() uint64 { return f.changes }
