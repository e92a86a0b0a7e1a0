package bgp_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

var pfxP = netip.MustParsePrefix("192.0.2.0/24")

func fast() bgp.PeerConfig {
	return bgp.PeerConfig{Keepalive: 30 * s1, Hold: 90 * s1, ConnectRetry: 10 * s1, EstablishDelay: s1}
}

func withMRAI(d sim.Time) bgp.PeerConfig {
	p := fast()
	p.MRAI = d
	return p
}

// RFC 4271 §9.1.2 / §5.1.2: in a triangle of ASes a(1) b(2) c(3), a's prefix
// reaches c directly with path [1] and via b with [2 1]; c prefers the
// shorter path; a never accepts its own prefix back.
func TestRFC4271_9_1_2_EBGPTriangle(t *testing.T) {
	n := bgptest.New(1)
	n.Record = true
	n.AddRouter(bgp.Config{Name: "a", ASN: 1, Originate: []netip.Prefix{pfxP}})
	n.AddRouter(bgp.Config{Name: "b", ASN: 2})
	n.AddRouter(bgp.Config{Name: "c", ASN: 3})
	n.Connect("a", "b", 10*ms, fast(), fast())
	n.Connect("b", "c", 10*ms, fast(), fast())
	n.Connect("a", "c", 10*ms, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	r, nh, ok := n.Speaker("c").Best(pfxP)
	if !ok || !slices.Equal(r.ASPath, []uint32{1}) || !slices.Equal(nh, []int{n.PeerIndex("c", "a")}) {
		t.Fatalf("c best = %+v %v", r, nh)
	}
	if got := n.Speaker("c").AdjRIBInCount(n.PeerIndex("c", "b")); got != 1 {
		t.Fatalf("c holds %d paths from b, want the longer one", got)
	}
	if got := n.Speaker("a").AdjRIBInCount(n.PeerIndex("a", "b")); got != 0 {
		t.Fatalf("a accepted %d routes from b (its own prefix looped)", got)
	}
	// a withdraws: everyone loses it.
	n.Speaker("a").WithdrawOrigin(pfxP)
	n.Run(10 * s1)
	for i := range n.Speakers {
		if _, _, ok := n.Speakers[i].Best(pfxP); ok {
			t.Fatalf("router %d still has the prefix", i)
		}
	}
}

// An import rule that prepends: c prepends a's ASN twice on the routes it
// imports from a, so a's prefix is [1 1 1] over the direct session and
// [2 1] via b; c prefers b until b–c is cut, then holds the prepended path.
func TestImportPrepend(t *testing.T) {
	n := bgptest.New(1)
	n.AddRouter(bgp.Config{Name: "a", ASN: 1, Originate: []netip.Prefix{pfxP}})
	n.AddRouter(bgp.Config{Name: "b", ASN: 2})
	n.AddRouter(bgp.Config{Name: "c", ASN: 3})
	n.Connect("a", "b", 10*ms, fast(), fast())
	bc := n.Connect("b", "c", 10*ms, fast(), fast())
	lp := uint32(100)
	in := fast()
	in.Import = []bgp.Rule{{Prepend: 2, LocalPref: &lp, AddCommunities: []uint32{3<<16 | 1}}}
	n.Connect("a", "c", 10*ms, fast(), in)
	n.Start()
	n.Run(10 * s1)
	if r, nh, ok := n.Speaker("c").Best(pfxP); !ok || !slices.Equal(r.ASPath, []uint32{2, 1}) || !slices.Equal(nh, []int{n.PeerIndex("c", "b")}) {
		t.Fatalf("c best = %+v %v, want [2 1] via b", r, nh)
	}
	n.Cut(bc)
	n.Run(10 * s1)
	r, nh, ok := n.Speaker("c").Best(pfxP)
	if !ok || !slices.Equal(r.ASPath, []uint32{1, 1, 1}) || !slices.Equal(r.Communities, []uint32{3<<16 | 1}) || !slices.Equal(nh, []int{n.PeerIndex("c", "a")}) {
		t.Fatalf("c best after the cut = %+v %v, want [1 1 1] tagged via a", r, nh)
	}
}

// RFC 4271 §9.2.1.1: MRAI paces advertisements, not withdrawals. Line
// a(1) — b(2) — c(3), MRAI 30s only on b→c, 10ms latency, no processing
// delay. Sessions are up at 1.02s (empty tables: End-of-RIB only, MRAI not
// started).
//   - 10s: a originates P1 ⇒ b sends it at 10.01s at once (MRAI idle) and
//     starts MRAI until 40.01s; c learns it at 10.02s.
//   - 15s: a originates P2 ⇒ b has it at 15.01s but holds it: c learns it
//     only at 40.02s.
//   - 20s: a withdraws P1 ⇒ b's withdrawal goes at 20.01s although MRAI is
//     running; c loses P1 at 20.02s.
func TestRFC4271_9_2_1_1_MRAIPacesAnnouncementsNotWithdrawals(t *testing.T) {
	p1, p2 := netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")
	n := bgptest.New(1)
	n.Record = true
	n.AddRouter(bgp.Config{Name: "a", ASN: 1})
	n.AddRouter(bgp.Config{Name: "b", ASN: 2})
	n.AddRouter(bgp.Config{Name: "c", ASN: 3})
	n.Connect("a", "b", 10*ms, fast(), fast())
	n.Connect("b", "c", 10*ms, withMRAI(30*s1), fast())
	n.Start()
	n.Eng.At(10*s1, func() { n.Speaker("a").Originate(p1) })
	n.Eng.At(15*s1, func() { n.Speaker("a").Originate(p2) })
	n.Eng.At(20*s1, func() { n.Speaker("a").WithdrawOrigin(p1) })
	n.Run(60 * s1)
	want := []string{
		"10.02s bgp.best c prefix=198.51.100.0/24 nexthops=[b] rule=only-path",
		"20.02s bgp.best c prefix=198.51.100.0/24 nexthops=[] rule=none",
		"40.02s bgp.best c prefix=203.0.113.0/24 nexthops=[b] rule=only-path",
	}
	if got := n.Grep("bgp.best c"); !slices.Equal(got, want) {
		t.Fatalf("c best changes:\n%v\nwant\n%v", got, want)
	}
}

// A burst takes time: UpdateDelay 10ms + PrefixDelay 1ms per prefix; a
// originates 100 prefixes at once before the session is up, so b receives
// one UPDATE of 100 prefixes at 1.05s (Established at 1s + 4 × 10ms) and
// installs them at 1.05s + 10ms + 100 × 1ms = 1.16s.
func TestProcessingDelay(t *testing.T) {
	n := bgptest.New(1)
	n.Record = true
	var pfx []netip.Prefix
	for i := range 100 {
		pfx = append(pfx, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16))
	}
	n.AddRouter(bgp.Config{Name: "a", ASN: 1, Originate: pfx})
	n.AddRouter(bgp.Config{Name: "b", ASN: 2, UpdateDelay: 10 * ms, PrefixDelay: ms})
	n.Connect("a", "b", 10*ms, fast(), fast())
	n.Start()
	n.Run(5 * s1)
	got := n.Grep("bgp.best b")
	if len(got) != 100 || parseAt(t, got[0]) != 1160*ms || parseAt(t, got[99]) != 1160*ms {
		t.Fatalf("b best: %d lines, first %v", len(got), got[:min(1, len(got))])
	}
}

