package topology

import (
	"fmt"
	"strings"
	"time"
)

// Intent expansion: an [[interconnect]] says what a user buys and expands
// into the facilities, routers, links, LAGs, sessions and pools the provider
// builds. Names are predictable: <name>-fac1, <name>-aws-r1, <name>-ch1,
// <name>-bgp1, ... Every generated item carries Interconnect = <name>.

// Kinds of [[interconnect]].
const (
	KindAWSGCPMulticloud = "aws-gcp-multicloud"
	KindDXClassic        = "dx-classic"
	KindGCPDedicated9999 = "gcp-dedicated-99.99"
	KindExpressRoute     = "expressroute"
	KindVPNBackup        = "vpn-backup"
	KindOCIFastConnect   = "oci-fastconnect"
	KindAWSOCIMulticloud = "aws-oci-multicloud"
)

var intentKinds = []string{KindAWSGCPMulticloud, KindAWSOCIMulticloud, KindDXClassic, KindExpressRoute, KindGCPDedicated9999,
	KindOCIFastConnect, KindVPNBackup}

type intent struct {
	b    *builder
	t    *table
	name string
	path string
	// common settings
	bandwidth  Bandwidth
	latency    optDur
	jitter     optDur
	macsec     optBool
	bfd        rawBFD
	facilities []string // existing facilities to use, if given
	metros     []string
}

func (b *builder) expandInterconnect(t *table) {
	x := &intent{b: b, t: t, path: t.path}
	x.name = t.name("name")
	kind := t.name("kind")
	between, _ := t.strs("between")
	if !t.has("between") {
		b.d.errAt(t.path, true, `missing "between" (two site names)`)
	} else if between != nil && len(between) != 2 {
		b.d.errAt(t.at("between"), false, "want two site names, got %d", len(between))
		between = nil
	}
	var sites [2]*Site
	for i, s := range between {
		site, ok := b.t.Site(s)
		if !ok {
			b.d.errAt(indexKey(t.at("between"), i), false, "unknown site %q", s)
			continue
		}
		sites[i] = site
	}
	x.latency = t.optDur("latency")
	x.jitter = t.optDur("jitter")
	x.macsec = t.optBool("macsec")
	x.bfd = b.readBFD(t)
	x.facilities, _ = t.strs("facilities")
	if m, ok := t.str("metro"); ok {
		x.metros = []string{m}
	}
	if ms, ok := t.strs("metros"); ok {
		x.metros = ms
	}
	if bw, ok := t.bandwidth("bandwidth"); ok {
		if bw <= 0 {
			b.d.errAt(t.at("bandwidth"), false, "bandwidth must be > 0")
		}
		x.bandwidth = bw
	}
	var expand func(x *intent, a, c *Site)
	needBandwidth := true
	switch kind {
	case "":
	case KindAWSGCPMulticloud:
		expand = expandMulticloud
	case KindAWSOCIMulticloud:
		expand = expandOCIMulticloud
	case KindOCIFastConnect:
		expand = expandFastConnect
	case KindDXClassic:
		expand = expandDXClassic
	case KindGCPDedicated9999:
		expand = expandGCPDedicated
	case KindExpressRoute:
		expand = expandExpressRoute
	case KindVPNBackup:
		expand, needBandwidth = expandVPN, false
	default:
		b.d.errAt(t.at("kind"), false, "unknown interconnect kind %q: want one of %s", kind, strings.Join(intentKinds, ", "))
	}
	if expand != nil && needBandwidth && !t.has("bandwidth") {
		b.d.errAt(t.path, true, `missing "bandwidth" (capacity of each link, e.g. "10Gbps")`)
	}
	expanded := false
	if expand != nil && sites[0] != nil && sites[1] != nil && x.name != "" {
		if sites[0] == sites[1] {
			b.d.errAt(indexKey(t.at("between"), 1), false, "an interconnect joins two different sites")
		} else {
			expand(x, sites[0], sites[1])
			expanded = true
		}
	}
	if !expanded {
		// Kind-specific keys were not read; do not call them unknown.
		for k := range t.m {
			t.used[k] = true
		}
	}
	// Pool and background load over the generated links.
	poolCap, hasPool := t.bandwidth("pool_capacity")
	bg, hasBG := t.bandwidth("background")
	if hasBG && !hasPool {
		b.d.errAt(t.at("background"), false, `background load needs "pool_capacity"`)
	}
	if hasPool && x.name != "" {
		if poolCap <= 0 {
			b.d.errAt(t.at("pool_capacity"), false, "pool_capacity must be > 0")
		}
		var links []string
		for _, l := range b.links {
			if l.interconnect == x.name && l.path == x.path {
				links = append(links, l.name)
			}
		}
		pool := x.name + "-pool"
		b.pools = append(b.pools, rawPool{path: x.path, name: pool, interconnect: x.name, capacity: poolCap, capSet: true, links: links})
		if hasBG {
			if bg < 0 {
				b.d.errAt(t.at("background"), false, "background must be ≥ 0")
			}
			b.tenants = append(b.tenants, rawTenant{path: x.path, name: x.name + "-background", interconnect: x.name, rate: bg, pools: []string{pool}})
		}
	}
	t.done()
}

