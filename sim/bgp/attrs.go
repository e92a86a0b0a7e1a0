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
// import changed is the set received plus the import's changes
// (pathAttrs), or rarely a set of its own (ownSet); paths are compared by
// content (pathAttrs.same).
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

func (p pathAttrs) clusterList() []uint32 {
	if r := p.rare(); r != nil {
		return r.ClusterList
	}
	return nil
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
	imps    map[importChanges]*importChanges // interned import changes (getChanges)

	// Scratch lists for a route on its way into the table (an export's
	// AS path with my ASN prepended, a reflected route's CLUSTER_LIST, a
	// rule's communities): built here instead of allocated, and copied
	// only by a set that keeps them (get, ownSet: a new set's AS path;
	// getRare: always). Valid until the next route.
	pathBuf, clusterBuf, commBuf []uint32
}

// prepend returns n copies of asn followed by tail, in buf (tail must not
// be in buf).
func prepend(buf *[]uint32, asn uint32, n int, tail []uint32) []uint32 {
	b := (*buf)[:0]
	for range n {
		b = append(b, asn)
	}
	b = append(b, tail...)
	*buf = b
	return b
}

// kept returns the AS path a set may keep: a copy when it is the scratch.
func (t *attrTab) kept(path []uint32) []uint32 {
	if len(path) > 0 && cap(t.pathBuf) > 0 && &path[0] == &t.pathBuf[:1][0] {
		return slices.Clone(path)
	}
	return path
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
	a := &attrs{ASPath: t.kept(r.ASPath), NextHop: r.NextHop, hash: h, MED: r.MED, LocalPref: r.LocalPref, OriginatorID: r.OriginatorID,
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
// reference: for a route an import changed beyond what pathAttrs can
// overlay (its AS path: an import rule's prepend). Nobody else carries
// those attributes, so looking them up in the table would find nothing and
// cost a probe and a slot. from is the set r was imported from: its rare
// attributes are r's when the import left them alone (no look-up).
func (t *attrTab) ownSet(r *Route, from *attrs) *attrs {
	rare := from.rare
	if !rare.holds(r) {
		rare = t.getRare(r)
	}
	return &attrs{ASPath: t.kept(r.ASPath), NextHop: r.NextHop, MED: r.MED, LocalPref: r.LocalPref, OriginatorID: r.OriginatorID,
		Origin: r.Origin, refs: 1, rare: rare}
}

// importChanges is what an import changed in the set it received: LOCAL_PREF,
// MED, ORIGINATOR_ID and the rare attributes (communities, CLUSTER_LIST).
// A route imported over eBGP carries attributes no other path has — its
// preference and tags are the receiver's — but shares its AS path, next
// hop and origin with the set the peer sent, which every receiver of that
// UPDATE holds. A path is that set plus these changes (pathAttrs), so such
// an import allocates no set. Interned once per simulation, never freed:
// how many distinct ones there are is bounded by the fabric's policies
// (preferences, MEDs and tags) as for rareAttrs.
type importChanges struct {
	LocalPref, MED, OriginatorID uint32
	rare                         *rareAttrs
}

// getChanges returns the interned changes that make r of a set carrying
// r's AS path, next hop and origin. *last is the caller's memory of the
// last one it got (a peer's imports mostly get the same changes).
func (t *attrTab) getChanges(r *Route, from *attrs, last **importChanges) *importChanges {
	k := importChanges{LocalPref: r.LocalPref, MED: r.MED, OriginatorID: r.OriginatorID, rare: from.rare}
	if !k.rare.holds(r) {
		k.rare = t.getRare(r)
	}
	if *last != nil && **last == k {
		return *last
	}
	x, ok := t.imps[k]
	if !ok {
		if t.imps == nil {
			t.imps = make(map[importChanges]*importChanges)
		}
		x = new(importChanges)
		*x = k
		t.imps[k] = x
	}
	*last = x
	return x
}

// pathAttrs is the attributes of a path or of a best path: a set (interned,
// or an import's own set), overlaid with an import's changes when x is not
// nil. Its attributes are read through its methods.
type pathAttrs struct {
	a *attrs
	x *importChanges
}

func (p pathAttrs) localPref() uint32 {
	if p.x != nil {
		return p.x.LocalPref
	}
	return p.a.LocalPref
}

func (p pathAttrs) med() uint32 {
	if p.x != nil {
		return p.x.MED
	}
	return p.a.MED
}

func (p pathAttrs) originatorID() uint32 {
	if p.x != nil {
		return p.x.OriginatorID
	}
	return p.a.OriginatorID
}

func (p pathAttrs) rare() *rareAttrs {
	if p.x != nil {
		return p.x.rare
	}
	return p.a.rare
}

// route returns p's attributes as a Route for prefix pfx (its slices are
// the sets': read-only).
func (p pathAttrs) route(pfx netip.Prefix) Route {
	r := p.a.route(pfx)
	if x := p.x; x != nil {
		r.LocalPref, r.MED, r.OriginatorID = x.LocalPref, x.MED, x.OriginatorID
		r.Communities, r.ClusterList = nil, nil
		if x.rare != nil {
			r.Communities, r.ClusterList = x.rare.Communities, x.rare.ClusterList
		}
	}
	return r
}

// same reports whether p and q carry the same attributes, whichever way
// each holds them.
func (p pathAttrs) same(q pathAttrs) bool {
	if p == q {
		return true
	}
	if p.a == nil || q.a == nil {
		return false
	}
	a, b := p.a, q.a
	return a.Origin == b.Origin && p.med() == q.med() && p.localPref() == q.localPref() && p.originatorID() == q.originatorID() &&
		a.NextHop == b.NextHop && p.rare() == q.rare() && slices.Equal(a.ASPath, b.ASPath) // rare sets are interned: one per content
}

// holds reports whether x (nil: none) is r's rare attributes.
func (x *rareAttrs) holds(r *Route) bool {
	if x == nil {
		return len(r.Communities) == 0 && len(r.ClusterList) == 0
	}
	return slices.Equal(x.Communities, r.Communities) && slices.Equal(x.ClusterList, r.ClusterList)
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
