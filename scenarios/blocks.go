package scenarios

import (
	"net/netip"

	"github.com/netdrill/netdrill/faults"
)

// benchmarkRange is where max-prefix-exceeded draws its synthetic /32s
// (sim/fabric MaxPrefixExceeded).
var benchmarkRange = netip.MustParsePrefix("198.18.0.0/15")

// aloneFor lists the prefixes a job's faults name — those a
// prefix-withdraw withdraws (its prefix, or its target's first), those a
// route leak announces, originated prefixes inside the range
// max-prefix-exceeded announces from — so that the fabric simulates each of
// them on its own, never inside a prefix block (sim/fabric/blocks.go).
// noBlocks: a random class of route leaks names prefixes only when drawn;
// that run simulates every prefix on its own.
func aloneFor(job Job) (alone []netip.Prefix, noBlocks bool) {
	sc := job.Scenario
	top := sc.Topology
	firstOf := func(target string) {
		if s, ok := top.Site(target); ok && len(s.Prefixes) > 0 {
			alone = append(alone, s.Prefixes[0])
		}
		if r, ok := top.Router(target); ok && len(r.Prefixes) > 0 {
			alone = append(alone, r.Prefixes[0])
		}
	}
	maxPrefix := false
	check := func(kind faults.Kind, target string, prefix netip.Prefix) {
		switch kind {
		case faults.PrefixWithdraw:
			firstOf(target)
			if prefix.IsValid() {
				alone = append(alone, prefix)
			}
		case faults.RouteLeak:
			if prefix.IsValid() {
				alone = append(alone, prefix)
			} else {
				noBlocks = true
			}
		case faults.MaxPrefixExceeded:
			maxPrefix = true
		}
	}
	for _, list := range [][]faults.Fault{sc.Faults, job.Steps} {
		for i := range list {
			check(list[i].Kind, list[i].Target, list[i].Prefix)
		}
	}
	for _, c := range sc.Random {
		for _, comp := range c.Components {
			check(faults.Kind(c.Kind), comp, netip.Prefix{})
		}
	}
	if maxPrefix {
		originated := func(ps []netip.Prefix) {
			for _, p := range ps {
				if p.Overlaps(benchmarkRange) {
					alone = append(alone, p)
				}
			}
		}
		for i := range top.Sites {
			originated(top.Sites[i].Prefixes)
		}
		for i := range top.Routers {
			originated(top.Routers[i].Prefixes)
		}
	}
	return alone, noBlocks
}
