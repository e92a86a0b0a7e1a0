package bgp

import (
	"net/netip"
	"slices"
)

// attrs is one set of path attributes (a Route without its prefix),
// reference-counted. Interned sets (inTable) are unique per content: every
// Adj-RIB-Out entry and every export of every speaker of a simulation that
// carries the same attributes shares one (equal attributes ⇔ same pointer
// while referenced), and sets nobody uses any more leave the table. The
// table belongs to the simulation's prefix table (Prefixes), so a route
// reflected unchanged is one set however many speakers hold it. A route an
// import changed has a set of its own instead (ownSet), compared by content
// (sameAttrs).
//
// A set is 80 bytes: the attributes every route has (and ORIGINATOR_ID,
// which the decision process reads for every reflected path) inline, the
// rare ones (communities, CLUSTER_LIST) behind one pointer to a set
// interned for the whole simulation.
type attrs struct {
	ASPath       []uint32
	NextHop      string     // router name of the next hop
	next         *attrs     // hash chain
	rare         *rareAttrs // nil: no communities, no CLUSTER_LIST
	hash         uint32
	MED          uint32
	LocalPref    uint32
	OriginatorID uint32
	refs         int32
	Origin       Origin
	inTable      bool // interned: in the table (an import's own set is not: ownSet)
}

// rareAttrs are the attributes most routes do not carry, interned once per
// simulation (never freed: how many distinct ones there are is bounded by
// the fabric and its policies).
type rareAttrs struct {
	Communities []uint32
	ClusterList []uint32
	hash        uint64
	next        *rareAttrs
}

func (a *attrs) clusterList() []uint32 {
	if a.rare == nil {
		return nil
	}
	return a.rare.ClusterList
}

// attrTab interns attribute sets. Lookups only; nothing depends on the
// maps' iteration order.
//
// A set whose last reference goes stays in the table, unchanged, while it
// is among the last deadKeep sets to die: a session that drops and comes
// back brings the same attributes back, and they are found again instead
// of allocated again. Nothing ever modifies an interned set, so keeping or
// reviving one is invisible (UPDATEs in flight may still point at it).
type attrTab struct {
	// buckets chain the sets by hash (attrs.next), a power of two of them,
	// at most one set per bucket on average: 8 bytes a set, no key or
	// control bytes beside it (a simulation may hold millions of sets).
	buckets []*attrs
	n       int // sets in the table
	rare    map[uint64]*rareAttrs
	dead    [deadKeep]*attrs // ring of the sets that died last (refs may be > 0 again: revived)
	next    int
}

const deadKeep = 256

// get returns the interned set equal to r (ignoring r.Prefix), with one
// more reference.
func (t *attrTab) get(r *Route) *attrs {
	h := uint32(attrHash(r))
	if t.buckets != nil {
		for a := t.buckets[h&uint32(len(t.buckets)-1)]; a != nil; a = a.next {
			if a.hash == h && a.matches(r) {
				a.refs++ // from 0: revived
				return a
			}
		}
	}
	if t.n >= len(t.buckets) {
		t.grow()
	}
	a := &attrs{ASPath: r.ASPath, NextHop: r.NextHop, hash: h, MED: r.MED, LocalPref: r.LocalPref, OriginatorID: r.OriginatorID,
		Origin: r.Origin, refs: 1, rare: t.getRare(r), inTable: true}
	b := &t.buckets[h&uint32(len(t.buckets)-1)]
	a.next = *b
	*b = a
	t.n++
	return a
}

// grow doubles the buckets (64 at first) and relinks every set.
func (t *attrTab) grow() {
	old := t.buckets
	t.buckets = make([]*attrs, max(64, 2*len(old)))
	mask := uint32(len(t.buckets) - 1)
	for _, a := range old {
		for a != nil {
			next := a.next
			b := &t.buckets[a.hash&mask]
			a.next = *b
			*b = a
			a = next
		}
	}
}

// getRare returns the interned rare attributes of r (nil when it has none).
func (t *attrTab) getRare(r *Route) *rareAttrs {
	if len(r.Communities) == 0 && len(r.ClusterList) == 0 {
		return nil
	}
	if t.rare == nil {
		t.rare = make(map[uint64]*rareAttrs)
	}
	h := rareHash(r)
	for x := t.rare[h]; x != nil; x = x.next {
		if slices.Equal(x.Communities, r.Communities) && slices.Equal(x.ClusterList, r.ClusterList) {
			return x
		}
	}
	x := &rareAttrs{Communities: slices.Clone(r.Communities), ClusterList: slices.Clone(r.ClusterList), hash: h}
	x.next = t.rare[h]
	t.rare[h] = x
	return x
}

