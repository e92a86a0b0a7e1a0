package bgp_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

// TestExportClassesChangeNothing runs random route-reflected POPs with
// eBGP neighbours through random faults twice — with the export classes'
// memory and without — and requires identical traces. Clients share a
// class unless next-hop-self or an export policy sets them apart; export
// policies are changed mid-run (a peer moves to another class or a new
// one), routes are leaked toward single peers (outside any class), and
// the RRs' clients are cut and restored.
func TestExportClassesChangeNothing(t *testing.T) {
	for seed := uint64(0); seed < 12; seed++ {
		on := classesRun(seed, true)
		off := classesRun(seed, false)
		if !slices.Equal(on, off) {
			for i := range min(len(on), len(off)) {
				if on[i] != off[i] {
					t.Fatalf("seed %d: line %d differs:\nwith classes    %s\nwithout classes %s", seed, i, on[i], off[i])
				}
			}
			t.Fatalf("seed %d: %d lines with classes, %d without", seed, len(on), len(off))
		}
		if len(on) < 500 {
			t.Fatalf("seed %d: only %d trace lines: the run did too little to compare", seed, len(on))
		}
	}
}

func classesRun(seed uint64, classes bool) []string {
	defer bgp.SetExportClasses(classes)()
	r := rand.New(rand.NewPCG(seed, 11))
	n := bgptest.New(seed)
	n.Record = true
	pfx := func(k int) netip.Prefix {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k >> 8), byte(k), 0}), 24)
	}
	// Three export policies: two of them equal in content (one class).
	lp := uint32(50)
	policies := [][]bgp.Rule{nil, {{Prepend: 1}}, {{Prepend: 1}}, {{MatchPrefixes: []netip.Prefix{pfx(3)}, Deny: true}}, {{LocalPref: &lp}}}
	const rrs, clients, ext = 2, 10, 4
	for i := range rrs {
		n.AddRouter(bgp.Config{Name: fmt.Sprint("rr", i), ASN: 65000, RouterID: uint32(100 + i), UpdateDelay: sim.Millisecond, MaxPaths: 1 + r.IntN(2)})
	}
	for i := range clients {
		n.AddRouter(bgp.Config{Name: fmt.Sprint("c", i), ASN: 65000, RouterID: uint32(200 + i), Originate: []netip.Prefix{pfx(i)},
			UpdateDelay: sim.Millisecond, InputBatch: 1 + r.IntN(3)})
	}
	for i := range ext {
		n.AddRouter(bgp.Config{Name: fmt.Sprint("x", i), ASN: uint32(64600 + i%3), RouterID: uint32(300 + i),
			Originate: []netip.Prefix{pfx(100 + i), pfx(200)}, UpdateDelay: sim.Millisecond})
	}
	mrai := []sim.Time{0, 2 * sim.Second}[r.IntN(2)]
	base := bgp.PeerConfig{Keepalive: 30 * sim.Second, Hold: 90 * sim.Second, ConnectRetry: 5 * sim.Second, EstablishDelay: sim.Second, MRAI: mrai}
	var ss []*bgptest.Session
	for i := range rrs {
		for j := range clients {
			rr, c := base, base
			rr.RRClient = true
			rr.Export = policies[r.IntN(len(policies))]
			c.NextHopSelf = r.IntN(3) == 0
			ss = append(ss, n.Connect(fmt.Sprint("rr", i), fmt.Sprint("c", j), sim.Time(1+r.IntN(3))*sim.Millisecond, rr, c))
		}
		for j := range ext {
			a, b := base, base
			a.Export = policies[r.IntN(len(policies))]
			a.NoSendBack = r.IntN(2) == 0
			ss = append(ss, n.Connect(fmt.Sprint("rr", i), fmt.Sprint("x", j), sim.Time(1+r.IntN(5))*sim.Millisecond, a, b))
		}
	}
	ss = append(ss, n.Connect("rr0", "rr1", sim.Millisecond, base, base))
	n.Start()
	n.Run(randTime(r, 60))
	for range 40 {
		rr := n.Speaker(fmt.Sprint("rr", r.IntN(rrs)))
		peers := len(rr.Config().Peers)
		switch r.IntN(6) {
		case 0:
			rr.SetExport(r.IntN(peers), policies[r.IntN(len(policies))])
		case 1:
			rr.Announce(r.IntN(peers), []bgp.Route{{Prefix: pfx(100 + r.IntN(ext)), ASPath: []uint32{64999}, NextHop: rr.Name()}})
		case 2:
			n.Flip(ss[r.IntN(len(ss))])
		case 3:
			c := n.Speaker(fmt.Sprint("c", r.IntN(clients)))
			if o := c.Config().Originate; len(o) > 0 && r.IntN(2) == 0 {
				c.WithdrawOrigin(o[0])
			} else {
				c.Originate(pfx(200))
			}
		case 4:
			x := n.Speaker(fmt.Sprint("x", r.IntN(ext)))
			x.WithdrawOrigin(pfx(200))
		case 5:
			x := n.Speaker(fmt.Sprint("x", r.IntN(ext)))
			x.Originate(pfx(200))
		}
		n.Run(randTime(r, 20))
	}
	n.Run(5 * sim.Minute)
	return n.Lines
}

func randTime(r *rand.Rand, s int) sim.Time {
	return sim.Time(r.IntN(s*1000)) * sim.Millisecond
}
