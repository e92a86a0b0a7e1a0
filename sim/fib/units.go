package fib

import (
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// Units is implemented by an IDs whose prefixes come in blocks that BGP
// simulates as one destination (bgp.Prefixes): the FIB then keeps one
// entry per unit — a block, or a prefix alone — numbered 0, 1, 2, ….
type Units interface {
	Unit(id int32) (u, first, n int32) // prefix id's unit, its first member's ID and its size
	UnitOf(u int32) (first, n int32)   // unit u's first member's ID and size
	NumUnits() int                     // how many units there are
	Bits(id int32) int                 // the length of prefix id
}

// A unit's members are requested together, in order, with one next-hop
// set (BGP tells them one by one, nothing in between: the open sequence),
// so a unit is mostly uniform: one installed set, one wanted set, one run
// in the queue. Anything else — a request while its run is being
// programmed, a request for one member (the stale sweep after a reboot),
// a flush — splits it into per-member state until its members agree again.
// Either way each member is programmed at its own instant, traced and told
// to the data plane exactly as a prefix alone would be.

// run is members lo…hi−1 of unit u, waiting to be programmed in order.
type run struct{ u, first, lo, hi int32 }

// splitUnit is a unit whose members differ: per member, the installed set
// and 1 + the set it waits for (0: not queued).
type splitUnit struct {
	first   int32
	inst    []int32
	want    []int32
	waiting int
}

// openSeq is a unit whose members are being requested in order: the first
// next ones so far, all with set.
type openSeq struct {
	active            bool
	u, first, n, next int32
	set               int32
}

// unitOf returns prefix id's unit, its first member and its size.
func (f *FIB) unitOf(id int32) (u, first, n int32) {
	if f.units == nil {
		return id, id, 1
	}
	return f.units.Unit(id)
}

func (f *FIB) growUnits(u int32) {
	if int(u) >= len(f.inst) {
		n := int(u) + 1
		if f.units != nil {
			n = max(n, f.units.NumUnits())
		}
		f.inst = append(f.inst, make([]int32, n-len(f.inst))...)
		f.want = append(f.want, make([]int32, n-len(f.want))...)
	}
}

// Update requests that prefix forward to nexthops (empty: remove). The
// change takes effect after the install queue ahead of it drains.
func (f *FIB) Update(p netip.Prefix, nexthops []int) { f.UpdateID(f.ids.ID(p), nexthops) }

// UpdateID is Update for the prefix with ID id in the FIB's prefix table.
func (f *FIB) UpdateID(id int32, nexthops []int) {
	f.catchUp()
	set := f.intern(nexthops)
	u, first, n := f.unitOf(id)
	f.growUnits(u)
	if o := &f.open; o.active {
		if o.u == u && id == o.first+o.next && set == o.set {
			if o.next++; o.next == o.n {
				f.commitOpen()
			}
			return
		}
		f.closeOpen()
	}
	switch sp := f.split[u]; {
	case sp != nil:
		f.requestMember(u, sp, id-first, set)
	case n == 1:
		if f.want[u] == 0 {
			f.queue = append(f.queue, run{u, first, 0, 1})
		}
		f.want[u] = set + 1
	case id != first || f.inProgress(u):
		sp := f.splitUnit(u, first, n)
		f.requestMember(u, sp, id-first, set)
	default:
		f.open = openSeq{active: true, u: u, first: first, n: n, next: 1, set: set}
		if f.want[u] == 0 && !f.armed() {
			// the first member would join an empty queue now: the timer
			// is armed now, as it would be for it (installNext closes the
			// sequence if it is still open then)
			f.armAfter()
		}
		return
	}
	f.kick()
}

// UpdateBlock is UpdateID for the n prefixes from first, in order: a
// block's change told in one call (bgp.BlockListener).
func (f *FIB) UpdateBlock(first, n int32, nexthops []int) {
	f.catchUp()
	if f.units != nil {
		u, uf, un := f.units.Unit(first)
		if uf == first && un == n {
			f.growUnits(u)
			f.closeOpen()
			if f.split[u] == nil && !f.inProgress(u) {
				set := f.intern(nexthops)
				if f.want[u] == 0 {
					f.queue = append(f.queue, run{u, first, 0, n})
				}
				f.want[u] = set + 1
				f.kick()
				return
			}
		}
	}
	for id := first; id < first+n; id++ {
		f.UpdateID(id, nexthops)
	}
}

// commitOpen applies a complete request of a uniform unit.
func (f *FIB) commitOpen() {
	o := f.open
	f.open.active = false
	if f.want[o.u] == 0 {
		f.queue = append(f.queue, run{o.u, o.first, 0, o.n})
	}
	f.want[o.u] = o.set + 1
	f.kick()
}

// closeOpen applies the members requested so far of an open sequence that
// another call interrupts (or that is read before it completes).
func (f *FIB) closeOpen() {
	if !f.open.active {
		return
	}
	o := f.open
	f.open.active = false
	sp := f.splitUnit(o.u, o.first, o.n)
	for k := int32(0); k < o.next; k++ {
		f.requestMember(o.u, sp, k, o.set)
	}
	// no kick: the timer was armed when the sequence opened, if the
	// first member needed it
}

// kick programs everything at once (no delay) or arms the timer.
func (f *FIB) kick() {
	if f.installDelay <= 0 {
		for f.head < len(f.queue) {
			f.installOne()
		}
		return
	}
	if f.head < len(f.queue) && !f.armed() {
		f.armAfter()
	}
}

// inProgress reports whether uniform unit u's run is being programmed.
func (f *FIB) inProgress(u int32) bool {
	return f.cur > 0 && f.head < len(f.queue) && f.queue[f.head].u == u
}

// splitUnit gives unit u per-member state (from its uniform state).
func (f *FIB) splitUnit(u, first, n int32) *splitUnit {
	if sp := f.split[u]; sp != nil {
		return sp
	}
	sp := &splitUnit{first: first, inst: make([]int32, n), want: make([]int32, n)}
	done := int32(0)
	if f.inProgress(u) {
		done = f.queue[f.head].lo + f.cur // a uniform unit's run starts at member 0
	}
	for k := range n {
		sp.inst[k], sp.want[k] = f.inst[u], f.want[u]
		if k < done {
			sp.inst[k], sp.want[k] = f.want[u]-1, 0
		}
		if sp.want[k] != 0 {
			sp.waiting++
		}
	}
	f.inst[u], f.want[u] = 0, 0
	if f.split == nil {
		f.split = map[int32]*splitUnit{}
	}
	f.split[u] = sp
	return sp
}

// requestMember requests member k of split unit u.
func (f *FIB) requestMember(u int32, sp *splitUnit, k, set int32) {
	if sp.want[k] == 0 {
		if t := len(f.queue) - 1; t >= f.head && f.queue[t].u == u && f.queue[t].hi == k {
			f.queue[t].hi++
		} else {
			f.queue = append(f.queue, run{u, sp.first, k, k + 1})
		}
		sp.waiting++
	}
	sp.want[k] = set + 1
}

func (f *FIB) installNext() {
	if f.open.active {
		f.closeOpen()
	}
	if f.head < len(f.queue) {
		f.installOne()
	}
	if f.head < len(f.queue) {
		f.timer.ResetAfter(f.installDelay)
	}
}

// armed reports whether the install timer runs (lazy: the chain of
// install instants goes on).
func (f *FIB) armed() bool {
	if f.lazy {
		return f.chained
	}
	return f.timer.Armed()
}

// armAfter arms the install timer InstallDelay from now.
func (f *FIB) armAfter() {
	if f.lazy {
		f.chained, f.next = true, f.eng.Now()+f.installDelay
		return
	}
	f.timer.ResetAfter(f.installDelay)
}

// disarm stops the install timer.
func (f *FIB) disarm() {
	f.chained = false
	f.timer.Stop()
}

// SetLazy says whether anything looks at members as they are programmed:
// on when nothing does — the tracer only counts FIB changes (SetCountOnly)
// and no demand can see them (the warm-up). A lazy FIB then keeps no
// timer: it programs, when it is next called, every member whose install
// instant has come, as the timer would have, by arithmetic over uniform
// runs. An install comes first within its instant (the timer is
// FirstInInstant), so a call at an install instant finds that member
// programmed either way.
func (f *FIB) SetLazy(on bool) {
	if on == f.lazy || f.installDelay <= 0 {
		return
	}
	if on {
		if f.timer.Armed() {
			f.chained, f.next = true, f.timer.When()
			f.timer.Stop()
		}
		f.lazy = true
		return
	}
	f.catchUp()
	f.lazy = false
	if f.chained {
		f.chained = false
		_ = f.timer.Reset(f.next) // after now: catchUp programmed everything due
	}
}

// catchUp does, in a lazy FIB, what the install timer would have done up
// to now (instants at or before now: an install comes first in its
// instant): one member at each instant, InstallDelay apart, while the
// queue holds any — a uniform run's members in one step.
func (f *FIB) catchUp() {
	if !f.lazy || !f.chained || f.next > f.eng.Now() {
		return
	}
	now := f.eng.Now()
	for f.chained && f.next <= now {
		if f.open.active {
			f.closeOpen()
		}
		if f.head == len(f.queue) {
			f.chained = false
			return
		}
		r := f.queue[f.head]
		k := int32(1)
		if f.split[r.u] == nil {
			k = min(r.hi-r.lo-f.cur, int32((now-f.next)/f.installDelay)+1)
			f.installUniform(r, k)
		} else {
			f.installOne()
		}
		f.next += sim.Time(k) * f.installDelay
		if f.head == len(f.queue) {
			f.chained = false
		}
	}
}

// installUniform programs the next k members of the head run, of a uniform
// unit, with nothing looking (lazy): counted, not traced or told.
func (f *FIB) installUniform(r run, k int32) {
	set, old := f.want[r.u]-1, f.inst[r.u]
	if old != set {
		if set == 0 || old == 0 {
			d := 1
			if set == 0 {
				d = -1
			}
			for id := r.first + r.lo + f.cur; id < r.first+r.lo+f.cur+k; id++ {
				f.lens[f.bits(id)] += d
			}
			f.n += d * int(k)
		}
		f.changes += uint64(k)
	}
	f.cur += k
	if r.lo+f.cur == r.hi {
		f.head++
		f.cur = 0
		if f.head == len(f.queue) {
			f.queue, f.head = f.queue[:0], 0
		}
		f.inst[r.u], f.want[r.u] = set, 0
	}
}

// installOne programs the next member of the head run.
func (f *FIB) installOne() {
	r := f.queue[f.head]
	k := r.lo + f.cur
	f.cur++
	done := r.lo+f.cur == r.hi
	if done {
		f.head++
		f.cur = 0
		if f.head == len(f.queue) {
			f.queue, f.head = f.queue[:0], 0
		}
	}
	if sp := f.split[r.u]; sp != nil {
		set := sp.want[k] - 1
		old := sp.inst[k]
		sp.want[k], sp.inst[k] = 0, set
		sp.waiting--
		if sp.waiting == 0 {
			f.rejoin(r.u, sp)
		}
		f.apply(r.first+k, old, set)
		return
	}
	set, old := f.want[r.u]-1, f.inst[r.u]
	if done {
		f.inst[r.u], f.want[r.u] = set, 0
	}
	f.apply(r.first+k, old, set)
}

// rejoin makes split unit u uniform again when its members agree.
func (f *FIB) rejoin(u int32, sp *splitUnit) {
	for _, x := range sp.inst {
		if x != sp.inst[0] {
			return
		}
	}
	f.inst[u], f.want[u] = sp.inst[0], 0
	delete(f.split, u)
}

// apply records that prefix id changed from set old to set.
func (f *FIB) apply(id, old, set int32) {
	if old == set {
		return
	}
	if set == 0 || old == 0 {
		bits := f.bits(id)
		if set == 0 {
			f.n--
			f.lens[bits]--
		} else {
			f.n++
			f.lens[bits]++
		}
	}
	f.changes++
	if f.lazy {
		return // nothing looks (SetLazy)
	}
	f.change(f.ids, id, set, &f.nhSets)
	if f.onChange != nil && (f.watch == nil || f.watch(id)) {
		f.onChange(f.ids.Prefix(id))
	}
}

// bits returns the length of prefix id.
func (f *FIB) bits(id int32) int {
	if f.units != nil {
		return f.units.Bits(id)
	}
	return f.ids.Prefix(id).Bits()
}

// SetWatch limits onChange to the prefixes watch reports (nil: all): a
// change the data plane cannot see (no demand goes there) is not told.
func (f *FIB) SetWatch(watch func(id int32) bool) { f.watch = watch }

// installed returns the set installed for prefix id (0: none).
func (f *FIB) installed(id int32) int32 {
	u, first, _ := f.unitOf(id)
	if int(u) >= len(f.inst) {
		return 0
	}
	if sp := f.split[u]; sp != nil {
		return sp.inst[id-first]
	}
	if f.inProgress(u) && id-first < f.queue[f.head].lo+f.cur {
		return f.want[u] - 1
	}
	return f.inst[u]
}

// Flush empties the table and the install queue at once (the box is gone).
func (f *FIB) Flush() {
	f.catchUp()
	f.closeOpen()
	f.disarm()
	if f.head < len(f.queue) {
		if r := f.queue[f.head]; f.split[r.u] == nil && f.cur > 0 {
			f.splitUnit(r.u, r.first, f.size(r))
		}
	}
	for _, r := range f.queue[f.head:] {
		if sp := f.split[r.u]; sp != nil {
			clear(sp.want)
			sp.waiting = 0
		} else {
			f.want[r.u] = 0
		}
	}
	f.queue, f.head, f.cur = f.queue[:0], 0, 0
	for _, id := range f.sortedIDs() {
		u, first, n := f.unitOf(id)
		old := f.installed(id)
		if sp := f.split[u]; sp != nil {
			sp.inst[id-first] = 0
		} else if n == 1 {
			f.inst[u] = 0
		} else {
			f.splitUnit(u, first, n).inst[id-first] = 0
		}
		f.apply(id, old, 0)
	}
	for u, sp := range f.split { // every member is 0 now
		f.rejoin(u, sp)
	}
}

// size returns the size of r's unit.
func (f *FIB) size(r run) int32 {
	_, _, n := f.unitOf(r.first)
	return n
}

// Lookup returns the next hops of the longest matching prefix for addr.
// It costs one prefix-table lookup per distinct prefix length in the
// table. The slice is shared: do not modify it.
func (f *FIB) Lookup(addr netip.Addr) ([]int, bool) {
	f.catchUp()
	return longestMatch(&f.lens, addr, f.Get)
}

// Get returns the installed next hops of exactly p (shared: do not modify).
func (f *FIB) Get(p netip.Prefix) ([]int, bool) {
	f.catchUp()
	f.closeOpen()
	id, ok := f.ids.Lookup(p)
	if !ok {
		return nil, false
	}
	if s := f.installed(id); s != 0 {
		return f.sets[s], true
	}
	return nil, false
}

// sortedIDs returns the IDs of the installed prefixes, sorted by prefix.
func (f *FIB) sortedIDs() []int32 {
	out := make([]int32, 0, f.n)
	for u := range int32(len(f.inst)) {
		first, n := u, int32(1)
		if f.units != nil {
			first, n = f.units.UnitOf(u)
		}
		for id := first; id < first+n; id++ {
			if f.installed(id) != 0 {
				out = append(out, id)
			}
		}
	}
	slices.SortFunc(out, func(a, b int32) int { return comparePrefix(f.ids.Prefix(a), f.ids.Prefix(b)) })
	return out
}

// Prefixes returns the installed prefixes, sorted.
func (f *FIB) Prefixes() []netip.Prefix {
	f.catchUp()
	f.closeOpen()
	ids := f.sortedIDs()
	out := make([]netip.Prefix, len(ids))
	for i, id := range ids {
		out[i] = f.ids.Prefix(id)
	}
	return out
}

// Pending returns how many prefixes wait to be programmed.
func (f *FIB) Pending() int {
	f.catchUp()
	f.closeOpen()
	n := -int(f.cur)
	for _, r := range f.queue[f.head:] {
		n += int(r.hi - r.lo)
	}
	return n
}
