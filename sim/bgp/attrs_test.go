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
// up finds the interned set, dropping it touches nothing. A path held as
// the sender's set plus the import's changes reads as the imported route;
// pathAttrs.same compares attributes by content, however each path holds
// them.
func TestOwnSets(t *testing.T) {
	var tab attrTab
	r := Route{ASPath: []uint32{1, 2}, LocalPref: 200, Communities: []uint32{65003<<16 | 4}, NextHop: "a"}
	sent := tab.get(&Route{ASPath: []uint32{1, 2}, NextHop: "a"}) // no tag: its rare set is not r's
	own := tab.ownSet(&r, sent)
	in := tab.get(&r)
	if own == in || own.inTable || !in.inTable || tab.n != 2 {
		t.Fatalf("own %p (in table %v), interned %p (in table %v), %d in the table", own, own.inTable, in, in.inTable, tab.n)
	}
	over := pathAttrs{a: sent, x: tab.getChanges(&r, sent, new(*importChanges))}
	if got := over.route(r.Prefix); !routeEqual(&got, &r) {
		t.Fatalf("overlay reads %+v, want %+v", got, r)
	}
	if over.x != tab.getChanges(&r, in, new(*importChanges)) || over.x.rare != in.rare {
		t.Fatal("equal changes must be one interned value sharing the rare set")
	}
	for _, p := range []pathAttrs{{a: own}, {a: in}, over} {
		for _, q := range []pathAttrs{{a: own}, {a: in}, over} {
			if !p.same(q) {
				t.Fatalf("%+v and %+v hold the same attributes", p, q)
			}
		}
	}
	if !own.rare.holds(&r) || tab.ownSet(&Route{NextHop: "x"}, in).rare != nil {
		t.Fatal("an own set must share the interned rare set")
	}
	r2 := r
	r2.LocalPref = 100
	over2 := pathAttrs{a: sent, x: tab.getChanges(&r2, sent, new(*importChanges))}
	for _, p := range []pathAttrs{{a: own}, {a: in}, over} {
		if p.same(pathAttrs{a: tab.ownSet(&r2, in)}) || p.same(over2) || p.same(pathAttrs{a: sent}) || p.same(pathAttrs{}) {
			t.Fatalf("%+v: different attributes compared equal", p)
		}
	}
	if !(pathAttrs{}).same(pathAttrs{}) {
		t.Fatal("no attributes are the same as no attributes")
	}
	for range deadKeep + 1 {
		tab.put(tab.ownSet(&r2, own)) // own sets die without the table
	}
	tab.put(own)
	if tab.n != 2 || tab.get(&r) != in {
		t.Fatalf("after own sets died: %d in the table", tab.n)
	}
}

// A route built in the table's scratch lists (an export's prepended AS
// path, a reflected CLUSTER_LIST, a rule's communities) is copied by the
// sets that keep it: building the next route there changes no set.
func TestScratchListsAreCopied(t *testing.T) {
	var tab attrTab
	tail := []uint32{7, 8}
	r := Route{ASPath: prepend(&tab.pathBuf, 1, 1, tail), ClusterList: prepend(&tab.clusterBuf, 9, 1, nil), NextHop: "a"}
	(&Rule{AddCommunities: []uint32{5}}).set(&r, 1, &tab.commBuf)
	want := Route{ASPath: []uint32{1, 7, 8}, ClusterList: []uint32{9}, Communities: []uint32{5}, NextHop: "a"}
	in, own := tab.get(&r), tab.ownSet(&r, &attrs{})
	x := tab.getChanges(&r, &attrs{}, new(*importChanges))
	prepend(&tab.pathBuf, 2, 1, tail)
	prepend(&tab.clusterBuf, 3, 1, nil)
	(&Rule{AddCommunities: []uint32{6}}).set(&Route{}, 1, &tab.commBuf)
	for _, p := range []pathAttrs{{a: in}, {a: own}, {a: tab.get(&want), x: x}} {
		if got := p.route(want.Prefix); !routeEqual(&got, &want) {
			t.Fatalf("after the scratch was reused: %+v, want %+v", got, want)
		}
	}
}
