package bgp

import (
	"net/netip"
	"slices"
)

// attrs is one interned set of path attributes: a Route with no Prefix.
// Every path, best path and Adj-RIB-Out entry of a speaker that carries the
// same attributes shares one *attrs (so equal attributes ⇔ same pointer
// while referenced), counted so that sets nobody uses any more leave the
// table.
type attrs struct {
	Route // Prefix is always the zero value
	refs  int32
	hash  uint64
	next  *attrs // hash chain
	// wire is the AS path with my ASN prepended, as sent over eBGP:
	// built on first use, shared by every prefix and peer it goes to.
	wire []uint32
}

// attrTab interns attribute sets. Lookups only; nothing depends on the
// map's iteration order.
//
// A set whose last reference goes stays in the table, unchanged, while it
// is among the last deadKeep sets to die: a session that drops and comes
// back brings the same attributes back, and they are found again instead
// of allocated again. Nothing ever modifies an interned set, so keeping or
// reviving one is invisible (UPDATEs in flight may still point at it).
type attrTab struct {
	m    map[uint64]*attrs
	dead [deadKeep]*attrs // ring of the sets that died last (refs may be > 0 again: revived)
	next int
}

const deadKeep = 64

// get returns the interned set equal to r (ignoring r.Prefix), with one
// more reference.
func (t *attrTab) get(r *Route) *attrs {
	if t.m == nil {
		t.m = make(map[uint64]*attrs)
	}
	h := attrHash(r)
	for a := t.m[h]; a != nil; a = a.next {
		if attrsEqual(&a.Route, r) {
			a.refs++ // from 0: revived
			return a
		}
	}
	a := &attrs{Route: *r, refs: 1, hash: h}
	a.Prefix = netip.Prefix{}
	a.next = t.m[h]
	t.m[h] = a
	return a
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
	if a.refs > 0 {
		return
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
	head := t.m[a.hash]
	if head == a {
		if a.next == nil {
			delete(t.m, a.hash)
		} else {
			t.m[a.hash] = a.next
		}
		return
	}
	for q := head; q != nil; q = q.next {
		if q.next == a {
			q.next = a.next
			return
		}
	}
}

// reset empties the table (every reference is gone at once: a crash).
func (t *attrTab) reset() { *t = attrTab{} }

// route returns a's attributes as a Route for prefix pfx.
func (a *attrs) route(pfx netip.Prefix) Route {
	r := a.Route
	r.Prefix = pfx
	return r
}

func attrsEqual(a, b *Route) bool {
	return a.Origin == b.Origin && a.MED == b.MED && a.LocalPref == b.LocalPref &&
		a.OriginatorID == b.OriginatorID && a.NextHop == b.NextHop && slices.Equal(a.ASPath, b.ASPath) &&
		slices.Equal(a.Communities, b.Communities) && slices.Equal(a.ClusterList, b.ClusterList)
}

// attrHash hashes every attribute of r but the prefix (a 64-bit
// multiply-xorshift over the words; equality is checked on lookup).
func attrHash(r *Route) uint64 {
	h := uint64(0x9E3779B97F4A7C15)
	mix := func(x uint64) {
		h ^= x
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 31
	}
	mix(uint64(r.Origin)<<32 | uint64(r.OriginatorID))
	mix(uint64(r.MED)<<32 | uint64(r.LocalPref))
	for _, l := range [][]uint32{r.ASPath, r.Communities, r.ClusterList} {
		mix(uint64(len(l)) | 1<<40)
		for i := 0; i+1 < len(l); i += 2 {
			mix(uint64(l[i])<<32 | uint64(l[i+1]))
		}
		if len(l)%2 == 1 {
			mix(uint64(l[len(l)-1]))
		}
	}
	for i := 0; i < len(r.NextHop); i += 8 {
		var x uint64
		for j := i; j < min(i+8, len(r.NextHop)); j++ {
			x = x<<8 | uint64(r.NextHop[j])
		}
		mix(x)
	}
	return h
}
