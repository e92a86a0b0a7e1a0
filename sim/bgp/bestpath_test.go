package bgp

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// Each comparison step of RFC 4271 §9.1.2.2 (plus the RFC 4456 and vendor
// steps) on its own: a is built to win, b to lose, and the step must say so
// both ways round; a tie must return 0.
func TestBestPathSteps(t *testing.T) {
	addr1 := netip.MustParseAddr("10.0.0.1")
	addr2 := netip.MustParseAddr("10.0.0.2")
	base := func() cand {
		return cand{r: &attrs{LocalPref: 100, ASPath: []uint32{65001}}, ebgp: true, rid: 5, addr: addr1, peer: 0}
	}
	tests := []struct {
		step string
		a, b func(*cand)
	}{
		{"local-pref", func(c *cand) { c.r.LocalPref = 200 }, func(c *cand) { c.r.LocalPref = 100 }},
		{"local", func(c *cand) { c.local = true }, func(c *cand) {}},
		{"as-path", func(c *cand) { c.r.ASPath = []uint32{1} }, func(c *cand) { c.r.ASPath = []uint32{1, 2} }},
		{"origin", func(c *cand) { c.r.Origin = IGP }, func(c *cand) { c.r.Origin = Incomplete }},
		{"med", func(c *cand) { c.r.MED = 10 }, func(c *cand) { c.r.MED = 20 }},
		{"ebgp", func(c *cand) { c.ebgp = true }, func(c *cand) { c.ebgp = false }},
		{"igp-cost", func(c *cand) { c.igp = 1 }, func(c *cand) { c.igp = 10 }},
		{"router-id", func(c *cand) { c.rid = 1 }, func(c *cand) { c.rid = 2 }},
		{"cluster-list", func(c *cand) { c.r.rare = &rareAttrs{ClusterList: []uint32{9}} }, func(c *cand) { c.r.rare = &rareAttrs{ClusterList: []uint32{9, 8}} }},
		{"peer-addr", func(c *cand) { c.addr = addr1 }, func(c *cand) { c.addr = addr2 }},
	}
	if len(tests) != len(steps) {
		t.Fatalf("%d steps, %d tests", len(steps), len(tests))
	}
	for i, tc := range tests {
		t.Run(tc.step, func(t *testing.T) {
			if steps[i].name != tc.step {
				t.Fatalf("step %d is %q, want %q", i, steps[i].name, tc.step)
			}
			a, b := base(), base()
			ra, rb := *a.r, *b.r
			a.r, b.r = &ra, &rb
			b.peer = 1
			if c := steps[i].cmp(&a, &b); c != 0 {
				t.Fatalf("equal candidates: %d", c)
			}
			tc.a(&a)
			tc.b(&b)
			if c := steps[i].cmp(&a, &b); c >= 0 {
				t.Fatalf("cmp(a,b) = %d, want < 0", c)
			}
			if c := steps[i].cmp(&b, &a); c <= 0 {
				t.Fatalf("cmp(b,a) = %d, want > 0", c)
			}
			// The whole chain decides at this step (every earlier one ties).
			if c, k := compare(&a, &b); c >= 0 || k != i {
				t.Fatalf("compare = %d at %s, want a at %s", c, ruleName(k), tc.step)
			}
		})
	}
}

// RFC 4271 §9.1.2.2 (c): MED is compared only between routes from the same
// neighbouring AS.
func TestBestPathMEDOnlySameNeighborAS(t *testing.T) {
	a := cand{r: &attrs{ASPath: []uint32{1, 9}, MED: 50}}
	b := cand{r: &attrs{ASPath: []uint32{2, 9}, MED: 10}}
	if c := cmpMED(&a, &b); c != 0 {
		t.Fatalf("different neighbour AS: %d", c)
	}
	b.r.ASPath = []uint32{1, 8}
	if c := cmpMED(&a, &b); c <= 0 {
		t.Fatalf("same neighbour AS, b lower MED: %d", c)
	}
}

// selectBest reports the rule that decided against the strongest competitor:
// three paths, LOCAL_PREF eliminates one, AS-path length separates the other
// two ⇒ rule "as-path".
func TestSelectBestRule(t *testing.T) {
	c := []cand{
		{r: &attrs{LocalPref: 50, ASPath: []uint32{1}}, peer: 0},
		{r: &attrs{LocalPref: 100, ASPath: []uint32{1, 2}}, peer: 1},
		{r: &attrs{LocalPref: 100, ASPath: []uint32{3}}, peer: 2},
	}
	b, rule := selectBest(c)
	if b != 2 || ruleName(rule) != "as-path" {
		t.Fatalf("best %d rule %s", b, ruleName(rule))
	}
	if _, rule := selectBest(c[:1]); ruleName(rule) != ruleOnly {
		t.Fatal(ruleName(rule))
	}
}

