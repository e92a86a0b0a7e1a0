package topology

import (
	"net/netip"
	"time"
)

// Topology is a validated, fully resolved network: every default has been
// applied and every intent expanded. Treat it as read-only; the simulator
// and the analysis read it, nothing writes it.
//
// Slices keep file order (intent-generated items follow the hand-written
// ones, in intent order). Empty lists are nil.
type Topology struct {
	Name       string
	Sites      []Site
	Facilities []Facility
	Routers    []Router
	Links      []Link
	LAGs       []LAG
	Sessions   []Session
	Pools      []Pool
	Tenants    []Tenant
	Demands    []Demand
	// SHA256 is the hex sha256 of the file's bytes (empty for a topology
	// built in code or inline in a scenario).
	SHA256 string

	// Warnings: input that is legal but probably a mistake, each with its
	// place ("warning: …" messages), sorted by position.
	Warnings []*Error

	index map[string]int // kind + "\x00" + name → position in its slice
}

// Site is a cloud region / VPC or an on-premises network: the place prefixes
// originate. The simulator models its interior as one hub with an iBGP
// session to each of its routers, attached as Backbone says — unless the
// site declares core routers (Router.Role "core"): then they originate its
// prefixes and reach its edges over declared links and sessions, and there
// is no hub.
type Site struct {
	Name     string
	Provider string // a profile name: aws, gcp, azure, oci, generic
	ASN      uint32
	Prefixes []netip.Prefix
	Backbone Backbone
}

// Backbone is how a site's hub attaches to each of its edge routers.
type Backbone struct {
	// Carrier: the hub sees an edge router's death (or a cut backhaul) as
	// carrier loss after CarrierDelay (direct fibre); false: only BFD or
	// the hold timer notice (a layer-2 service in between).
	Carrier      bool
	CarrierDelay time.Duration
	BFD          *BFD // nil = no BFD on the hub sessions
	Keepalive    time.Duration
	Hold         time.Duration
	Latency      time.Duration // one way, hub ↔ edge router
}

// Router roles.
const (
	RoleEdge = "edge"
	RoleCore = "core"
)

// Facility is a building (a colocation or a provider POP). Everything in it
// fails together; SRLGs are shared risks of the facility's backhaul (a
// conduit to the region) and are copied onto every router in it.
type Facility struct {
	Name         string
	Metro        string
	SRLGs        []string
	Interconnect string // the [[interconnect]] intent that generated it, if any
}

// Router is a BGP speaker with its forwarding table.
type Router struct {
	Name     string
	Site     string // the site it belongs to (and attaches to)
	Facility string // "" if not in a facility (e.g. a VPN gateway)
	ASN      uint32 // defaults to the site's
	RouterID netip.Addr
	Profile  string // provider profile it took its defaults from
	Role     string // RoleEdge (default) or RoleCore
	// Prefixes the router originates itself (a core router also
	// originates its site's prefixes).
	Prefixes []netip.Prefix

	BFDOffloaded    bool          // BFD in hardware: survives a control-plane hang
	BFDSlack        time.Duration // routing-process BFD: detection up to this late (0 when offloaded)
	UpdateDelay     time.Duration // BGP processing per UPDATE message
	PrefixDelay     time.Duration // BGP processing per prefix in a message
	FIBInstallDelay time.Duration // FIB programming per prefix
	BootTime        time.Duration // from power-on to processing BGP
	MaxPaths        int           // multipath; 1 = no ECMP

	// SRLGs of the router's attachment to its site (its backhaul): the
	// router's own plus its facility's. Losing one cuts the router off from
	// its site; the router itself and its links stay up.
	SRLGs        []string
	Interconnect string
}

// Link is a point-to-point circuit between two routers (a cross-connect, a
// channel port, a VPN tunnel). Capacity applies to each direction.
type Link struct {
	Name         string
	A, B         string // router names
	Capacity     Bandwidth
	Latency      time.Duration // one way
	Jitter       time.Duration // informational (VPN over the internet)
	CarrierDelay time.Duration // from carrier loss to both ends seeing it
	MACsec       bool
	SRLGs        []string
	LAG          string // "" if not a member of a LAG
	Interconnect string
	// AdminDown: the link is configured but shut (a cold backup, such as a
	// VPN kept down until needed); the link-up action brings it up.
	AdminDown bool
}

// LAG bundles member links between the same two routers. It is up while at
// least MinLinks members are up; its capacity is the sum of the live members.
type LAG struct {
	Name         string
	A, B         string
	Members      []string
	MinLinks     int
	Interconnect string
}