// iBGP (RFC 4271 §9.2): routes learned over iBGP are not re-advertised to
// iBGP peers. Chain x(200) —eBGP— r1 —iBGP— r2 —iBGP— r3 (all AS 100): r2
// learns P with next hop x (no next-hop-self), r3 learns nothing. With
// next-hop-self on r1→r2 the next hop becomes r1.
func TestRFC4271_9_2_IBGPNoReadvertise(t *testing.T) {
	for _, nhs := range []bool{false, true} {
		t.Run(fmt.Sprint("nhs=", nhs), func(t *testing.T) {
			n := bgptest.New(1)
			n.AddRouter(bgp.Config{Name: "x", ASN: 200, Originate: []netip.Prefix{pfxP}})
			n.AddRouter(bgp.Config{Name: "r1", ASN: 100})
			n.AddRouter(bgp.Config{Name: "r2", ASN: 100})
			n.AddRouter(bgp.Config{Name: "r3", ASN: 100})
			n.Connect("x", "r1", 10*ms, fast(), fast())
			p := fast()
			p.NextHopSelf = nhs
			n.Connect("r1", "r2", ms, p, fast())
			n.Connect("r2", "r3", ms, fast(), fast())
			n.Start()
			n.Run(10 * s1)
			r, _, ok := n.Speaker("r2").Best(pfxP)
			wantNH := "x"
			if nhs {
				wantNH = "r1"
			}
			if !ok || r.NextHop != wantNH || !slices.Equal(r.ASPath, []uint32{200}) || r.LocalPref != 100 {
				t.Fatalf("r2 best = %+v", r)
			}
			if _, _, ok := n.Speaker("r3").Best(pfxP); ok {
				t.Fatal("r3 learned an iBGP route through r2 without reflection")
			}
		})
	}
}

