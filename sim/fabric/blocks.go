package fabric

import (
	"net/netip"
	"sync/atomic"

	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/topology"
)

// Prefix blocks. Prefixes that nothing in a run can tell apart are
// simulated by BGP as one destination (bgp.Prefixes.Block): a site's 1,000
// prefixes cost one decision per router instead of 1,000, one Adj-RIB
// entry per peer, one route in each UPDATE. The FIBs and the data plane
// still see every prefix, and every trace record, Listener call, UPDATE
// size, processing delay and max-prefix count is per prefix, in the same
// order, so a run is byte for byte the one with the prefixes simulated one
// by one (TestPrefixBlocksChangeNothing).
//
// A block is a run of two or more prefixes that every speaker originating
// one of them originates all of, consecutively and in the same order
// (a site's prefix list at its hub or at each of its cores, a router's own
// list), that every policy's match_prefixes matches all or none of, and
// that holds no prefix Options.Alone names (those a fault withdraws or
// leaks, given by the runner).

// noBlocks turns prefix blocks off (SetPrefixBlocks).
var noBlocks atomic.Bool

// SetPrefixBlocks switches prefix blocks off (on = false) for fabrics built
// after the call. It exists for the test that proves blocks change
// nothing; the returned function restores the previous setting.
func SetPrefixBlocks(on bool) (restore func()) {
	old := noBlocks.Swap(!on)
	return func() { noBlocks.Store(old) }
}

// registerPrefixes gives every originated prefix its ID in the simulation's
// prefix table, as blocks where it can, in the order of the speakers'
// configurations.
func registerPrefixes(tab *bgp.Prefixes, cfgs []bgp.Config, top *topology.Topology, opt Options) {
	type at struct{ cfg, idx int }
	occ := map[netip.Prefix][]at{}
	for i := range cfgs {
		for j, p := range cfgs[i].Originate {
			occ[p] = append(occ[p], at{i, j})
		}
	}
	alone := map[netip.Prefix]bool{}
	for _, p := range opt.Alone {
		alone[p] = true
	}
	var matchLists [][]netip.Prefix
	for si := range top.Sessions {
		s := &top.Sessions[si]
		for _, rules := range [][]topology.Rule{s.A.Import, s.A.Export, s.B.Import, s.B.Export} {
			for _, r := range rules {
				if len(r.MatchPrefixes) > 0 {
					matchLists = append(matchLists, r.MatchPrefixes)
				}
			}
		}
	}
	sameMatches := func(p, q netip.Prefix) bool {
		for _, l := range matchLists {
			if covered(p, l) != covered(q, l) {
				return false
			}
		}
		return true
	}
	// eligible: named by no fault, and at most once in any one list.
	eligible := func(p netip.Prefix) bool {
		if alone[p] {
			return false
		}
		o := occ[p]
		for k := 1; k < len(o); k++ {
			if o[k].cfg == o[k-1].cfg {
				return false
			}
		}
		return true
	}
	blocks := !noBlocks.Load() && !opt.NoBlocks
	done := map[netip.Prefix]bool{}
	var run []netip.Prefix
	for i := range cfgs {
		list := cfgs[i].Originate
		for j := 0; j < len(list); j++ {
			p := list[j]
			if done[p] {
				continue
			}
			run = append(run[:0], p)
			done[p] = true
			if blocks && eligible(p) {
				po := occ[p]
			extend:
				for k := 1; j+k < len(list); k++ {
					q := list[j+k]
					if done[q] || !eligible(q) || len(occ[q]) != len(po) || !sameMatches(p, q) {
						break
					}
					for _, o := range po {
						l := cfgs[o.cfg].Originate
						if o.idx+k >= len(l) || l[o.idx+k] != q {
							break extend
						}
					}
					run = append(run, q)
					done[q] = true
				}
			}
			if len(run) > 1 {
				tab.Block(run)
				j += len(run) - 1
			} else {
				tab.ID(p)
			}
		}
	}
}

// covered reports whether p equals or is inside one of l (a rule's
// match_prefixes).
func covered(p netip.Prefix, l []netip.Prefix) bool {
	for _, m := range l {
		if m.Bits() <= p.Bits() && m.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// PrefixBlocks returns how many prefix blocks the fabric simulates and how
// many prefixes they hold.
func (f *Fabric) PrefixBlocks() (blocks, prefixes int) { return f.pfx.Blocks() }
