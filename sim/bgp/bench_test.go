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

// bigNet is 200 single-router ASes, each originating 5 prefixes (1,000 in
// all), on a ring with chords (neighbours i±1 and i±7: degree 4, 400 eBGP
// sessions), 1ms links, 30/90 timers, MRAI 0, 1ms per UPDATE + 10µs per
// prefix processing. It returns the net after initial convergence.
func bigNet(tb testing.TB, mrai sim.Time) *bgptest.Net {
	const routers, per = 200, 5
	n := bgptest.New(1)
	n.NoTrace = true
	for i := range routers {
		var pfx []netip.Prefix
		for j := range per {
			k := i*per + j
			pfx = append(pfx, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k >> 8), byte(k), 0}), 24))
		}
		n.AddRouter(bgp.Config{Name: fmt.Sprint("r", i), ASN: uint32(64512 + i), Originate: pfx,
			UpdateDelay: ms, PrefixDelay: 10 * sim.Microsecond})
	}
	pc := bgp.PeerConfig{Keepalive: 30 * s1, Hold: 90 * s1, ConnectRetry: 30 * s1, EstablishDelay: s1, MRAI: mrai}
	for i := range routers {
		for _, d := range []int{1, 7} {
			n.Connect(fmt.Sprint("r", i), fmt.Sprint("r", (i+d)%routers), ms, pc, pc)
		}
	}
	n.Start()
	n.Run(10 * sim.Minute)
	for i := range routers {
		if got := len(n.FIB[i]); got != routers*per {
			tb.Fatalf("r%d has %d routes after initial convergence", i, got)
		}
	}
	return n
}

// settle gives a fault 2 minutes of virtual time to converge (enough with
// MRAI 30s on this fabric; checked by TestBigNetProfile).
func settle(n *bgptest.Net) {
	n.Run(2 * sim.Minute)
}

// bigNets caches one converged fabric per MRAI: every op restores what it
// broke, so the benchmark's repeated runs (b.N = 1, then more) reuse it.
var bigNets = map[sim.Time]*bgptest.Net{}

func benchConverge(b *testing.B, mrai sim.Time, fault, repair func(n *bgptest.Net)) {
	n := bigNets[mrai]
	if n == nil {
		n = bigNet(b, mrai)
		bigNets[mrai] = n
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	cpu0 := cpuTime()
	ev0 := n.Eng.Processed()
	var conv sim.Time
	fibs := 0
	for range b.N {
		n.ResetCounters()
		t0 := n.Eng.Now()
		fault(n)
		settle(n)
		conv += n.LastFIB - t0
		fibs += n.FIBChanges
		repair(n)
		settle(n)
	}
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(n.Eng.Processed()-ev0)/el.Seconds(), "events/s")
	b.ReportMetric(float64(n.Eng.Processed()-ev0)/float64(b.N), "events/op")
	b.ReportMetric((conv/sim.Time(b.N)).Seconds()*1000, "fault-conv-ms")
	b.ReportMetric(float64(fibs)/float64(b.N), "fault-fib-changes")
}

// BenchmarkConvergence200x1000 measures one fault and its repair per op on
// the 200-router, 1,000-prefix fabric: a prefix withdrawal (r0 withdraws its
// 5 prefixes, then re-originates them) and a router failure (r100 crashes
// and its 4 sessions lose carrier, then it boots and they come back).
func BenchmarkConvergence200x1000(b *testing.B) {
	r0 := func(n *bgptest.Net) *bgp.Speaker { return n.Speaker("r0") }
	for _, mrai := range []sim.Time{0, 30 * s1} {
		b.Run(fmt.Sprintf("withdraw/mrai=%v", mrai), func(b *testing.B) {
			benchConverge(b, mrai, func(n *bgptest.Net) {
				for _, p := range r0(n).Config().Originate {
					r0(n).WithdrawOrigin(p)
				}
			}, func(n *bgptest.Net) {
				for _, p := range r0(n).Config().Originate {
					r0(n).Originate(p)
				}
			})
		})
		b.Run(fmt.Sprintf("crash/mrai=%v", mrai), func(b *testing.B) {
			benchConverge(b, mrai, func(n *bgptest.Net) { n.Crash("r100") }, func(n *bgptest.Net) { n.Boot("r100") })
		})
	}
}
