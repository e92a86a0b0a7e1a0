// Package fib models a router's forwarding table: what the data plane uses,
// derived from the BGP Loc-RIB with a per-prefix install delay.
//
// Changes are programmed one prefix at a time, in the order they were
// requested, InstallDelay apart (a hardware FIB programs a few thousand
// prefixes per second), so a large table converges visibly slower than a
// small one. A prefix changed again while it waits is programmed once, with
// its latest value.
package fib

import (
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// FIB is one router's forwarding table.
type FIB struct {
	eng          *sim.Engine
	router       string
	installDelay sim.Time
	tracer       sim.Tracer
	names        func(nh int) string
	onChange     func(p netip.Prefix)

	table   map[netip.Prefix][]int
	lens    [129]int // how many entries have each prefix length (for LPM)
	want    map[netip.Prefix][]int
	queue   []netip.Prefix
	head    int
	timer   *sim.Timer
	changes uint64
}

// New returns an empty FIB. names turns a next hop into the string written
// in the trace; onChange is called after each installed change.
func New(eng *sim.Engine, router string, installDelay sim.Time, tracer sim.Tracer, names func(int) string, onChange func(netip.Prefix)) *FIB {
	f := &FIB{eng: eng, router: router, installDelay: installDelay, tracer: tracer, names: names, onChange: onChange,
		table: make(map[netip.Prefix][]int), want: make(map[netip.Prefix][]int)}
	f.timer = eng.NewTimer(f.installNext)
	return f
}

// Update requests that prefix forward to nexthops (empty: remove). The
// change takes effect after the install queue ahead of it drains.
func (f *FIB) Update(p netip.Prefix, nexthops []int) {
	nh := slices.Clone(nexthops)
	if _, queued := f.want[p]; !queued {
		f.queue = append(f.queue, p)
	}
	f.want[p] = nh
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

func (f *FIB) installNext() {
	if f.head < len(f.queue) {
		f.install()
	}
	if f.head < len(f.queue) {
		f.timer.ResetAfter(f.installDelay)
	}
}

func (f *FIB) install() {
	p := f.queue[f.head]
	f.head++
	if f.head == len(f.queue) {
		f.queue, f.head = f.queue[:0], 0
	}
	nh := f.want[p]
	delete(f.want, p)
	f.set(p, nh)
}

func (f *FIB) set(p netip.Prefix, nh []int) {
	old, had := f.table[p]
	if had && slices.Equal(old, nh) || !had && len(nh) == 0 {
		return
	}
	if len(nh) == 0 {
		delete(f.table, p)
		f.lens[p.Bits()]--
	} else {
		if !had {
			f.lens[p.Bits()]++
		}
		f.table[p] = nh
	}
	f.changes++
	if f.tracer != nil {
		hops := make([]string, len(nh))
		for i, h := range nh {
			hops[i] = f.names(h)
		}
		f.tracer.Trace(f.eng.Now(), "fib.change", f.router, sim.A("prefix", p.String()), sim.A("nexthops", hops))
	}
	if f.onChange != nil {
		f.onChange(p)
	}
}

// Flush empties the table and the install queue at once (the box is gone).
func (f *FIB) Flush() {
	f.timer.Stop()
	f.queue, f.head = f.queue[:0], 0
	clear(f.want)
	for _, p := range f.Prefixes() {
		f.set(p, nil)
	}
}

// Lookup returns the next hops of the longest matching prefix for addr.
// It costs one map lookup per distinct prefix length in the table.
func (f *FIB) Lookup(addr netip.Addr) ([]int, bool) {
	top := 32
	if addr.Is6() {
		top = 128
	}
	for l := top; l >= 0; l-- {
		if f.lens[l] == 0 {
			continue
		}
		p, _ := addr.Prefix(l)
		if nh, ok := f.table[p]; ok {
			return nh, true
		}
	}
	return nil, false
}

// Get returns the installed next hops of exactly p.
func (f *FIB) Get(p netip.Prefix) ([]int, bool) {
	nh, ok := f.table[p]
	return nh, ok
}

// Prefixes returns the installed prefixes, sorted.
func (f *FIB) Prefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(f.table))
	for p := range f.table {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	return out
}

// Pending returns how many prefixes wait to be programmed.
func (f *FIB) Pending() int { return len(f.queue) - f.head }

// Changes returns how many installed changes there have been.
func (f *FIB) Changes() uint64 { return f.changes }