func (x *intent) needProvider(key string, i int, s *Site, want ...string) bool {
	for _, w := range want {
		if s.Provider == w {
			return true
		}
	}
	x.b.d.errAt(indexKey(x.t.at("between"), i), false, "site %q has provider %q; a %s interconnect needs %s here", s.Name, s.Provider, key, strings.Join(want, " or "))
	return false
}

// facs returns n facilities: the ones given in "facilities" (which must be
// n), else generated <name>-fac1..n in the given metros (spread in order).
func (x *intent) facs(n int) []string {
	if x.facilities != nil {
		if len(x.facilities) != n {
			x.b.d.errAt(x.t.at("facilities"), false, "this interconnect uses %d facilities, got %d", n, len(x.facilities))
			return make([]string, n)
		}
		return x.facilities
	}
	out := make([]string, n)
	for i := range n {
		name := fmt.Sprintf("%s-fac%d", x.name, i+1)
		metro := ""
		if len(x.metros) > 0 {
			metro = x.metros[i*len(x.metros)/n]
		}
		x.b.facilities = append(x.b.facilities, rawFacility{path: x.path, f: Facility{Name: name, Metro: metro}, interconnect: x.name})
		out[i] = name
	}
	return out
}

func (x *intent) router(name, site, facility string, tweak func(*rawRouter)) string {
	r := rawRouter{path: x.path, name: name, site: site, facility: facility, interconnect: x.name}
	if tweak != nil {
		tweak(&r)
	}
	x.b.routers = append(x.b.routers, r)
	return name
}

func (x *intent) link(name, a, b string, capacity Bandwidth, latency time.Duration, macsec bool) {
	l := rawLink{path: x.path, name: name, a: a, b: b, interconnect: x.name,
		capacity: optBW{v: capacity, set: true},
		latency:  pickDur(latency, x.latency, x.b.def.linkLatency),
		jitter:   x.jitter,
		macsec:   optBool{v: macsec, set: true},
	}
	if x.macsec.set {
		l.macsec = x.macsec
	}
	x.b.links = append(x.b.links, l)
}

// channel is a link, or a LAG of ports identical links when ports > 1.
func (x *intent) channel(name, a, b string, capacity Bandwidth, ports int, latency time.Duration, macsec bool) {
	if ports <= 1 {
		x.link(name, a, b, capacity, latency, macsec)
		return
	}
	g := rawLAG{path: x.path, name: name, a: a, b: b, interconnect: x.name}
	for p := 1; p <= ports; p++ {
		m := fmt.Sprintf("%s-p%d", name, p)
		x.link(m, a, b, capacity/Bandwidth(ports), latency, macsec)
		g.members = append(g.members, m)
	}
	x.b.lags = append(x.b.lags, g)
}

func (x *intent) session(name, a, b string, bfd rawBFD, shared rawEnd) {
	if x.bfd.set {
		bfd = x.bfd
	}
	x.b.sessions = append(x.b.sessions, rawSession{path: x.path, name: name, a: a, b: b, interconnect: x.name, bfd: bfd, shared: shared})
}

func on() rawBFD { return rawBFD{set: true, enabled: true} }

// expandMulticloud: AWS Interconnect – multicloud with Google Cross-Cloud
// Interconnect (provider-facts §1.1): two facilities, four channels, each a
// LAG of identical ports between an AWS router and a Google router (2+2
// router pairs per facility), one eBGP session per channel, MACsec on every
// channel, BFD on with each side's profile values (the slower interval and
// larger multiplier apply). "bandwidth" is each channel's capacity.
//
// The sites' backbones keep their profile default (provider backbones
// attach edge routers on direct fibre: an edge router's death is carrier
// loss at the region, DESIGN.md "The site's backbone").
func expandMulticloud(x *intent, s0, s1 *Site) { expandQuad(x, s0, s1, KindAWSGCPMulticloud, "gcp") }

// expandOCIMulticloud: AWS Interconnect – multicloud with OCI, GA for
// us-east-1 ↔ us-ashburn-1 only (provider-facts §1.1 "Region pairs"). The
// AWS side builds it as it builds the Google one (four channels over two
// facilities, MACsec, one eBGP session per channel); the OCI side's timers
// are the oci profile's (hold 180s) and BFD runs per channel, as FastConnect
// runs it per virtual circuit (§2.5).
func expandOCIMulticloud(x *intent, s0, s1 *Site) { expandQuad(x, s0, s1, KindAWSOCIMulticloud, "oci") }