// ownSet returns a set of r's attributes that is not interned, with one
// reference: a route an import changed (eBGP's local preference, a tag
// added) mostly carries attributes no other path has — its next hop is the
// peer, its preference and tags the receiver's — so looking it up in the
// table would find nothing and cost a probe and a slot. "Equal attributes
// ⇔ same set" then holds for interned sets only; the decision compares an
// own set by content (sameAttrs). from is the set r was imported from: its
// rare attributes are r's when the import left them alone (no look-up).
func (t *attrTab) ownSet(r *Route, from *attrs) *attrs {
	rare := from.rare
	if !rare.holds(r) {
		rare = t.getRare(r)
	}
	return &attrs{ASPath: r.ASPath, NextHop: r.NextHop, MED: r.MED, LocalPref: r.LocalPref, OriginatorID: r.OriginatorID,
		Origin: r.Origin, refs: 1, rare: rare}
}

// holds reports whether x (nil: none) is r's rare attributes.
func (x *rareAttrs) holds(r *Route) bool {
	if x == nil {
		return len(r.Communities) == 0 && len(r.ClusterList) == 0
	}
	return slices.Equal(x.Communities, r.Communities) && slices.Equal(x.ClusterList, r.ClusterList)
}

// sameAttrs reports whether a and b carry the same attributes.
func sameAttrs(a, b *attrs) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	return a.Origin == b.Origin && a.MED == b.MED && a.LocalPref == b.LocalPref && a.OriginatorID == b.OriginatorID &&
		a.NextHop == b.NextHop && a.rare == b.rare && slices.Equal(a.ASPath, b.ASPath) // rare sets are interned: one per content
}

// ref adds a reference to a.
func (t *attrTab) ref(a *attrs) {
	if a != nil {
		a.refs++
	}
}

// put drops one reference to a (nil is allowed); after the last one it
// leaves the table once deadKeep more sets have died.
func (t *attrTab) put(a *attrs) {
	if a == nil {
		return
	}
	a.refs--
	if a.refs > 0 || !a.inTable {
		return // still used, or an own set: the collector's once unused
	}
	// Keep a among the recently dead; the oldest of them leaves the table
	// unless it was revived since.
	old := t.dead[t.next]
	t.dead[t.next] = a
	t.next = (t.next + 1) % deadKeep
	if old != nil && old.refs <= 0 && old != a {
		t.unlink(old)
	}
}

// unlink removes a from its hash chain (nothing when it is not there: a
// set dies and is kept once per death, so the ring may hold it twice).
func (t *attrTab) unlink(a *attrs) {
	if t.buckets == nil {
		return
	}
	for q := &t.buckets[a.hash&uint32(len(t.buckets)-1)]; *q != nil; q = &(*q).next {
		if *q == a {
			*q, a.next, a.inTable = a.next, nil, false
			t.n--
			return
		}
	}
}

// route returns a's attributes as a Route for prefix pfx (its slices are
// the set's: read-only).
func (a *attrs) route(pfx netip.Prefix) Route {
	r := Route{Prefix: pfx, ASPath: a.ASPath, Origin: a.Origin, MED: a.MED, LocalPref: a.LocalPref, OriginatorID: a.OriginatorID, NextHop: a.NextHop}
	if a.rare != nil {
		r.Communities, r.ClusterList = a.rare.Communities, a.rare.ClusterList
	}
	return r
}

// matches reports whether a carries exactly r's attributes (r.Prefix aside).
func (a *attrs) matches(r *Route) bool {
	if a.Origin != r.Origin || a.MED != r.MED || a.LocalPref != r.LocalPref || a.OriginatorID != r.OriginatorID || a.NextHop != r.NextHop ||
		!slices.Equal(a.ASPath, r.ASPath) {
		return false
	}
	return a.rare.holds(r)
}

func mix(h, x uint64) uint64 {
	h ^= x
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>31
}

func mixList(h uint64, l []uint32) uint64 {
	h = mix(h, uint64(len(l))|1<<40)
	for i := 0; i+1 < len(l); i += 2 {
		h = mix(h, uint64(l[i])<<32|uint64(l[i+1]))
	}
	if len(l)%2 == 1 {
		h = mix(h, uint64(l[len(l)-1]))
	}
	return h
}

// rareHash hashes r's rare attributes.
func rareHash(r *Route) uint64 {
	h := mixList(0x94D049BB133111EB, r.Communities)
	return mixList(h, r.ClusterList)
}

// attrHash hashes every attribute of r but the prefix (a 64-bit
// multiply-xorshift over the words; equality is checked on lookup).
func attrHash(r *Route) uint64 {
	h := mix(0x9E3779B97F4A7C15, uint64(r.Origin)<<32|uint64(r.OriginatorID))
	h = mix(h, uint64(r.MED)<<32|uint64(r.LocalPref))
	h = mixList(h, r.ASPath)
	if len(r.Communities) > 0 || len(r.ClusterList) > 0 {
		h = mixList(h, r.Communities)
		h = mixList(h, r.ClusterList)
	}
	for i := 0; i < len(r.NextHop); i += 8 {
		var x uint64
		for j := i; j < min(i+8, len(r.NextHop)); j++ {
			x = x<<8 | uint64(r.NextHop[j])
		}
		h = mix(h, x)
	}
	return h
}
