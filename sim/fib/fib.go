// Package fib models a router's forwarding table: what the data plane uses,
// derived from the BGP Loc-RIB with a per-prefix install delay.
//
// Changes are programmed one prefix at a time, in the order they were
// requested, InstallDelay apart (a hardware FIB programs a few thousand
// prefixes per second), so a large table converges visibly slower than a
// small one. A prefix changed again while it waits is programmed once, with
// its latest value.
//
// Memory: prefixes are dense IDs from a table shared by the whole
// simulation (IDs; the BGP prefix table), and next-hop sets are interned per
// FIB. A block of prefixes that BGP simulates as one destination (Units,
// bgp.Prefixes.Block) is one entry of two int32 however many prefixes it
// holds, and one range in the install queue; its members are still
// programmed, traced and told to the data plane one by one, InstallDelay
// apart (units.go).
//
// A member is programmed first within its instant: whatever arrives at that
// instant (a new request, a lookup) finds it programmed. When nothing looks
// at members as they are programmed (the warm-up: no trace records, no
// demand), a FIB is lazy (SetLazy): it keeps no timer and, when next
// called, programs by arithmetic every member whose instant has come.
package fib

import (
	"net/netip"

	"github.com/netdrill/netdrill/sim"
)

// IDs gives prefixes dense IDs (0, 1, 2, …) shared by every FIB of a
// simulation. bgp.Prefixes implements it.
type IDs interface {
	ID(p netip.Prefix) int32             // p's ID, assigned if new
	Lookup(p netip.Prefix) (int32, bool) // p's ID if it has one
	Prefix(id int32) netip.Prefix        // the prefix of an ID
	Boxed(id int32) any                  // Prefix(id).String() as a trace value (boxed once)
}

// FIB is one router's forwarding table.
type FIB struct {
	trail
	nhSets
	installDelay sim.Time
	onChange     func(p netip.Prefix)
	watch        func(id int32) bool // which changes onChange hears of (nil: all)
	ids          IDs

	units Units // nil: every prefix is a unit of its own, numbered by its ID

	// By unit number (units.go): the set installed on every member, and 1 +
	// the set every member waits for (0: not queued). A unit whose members
	// differ is in split instead.
	inst  []int32
	want  []int32
	split map[int32]*splitUnit
	open  openSeq // a unit's members being requested one by one

	n       int      // installed prefixes
	lens    [129]int // how many installed prefixes have each length (for LPM)
	queue   []run    // member ranges in request order
	head    int
	cur     int32 // members of queue[head] programmed so far
	timer   *sim.Timer
	changes uint64

	// lazy (SetLazy): no timer; chained says the install timer would be
	// armed, for next.
	lazy    bool
	chained bool
	next    sim.Time
}

// New returns an empty FIB. names turns a next hop into the string written
// in the trace (it must always give the same name for a next hop);
// onChange is called after each installed change. ids is the simulation's
// prefix table (nil: the FIB keeps its own).
func New(eng *sim.Engine, router string, installDelay sim.Time, tracer sim.Tracer, names func(int) string, onChange func(netip.Prefix), ids IDs) *FIB {
	if ids == nil {
		ids = &ownIDs{m: make(map[netip.Prefix]int32)}
	}
	f := &FIB{trail: trail{eng: eng, router: router, tracer: tracer, names: names}, nhSets: newNHSets(),
		installDelay: installDelay, onChange: onChange, ids: ids}
	if u, ok := ids.(Units); ok && installDelay > 0 {
		// With no delay every request is programmed at once, inside the
		// call: member by member, as BGP tells them (no ranges to keep).
		f.units = u
	}
	// programming completes at its instant: whatever arrives then finds
	// the member programmed (what a lazy FIB computes, SetLazy)
	f.timer = eng.NewFIFOTimer(f.installNext).FirstInInstant()
	return f
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// Changes returns how many installed changes there have been.
func (f *FIB) Changes() uint64 {
	f.catchUp()
	return f.changes
}

// ownIDs is the prefix table of a FIB given none.
type ownIDs struct {
	m    map[netip.Prefix]int32
	list []netip.Prefix
	strs []any
}

func (t *ownIDs) ID(p netip.Prefix) int32 {
	if id, ok := t.m[p]; ok {
		return id
	}
	id := int32(len(t.list))
	t.m[p] = id
	t.list = append(t.list, p)
	t.strs = append(t.strs, p.String())
	return id
}

func (t *ownIDs) Lookup(p netip.Prefix) (int32, bool) { id, ok := t.m[p]; return id, ok }
func (t *ownIDs) Prefix(id int32) netip.Prefix        { return t.list[id] }
func (t *ownIDs) Boxed(id int32) any                  { return t.strs[id] }
