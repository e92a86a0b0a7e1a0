package fabric

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/flow"
	"github.com/netdrill/netdrill/topology"
)

// rules converts topology policy rules to the speaker's form. The topology
// has validated them, so a community that does not parse cannot occur; it
// would be skipped.
func rules(in []topology.Rule) []bgp.Rule {
	if len(in) == 0 {
		return nil
	}
	out := make([]bgp.Rule, 0, len(in))
	for _, r := range in {
		br := bgp.Rule{
			MatchPrefixes: r.MatchPrefixes,
			MatchASPath:   r.MatchASPath,
			Deny:          r.Deny,
			LocalPref:     r.LocalPref,
			MED:           r.MED,
			Prepend:       r.Prepend,
		}
		if r.MatchCommunity != "" {
			if c, err := ParseCommunity(r.MatchCommunity); err == nil {
				br.MatchCommunity, br.HasMatchCommunity = c, true
			}
		}
		for _, s := range r.AddCommunities {
			if c, err := ParseCommunity(s); err == nil {
				br.AddCommunities = append(br.AddCommunities, c)
			}
		}
		out = append(out, br)
	}
	return out
}

// ParseCommunity parses a standard community "asn:value" (RFC 1997) or a
// well-known name (graceful-shutdown, no-export).
func ParseCommunity(s string) (uint32, error) {
	switch strings.ToLower(s) {
	case "graceful-shutdown", "graceful_shutdown":
		return 65535 << 16, nil // 65535:0
	case "no-export", "no_export":
		return 65535<<16 | 65281, nil
	}
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return 0, fmt.Errorf("community %q: want asn:value", s)
	}
	hi, err1 := strconv.ParseUint(a, 10, 16)
	lo, err2 := strconv.ParseUint(b, 10, 16)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("community %q: want two numbers 0-65535", s)
	}
	return uint32(hi)<<16 | uint32(lo), nil
}

// AddDemand adds traffic from site `from` to site or prefix `to` at rate
// bits/s. The demand enters at the site's hub.
func (f *Fabric) AddDemand(name, from, to string, rate float64) error {
	src, ok := f.siteIngress(from)
	if !ok {
		return fmt.Errorf("demand %q: unknown site %q", name, from)
	}
	dst, err := f.destination(to)
	if err != nil {
		return fmt.Errorf("demand %q: %v", name, err)
	}
	if _, dup := f.demands[name]; dup {
		return fmt.Errorf("demand %q defined twice", name)
	}
	f.demands[name] = f.net.AddDemand(name, f.nodes[src].flow, dst, rate)
	f.demandDst = append(f.demandDst, dst)
	f.watchDemands()
	f.tracerKinds() // a demand sees FIB changes: no FIB is lazy any more
	f.demandNm = append(f.demandNm, name)
	f.demandDescs = append(f.demandDescs, DemandDesc{Name: name, From: from, To: to, Rate: rate})
	f.markDirty()
	return nil
}

// demandIn reports whether a demand goes to an address in p: only then can
// a FIB change of p move traffic (a demand added later is walked afresh).
func (f *Fabric) demandIn(p netip.Prefix) bool {
	for _, a := range f.demandDst {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// watchDemands marks the prefix IDs that hold a demand's destination
// (watched): a FIB tells the data plane of a change only for those.
func (f *Fabric) watchDemands() {
	n := f.pfx.Len()
	f.watchBits = make([]uint64, (n+63)/64)
	f.watchN = int32(n)
	for id := range int32(n) {
		if f.demandIn(f.pfx.Prefix(id)) {
			f.watchBits[id>>6] |= 1 << (id & 63)
		}
	}
}

// watched reports whether a FIB change of prefix id can move traffic: a
// demand goes to an address inside it (a demand added later is walked
// afresh anyway).
func (f *Fabric) watched(id int32) bool {
	switch {
	case len(f.demandDst) == 0:
		return false // no demand yet (the warm-up)
	case id >= f.watchN:
		return f.demandIn(f.pfx.Prefix(id)) // an ID given since (a leaked prefix)
	}
	return f.watchBits[id>>6]&(1<<(id&63)) != 0
}

// siteIngress is where a site's traffic enters the fabric: its hub, or
// for a site with core routers its first core router (file order).
func (f *Fabric) siteIngress(site string) (int, bool) {
	if id, ok := f.nodeByID[site]; ok && f.nodes[id].hub {
		return id, true
	}
	if cores := f.top.Cores(site); len(cores) > 0 {
		return f.nodeByID[cores[0]], true
	}
	return 0, false
}

func (f *Fabric) destination(to string) (netip.Addr, error) {
	if s, ok := f.top.Site(to); ok {
		if _, ok := f.siteIngress(to); ok {
			if len(s.Prefixes) == 0 {
				return netip.Addr{}, fmt.Errorf("site %q has no prefixes", to)
			}
			return s.Prefixes[0].Addr(), nil
		}
	}
	if p, err := netip.ParsePrefix(to); err == nil {
		return p.Addr(), nil
	}
	if a, err := netip.ParseAddr(to); err == nil {
		return a, nil
	}
	return netip.Addr{}, fmt.Errorf("unknown site, prefix or address %q", to)
}

// SetDemandRate changes a demand's offered rate.
func (f *Fabric) SetDemandRate(name string, rate float64) error {
	id, ok := f.demands[name]
	if !ok {
		return fmt.Errorf("unknown demand %q", name)
	}
	f.net.SetDemandRate(id, rate)
	f.markDirty()
	return nil
}

// Demand returns a demand's current state.
func (f *Fabric) Demand(name string) (flow.DemandState, bool) {
	id, ok := f.demands[name]
	if !ok {
		return flow.DemandState{}, false
	}
	return f.net.Demand(id), true
}

// Demands returns demand names in the order they were added.
func (f *Fabric) Demands() []string { return append([]string(nil), f.demandNm...) }

// SetTenantRate changes a background tenant's load (a time profile of the
// other tenants on the pools).
func (f *Fabric) SetTenantRate(name string, rate float64) error {
	if _, ok := f.top.Tenant(name); !ok {
		return fmt.Errorf("unknown tenant %q", name)
	}
	f.tenantRate[name] = rate
	f.updateTenants()
	return nil
}
