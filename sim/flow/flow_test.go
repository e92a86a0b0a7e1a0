package flow

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// TestQuadFacilityLoss is DESIGN "Testing": 4 × 10G with one facility down
// and 25G offered ⇒ 5G dropped to congestion.
//
//	t=0     25G ECMP over 4 paths: 6.25G per cross-connect, all delivered.
//	t=10s   facility 1 fails: x1, x2 Down, FIBs not updated yet. A still
//	        sends 2 × 6.25G = 12.5G into E1, E2, which hash it onto dead
//	        links: 12.5G blackhole; 12.5G delivered via x3, x4.
//	t=10.5s A's FIB drops E1, E2: 12.5G offered to each of x3, x4 (10G):
//	        2 × 2.5G = 5G congestion, 20G delivered.
//	t=20s   end. Bytes: blackhole 12.5G × 0.5s / 8 = 781.25 MB;
//	        congestion 5G × 9.5s / 8 = 5.9375 GB; delivered
//	        (25G×10 + 12.5G×0.5 + 20G×9.5)/8 = 55.78125 GB.
func TestQuadFacilityLoss(t *testing.T) {
	q := newQuad(t)
	n := q.net
	d := n.AddDemand("repl", q.A, dstB, 25*G)
	n.Recompute(0)
	checkDemand(t, n, d, 25*G, nil)
	for i := range 4 {
		if l := n.Link(q.x[i]); l.Load != 6.25*G || l.Dir[0].Offered != 6.25*G || l.Dir[1].Offered != 0 {
			t.Fatalf("x%d load %+v, want 6.25G a→b", i+1, l)
		}
	}

	n.SetLinkState(q.x[0], Down, 0)
	n.SetLinkState(q.x[1], Down, 0)
	n.Recompute(10 * sim.Second)
	checkDemand(t, n, d, 12.5*G, map[Cause]float64{Blackhole: 12.5 * G})
	if l := n.Link(q.x[0]); l.Load != 0 {
		t.Errorf("dead link x1 carries %v", l.Load)
	}

	q.ingressVia(2, 3)
	n.Recompute(10*sim.Second + 500*sim.Millisecond)
	checkDemand(t, n, d, 20*G, map[Cause]float64{Congestion: 5 * G})
	for _, i := range []int{2, 3} {
		l := n.Link(q.x[i])
		if l.Load != 12.5*G || l.Dropped != 2.5*G || l.Dir[0].Carried != 10*G {
			t.Errorf("x%d: %+v, want load 12.5G dropped 2.5G carried 10G", i+1, l)
		}
	}

	n.Recompute(20 * sim.Second)
	s := n.Demand(d)
	if s.Bytes.Lost[Blackhole] != 781.25e6 {
		t.Errorf("blackhole bytes %v, want 781.25e6", s.Bytes.Lost[Blackhole])
	}
	if s.Bytes.Lost[Congestion] != 5.9375e9 {
		t.Errorf("congestion bytes %v, want 5.9375e9", s.Bytes.Lost[Congestion])
	}
	if s.Bytes.Delivered != 55.78125e9 {
		t.Errorf("delivered bytes %v, want 55.78125e9", s.Bytes.Delivered)
	}
	if s.Bytes.Offered != 25*G*20/8 {
		t.Errorf("offered bytes %v", s.Bytes.Offered)
	}
	if got := n.Link(q.x[2]).DroppedBytes; got != 2.5*G*9.5/8 {
		t.Errorf("x3 dropped bytes %v, want %v", got, 2.5*G*9.5/8)
	}

	want := []string{
		"0s flow.rate repl offered=2.5e+10 delivered=2.5e+10",
		"10s flow.rate repl offered=2.5e+10 delivered=1.25e+10 blackhole=1.25e+10",
		"10.5s flow.rate repl offered=2.5e+10 delivered=2e+10 congestion=5e+09",
	}
	if got := q.rec.kind("flow.rate"); !slices.Equal(got, want) {
		t.Errorf("flow.rate records:\n%q\nwant\n%q", got, want)
	}
}

