package scenarios

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology"
	"github.com/netdrill/netdrill/topology/gen"
)

// blockRuns counts the blocks the runs of TestPrefixBlocks* simulated.
type blockRuns struct{ runs, withBlocks, blocks, prefixes int }

// runBlocksBothWays runs a scenario with prefix blocks and with every
// prefix on its own, and fails unless the traces are byte-identical.
func runBlocksBothWays(t *testing.T, label string, load func() *Scenario, n *blockRuns) {
	t.Helper()
	restore := fabric.SetPrefixBlocks(false)
	alone, errA := Run(load(), Options{})
	restore()
	sc := load()
	p, err := Prepare(JobFor(sc), Options{})
	var blocked *Result
	errB := err
	if err == nil {
		b, pf := p.fab.PrefixBlocks()
		n.runs++
		if b > 0 {
			n.withBlocks++
		}
		n.blocks += b
		n.prefixes += pf
		blocked, errB = p.Simulate()
	}
	if !requireSameRuns(t, label, "prefixes alone", "blocks", alone, blocked, errA, errB) {
		return
	}
	if alone.SimEvents != blocked.SimEvents {
		t.Fatalf("%s: kernel events differ: %d alone, %d with blocks", label, alone.SimEvents, blocked.SimEvents)
	}
}

// Prefix blocks (sim/fabric/blocks.go) change nothing: every example, and
// generated fabrics through their default faults.
func TestPrefixBlocksChangeNothing(t *testing.T) {
	var n blockRuns
	cases := append(exampleCases(t), genCases(t,
		gen.Options{Kind: gen.QuadMesh, Sites: 3, Prefixes: 12, Fault: "router-crash"},
		gen.Options{Kind: gen.QuadMesh, Sites: 2, Prefixes: 5},
		gen.Options{Kind: gen.LeafSpine, Routers: 30, Prefixes: 4, Fault: "control-plane-hang"},
		gen.Options{Kind: gen.LeafSpine, Routers: 24, Prefixes: 3, Fault: "link-silent"},
		gen.Options{Kind: gen.ASGraph, Sites: 30, Prefixes: 4, MRAI: 30 * time.Second, UpdateDelay: 10 * time.Millisecond},
		gen.Options{Kind: gen.ASGraph, Sites: 25, Prefixes: 3, Fault: "routing-process-crash"},
		gen.Options{Kind: gen.ASGraph, Sites: 25, Prefixes: 3, MRAI: 5 * time.Second, Fault: "session-reset", Seed: 4},
	)...)
	for _, c := range cases {
		runBlocksBothWays(t, c.label, c.load, &n)
	}
	if n.withBlocks < 8 {
		t.Fatalf("only %d of %d runs had prefix blocks: the comparison proves little", n.withBlocks, n.runs)
	}
	t.Logf("%d runs, %d with blocks: %d blocks of %d prefixes", n.runs, n.withBlocks, n.blocks, n.prefixes)
}

// … and random scenarios on the example topologies, their sites given
// 1–6 prefixes (and some routers their own), random import and export
// policies that match some of them by prefix, and random faults among which
// prefix withdrawals and route leaks of originated prefixes.
func TestPrefixBlocksRandom(t *testing.T) {
	count := 40
	if testing.Short() {
		count = 10
	}
	var n blockRuns
	for _, c := range randomCases(t, count, 17, true) {
		runBlocksBothWays(t, c.label, c.load, &n)
	}
	if n.withBlocks < count/2 {
		t.Fatalf("only %d of %d runs had prefix blocks: the comparison proves little", n.withBlocks, n.runs)
	}
	t.Logf("%d runs, %d with blocks: %d blocks of %d prefixes", n.runs, n.withBlocks, n.blocks, n.prefixes)
}

