package bgp

import "testing"

// TestAttrTabRevives: a set whose last reference went is found again, the
// same one, while it is among the last deadKeep to die; after that, an
// equal route interns a new set.
func TestAttrTabRevives(t *testing.T) {
	var tab attrTab
	r := Route{ASPath: []uint32{65001, 65002}, LocalPref: 100, NextHop: "r1"}
	a := tab.get(&r)
	tab.put(a)
	if b := tab.get(&r); b != a || b.refs != 1 {
		t.Fatalf("revived: got %p refs %d, want %p refs 1", b, b.refs, a)
	}
	tab.put(a)
	// deadKeep other sets die after a: a leaves the table.
	for i := range deadKeep {
		o := Route{ASPath: []uint32{uint32(i)}, NextHop: "x"}
		tab.put(tab.get(&o))
	}
	if b := tab.get(&r); b == a || b.refs != 1 {
		t.Fatalf("after %d deaths: got the old set %p (refs %d), want a new one", deadKeep, b, b.refs)
	}
	if tab.n > deadKeep+1 {
		t.Fatalf("table holds %d sets, want ≤ %d", tab.n, deadKeep+1)
	}
	// a revived set is not removed when its turn in the ring comes
	c := tab.get(&Route{ASPath: []uint32{7}, NextHop: "y"})
	tab.put(c)
	c2 := tab.get(&Route{ASPath: []uint32{7}, NextHop: "y"})
	for i := range 2 * deadKeep {
		o := Route{ASPath: []uint32{1000 + uint32(i)}, NextHop: "z"}
		tab.put(tab.get(&o))
	}
	if d := tab.get(&Route{ASPath: []uint32{7}, NextHop: "y"}); d != c2 || d.refs != 2 {
		t.Fatalf("live set left the table: got %p refs %d, want %p refs 2", d, d.refs, c2)
	}
}

// TestAttrTabRoundTrip: a route interned and read back is the same route,
// rare attributes included, and equal rare attributes are one set.
func TestAttrTabRoundTrip(t *testing.T) {
	var tab attrTab
	for _, r := range []Route{
		{ASPath: []uint32{1, 2}, LocalPref: 100, MED: 5, Origin: EGP, NextHop: "a"},
		{ASPath: []uint32{1}, Communities: []uint32{65535<<16 | 1}, NextHop: "a"},
		{OriginatorID: 7, ClusterList: []uint32{9, 8}, NextHop: "b"},
	} {
		a := tab.get(&r)
		got := a.route(r.Prefix)
		if !routeEqual(&got, &r) || !a.matches(&r) {
			t.Errorf("round trip: got %+v, want %+v", got, r)
		}
		r2 := r
		r2.NextHop = "other"
		b := tab.get(&r2)
		if b == a || b.rare != a.rare {
			t.Errorf("%+v: a different next hop must be a different set sharing the rare attributes", r)
		}
	}
}

// An own set (an import's) is never in the table: looking its attributes
// up finds the interned set, dropping it touches nothing; sameAttrs
// compares sets by content, whichever they are.
func TestOwnSets(t *testing.T) {
	var tab attrTab
	r := Route{ASPath: []uint32{1, 2}, LocalPref: 200, Communities: []uint32{65003<<16 | 4}, NextHop: "a"}
	sent := tab.get(&Route{ASPath: []uint32{1, 2}, NextHop: "a"}) // no tag: its rare set is not r's
	own := tab.ownSet(&r, sent)
	in := tab.get(&r)
	if own == in || own.inTable || !in.inTable || tab.n != 2 {
		t.Fatalf("own %p (in table %v), interned %p (in table %v), %d in the table", own, own.inTable, in, in.inTable, tab.n)
	}
	if !sameAttrs(own, in) || own.rare != in.rare || tab.ownSet(&Route{NextHop: "x"}, in).rare != nil {
		t.Fatal("an own set and the interned one with the same attributes must be the same attributes (and share the rare set)")
	}
	r2 := r
	r2.LocalPref = 100
	if sameAttrs(own, tab.ownSet(&r2, in)) || sameAttrs(own, nil) || !sameAttrs(nil, nil) {
		t.Fatal("sameAttrs: different attributes compared equal")
	}
	for range deadKeep + 1 {
		tab.put(tab.ownSet(&r2, own)) // own sets die without the table
	}
	tab.put(own)
	if tab.n != 2 || tab.get(&r) != in {
		t.Fatalf("after own sets died: %d in the table", tab.n)
	}
}