// TestSilentLink: a silent failure black-holes exactly the rate on that
// path for as long as the FIB keeps using it. x1 goes silent (loss 1) at
// 10s; without BFD, the hold timer fires 90s later and A withdraws E1. Lost:
// 25G/4 = 6.25G × 90s / 8 = 70.3125 GB, all silent-link.
func TestSilentLink(t *testing.T) {
	q := newQuad(t)
	n := q.net
	d := n.AddDemand("repl", q.A, dstB, 25*G)
	n.Recompute(0)
	n.SetLinkState(q.x[0], Silent, 1)
	n.Recompute(10 * sim.Second)
	checkDemand(t, n, d, 18.75*G, map[Cause]float64{SilentLink: 6.25 * G})
	if l := n.Link(q.x[0]); l.Load != 6.25*G || l.Silent != 6.25*G {
		t.Errorf("silent link: %+v, want load and silent 6.25G", l)
	}
	q.ingressVia(1, 2, 3)
	n.Recompute(100 * sim.Second)
	checkDemand(t, n, d, 25*G, nil) // 8.33G per path fits in 10G
	n.Recompute(200 * sim.Second)
	if got := n.Demand(d).Bytes.Lost[SilentLink]; got != 70.3125e9 {
		t.Errorf("silent bytes %v, want 70.3125e9", got)
	}
	if got := n.Link(q.x[0]).SilentBytes; got != 70.3125e9 {
		t.Errorf("link silent bytes %v, want 70.3125e9", got)
	}
}

// TestPartialLossAndDark: a 10% gray failure loses 10% of its path's share
// (0.625G); a dark (MACsec-mismatch) link loses all of it, as silent-link.
func TestPartialLossAndDark(t *testing.T) {
	q := newQuad(t)
	n := q.net
	d := n.AddDemand("repl", q.A, dstB, 25*G)
	n.SetLinkState(q.x[0], Silent, 0.1)
	n.Recompute(0)
	checkDemand(t, n, d, 24.375*G, map[Cause]float64{SilentLink: 0.625 * G})
	n.SetLinkState(q.x[0], Up, 0)
	n.SetLinkState(q.x[3], Dark, 0)
	n.Recompute(sim.Second)
	checkDemand(t, n, d, 18.75*G, map[Cause]float64{SilentLink: 6.25 * G})
	if l := n.Link(q.x[3]); l.State != Dark || l.Silent != 6.25*G {
		t.Errorf("dark link: %+v", l)
	}
}

// TestTransientLoop: during convergence R1 and R2 point at each other.
//
//	A → {R1, R2} (ECMP); R1 → {B, R2}; R2 → R1.
//	Path tree: A→R1 (½): R1→B ¼ delivered, R1→R2→R1 ¼ loop.
//	           A→R2 (½): R2→R1 ½: R1→B ¼ delivered, R1→R2 ¼ loop (R2 on path).
//	⇒ delivered ½, loop ½. Link r (R1–R2): R1→R2 carries ¼+¼, R2→R1 ¼+½.
func TestTransientLoop(t *testing.T) {
	fib := newTable()
	n := NewNetwork(fib)
	A := n.AddNode("A", nil)
	R1 := n.AddNode("R1", nil)
	R2 := n.AddNode("R2", nil)
	B := n.AddNode("B", []netip.Prefix{siteB})
	a1 := n.AddLink("a1", A, R1, 100*G)
	a2 := n.AddLink("a2", A, R2, 100*G)
	r := n.AddLink("r", R1, R2, 100*G)
	b := n.AddLink("b", R1, B, 100*G)
	fib.set(A, siteB, Hop{a1, R1}, Hop{a2, R2})
	fib.set(R1, siteB, Hop{b, B}, Hop{r, R2})
	fib.set(R2, siteB, Hop{r, R1})
	d := n.AddDemand("d", A, dstB, 8*G)
	n.Recompute(0)
	checkDemand(t, n, d, 4*G, map[Cause]float64{Loop: 4 * G})
	if l := n.Link(r); l.Dir[0].Offered != 4*G || l.Dir[1].Offered != 6*G || l.Load != 6*G {
		t.Errorf("loop link %+v, want 4G R1→R2, 6G R2→R1", l)
	}
	// The plain two-node loop: R1 → R2 → R1, everything lost to loop.
	fib.set(A, siteB, Hop{a1, R1})
	fib.set(R1, siteB, Hop{r, R2})
	n.RoutesChanged(A)
	n.RoutesChanged(R1)
	n.Recompute(sim.Second)
	checkDemand(t, n, d, 0, map[Cause]float64{Loop: 8 * G})
	// Converged: R1 → B.
	fib.set(R1, siteB, Hop{b, B})
	n.RoutesChanged(R1)
	n.Recompute(1500 * sim.Millisecond)
	checkDemand(t, n, d, 8*G, nil)
	n.Recompute(2 * sim.Second)
	// Loop bytes: 4G×1s + 8G×0.5s = 8 Gbit = 1 GB.
	if got := n.Demand(d).Bytes.Lost[Loop]; got != 1e9 {
		t.Errorf("loop bytes %v, want 1e9", got)
	}
}