// RFC 4456: r2 reflects for clients r1 and r3. P from x via r1 reaches r3
// with ORIGINATOR_ID = r1's router id and CLUSTER_LIST [r2's cluster id];
// a non-client r4 of r2 also gets it (client → non-client), and r4's own
// eBGP route Q reaches r1 and r3 (non-client → clients).
func TestRFC4456_RouteReflection(t *testing.T) {
	pfxQ := netip.MustParsePrefix("198.18.0.0/15")
	n := bgptest.New(1)
	n.AddRouter(bgp.Config{Name: "x", ASN: 200, Originate: []netip.Prefix{pfxP}})
	n.AddRouter(bgp.Config{Name: "r1", ASN: 100, RouterID: 11})
	n.AddRouter(bgp.Config{Name: "r2", ASN: 100, RouterID: 12, ClusterID: 99})
	n.AddRouter(bgp.Config{Name: "r3", ASN: 100, RouterID: 13})
	n.AddRouter(bgp.Config{Name: "r4", ASN: 100, RouterID: 14})
	n.AddRouter(bgp.Config{Name: "y", ASN: 300, Originate: []netip.Prefix{pfxQ}})
	n.Connect("x", "r1", 10*ms, fast(), fast())
	n.Connect("y", "r4", 10*ms, fast(), fast())
	client := fast()
	client.RRClient = true
	n.Connect("r2", "r1", ms, client, fast())
	n.Connect("r2", "r3", ms, client, fast())
	n.Connect("r2", "r4", ms, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	r, nh, ok := n.Speaker("r3").Best(pfxP)
	if !ok || r.OriginatorID != 11 || !slices.Equal(r.ClusterList, []uint32{99}) || r.NextHop != "x" ||
		!slices.Equal(nh, []int{n.PeerIndex("r3", "r2")}) {
		t.Fatalf("r3 best P = %+v %v", r, nh)
	}
	if r, _, ok := n.Speaker("r4").Best(pfxP); !ok || r.OriginatorID != 11 {
		t.Fatalf("r4 (non-client) best P = %+v %v", r, ok)
	}
	for _, c := range []string{"r1", "r3"} {
		if r, _, ok := n.Speaker(c).Best(pfxQ); !ok || r.OriginatorID != 14 {
			t.Fatalf("%s best Q = %+v %v", c, r, ok)
		}
	}
	// r1 never takes its own route back (ORIGINATOR_ID check, RFC 4456 §8):
	// r2 does not send it back anyway (split horizon), so r1 holds only x's.
	if got := n.Speaker("r1").AdjRIBInCount(n.PeerIndex("r1", "r2")); got != 1 { // just Q
		t.Fatalf("r1 has %d routes from r2, want 1 (Q)", got)
	}
	// Withdrawal propagates through the reflector.
	n.Speaker("x").WithdrawOrigin(pfxP)
	n.Run(5 * s1)
	for _, c := range []string{"r1", "r2", "r3", "r4"} {
		if _, _, ok := n.Speaker(c).Best(pfxP); ok {
			t.Fatalf("%s still has P", c)
		}
	}
}

// Active/standby by AS-path prepend (the quad design in miniature): customer
// c (AS 65001) is dual-homed to p1 and p2 (AS 64512, iBGP between them); c
// prepends twice toward p2, so p2 prefers the iBGP path via p1 ([65001] is
// shorter than [65001 65001 65001]). Cutting c–p1 makes p2 fail over to its
// own session at once; restoring it brings traffic back after
// EstablishDelay + 4 × latency (TCP handshake, then OPEN and KEEPALIVE).
func TestActiveStandbyPrepend(t *testing.T) {
	n := bgptest.New(1)
	n.Record = true
	n.AddRouter(bgp.Config{Name: "c", ASN: 65001, Originate: []netip.Prefix{pfxP}})
	n.AddRouter(bgp.Config{Name: "p1", ASN: 64512})
	n.AddRouter(bgp.Config{Name: "p2", ASN: 64512})
	prim := n.Connect("c", "p1", ms, fast(), fast())
	standby := fast()
	standby.Export = []bgp.Rule{{Prepend: 2}}
	n.Connect("c", "p2", ms, standby, fast())
	n.Connect("p1", "p2", ms, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	p2 := n.Speaker("p2")
	viaP1, direct := n.PeerIndex("p2", "p1"), n.PeerIndex("p2", "c")
	if _, nh, _ := p2.Best(pfxP); !slices.Equal(nh, []int{viaP1}) {
		t.Fatalf("p2 before: %v", nh)
	}
	n.Cut(prim) // t = 10s; p1 withdraws over iBGP, p2 gets it at 10.001s
	n.Run(5 * s1)
	if _, nh, _ := p2.Best(pfxP); !slices.Equal(nh, []int{direct}) {
		t.Fatalf("p2 after cut: %v", nh)
	}
	// (the first [c] line is from the initial convergence, before p1's
	// iBGP route arrived)
	if got := n.Grep("bgp.best p2", "nexthops=[c]"); len(got) != 2 || parseAt(t, got[1]) != 10*s1+ms {
		t.Fatalf("failover: %v", got)
	}
	n.Restore(prim) // t = 15s; c–p1 up at 15s+1s+4ms, p1 learns P at +5ms, p2 at +6ms
	n.Run(5 * s1)
	if got := n.Grep("bgp.best p2", "nexthops=[p1]"); len(got) != 2 || parseAt(t, got[1]) != 16*s1+6*ms {
		t.Fatalf("failback: %v", got)
	}
}

// Active/standby by LOCAL_PREF on import, and RFC 8326 graceful shutdown:
// p has two sessions to c; import sets LOCAL_PREF 200 on session 1. Then c
// tags session 1 with GRACEFUL_SHUTDOWN (an operator drain): p sets
// LOCAL_PREF 0 on it and moves to session 2 without any session going down.
func TestRFC8326_GracefulShutdownDrain(t *testing.T) {
	n := bgptest.New(1)
	n.AddRouter(bgp.Config{Name: "c", ASN: 65001, Originate: []netip.Prefix{pfxP}})
	n.AddRouter(bgp.Config{Name: "p1", ASN: 64512})
	n.AddRouter(bgp.Config{Name: "p2", ASN: 64512})
	lp := uint32(200)
	imp := fast()
	imp.Import = []bgp.Rule{{LocalPref: &lp}}
	n.Connect("c", "p1", ms, fast(), imp)
	n.Connect("c", "p2", ms, fast(), fast())
	n.Connect("p1", "p2", ms, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	if r, nh, _ := n.Speaker("p2").Best(pfxP); r.LocalPref != 200 || !slices.Equal(nh, []int{n.PeerIndex("p2", "p1")}) {
		t.Fatalf("p2 prefers p1's LP 200: %+v %v", r, nh)
	}
	n.Speaker("c").SetExport(n.PeerIndex("c", "p1"), []bgp.Rule{{AddCommunities: []uint32{bgp.GracefulShutdown}}})
	n.Run(5 * s1)
	if r, nh, _ := n.Speaker("p1").Best(pfxP); r.LocalPref != 100 || !slices.Equal(nh, []int{n.PeerIndex("p1", "p2")}) {
		t.Fatalf("p1 after GSHUT: %+v %v", r, nh)
	}
	if nh := n.FIB[n.Index("p2")][pfxP]; !slices.Equal(nh, []int{n.PeerIndex("p2", "c")}) {
		t.Fatalf("p2 after GSHUT: %v", nh)
	}
}

// Multipath: p has three eBGP sessions to c (same AS path) with MaxPaths 2
// ⇒ the two lowest router-ids share (routers c1, c2, c3 of AS 65001, all
// originating P).
func TestMultipathEBGP(t *testing.T) {
	n := bgptest.New(1)
	n.AddRouter(bgp.Config{Name: "p", ASN: 64512, MaxPaths: 2})
	for _, c := range []string{"c1", "c2", "c3"} {
		n.AddRouter(bgp.Config{Name: c, ASN: 65001, Originate: []netip.Prefix{pfxP}})
		n.Connect("p", c, ms, fast(), fast())
	}
	n.Start()
	n.Run(10 * s1)
	if nh := n.FIB[n.Index("p")][pfxP]; !slices.Equal(nh, []int{0, 1}) {
		t.Fatalf("ECMP = %v", nh)
	}
	n.Cut(n.Session("p", "c1"))
	n.Run(s1)
	if nh := n.FIB[n.Index("p")][pfxP]; !slices.Equal(nh, []int{1, 2}) {
		t.Fatalf("ECMP after cut = %v", nh)
	}
}