// Multipath: paths equal through the IGP-cost step with identical AS paths
// share; a different router-id does not matter; a different AS path (same
// length) or IGP cost does; maxPaths caps the set, keeping the best by the
// full order (lowest router-id first).
func TestSelectMulti(t *testing.T) {
	mk := func(peer int, rid uint32, path []uint32, igp uint32) cand {
		return cand{r: &attrs{LocalPref: 100, ASPath: path}, ebgp: true, rid: rid, igp: igp, peer: peer}
	}
	c := []cand{
		mk(0, 4, []uint32{7}, 0),
		mk(1, 3, []uint32{7}, 0),
		mk(2, 2, []uint32{8}, 0), // same length, different path
		mk(3, 1, []uint32{7}, 5), // higher IGP cost
		mk(4, 2, []uint32{7}, 0),
	}
	b, _ := selectBest(c)
	if b != 4 && b != 2 {
		t.Fatalf("best %d", b)
	}
	// best is peer 2 or 4 (rid 2); peer 2 and 4 tie down to router-id and
	// peer-addr (both zero), so peer index decides: peer 2.
	if b != 2 {
		t.Fatalf("best %d, want 2", b)
	}
	nh, _ := selectMulti(c, b, 4, nil, nil)
	if !slices.Equal(nh, []int{2}) {
		t.Fatalf("peer 2's path 8 has no equal: %v", nh)
	}
	c[2].r.ASPath = []uint32{7}
	nh, _ = selectMulti(c, b, 4, nil, nil)
	if !slices.Equal(nh, []int{0, 1, 2, 4}) {
		t.Fatalf("multi = %v", nh)
	}
	nh, _ = selectMulti(c, b, 2, nil, nil)
	if !slices.Equal(nh, []int{2, 4}) { // rid 2 (peer 4) beats rid 3 and 4
		t.Fatalf("multi max 2 = %v", nh)
	}
	nh, _ = selectMulti(c, b, 1, nil, nil)
	if !slices.Equal(nh, []int{2}) {
		t.Fatalf("multi max 1 = %v", nh)
	}
}

func TestRulesMatchAndSet(t *testing.T) {
	lp := uint32(300)
	rules := []Rule{
		{MatchPrefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, HasMatchCommunity: true, MatchCommunity: 7, Deny: true},
		{MatchPrefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, LocalPref: &lp, Prepend: 2, AddCommunities: []uint32{5}},
	}
	r := Route{Prefix: netip.MustParsePrefix("10.1.0.0/16"), ASPath: []uint32{9}, Communities: []uint32{7}}
	if _, ok := applyExport(rules, r, 1, nil); ok {
		t.Fatal("community 7 should be denied")
	}
	r.Communities = []uint32{8}
	got, ok := applyExport(rules, r, 1, nil)
	if !ok || got.LocalPref != 300 || !slices.Equal(got.ASPath, []uint32{1, 1, 9}) || !slices.Equal(got.Communities, []uint32{5, 8}) {
		t.Fatalf("got %+v", got)
	}
	if !slices.Equal(r.ASPath, []uint32{9}) || !slices.Equal(r.Communities, []uint32{8}) {
		t.Fatal("input route modified")
	}
	r.Prefix = netip.MustParsePrefix("192.168.0.0/16") // no match: unchanged
	if got, ok := applyExport(rules, r, 1, nil); !ok || !routeEqual(&got, &r) {
		t.Fatal("no-match must accept unchanged")
	}
	// covered-by: 10.0.0.0/8 matches 10.0.0.0/8 and longer, not 0.0.0.0/0
	if !covers(netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")) ||
		covers(netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("0.0.0.0/0")) {
		t.Fatal("covers")
	}
}

// selectMulti's shortcut (the step selectBest recorded is past the IGP
// cost) picks exactly the candidates multipathEqual does, on random
// candidate sets whose attributes collide often.
func TestMultipathShortcut(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 11))
	pick := func(n int) uint32 { return uint32(r.IntN(n)) }
	for trial := 0; trial < 2000; trial++ {
		n := 1 + r.IntN(8)
		c := make([]cand, n)
		for i := range c {
			path := []uint32{100 + pick(2)}
			if r.IntN(3) == 0 {
				path = append(path, 200+pick(2))
			}
			a := &attrs{LocalPref: 100 + 10*pick(2), ASPath: path, Origin: Origin(pick(2)), MED: pick(2)}
			if r.IntN(4) == 0 {
				a.rare = &rareAttrs{ClusterList: make([]uint32, pick(2))}
			}
			c[i] = cand{r: a, local: r.IntN(8) == 0, ebgp: r.IntN(2) == 0, igp: pick(2), rid: pick(3),
				addr: netip.AddrFrom4([4]byte{10, 0, 0, byte(pick(3))}), peer: i}
		}
		b, _ := selectBest(c)
		for i := range c {
			if i == b {
				continue
			}
			if got, want := multipathTied(&c[b], &c[i]), multipathEqual(&c[b], &c[i]); got != want {
				t.Fatalf("trial %d: candidate %d: shortcut %v, multipathEqual %v (%+v vs %+v)", trial, i, got, want, c[i], c[b])
			}
		}
	}
}
