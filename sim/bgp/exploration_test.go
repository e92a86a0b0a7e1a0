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
func clique(n int, mrai, delay sim.Time) *bgptest.Net { return cliqueBatch(n, mrai, delay, 0) }

func cliqueBatch(n int, mrai, delay sim.Time, batch int) *bgptest.Net {
	net := bgptest.New(1)
	for i := range n {
		cfg := bgp.Config{Name: fmt.Sprint("as", i), ASN: uint32(100 + i), UpdateDelay: delay, InputBatch: batch}
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
//
// The UPDATE counts are those of the classic per-message model
// (InputBatch 1: a router sends after every UPDATE it processes). With the
// default input batching the clique's simultaneous withdrawals are absorbed
// in one batch and MRAI 0 sends no more UPDATEs than MRAI 30s, but the
// convergence times still differ as above (checked too).
func TestPathExplorationClique(t *testing.T) {
	type result struct {
		updates, withdrawals, bests int
		conv                        sim.Time
	}
	run := func(n int, mrai sim.Time, batch int) result {
		net := cliqueBatch(n, mrai, ms, batch)
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
			r0 := run(n, 0, 1)
			r30 := run(n, 30*s1, 1)
			b0 := run(n, 0, 0)
			b30 := run(n, 30*s1, 0)
			t.Logf("batched: MRAI 0: %d UPDATEs, %v; MRAI 30s: %d UPDATEs, %v", b0.updates, b0.conv, b30.updates, b30.conv)
			t.Logf("MRAI 0:   %d UPDATEs (%d withdrawals), %d best changes, convergence %v", r0.updates, r0.withdrawals, r0.bests, r0.conv)
			t.Logf("MRAI 30s: %d UPDATEs (%d withdrawals), %d best changes, convergence %v", r30.updates, r30.withdrawals, r30.bests, r30.conv)
			if r0.conv >= s1 {
				t.Errorf("MRAI 0 convergence %v, want < 1s", r0.conv)
			}
			want := sim.Time(n-3) * 30 * s1
			if r30.conv < want || r30.conv > want+s1 {
				t.Errorf("MRAI 30s convergence %v, want (n−3) × 30s = %v (+ < 1s)", r30.conv, want)
			}
			if b0.conv >= s1 || b30.conv < want || b30.conv > want+s1 {
				t.Errorf("batched convergence: MRAI 0 %v, MRAI 30s %v", b0.conv, b30.conv)
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