// Session is a BGP session between two routers.
type Session struct {
	Name string // default "a~b", or "a~b@over" when a pair has several sessions
	// Over is the link or LAG the session runs over. It is "" only for iBGP
	// sessions between routers of the same site (carried by the site interior).
	Over         string
	IBGP         bool // both ends in the same AS
	BFD          *BFD // nil = no BFD
	A, B         SessionEnd
	Interconnect string
}

// BFD is the session's single-hop BFD (RFC 5880): transmit interval and
// detect multiplier as negotiated (the slower interval and the larger
// multiplier of the two ends' defaults, unless set).
type BFD struct {
	Interval   time.Duration
	Multiplier int
}

// SessionEnd is one router's side of a session. Its defaults come from its
// router's profile, then [defaults.bgp], then the session's keys.
type SessionEnd struct {
	Router          string
	Keepalive       time.Duration // 0 with Hold 0: no keepalives
	Hold            time.Duration // 0 or ≥ 3s and ≥ 3×Keepalive; the lower of the two ends applies
	ConnectRetry    time.Duration
	EstablishDelay  time.Duration // connect delay: from deciding to connect to the first SYN
	MRAI            time.Duration // eBGP or iBGP value as the session is
	GracefulRestart time.Duration // restart time offered; 0 = off
	MaxPrefix       int           // prefixes accepted from the peer; 0 = unlimited
	RRClient        bool          // this end reflects routes to the peer as its client
	NextHopSelf     bool

	// Transport and implementation behaviour (profile defaults).
	SynRetries      int           // TCP SYN retransmissions (RTO 1s, doubling)
	ConnectOnBFDUp  bool          // BFD coming up starts a connect at once
	SendBack        bool          // send routes back to the eBGP peer AS they came from
	SeparateEoR     bool          // End-of-RIB as its own UPDATE
	MRAIJitter      bool          // MRAI × [0.75, 1.0]
	PaceWithdrawals bool          // withdrawals wait for MRAI
	HoldExpiryDelay time.Duration // hold expiry → teardown
	Import, Export  []Rule
}

// Rule is one route-map entry. Rules are tried in order and the first match
// applies; no match accepts the route unchanged. Zero match fields match
// anything.
type Rule struct {
	MatchPrefixes  []netip.Prefix // route's prefix equals or is covered by one of these
	MatchCommunity string         // route carries this community ("65000:100")
	MatchASPath    uint32         // route's AS path contains this ASN

	Deny           bool
	LocalPref      *uint32
	MED            *uint32
	Prepend        int // prepend the exporting router's ASN this many times
	AddCommunities []string
}

// Pool is capacity shared by a set of links (e.g. a POP pair's pre-staged
// capacity, shared with other tenants).
type Pool struct {
	Name         string
	Capacity     Bandwidth
	Links        []string // link names (LAGs are given as their members)
	Interconnect string
}

// Tenant is background load on pools, spread evenly over those pools that
// still have a live link.
type Tenant struct {
	Name         string
	Rate         Bandwidth
	Pools        []string
	Interconnect string
}

// Demand is offered traffic from one site to another.
type Demand struct {
	Name     string
	From, To string
	Rate     Bandwidth
}

const (
	kSite     = "site"
	kFacility = "facility"
	kRouter   = "router"
	kLink     = "link" // links and LAGs share one namespace
	kLAG      = "lag"
	kSession  = "session"
	kPool     = "pool"
	kTenant   = "tenant"
	kDemand   = "demand"
)

func (t *Topology) buildIndex() {
	t.index = map[string]int{}
	add := func(kind, name string, i int) { t.index[kind+"\x00"+name] = i }
	for i, x := range t.Sites {
		add(kSite, x.Name, i)
	}
	for i, x := range t.Facilities {
		add(kFacility, x.Name, i)
	}
	for i, x := range t.Routers {
		add(kRouter, x.Name, i)
	}
	for i, x := range t.Links {
		add(kLink, x.Name, i)
	}
	for i, x := range t.LAGs {
		add(kLAG, x.Name, i)
	}
	for i, x := range t.Sessions {
		add(kSession, x.Name, i)
	}
	for i, x := range t.Pools {
		add(kPool, x.Name, i)
	}
	for i, x := range t.Tenants {
		add(kTenant, x.Name, i)
	}
	for i, x := range t.Demands {
		add(kDemand, x.Name, i)
	}
}