// TestNoRoute: withdrawn prefix at the ingress ⇒ everything no-route; a
// hole deeper in the path loses only that branch.
func TestNoRoute(t *testing.T) {
	q := newQuad(t)
	n := q.net
	d := n.AddDemand("repl", q.A, dstB, 20*G)
	q.fib.set(q.F[1], siteB) // F2 lost its route
	n.Recompute(0)
	checkDemand(t, n, d, 15*G, map[Cause]float64{NoRoute: 5 * G})
	q.fib.set(q.A, siteB)
	n.RoutesChanged(q.A)
	n.Recompute(sim.Second)
	checkDemand(t, n, d, 0, map[Cause]float64{NoRoute: 20 * G})
}

// TestTwoTenantsOnePool: pools P1 = {x1, x2} and P2 = {x3, x4}, 18G each
// per direction, each with 6G of background tenant load. Demands A 8G and
// B 4G spread over the quad: 3G per cross-connect, 6G + 6G = 12G per pool.
//
// Facility 1 fails and everything converges onto P2: the demands put 12G
// on x3+x4 (6G each, under the links' 10G) and the fabric moves P1's
// tenants to P2 (background 12G). P2 is offered 24G for 18G: everyone
// keeps 3/4. A delivers 6G (2G congestion), B 3G (1G), background loses
// 3G; the pool drops 6G. The reverse direction carries only the 12G
// background: no drop.
func TestTwoTenantsOnePool(t *testing.T) {
	q := newQuad(t)
	n := q.net
	p1 := n.AddPool("P1", 18*G, []LinkID{q.x[0], q.x[1]})
	p2 := n.AddPool("P2", 18*G, []LinkID{q.x[2], q.x[3]})
	n.SetPoolBackground(p1, 6*G)
	n.SetPoolBackground(p2, 6*G)
	da := n.AddDemand("A", q.A, dstB, 8*G)
	db := n.AddDemand("B", q.A, dstB, 4*G)
	n.Recompute(0)
	checkDemand(t, n, da, 8*G, nil)
	checkDemand(t, n, db, 4*G, nil)
	if p := n.Pool(p1); p.Load != 12*G || p.Dropped != 0 {
		t.Errorf("P1 before: %+v", p)
	}

	n.SetLinkState(q.x[0], Down, 0)
	n.SetLinkState(q.x[1], Down, 0)
	q.ingressVia(2, 3)
	n.SetPoolBackground(p1, 0)
	n.SetPoolBackground(p2, 12*G)
	n.Recompute(60 * sim.Second)
	checkDemand(t, n, da, 6*G, map[Cause]float64{Congestion: 2 * G})
	checkDemand(t, n, db, 3*G, map[Cause]float64{Congestion: 1 * G})
	p := n.Pool(p2)
	if p.Load != 24*G || p.Dropped != 6*G || p.BackgroundDropped != 3*G || p.Dir[1].Offered != 12*G || p.Dir[1].Dropped != 0 {
		t.Errorf("P2 after: %+v", p)
	}
	for _, i := range []int{2, 3} {
		if l := n.Link(q.x[i]); l.Load != 6*G || l.Dropped != 0 {
			t.Errorf("x%d: %+v (the pool, not the link, is the bottleneck)", i+1, l)
		}
	}
	n.Recompute(120 * sim.Second)
	if got := n.Pool(p2).DroppedBytes; got != 6*G*60/8 {
		t.Errorf("P2 dropped bytes %v, want %v", got, 6*G*60/8)
	}
	if got := n.Demand(da).Bytes.Lost[Congestion]; got != 2*G*60/8 {
		t.Errorf("A congestion bytes %v", got)
	}
	want := []string{
		"0s pool.load P1 load=1.2e+10 capacity=1.8e+10 background=6e+09 dropped=0",
		"0s pool.load P2 load=1.2e+10 capacity=1.8e+10 background=6e+09 dropped=0",
		"1m0s pool.load P1 load=0 capacity=1.8e+10 background=0 dropped=0",
		"1m0s pool.load P2 load=2.4e+10 capacity=1.8e+10 background=1.2e+10 dropped=6e+09",
	}
	if got := q.rec.kind("pool.load"); !slices.Equal(got, want) {
		t.Errorf("pool.load records:\n%q\nwant\n%q", got, want)
	}
}

