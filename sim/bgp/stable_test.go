package bgp_test

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

// TestRandomNetsTraceStable runs random small AS graphs (random MRAI,
// input batching, multipath, shared ASNs, latencies) through random
// withdrawals, originations, carrier cuts and export changes, and checks
// each whole trace against the hash that the speaker gave before the
// Adj-RIB-Out and MRAI flush were rewritten (fingerprints instead of routes,
// only changed prefixes re-examined): the rewrite must change nothing. The
// hashes were taken again when sessions got a TCP handshake (SYN, SYN-ACK
// before OPEN: every establishment 2 × latency later).
func TestRandomNetsTraceStable(t *testing.T) {
	want := []string{"5fddf7155dd614c6", "048563673ef4fb44", "be09de5f9d6a91aa", "ae751e098c99089a",
		"635e5f10ce565fdc", "cfc8f2808406e270", "6b1d7220ce325470", "8704ec5fabfb3299"}
	for seed := uint64(0); seed < 8; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		const routers = 30
		n := bgptest.New(seed)
		n.Record = true
		for i := range routers {
			var pfx []netip.Prefix
			for j := range 3 {
				k := i*3 + j
				pfx = append(pfx, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k >> 8), byte(k), 0}), 24))
			}
			n.AddRouter(bgp.Config{Name: fmt.Sprint("r", i), ASN: uint32(64512 + i%(routers-r.IntN(3))), Originate: pfx,
				UpdateDelay: sim.Millisecond, PrefixDelay: 10 * sim.Microsecond, InputBatch: 1 + r.IntN(3), MaxPaths: 1 + r.IntN(2)})
		}
		mrai := []sim.Time{0, 5 * sim.Second, 30 * sim.Second}[r.IntN(3)]
		pc := bgp.PeerConfig{Keepalive: 30 * sim.Second, Hold: 90 * sim.Second, ConnectRetry: 30 * sim.Second, EstablishDelay: sim.Second, MRAI: mrai}
		var ss []*bgptest.Session
		for i := range routers {
			for _, d := range []int{1, 5} {
				ss = append(ss, n.Connect(fmt.Sprint("r", i), fmt.Sprint("r", (i+d)%routers), sim.Time(1+r.IntN(5))*sim.Millisecond, pc, pc))
			}
		}
		n.Start()
		n.Run(5 * sim.Minute)
		for k := 0; k < 30; k++ {
			switch r.IntN(4) {
			case 0:
				sp := n.Speaker(fmt.Sprint("r", r.IntN(routers)))
				p := sp.Config().Originate
				if len(p) > 0 {
					sp.WithdrawOrigin(p[0])
				}
			case 1:
				sp := n.Speaker(fmt.Sprint("r", r.IntN(routers)))
				sp.Originate(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 9, byte(r.IntN(50)), 0}), 24))
			case 2:
				n.Flip(ss[r.IntN(len(ss))])
			case 3:
				sp := n.Speaker(fmt.Sprint("r", r.IntN(routers)))
				sp.SetExport(0, []bgp.Rule{{Prepend: r.IntN(3)}})
			}
			n.Run(sim.Time(r.IntN(40)) * sim.Second)
		}
		n.Run(10 * sim.Minute)
		h := sha256.Sum256([]byte(strings.Join(n.Lines, "\n")))
		if got := fmt.Sprintf("%x", h[:8]); got != want[seed] {
			t.Errorf("seed %d (mrai %v): trace of %d lines hashes to %s, want %s", seed, mrai, len(n.Lines), got, want[seed])
		}
	}
}