func expandQuad(x *intent, s0, s1 *Site, kind, partner string) {
	aws, gcp := s0, s1
	if s0.Provider == partner && s1.Provider == "aws" {
		aws, gcp = s1, s0
	} else if !x.needProvider(kind, 0, s0, "aws") || !x.needProvider(kind, 1, s1, partner) {
		return
	}
	ports := int(1)
	if n, ok := x.t.integer("channel_ports", 1, 64); ok {
		ports = int(n)
	}
	facs := x.facs(2)
	var awsR, gcpR [4]string
	for i := range 4 {
		awsR[i] = x.router(fmt.Sprintf("%s-aws-r%d", x.name, i+1), aws.Name, facs[i/2], nil)
	}
	for i := range 4 {
		gcpR[i] = x.router(fmt.Sprintf("%s-%s-r%d", x.name, partner, i+1), gcp.Name, facs[i/2], nil)
	}
	for i := 1; i <= 4; i++ {
		ar, gr := awsR[i-1], gcpR[i-1]
		ch := fmt.Sprintf("%s-ch%d", x.name, i)
		x.channel(ch, ar, gr, x.bandwidth, ports, time.Millisecond, true)
		// §1.1: up to 1,000 prefixes Google→AWS [U]; same cap both ways.
		x.session(fmt.Sprintf("%s-bgp%d", x.name, i), ar, gr, on(), rawEnd{maxPrefix: optInt{v: 1000, set: true}})
	}
}

// expandFastConnect: OCI FastConnect (provider-facts §2.5): at least two
// OCI routers per FastConnect location, one virtual circuit (a cross-connect
// and its eBGP session) from each to its own customer router, BFD per
// virtual circuit (the intent turns it on: OCI publishes no timers, the oci
// profile's 300ms × 3 [U] apply), BGP hold 180s (oci profile). "locations"
// = 1 (default) or 2 adds a second FastConnect location (some regions have
// two). OCI's planned maintenance — the graceful-shutdown community 65535:0
// plus AS-path prepends — is the drain operator action on an OCI router
// (the fabric adds 65535:0 for routers of the oci profile).
//
// The customer site's backbone keeps the generic default (no carrier: the
// customer's routers in the FastConnect location reach its DC over a
// carrier's layer-2 service, so its core finds a dead edge by BFD).
func expandFastConnect(x *intent, oci, cust *Site) {
	if !x.needProvider(KindOCIFastConnect, 0, oci, "oci") {
		return
	}
	nloc := 1
	if n, ok := x.t.integer("locations", 1, 2); ok {
		nloc = int(n)
	}
	facs := x.facs(nloc)
	for i := 1; i <= 2*nloc; i++ {
		fac := facs[(i-1)/2]
		or := x.router(fmt.Sprintf("%s-oci-r%d", x.name, i), oci.Name, fac, nil)
		cr := x.router(fmt.Sprintf("%s-cust-r%d", x.name, i), cust.Name, fac, nil)
		x.link(fmt.Sprintf("%s-vc%d", x.name, i), or, cr, x.bandwidth, time.Millisecond, false)
		x.session(fmt.Sprintf("%s-bgp%d", x.name, i), or, cr, on(), rawEnd{})
	}
}

// expandDXClassic: AWS Direct Connect with customer routers in the DX
// locations (provider-facts §3 "DX SLA"): "maximum" = two locations × two
// connections on separate devices (99.99%); "high" = one connection in each
// of two locations (99.9%); "dev-test" = two connections on two devices in
// one location (no SLA).
func expandDXClassic(x *intent, aws, cust *Site) {
	res := "maximum"
	if s, ok := x.t.str("resiliency"); ok {
		res = s
	}
	var nfac, perFac int
	switch res {
	case "maximum":
		nfac, perFac = 2, 2
	case "high":
		nfac, perFac = 2, 1
	case "dev-test":
		nfac, perFac = 1, 2
	default:
		x.b.d.errAt(x.t.at("resiliency"), false, `unknown resiliency %q: want "maximum", "high" or "dev-test"`, res)
		return
	}
	if !x.needProvider(KindDXClassic, 0, aws, "aws") {
		return
	}
	facs := x.facs(nfac)
	for i := 1; i <= nfac*perFac; i++ {
		fac := facs[(i-1)/perFac]
		ar := x.router(fmt.Sprintf("%s-aws-r%d", x.name, i), aws.Name, fac, nil)
		cr := x.router(fmt.Sprintf("%s-cust-r%d", x.name, i), cust.Name, fac, nil)
		x.link(fmt.Sprintf("%s-dx%d", x.name, i), ar, cr, x.bandwidth, time.Millisecond, false)
		x.session(fmt.Sprintf("%s-bgp%d", x.name, i), ar, cr, rawBFD{}, rawEnd{})
	}
}