// TestChainedCongestion: downstream links see the rate that survived
// upstream ones. 30G into a 20G link then a 15G link: the first keeps 2/3
// (20G), the second 3/4 of that (15G): 15G congestion in all.
func TestChainedCongestion(t *testing.T) {
	fib := newTable()
	n := NewNetwork(fib)
	A := n.AddNode("A", nil)
	M := n.AddNode("M", nil)
	B := n.AddNode("B", []netip.Prefix{siteB})
	l1 := n.AddLink("l1", A, M, 20*G)
	l2 := n.AddLink("l2", B, M, 15*G) // reversed orientation: traffic goes b→a
	fib.set(A, siteB, Hop{l1, M})
	fib.set(M, siteB, Hop{l2, B})
	d := n.AddDemand("d", A, dstB, 30*G)
	n.Recompute(0)
	checkDemand(t, n, d, 15*G, map[Cause]float64{Congestion: 15 * G})
	if l := n.Link(l2); l.Dir[1].Offered != 20*G || l.Dir[1].Dropped != 5*G || l.Dir[0].Offered != 0 {
		t.Errorf("l2: %+v", l)
	}
}

// TestElastic: demands A 16G and B 8G over x3+x4 (20G). Max-min fair:
// both rise together; at 8G B is satisfied (links at 8G each); A goes on
// until the links fill: (xA + 8)/2 = 10 ⇒ xA = 12G. Inelastic would give
// A 13.33G and B 6.67G.
func TestElastic(t *testing.T) {
	q := newQuad(t)
	n := q.net
	q.ingressVia(2, 3)
	da := n.AddDemand("A", q.A, dstB, 16*G)
	db := n.AddDemand("B", q.A, dstB, 8*G)
	n.Recompute(0)
	checkDemand(t, n, da, 13333333333, map[Cause]float64{Congestion: 2666666667})
	checkDemand(t, n, db, 6666666667, map[Cause]float64{Congestion: 1333333333})
	n.SetElastic(true)
	n.Recompute(sim.Second)
	checkDemand(t, n, da, 12*G, map[Cause]float64{Congestion: 4 * G})
	checkDemand(t, n, db, 8*G, nil)
	if l := n.Link(q.x[2]); l.Load != 10*G || l.Dropped != 0 {
		t.Errorf("x3: %+v", l)
	}
	// A silent 50% loss on x3 halves what A and B deliver over it, but
	// elastic senders still only fill the links.
	n.SetLinkState(q.x[2], Silent, 0.5)
	n.Recompute(2 * sim.Second)
	checkDemand(t, n, da, 9*G, map[Cause]float64{Congestion: 4 * G, SilentLink: 3 * G})
	checkDemand(t, n, db, 6*G, map[Cause]float64{SilentLink: 2 * G})
}

