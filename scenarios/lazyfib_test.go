package scenarios

import (
	"net/netip"
	"testing"
	"time"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology/gen"
)

// runLazyBothWays runs a scenario with lazy FIBs during warm-up (the
// default) and with every FIB's timer, and fails unless the traces are
// byte-identical. It returns the kernel events lazy FIBs saved.
func runLazyBothWays(t *testing.T, label string, load func() *Scenario) uint64 {
	t.Helper()
	restore := fabric.SetLazyFIBs(false)
	eager, errA := Run(load(), Options{})
	restore()
	lazy, errB := Run(load(), Options{})
	if !requireSameRuns(t, label, "FIB timers", "lazy FIBs", eager, lazy, errA, errB) {
		return 0
	}
	if eager.Warmup != lazy.Warmup {
		t.Fatalf("%s: warm-up took %v with FIB timers, %v lazy", label, eager.Warmup, lazy.Warmup)
	}
	if lazy.SimEvents > eager.SimEvents {
		t.Fatalf("%s: lazy FIBs ran more events (%d) than timers (%d)", label, lazy.SimEvents, eager.SimEvents)
	}
	return eager.SimEvents - lazy.SimEvents
}

// Lazy FIBs (fib.SetLazy: during warm-up, whose quiet watch only counts FIB
// changes, members are programmed by arithmetic instead of one event each)
// change nothing: every example, generated fabrics and random scenarios
// give the same trace and the same warm-up length as with every FIB's
// timer. (That a lazy FIB answers as a timed one at every instant, install
// instants included, is sim/fib's TestLazyMatchesTimer; that the warm-up
// waits for FIBs is TestWarmupWaitsForFIBs.)
func TestLazyFIBsChangeNothing(t *testing.T) {
	count := 20
	if testing.Short() {
		count = 6
	}
	cases := append(exampleCases(t), genCases(t,
		gen.Options{Kind: gen.QuadMesh, Sites: 3, Prefixes: 12, Fault: "router-crash"},
		gen.Options{Kind: gen.LeafSpine, Routers: 30, Prefixes: 4, Fault: "control-plane-hang"},
		gen.Options{Kind: gen.ASGraph, Sites: 30, Prefixes: 4, MRAI: 30 * time.Second, UpdateDelay: 10 * time.Millisecond},
		gen.Options{Kind: gen.ASGraph, Sites: 25, Prefixes: 3, Fault: "routing-process-crash"},
		gen.Options{Kind: gen.ASGraph, Sites: 40, Prefixes: 1, MRAI: 5 * time.Second, Fault: "session-reset", Seed: 4},
	)...)
	var saved uint64
	for _, c := range append(cases, randomCases(t, count, 23, true)...) {
		saved += runLazyBothWays(t, c.label, c.load)
	}
	if saved == 0 {
		t.Fatal("lazy FIBs saved no event: the comparison proves nothing")
	}
	t.Logf("lazy FIBs saved %d kernel events", saved)
}

// The warm-up waits for the FIBs, lazy or not: with 3,000 prefixes more at
// one site and 20 ms to program each, FIBs program for a minute after BGP
// settles, and the warm-up ends only 45 s after their last change, with
// nothing left to program.
func TestWarmupWaitsForFIBs(t *testing.T) {
	for _, lazy := range []bool{false, true} {
		restore := fabric.SetLazyFIBs(lazy)
		sc, err := Load("../examples/scenarios/facility-loss-at-peak.toml")
		if err != nil {
			restore()
			t.Fatal(err)
		}
		top := sc.Topology
		for k := range 3000 {
			top.Sites[0].Prefixes = append(top.Sites[0].Prefixes, netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64 + byte(k>>8), byte(k), 0}), 24))
		}
		for i := range top.Routers {
			top.Routers[i].FIBInstallDelay = 20 * time.Millisecond
		}
		p, err := Prepare(JobFor(sc), Options{})
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if n := p.fab.FIBPending(); n > 0 {
			t.Fatalf("lazy %v: %d prefixes still to program when the warm-up ended at %v", lazy, n, p.base)
		}
		if p.base < 60*sim.Second+warmupQuiet {
			t.Fatalf("lazy %v: warm-up ended at %v, before the FIBs could have programmed 3,000 prefixes (60 s) and been quiet for %v", lazy, p.base, warmupQuiet)
		}
	}
}
