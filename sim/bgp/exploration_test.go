package bgp_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

// clique wires n single-router ASes as0…as(n-1) in a full mesh of eBGP
// sessions with 10ms latency and the given MRAI and per-UPDATE processing
// delay; as0 originates P.
func clique(n int, mrai, delay sim.Time) *bgptest.Net {
	net := bgptest.New(1)
	for i := range n {
		cfg := bgp.Config{Name: fmt.Sprint("as", i), ASN: uint32(100 + i), UpdateDelay: delay}
		if i == 0 {
			cfg.Originate = []netip.Prefix{pfxP}
		}
		net.AddRouter(cfg)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			net.Connect(fmt.Sprint("as", i), fmt.Sprint("as", j), 10*ms, withMRAI(mrai), withMRAI(mrai))
		}
	}
	return net
}

// Path exploration (Labovitz et al., "Delayed Internet Routing Convergence",
// SIGCOMM 2000): in a clique of n ASes the origin's withdrawal makes every
// other AS fall back to ever longer paths through its neighbours before
// giving up.
//
// Without MRAI the exploration runs at message speed: many UPDATEs, over in
// tens of ms with 10ms links. With MRAI each AS announces at most once per
// MRAI per peer (withdrawals are not paced), so each step of exploration
// costs one MRAI round: the paper's bound for the clique is (n−3) × MRAI,
// here for n = 4, 5, 6: 30s, 60s, 90s (plus a few ms of message latency),
// with fewer UPDATEs than without MRAI. Every AS ends with no route.
func TestPathExplorationClique(t *testing.T) {
	type result struct {
		updates, withdrawals, bests int
		conv                        sim.Time
	}
	run := func(n int, mrai sim.Time) result {
		net := clique(n, mrai, ms)
		net.Start()
		net.Run(300 * s1) // converge (initial MRAI rounds included)
		net.ResetCounters()
		t0 := net.Eng.Now()
		net.Speaker("as0").WithdrawOrigin(pfxP)
		net.Run(400 * s1)
		for i := range n {
			if _, _, ok := net.Speakers[i].Best(pfxP); ok {
				t.Fatalf("n=%d mrai %v: as%d still has P", n, mrai, i)
			}
		}
		return result{net.UpdatesTx, net.WithdrawTx, net.BestChanges, net.LastBest - t0}
	}
	for _, n := range []int{4, 5, 6} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			r0 := run(n, 0)
			r30 := run(n, 30*s1)
			t.Logf("MRAI 0:   %d UPDATEs (%d withdrawals), %d best changes, convergence %v", r0.updates, r0.withdrawals, r0.bests, r0.conv)
			t.Logf("MRAI 30s: %d UPDATEs (%d withdrawals), %d best changes, convergence %v", r30.updates, r30.withdrawals, r30.bests, r30.conv)
			if r0.conv >= s1 {
				t.Errorf("MRAI 0 convergence %v, want < 1s", r0.conv)
			}
			want := sim.Time(n-3) * 30 * s1
			if r30.conv < want || r30.conv > want+s1 {
				t.Errorf("MRAI 30s convergence %v, want (n−3) × 30s = %v (+ < 1s)", r30.conv, want)
			}
			if r0.updates <= r30.updates {
				t.Errorf("UPDATEs: MRAI 0 %d, MRAI 30s %d: want more without MRAI", r0.updates, r30.updates)
			}
			if r0.bests <= n-1 {
				t.Errorf("MRAI 0: %d best changes, want path exploration (> %d)", r0.bests, n-1)
			}
		})
	}
}
