package bgp

import (
	"fmt"
	"net/netip"
)

// Prefixes gives every prefix of one simulation a dense ID, shared by all
// its speakers (Config.Prefixes): a speaker finds its entry for a prefix by
// indexing a slice with the ID instead of hashing the prefix, and UPDATEs
// between speakers that share the table carry the IDs along. It is not
// safe for concurrent use: one table per engine.
type Prefixes struct {
	v4   map[uint64]int32 // IPv4: address << 8 | bits
	v6   map[netip.Prefix]int32
	list []netip.Prefix
	bits []uint8 // list[i].Bits(): a FIB counts lengths without loading the prefix
	strs []any   // list[i].String() boxed (a trace value), built on first use
	// attrs interns the path attribute sets of every speaker sharing the
	// table: one simulation, one set per distinct set of attributes.
	attrs attrTab
	// blk describes prefix blocks (Block) by ID: n ≥ 1 for the first of a
	// block of n (1: a prefix alone), −k for the k-th member after the
	// first. Nil, or shorter than list: every later prefix is alone.
	blk    []int32
	extra  int     // prefixes that are not the first of their block
	num    []int32 // by ID: the destination number (dest); nil while there is no block
	firsts []int32 // by destination number, up to the last block: its first prefix's ID
}

// NewPrefixes returns an empty table.
func NewPrefixes() *Prefixes {
	return &Prefixes{v4: make(map[uint64]int32), v6: make(map[netip.Prefix]int32)}
}

func v4key(p netip.Prefix) (uint64, bool) {
	if !p.Addr().Is4() {
		return 0, false
	}
	a := p.Addr().As4()
	return uint64(a[0])<<32 | uint64(a[1])<<24 | uint64(a[2])<<16 | uint64(a[3])<<8 | uint64(p.Bits()), true
}

// ID returns p's ID, assigning the next one if p is new.
func (t *Prefixes) ID(p netip.Prefix) int32 {
	if id, ok := t.Lookup(p); ok {
		return id
	}
	id := int32(len(t.list))
	t.list = append(t.list, p)
	t.bits = append(t.bits, uint8(p.Bits()))
	if k, ok := v4key(p); ok {
		t.v4[k] = id
	} else {
		t.v6[p] = id
	}
	return id
}

// Lookup returns p's ID if it has one.
func (t *Prefixes) Lookup(p netip.Prefix) (int32, bool) {
	var (
		id int32
		ok bool
	)
	if k, is4 := v4key(p); is4 {
		id, ok = t.v4[k]
	} else {
		id, ok = t.v6[p]
	}
	return id, ok
}

// Unit returns prefix id's destination number, the ID of its block's
// first prefix and the block's size (fib.Units: a FIB keeps one entry per
// destination).
func (t *Prefixes) Unit(id int32) (u, first, n int32) {
	first = t.first(id)
	return t.dest(first), first, t.size(first)
}

// UnitOf returns destination u's first prefix ID and its size.
func (t *Prefixes) UnitOf(u int32) (first, n int32) {
	first = u + int32(t.extra) // a prefix alone after the last block
	if int(u) < len(t.firsts) {
		first = t.firsts[u]
	}
	return first, t.size(first)
}

// Bits returns the length of prefix id (fib.Units).
func (t *Prefixes) Bits(id int32) int { return int(t.bits[id]) }

// NumUnits returns how many destinations there are (fib.Units).
func (t *Prefixes) NumUnits() int { return t.dests() }

// dests returns how many destinations a speaker may hold: prefixes alone
// and blocks.
func (t *Prefixes) dests() int { return len(t.list) - t.extra }

// dest returns the destination number of prefix id (dense, 0 to dests()−1:
// one per prefix alone and one per block; the ID itself while there is no
// block). Speakers index their tables by it.
func (t *Prefixes) dest(id int32) int32 {
	if t.num == nil {
		return id
	}
	if int(id) < len(t.num) {
		return t.num[id]
	}
	return id - int32(t.extra) // given an ID after the last block: alone
}

// Len returns how many prefixes have an ID.
func (t *Prefixes) Len() int { return len(t.list) }

// Prefix returns the prefix of ID id.
func (t *Prefixes) Prefix(id int32) netip.Prefix { return t.list[id] }

// String returns the text of prefix id, computed once: the trace writes it
// at every best-path and FIB change.
func (t *Prefixes) String(id int32) string { return t.boxed(id).(string) }

// Boxed is String as a trace value (sim.Attr.Value): boxed once too.
func (t *Prefixes) Boxed(id int32) any { return t.boxed(id) }

func (t *Prefixes) boxed(id int32) any {
	if int(id) >= len(t.strs) {
		t.strs = append(t.strs, make([]any, len(t.list)-len(t.strs))...)
	}
	if t.strs[id] == nil {
		t.strs[id] = t.list[id].String()
	}
	return t.strs[id]
}

// Block gives ps (at least two prefixes, none with an ID yet, no duplicate)
// consecutive IDs as one block and returns the first. A block is simulated
// as one destination by every speaker sharing the table: the caller
// guarantees that nothing tells its members apart — they are originated
// together by the same speakers with the same attributes, no policy
// matches some of them and not the others, no fault targets one of them.
// Every per-prefix outcome (trace records, Listener calls, UPDATE sizes,
// processing delays, max-prefix counts) is the block's, once per member,
// in order, so a run is the same as with the prefixes simulated one by one.
func (t *Prefixes) Block(ps []netip.Prefix) int32 {
	first := int32(len(t.list))
	for _, p := range ps {
		if _, ok := t.Lookup(p); ok {
			panic(fmt.Sprintf("bgp: Prefixes.Block: %s already has an ID", p))
		}
		t.ID(p)
	}
	if len(ps) < 2 {
		return first
	}
	t.blk = growTo(t.blk, len(t.list))
	if t.num == nil {
		t.num = make([]int32, first, len(t.list))
		for i := range t.num {
			t.num[i] = int32(i)
		}
	}
	for int32(len(t.num)) < first { // prefixes alone since the last block
		t.num = append(t.num, int32(len(t.num)-t.extra))
	}
	u := first - int32(t.extra)
	for range ps {
		t.num = append(t.num, u)
	}
	for int32(len(t.firsts)) < u { // prefixes alone since the last block
		t.firsts = append(t.firsts, int32(len(t.firsts)+t.extra))
	}
	t.firsts = append(t.firsts, first)
	t.extra += len(ps) - 1
	t.blk[first] = int32(len(ps))
	for k := 1; k < len(ps); k++ {
		t.blk[int(first)+k] = -int32(k)
	}
	return first
}

// Blocks returns how many blocks of two prefixes or more there are and how
// many prefixes they hold.
func (t *Prefixes) Blocks() (blocks, prefixes int) {
	for _, n := range t.blk {
		if n > 1 {
			blocks++
			prefixes += int(n)
		}
	}
	return blocks, prefixes
}

// size returns how many prefixes the destination whose ID is id stands for.
func (t *Prefixes) size(id int32) int32 {
	if int(id) >= len(t.blk) {
		return 1
	}
	return max(t.blk[id], 1)
}

// first returns the ID of the first prefix of id's block (id when alone).
func (t *Prefixes) first(id int32) int32 {
	if int(id) < len(t.blk) && t.blk[id] < 0 {
		return id + t.blk[id]
	}
	return id
}

// count returns how many prefixes the destinations ids stand for.
func (t *Prefixes) count(ids []int32) int {
	if t == nil || t.blk == nil {
		return len(ids)
	}
	n := 0
	for _, id := range ids {
		n += int(t.size(id))
	}
	return n
}