// expandGCPDedicated: Google Dedicated Interconnect for 99.99%
// (provider-facts §3): four connections, two per metro in two metros, in
// different edge availability domains (one facility each).
func expandGCPDedicated(x *intent, gcp, cust *Site) {
	if !x.needProvider(KindGCPDedicated9999, 0, gcp, "gcp") {
		return
	}
	if len(x.metros) == 1 {
		x.b.d.errAt(x.t.at("metro"), false, `99.99%% needs two metros: use metros = ["a", "b"]`)
	}
	facs := x.facs(4)
	for i := 1; i <= 4; i++ {
		fac := facs[i-1]
		gr := x.router(fmt.Sprintf("%s-gcp-r%d", x.name, i), gcp.Name, fac, nil)
		cr := x.router(fmt.Sprintf("%s-cust-r%d", x.name, i), cust.Name, fac, nil)
		x.link(fmt.Sprintf("%s-ic%d", x.name, i), gr, cr, x.bandwidth, time.Millisecond, false)
		x.session(fmt.Sprintf("%s-bgp%d", x.name, i), gr, cr, rawBFD{}, rawEnd{})
	}
}

// expandExpressRoute: a circuit is two links to two MSEEs, active-active
// (provider-facts §2.4); "maximum" resiliency is two circuits in two peering
// locations. Customer routers get max_paths 2 for the active-active split.
func expandExpressRoute(x *intent, az, cust *Site) {
	if !x.needProvider(KindExpressRoute, 0, az, "azure") {
		return
	}
	res := "standard"
	if s, ok := x.t.str("resiliency"); ok {
		res = s
	}
	nfac := 1
	switch res {
	case "standard":
	case "maximum":
		nfac = 2
	default:
		x.b.d.errAt(x.t.at("resiliency"), false, `unknown resiliency %q: want "standard" or "maximum"`, res)
		return
	}
	facs := x.facs(nfac)
	for i := 1; i <= 2*nfac; i++ {
		fac := facs[(i-1)/2]
		mr := x.router(fmt.Sprintf("%s-azure-r%d", x.name, i), az.Name, fac, nil)
		cr := x.router(fmt.Sprintf("%s-cust-r%d", x.name, i), cust.Name, fac, func(r *rawRouter) {
			if !r.maxPaths.set && !x.b.def.maxPaths.set {
				r.maxPaths = optInt{v: 2, set: true}
			}
		})
		x.link(fmt.Sprintf("%s-er%d", x.name, i), mr, cr, x.bandwidth, time.Millisecond, false)
		x.session(fmt.Sprintf("%s-bgp%d", x.name, i), mr, cr, rawBFD{}, rawEnd{})
	}
}

// expandVPN: an IPsec VPN over the internet as a backup: two tunnels from two
// cloud endpoints to one customer gateway, no facility, no BFD, higher
// latency and jitter, lower capacity, and an AS-path prepend on both sides'
// exports so the dedicated paths win (OCI documents exactly this; AWS prefers
// DX over VPN on its own, provider-facts §2.5).
func expandVPN(x *intent, cloud, cust *Site) {
	if !x.needProvider(KindVPNBackup, 0, cloud, "aws", "gcp", "azure", "oci") {
		return
	}
	bw := x.bandwidth
	if !x.t.has("bandwidth") {
		bw = 1.25 * Gbps // [U] AWS Site-to-Site VPN: up to 1.25 Gbps per tunnel
	}
	tunnels := 2
	if n, ok := x.t.integer("tunnels", 1, 16); ok {
		tunnels = int(n)
	}
	prepend := 3
	if n, ok := x.t.integer("prepend", 0, 32); ok {
		prepend = int(n)
	}
	if !x.latency.set {
		x.latency = optDur{v: 20 * time.Millisecond, set: true} // [U] internet path, metro to region
	}
	if !x.jitter.set {
		x.jitter = optDur{v: 5 * time.Millisecond, set: true} // [U]
	}
	cr := x.router(x.name+"-cust-r1", cust.Name, "", nil)
	var export []Rule
	if prepend > 0 {
		export = []Rule{{Prepend: prepend}}
	}
	for i := 1; i <= tunnels; i++ {
		vr := x.router(fmt.Sprintf("%s-%s-r%d", x.name, cloud.Provider, i), cloud.Name, "", nil)
		x.link(fmt.Sprintf("%s-tun%d", x.name, i), vr, cr, bw, 20*time.Millisecond, false)
		x.session(fmt.Sprintf("%s-bgp%d", x.name, i), vr, cr, rawBFD{set: true, enabled: false},
			rawEnd{exp: export, expSet: export != nil})
	}
}