// lookup finds name in s through the index built by Parse; it never writes
// (a Topology is read from many goroutines), so a hand-built Topology
// without an index is searched linearly.
func lookup[T any](t *Topology, kind string, s []T, name string, nameOf func(*T) string) (*T, bool) {
	if t.index == nil {
		for i := range s {
			if nameOf(&s[i]) == name {
				return &s[i], true
			}
		}
		return nil, false
	}
	i, ok := t.index[kind+"\x00"+name]
	if !ok || i >= len(s) || nameOf(&s[i]) != name {
		return nil, false
	}
	return &s[i], true
}

// Site returns the site with that name.
func (t *Topology) Site(name string) (*Site, bool) {
	return lookup(t, kSite, t.Sites, name, func(x *Site) string { return x.Name })
}

// Facility returns the facility with that name.
func (t *Topology) Facility(name string) (*Facility, bool) {
	return lookup(t, kFacility, t.Facilities, name, func(x *Facility) string { return x.Name })
}

// Router returns the router with that name.
func (t *Topology) Router(name string) (*Router, bool) {
	return lookup(t, kRouter, t.Routers, name, func(x *Router) string { return x.Name })
}

// Link returns the link with that name.
func (t *Topology) Link(name string) (*Link, bool) {
	return lookup(t, kLink, t.Links, name, func(x *Link) string { return x.Name })
}

// LAG returns the LAG with that name.
func (t *Topology) LAG(name string) (*LAG, bool) {
	return lookup(t, kLAG, t.LAGs, name, func(x *LAG) string { return x.Name })
}

// Session returns the session with that name.
func (t *Topology) Session(name string) (*Session, bool) {
	return lookup(t, kSession, t.Sessions, name, func(x *Session) string { return x.Name })
}

// Pool returns the pool with that name.
func (t *Topology) Pool(name string) (*Pool, bool) {
	return lookup(t, kPool, t.Pools, name, func(x *Pool) string { return x.Name })
}

// Tenant returns the tenant with that name.
func (t *Topology) Tenant(name string) (*Tenant, bool) {
	return lookup(t, kTenant, t.Tenants, name, func(x *Tenant) string { return x.Name })
}

// Demand returns the demand with that name.
func (t *Topology) Demand(name string) (*Demand, bool) {
	return lookup(t, kDemand, t.Demands, name, func(x *Demand) string { return x.Name })
}

// LAGCapacity is the sum of the member links' capacities.
func (t *Topology) LAGCapacity(name string) Bandwidth {
	g, ok := t.LAG(name)
	if !ok {
		return 0
	}
	var c Bandwidth
	for _, m := range g.Members {
		if l, ok := t.Link(m); ok {
			c += l.Capacity
		}
	}
	return c
}

// Cores returns the names of a site's core routers, in file order (none:
// the site is a hub).
func (t *Topology) Cores(site string) []string {
	var out []string
	for _, r := range t.Routers {
		if r.Site == site && r.Role == RoleCore {
			out = append(out, r.Name)
		}
	}
	return out
}

// RoutersIn returns the names of the routers in a facility, in file order.
func (t *Topology) RoutersIn(facility string) []string {
	var out []string
	for _, r := range t.Routers {
		if r.Facility == facility {
			out = append(out, r.Name)
		}
	}
	return out
}

// LinksOf returns the names of the links with an end on router, in file order.
func (t *Topology) LinksOf(router string) []string {
	var out []string
	for _, l := range t.Links {
		if l.A == router || l.B == router {
			out = append(out, l.Name)
		}
	}
	return out
}

// SRLGs returns every SRLG name used by a link, router or facility, sorted.
func (t *Topology) SRLGs() []string {
	var all []string
	for _, l := range t.Links {
		all = append(all, l.SRLGs...)
	}
	for _, r := range t.Routers {
		all = append(all, r.SRLGs...)
	}
	for _, f := range t.Facilities {
		all = append(all, f.SRLGs...)
	}
	return sortedUnique(all)
}

// SRLGMembers returns the links and the routers (whose site attachment) a
// shared-risk group takes down, in file order.
func (t *Topology) SRLGMembers(srlg string) (links, routers []string) {
	for _, l := range t.Links {
		if contains(l.SRLGs, srlg) {
			links = append(links, l.Name)
		}
	}
	for _, r := range t.Routers {
		if contains(r.SRLGs, srlg) {
			routers = append(routers, r.Name)
		}
	}
	return links, routers
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