// morePrefixes gives sc's sites 1–6 more prefixes and some routers their
// own, adds import/export rules matching some of them by prefix, and turns
// some faults into withdrawals or leaks of the new prefixes.
func morePrefixes(sc *Scenario, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 5))
	top := sc.Topology
	k := 0
	next := func() netip.Prefix {
		k++
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64 + byte(k>>8), byte(k), 0}), 24)
	}
	var all []netip.Prefix
	for i := range top.Sites {
		for range 1 + r.IntN(6) {
			top.Sites[i].Prefixes = append(top.Sites[i].Prefixes, next())
		}
		all = append(all, top.Sites[i].Prefixes...)
	}
	for i := range top.Routers {
		if r.IntN(4) == 0 {
			for range 1 + r.IntN(3) {
				top.Routers[i].Prefixes = append(top.Routers[i].Prefixes, next())
			}
			all = append(all, top.Routers[i].Prefixes...)
		}
	}
	for i := range top.Sessions {
		if r.IntN(3) > 0 || len(all) == 0 {
			continue
		}
		lp := uint32(50 + r.IntN(200))
		match := []netip.Prefix{all[r.IntN(len(all))]}
		if r.IntN(2) == 0 {
			match = append(match, netip.MustParsePrefix("100.64.0.0/20")) // covers some new ones
		}
		rule := topology.Rule{MatchPrefixes: match, LocalPref: &lp}
		e := &top.Sessions[i].A
		if r.IntN(2) == 0 {
			e = &top.Sessions[i].B
		}
		if r.IntN(2) == 0 {
			e.Import = append([]topology.Rule{rule}, e.Import...)
		} else {
			rule.LocalPref, rule.Prepend = nil, 1+r.IntN(2)
			e.Export = append([]topology.Rule{rule}, e.Export...)
		}
	}
	for i := range sc.Faults {
		f := &sc.Faults[i]
		switch {
		case f.Kind == faults.PrefixWithdraw:
			if s, ok := top.Site(f.Target); ok && len(s.Prefixes) > 1 && r.IntN(2) == 0 {
				f.Prefix = s.Prefixes[1+r.IntN(len(s.Prefixes)-1)]
			}
		case f.Kind == faults.RouteLeak && len(all) > 0 && r.IntN(2) == 0:
			f.Prefix = all[r.IntN(len(all))]
		}
	}
	if len(all) > 0 && r.IntN(3) == 0 {
		// a late withdrawal in the middle of a site's list
		s := &top.Sites[r.IntN(len(top.Sites))]
		if len(s.Prefixes) > 2 {
			sc.Faults = append(sc.Faults, faults.Fault{ID: "late-withdraw", Kind: faults.PrefixWithdraw, Target: s.Name,
				Prefix: s.Prefixes[len(s.Prefixes)/2], At: sc.Duration / 2, Repair: sim.Minute})
		}
	}
}

// Every fault kind that names a prefix (a catalog parameter of type
// prefix) keeps that prefix out of blocks, and so does max-prefix-exceeded
// for what it announces: aloneFor is the one place that knows.
func TestAloneForEveryPrefixKind(t *testing.T) {
	sc, err := Load("../examples/scenarios/aws-oci-facility-loss.toml")
	if err != nil {
		t.Fatal(err)
	}
	site := sc.Topology.Sites[0]
	leak := netip.MustParsePrefix("203.0.113.0/24")
	for _, k := range catalog.Kinds {
		for _, p := range k.Params {
			if p.Type != catalog.Prefix {
				continue
			}
			f := faults.Fault{ID: "x", Kind: faults.Kind(k.Name), Target: site.Name, Prefix: leak}
			job := Job{Scenario: sc, Steps: []faults.Fault{f}}
			alone, off := aloneFor(job)
			if !off && !slices.Contains(alone, leak) {
				t.Errorf("%s names prefix %s in %q, which aloneFor does not keep alone (alone %v)", k.Name, leak, p.Name, alone)
			}
			if p.Implied != "" && !off && !slices.Contains(alone, site.Prefixes[0]) {
				t.Errorf("%s without %q names %s (%s), which aloneFor does not keep alone", k.Name, p.Name, site.Prefixes[0], p.Implied)
			}
		}
	}
	top := *sc.Topology
	top.Sites = slices.Clone(top.Sites)
	top.Sites[0].Prefixes = []netip.Prefix{netip.MustParsePrefix("198.18.4.0/24"), netip.MustParsePrefix("10.9.0.0/24")}
	sc2 := *sc
	sc2.Topology = &top
	alone, _ := aloneFor(Job{Scenario: &sc2, Steps: []faults.Fault{{ID: "m", Kind: faults.MaxPrefixExceeded, Target: sc.Topology.Sessions[0].Name}}})
	if !slices.Contains(alone, top.Sites[0].Prefixes[0]) || slices.Contains(alone, top.Sites[0].Prefixes[1]) {
		t.Errorf("max-prefix-exceeded: alone %v, want 198.18.4.0/24 and not 10.9.0.0/24", alone)
	}
}
