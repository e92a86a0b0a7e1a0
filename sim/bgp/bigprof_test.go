package bgp_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

func ringNet(routers, per int, mrai, upd, pfxd sim.Time) *bgptest.Net {
	n := bgptest.New(1)
	for i := range routers {
		var pfx []netip.Prefix
		for j := range per {
			k := i*per + j
			pfx = append(pfx, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k >> 8), byte(k), 0}), 24))
		}
		n.AddRouter(bgp.Config{Name: fmt.Sprint("r", i), ASN: uint32(64512 + i), Originate: pfx,
			UpdateDelay: upd, PrefixDelay: pfxd})
	}
	pc := bgp.PeerConfig{Keepalive: 30 * s1, Hold: 90 * s1, ConnectRetry: 30 * s1, EstablishDelay: s1, MRAI: mrai}
	for i := range routers {
		for _, d := range []int{1, 7} {
			n.Connect(fmt.Sprint("r", i), fmt.Sprint("r", (i+d)%routers), ms, pc, pc)
		}
	}
	return n
}

func TestExplore(t *testing.T) {
	for _, N := range []int{20, 40, 60, 80} {
		for _, upd := range []sim.Time{0, ms} {
			n := ringNet(N, 1, 0, upd, 10*sim.Microsecond)
			n.Start()
			n.Run(10 * sim.Minute)
			n.ResetCounters()
			ev := n.Eng.Processed()
			st := time.Now()
			t0 := n.Eng.Now()
			n.Speaker("r0").WithdrawOrigin(n.Speaker("r0").Config().Originate[0])
			n.Run(10 * sim.Minute)
			t.Logf("N=%d upd=%v: %d events, %d updates, %d best, conv %v, wall %v", N, upd, n.Eng.Processed()-ev, n.UpdatesTx, n.BestChanges, n.LastBest-t0, time.Since(st))
		}
	}
}