// TestElasticPoolBackground: background is one more max-min sender. Pool
// 18G with 12G background and a 10G demand: both rise to 9G and fill the
// pool; the demand loses 1G, the background 3G in the demand's direction
// (the other direction carries only background: 12G, nothing dropped).
func TestElasticPoolBackground(t *testing.T) {
	q := newQuad(t)
	n := q.net
	n.SetElastic(true)
	n.AddPool("P", 18*G, q.x[:])
	n.SetPoolBackground(0, 12*G)
	d := n.AddDemand("d", q.A, dstB, 10*G)
	n.Recompute(0)
	checkDemand(t, n, d, 9*G, map[Cause]float64{Congestion: 1 * G})
	if p := n.Pool(0); p.Load != 21*G || p.Dropped != 3*G || p.BackgroundDropped != 3*G {
		t.Errorf("pool %+v", p)
	}
}

// TestElasticMaxMinDemandsAndTenant: two demands and a tenant over one
// bottleneck, by hand. Pool 9G; demand A offers 6G, demand B 2G, the
// tenant 6G. Progressive filling: all three rise together; at 2G each
// (6G used) B is satisfied; A and the tenant go on sharing the 7G left:
// 3.5G each at which the pool is full. A delivers 3.5G and loses 2.5G,
// B delivers 2G, the tenant keeps 3.5G of 6G (2.5G dropped).
func TestElasticMaxMinDemandsAndTenant(t *testing.T) {
	q := newQuad(t)
	n := q.net
	n.SetElastic(true)
	n.AddPool("P", 9*G, q.x[:])
	n.SetPoolBackground(0, 6*G)
	da := n.AddDemand("A", q.A, dstB, 6*G)
	db := n.AddDemand("B", q.A, dstB, 2*G)
	n.Recompute(0)
	checkDemand(t, n, da, 3.5*G, map[Cause]float64{Congestion: 2.5 * G})
	checkDemand(t, n, db, 2*G, nil)
	if p := n.Pool(0); p.Load != 11.5*G || p.Dropped != 2.5*G || p.BackgroundDropped != 2.5*G {
		t.Errorf("pool %+v", p)
	}
	// The tenant falls to 1G: it is satisfied first, A gets 9 − 1 − 2 = 6G.
	n.SetPoolBackground(0, 1*G)
	n.Recompute(sim.Second)
	checkDemand(t, n, da, 6*G, nil)
	checkDemand(t, n, db, 2*G, nil)
}

// TestTraceOnlyOnChange: a Recompute with nothing changed traces nothing;
// a change that leaves the rounded rates unchanged traces nothing either.
func TestTraceOnlyOnChange(t *testing.T) {
	q := newQuad(t)
	n := q.net
	n.AddDemand("d", q.A, dstB, 1*G)
	n.Recompute(0)
	first := q.rec.take()
	// 1 flow.rate, 12 link.load (every link once, ID order).
	if len(first) != 13 || first[0] != "0s flow.rate d offered=1e+09 delivered=1e+09" ||
		first[1] != "0s link.load a1 load=2.5e+08 capacity=1e+11 dropped=0" {
		t.Fatalf("initial records %q", first)
	}
	n.Recompute(sim.Second)
	n.SetLinkCapacity(q.a[0], 100*G)
	n.SetDemandRate(0, 1*G+0.2)
	n.Recompute(2 * sim.Second)
	if got := q.rec.take(); len(got) != 0 {
		t.Fatalf("unexpected records %q", got)
	}
	n.SetLinkCapacity(q.a[0], 50*G)
	n.Recompute(3 * sim.Second)
	if got := q.rec.take(); !slices.Equal(got, []string{"3s link.load a1 load=2.5e+08 capacity=5e+10 dropped=0"}) {
		t.Fatalf("records %q", got)
	}
}

// TestIngressOwnsDestination: a demand whose ingress owns the destination
// is delivered without touching a link.
func TestIngressOwnsDestination(t *testing.T) {
	q := newQuad(t)
	d := q.net.AddDemand("local", q.B, dstB, G)
	q.net.Recompute(0)
	checkDemand(t, q.net, d, G, nil)
}

func TestBadHopPanics(t *testing.T) {
	q := newQuad(t)
	q.fib.set(q.A, siteB, Hop{q.x[0], q.E[0]}) // x1 does not touch A
	q.net.AddDemand("d", q.A, dstB, G)
	defer func() {
		if recover() == nil {
			t.Fatal("want panic for a hop over a link that does not join the nodes")
		}
	}()
	q.net.Recompute(0)
}
