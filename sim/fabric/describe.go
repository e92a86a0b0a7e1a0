package fabric

import (
	"slices"

	"github.com/netdrill/netdrill/topology"
)

// Description is the fabric as built: the topology's items plus what the
// simulator adds (a hub node per site, its attachments and iBGP sessions).
// It is what a trace header carries, so that a replay can draw the network
// without the simulator. Slices are in build order.
type Description struct {
	Sites      []SiteDesc
	Facilities []FacilityDesc
	Routers    []RouterDesc
	Links      []LinkDesc
	Sessions   []SessionDesc
	Pools      []PoolDesc
	Tenants    []TenantDesc
	Demands    []DemandDesc
}

// SiteDesc describes a site and its hub node (or its core routers).
type SiteDesc struct {
	Name, Provider string
	ASN            uint32
	Prefixes       []string
	Hub            string   // "" when the site declares core routers
	Cores          []string // core routers, in file order
	// BackboneCarrier: the hub sees an edge router's death as carrier loss
	// (after BackboneCarrierDelayNS); false: only BFD or the hold timer.
	BackboneCarrier        bool
	BackboneCarrierDelayNS int64
}

// FacilityDesc describes a facility.
type FacilityDesc struct {
	Name, Metro string
	SRLGs       []string
}

// RouterDesc describes a node: Role "hub" for a site's hub, "core" for a
// declared core router, else "edge".
type RouterDesc struct {
	Name, Site, Facility, Role, Profile string
	ASN                                 uint32
	SRLGs                               []string
}

// LinkDesc describes a link (a LAG once, with its members).
type LinkDesc struct {
	Name, A, B string
	Capacity   float64
	LatencyNS  int64
	MACsec     bool
	SRLGs      []string
	Members    []string
	Internal   bool
}

// SessionDesc describes a BGP session.
type SessionDesc struct {
	Name, A, B, Link string
	IBGP             bool
	BFDIntervalNS    int64 // 0: no BFD
	BFDMultiplier    int
	Internal         bool
}

// PoolDesc describes a capacity pool.
type PoolDesc struct {
	Name     string
	Capacity float64
	Links    []string
}

// TenantDesc describes background load.
type TenantDesc struct {
	Name  string
	Rate  float64
	Pools []string
}

// DemandDesc describes a demand added with AddDemand.
type DemandDesc struct {
	Name, From, To string
	Rate           float64
}

// Describe returns the fabric as built, with the demands added so far.
func (f *Fabric) Describe() Description {
	top := f.top
	var d Description
	for _, s := range top.Sites {
		sd := SiteDesc{Name: s.Name, Provider: s.Provider, ASN: s.ASN, Cores: top.Cores(s.Name)}
		if f.hasHub(s.Name) {
			sd.Hub = s.Name
			sd.BackboneCarrier, sd.BackboneCarrierDelayNS = s.Backbone.Carrier, s.Backbone.CarrierDelay.Nanoseconds()
		}
		for _, p := range s.Prefixes {
			sd.Prefixes = append(sd.Prefixes, p.String())
		}
		d.Sites = append(d.Sites, sd)
	}
	for _, x := range top.Facilities {
		d.Facilities = append(d.Facilities, FacilityDesc{Name: x.Name, Metro: x.Metro, SRLGs: slices.Clone(x.SRLGs)})
	}
	for _, n := range f.nodes {
		rd := RouterDesc{Name: n.name, Site: n.site, Facility: n.facility, Role: "edge", Profile: n.provider}
		if n.hub {
			rd.Role = "hub"
			if s, ok := top.Site(n.name); ok {
				rd.ASN = s.ASN
			}
		} else if r, ok := top.Router(n.name); ok {
			rd.ASN, rd.Profile, rd.SRLGs = r.ASN, r.Profile, slices.Clone(r.SRLGs)
			if r.Role == topology.RoleCore {
				rd.Role = "core"
			}
		}
		d.Routers = append(d.Routers, rd)
	}
	for _, rt := range f.links {
		l := rt.l
		d.Links = append(d.Links, LinkDesc{Name: l.Name, A: l.A, B: l.B, Capacity: l.Capacity, LatencyNS: int64(l.Latency),
			MACsec: l.MACsec, SRLGs: slices.Clone(l.SRLGs), Members: slices.Clone(rt.members), Internal: l.Internal})
	}
	for _, rt := range f.sessions {
		sd := SessionDesc{Name: rt.name, A: f.nodes[rt.ends[0]].name, B: f.nodes[rt.ends[1]].name,
			Link: f.links[rt.link].l.Name, Internal: rt.cfg == nil}
		if rt.cfg != nil {
			sd.IBGP = rt.cfg.IBGP
			if rt.cfg.BFD != nil {
				sd.BFDIntervalNS, sd.BFDMultiplier = rt.cfg.BFD.Interval.Nanoseconds(), rt.cfg.BFD.Multiplier
			}
		} else {
			sd.IBGP = true
			if b := rt.bfd; b != nil {
				sd.BFDIntervalNS, sd.BFDMultiplier = int64(b.Config().Interval), b.Config().Multiplier
			}
		}
		d.Sessions = append(d.Sessions, sd)
	}
	for _, p := range top.Pools {
		d.Pools = append(d.Pools, PoolDesc{Name: p.Name, Capacity: float64(p.Capacity), Links: slices.Clone(p.Links)})
	}
	for _, t := range top.Tenants {
		d.Tenants = append(d.Tenants, TenantDesc{Name: t.Name, Rate: float64(t.Rate), Pools: slices.Clone(t.Pools)})
	}
	d.Demands = slices.Clone(f.demandDescs)
	return d
}
