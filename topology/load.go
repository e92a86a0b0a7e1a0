package topology

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Load reads, expands and validates a topology file. On invalid input it
// returns a *ErrorList with every problem found.
func Load(path string) (*Topology, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse is Load from bytes; name is used in error messages and as the
// default topology name. It never panics.
func Parse(name string, data []byte) (*Topology, error) { return ParseWith(name, data, Options{}) }

// ParseWith is Parse with options (see Options).
func ParseWith(name string, data []byte, opt Options) (*Topology, error) {
	if e := checkShape(name, data); e != nil {
		return nil, &ErrorList{Errors: []*Error{e}}
	}
	var m map[string]any
	src := string(data)
	if _, err := toml.Decode(src, &m); err != nil {
		return nil, &ErrorList{Errors: []*Error{syntaxError(name, data, err)}}
	}
	b := &builder{
		d:     &decoder{file: name, src: src},
		names: map[string]map[string]string{},
		opt:   opt,
	}
	t := b.build(b.d.root(m), name)
	if len(b.d.errs) > 0 {
		l := &ErrorList{Errors: b.d.errs}
		l.sort()
		return nil, l
	}
	t.buildIndex()
	sum := sha256.Sum256(data)
	t.SHA256 = hex.EncodeToString(sum[:])
	t.Warnings = b.d.sortedWarnings()
	return t, nil
}

// Raw items: what the file (or an intent) says, before defaults.

type rawFacility struct {
	path         string
	f            Facility
	interconnect string
}

type rawRouter struct {
	path                                         string
	name, site, facility, profile, interconnect  string
	role                                         string
	prefixes                                     []netip.Prefix
	bfdSlack                                     optDur
	asn                                          uint32
	routerID                                     netip.Addr
	bfdOffloaded                                 optBool
	updateDelay, prefixDelay, fibDelay, bootTime optDur
	maxPaths                                     optInt
	srlgs                                        []string
}

type rawLink struct {
	path                          string
	name, a, b, interconnect      string
	capacity                      optBW
	capacityGiven                 bool // the key is there, valid or not
	latency, jitter, carrierDelay optDur
	macsec                        optBool
	adminDown                     bool
	srlgs                         []string
}

type rawLAG struct {
	path                     string
	name, a, b, interconnect string
	members                  []string
	minLinks                 optInt
}

type rawBFD struct {
	set, enabled bool
	interval     optDur
	multiplier   optInt
}

type rawEnd struct {
	keepalive, hold, connectRetry, establishDelay, mrai, gracefulRestart optDur
	holdExpiryDelay                                                      optDur
	synRetries                                                           optInt
	connectOnBFDUp, sendBack, separateEoR, mraiJitter, paceWithdrawals   optBool
	maxPrefix                                                            optInt
	rrClient, nextHopSelf                                                optBool
	imp, exp                                                             []Rule
	impSet, expSet                                                       bool
}

type rawSession struct {
	path                           string
	name, a, b, over, interconnect string
	bfd                            rawBFD
	shared, endA, endB             rawEnd
}

type rawPool struct {
	path               string
	name, interconnect string
	capacity           Bandwidth
	capSet             bool
	links              []string
}

type rawTenant struct {
	path               string
	name, interconnect string
	rate               Bandwidth
	pools              []string
}

type defaults struct {
	keepalive, hold, connectRetry, establishDelay, mraiEBGP, mraiIBGP, gracefulRestart optDur
	end                                                                                rawEnd // behaviour knobs of [defaults.bgp]
	maxPrefix                                                                          optInt
	nextHopSelf                                                                        optBool

	bfdEnabled    optBool
	bfdInterval   optDur
	bfdMultiplier optInt

	linkCapacity                              optBW
	linkLatency, linkJitter, linkCarrierDelay optDur
	linkMACsec                                optBool

	bfdOffloaded                                 optBool
	updateDelay, prefixDelay, fibDelay, bootTime optDur
	maxPaths                                     optInt
	lagMinLinks                                  optInt
}

type builder struct {
	opt   Options
	d     *decoder
	t     *Topology
	def   defaults
	names map[string]map[string]string // kind → name → path of its first definition

	facilities []rawFacility
	routers    []rawRouter
	links      []rawLink
	lags       []rawLAG
	sessions   []rawSession
	pools      []rawPool
	tenants    []rawTenant

	demandPaths []string
	prefixes    []sitePrefixes         // every site's prefixes as written (sense.go)
	between     map[[2]string][]string // router pair → links (not in a LAG), then LAGs
}

// claim records name for kind and reports a duplicate.
func (b *builder) claim(kind, name, path, key string) bool {
	if name == "" {
		return false
	}
	m := b.names[kind]
	if m == nil {
		m = map[string]string{}
		b.names[kind] = m
	}
	if first, ok := m[name]; ok {
		p := b.d.lookup(first, false)
		b.d.errAt(joinKey(path, key), false, "duplicate %s name %q (first defined at %d:%d)", kind, name, p.Line, p.Col)
		return false
	}
	m[name] = path
	return true
}

func (b *builder) build(root *table, file string) *Topology {
	t := &Topology{}
	b.t = t
	if s, ok := root.str("name"); ok {
		t.Name = s
	} else if !root.has("name") {
		t.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if def, ok := root.sub("defaults"); ok {
		b.readDefaults(def)
	}
	for _, s := range root.tables("site") {
		b.readSite(s)
	}
	b.t.buildIndex()
	for _, f := range root.tables("facility") {
		b.readFacility(f)
	}
	for _, r := range root.tables("router") {
		b.readRouter(r)
	}
	for _, l := range root.tables("link") {
		b.readLink(l)
	}
	for _, g := range root.tables("lag") {
		b.readLAG(g)
	}
	for _, s := range root.tables("session") {
		b.readSession(s)
	}
	for _, p := range root.tables("pool") {
		b.readPool(p)
	}
	for _, x := range root.tables("tenant") {
		b.readTenant(x)
	}
	for _, x := range root.tables("demand") {
		b.readDemand(x)
	}
	for _, ic := range root.tables("interconnect") {
		b.expandInterconnect(ic)
	}
	root.done()

	b.resolveFacilities()
	t.buildIndex()
	b.resolveRouters()
	t.buildIndex()
	b.resolveLinks()
	t.buildIndex()
	b.resolveLAGs()
	t.buildIndex()
	b.resolveSessions()
	t.buildIndex()
	b.resolvePools()
	t.buildIndex()
	b.resolveTenants()
	t.buildIndex()
	b.checkDemands()
	b.checkPrefixes()
	b.checkEmpty(root)
	return t
}

func (b *builder) readDefaults(def *table) {
	d := &b.def
	if g, ok := def.sub("bgp"); ok {
		d.keepalive = g.optDur("keepalive")
		d.hold = g.optDur("hold")
		d.connectRetry = g.optDur("connect_retry")
		d.establishDelay = g.optDur("establish_delay")
		d.mraiEBGP = g.optDur("mrai_ebgp")
		d.mraiIBGP = g.optDur("mrai_ibgp")
		d.gracefulRestart = g.optDur("graceful_restart")
		d.maxPrefix = g.optInt("max_prefix", 0, 1<<31-1)
		d.nextHopSelf = g.optBool("next_hop_self")
		d.end.holdExpiryDelay = g.optDur("hold_expiry_delay")
		d.end.synRetries = g.optInt("syn_retries", 0, 32)
		d.end.connectOnBFDUp = g.optBool("connect_on_bfd_up")
		d.end.sendBack = g.optBool("send_back")
		d.end.separateEoR = g.optBool("separate_eor")
		d.end.mraiJitter = g.optBool("mrai_jitter")
		d.end.paceWithdrawals = g.optBool("pace_withdrawals")
		g.done()
	}
	if g, ok := def.sub("bfd"); ok {
		d.bfdEnabled = g.optBool("enabled")
		d.bfdInterval = g.optDur("interval")
		d.bfdMultiplier = g.optInt("multiplier", 1, 255)
		if d.bfdInterval.set && !b.checkBFDInterval(g.at("interval"), d.bfdInterval.v) {
			d.bfdInterval.set = false
		}
		g.done()
	}
	if g, ok := def.sub("link"); ok {
		d.linkCapacity = g.optBW("capacity")
		if d.linkCapacity.set && d.linkCapacity.v <= 0 {
			b.d.errAt(g.at("capacity"), false, "capacity must be > 0")
		}
		d.linkLatency = g.optDur("latency")
		d.linkJitter = g.optDur("jitter")
		d.linkCarrierDelay = g.optDur("carrier_delay")
		d.linkMACsec = g.optBool("macsec")
		g.done()
	}
	if g, ok := def.sub("router"); ok {
		d.bfdOffloaded = g.optBool("bfd_offloaded")
		d.updateDelay = g.optDur("update_delay")
		d.prefixDelay = g.optDur("prefix_delay")
		d.fibDelay = g.optDur("fib_install_delay")
		d.bootTime = g.optDur("boot_time")
		d.maxPaths = g.optInt("max_paths", 1, 1024)
		g.done()
	}
	if g, ok := def.sub("lag"); ok {
		d.lagMinLinks = g.optInt("min_links", 1, 1024)
		g.done()
	}
	def.done()
}

func (b *builder) readSite(s *table) {
	site := Site{Name: s.name("name")}
	fresh := b.claim(kSite, site.Name, s.path, "name") || site.Name == ""
	var prof Profile
	if p, ok := s.str("provider"); ok {
		if pr, ok := LookupProfile(p); ok && !pr.RouterNOS {
			prof = pr
			site.Provider = p
		} else {
			b.d.errAt(s.at("provider"), false, "unknown provider %q: want one of %s", p, strings.Join(providerNames(), ", "))
		}
	} else if !s.has("provider") {
		b.d.errAt(s.path, true, `missing "provider" (one of %s)`, strings.Join(providerNames(), ", "))
	}
	if a, ok := s.asn("asn"); ok {
		site.ASN = a
		b.checkASN(s.at("asn"), a)
	} else if !s.has("asn") {
		if prof.ASN != 0 {
			site.ASN = prof.ASN
		} else if site.Provider != "" {
			b.d.errAt(s.path, true, `missing "asn" (provider %q has no default ASN)`, site.Provider)
		}
	}
	site.Prefixes, _ = s.prefixes("prefixes")
	site.Backbone = b.readBackbone(s, prof.Backbone)
	b.notePrefixes(s.path, site.Name, site.Prefixes)
	s.done()
	if fresh {
		b.t.Sites = append(b.t.Sites, site)
	}
}

// readBackbone reads a site's `[site.backbone]` table over the provider
// profile's defaults (def).
func (b *builder) readBackbone(s *table, def Backbone) Backbone {
	bb := def
	if def.BFD != nil {
		c := *def.BFD
		bb.BFD = &c
	}
	g, ok := s.sub("backbone")
	if !ok {
		return bb
	}
	if v, ok := g.boolean("carrier"); ok {
		bb.Carrier = v
	}
	if v, ok := g.duration("carrier_delay"); ok {
		bb.CarrierDelay = v
	}
	if v, ok := g.duration("latency"); ok {
		bb.Latency = v
	}
	ka, hold := g.optDur("keepalive"), g.optDur("hold")
	bb.Keepalive, bb.Hold = firstDur(bb.Keepalive, ka), firstDur(bb.Hold, hold)
	switch {
	case bb.Hold != 0 && bb.Hold < 3*time.Second:
		b.d.errAt(g.at("hold"), false, "hold %s: must be 0 or at least 3s", bb.Hold)
	case bb.Hold != 0 && (bb.Keepalive < time.Second || bb.Hold < 3*bb.Keepalive):
		b.d.errAt(g.at("keepalive"), false, "keepalive %s: must be at least 1s and at most hold/3 (hold %s)", bb.Keepalive, bb.Hold)
	case bb.Hold == 0:
		bb.Keepalive = 0
	}
	if r := b.readBFD(g); r.set {
		if !r.enabled {
			bb.BFD = nil
		} else {
			if bb.BFD == nil {
				bb.BFD = &BFD{Interval: 300 * time.Millisecond, Multiplier: 3}
			}
			bb.BFD.Interval = firstDur(bb.BFD.Interval, r.interval)
			bb.BFD.Multiplier = firstInt(bb.BFD.Multiplier, r.multiplier)
		}
	}
	g.done()
	return bb
}

func (b *builder) readFacility(f *table) {
	fac := Facility{Name: f.name("name")}
	fac.Metro, _ = f.str("metro")
	fac.SRLGs = b.srlgs(f, "srlg")
	fac.Interconnect, _ = f.str("interconnect")
	f.done()
	b.facilities = append(b.facilities, rawFacility{path: f.path, f: fac})
}

func (b *builder) srlgs(t *table, key string) []string {
	s, _ := t.strs(key)
	for i, x := range s {
		if x == "" {
			b.d.errAt(indexKey(t.at(key), i), false, "empty SRLG name")
		}
	}
	return sortedUnique(s)
}

func (b *builder) readRouter(t *table) {
	r := rawRouter{path: t.path, name: t.name("name")}
	r.site = t.name("site")
	r.facility, _ = t.str("facility")
	r.profile, _ = t.str("profile")
	r.asn, _ = t.asn("asn")
	if r.asn != 0 {
		b.checkASN(t.at("asn"), r.asn)
	}
	if s, ok := t.str("router_id"); ok {
		a, err := netip.ParseAddr(s)
		switch {
		case err != nil || !a.Is4():
			b.d.errAt(t.at("router_id"), false, "invalid router ID %q: want an IPv4 address", s)
		case a.IsUnspecified():
			b.d.errAt(t.at("router_id"), false, "router ID must not be 0.0.0.0")
		default:
			r.routerID = a
		}
	}
	r.bfdOffloaded = t.optBool("bfd_offloaded")
	r.bfdSlack = t.optDur("bfd_slack")
	if s, ok := t.str("role"); ok {
		switch s {
		case RoleEdge, RoleCore:
			r.role = s
		default:
			b.d.errAt(t.at("role"), false, "unknown role %q: want %q or %q", s, RoleEdge, RoleCore)
		}
	}
	r.prefixes, _ = t.prefixes("prefixes")
	r.updateDelay = t.optDur("update_delay")
	r.prefixDelay = t.optDur("prefix_delay")
	r.fibDelay = t.optDur("fib_install_delay")
	r.bootTime = t.optDur("boot_time")
	r.maxPaths = t.optInt("max_paths", 1, 1024)
	r.srlgs = b.srlgs(t, "srlg")
	r.interconnect, _ = t.str("interconnect")
	t.done()
	b.routers = append(b.routers, r)
}

func (b *builder) readLink(t *table) {
	l := rawLink{path: t.path, name: t.name("name"), a: t.name("a"), b: t.name("b")}
	l.capacity = t.optBW("capacity")
	l.capacityGiven = t.has("capacity")
	l.latency = t.optDur("latency")
	l.jitter = t.optDur("jitter")
	l.carrierDelay = t.optDur("carrier_delay")
	l.macsec = t.optBool("macsec")
	l.adminDown = t.optBool("admin_down").v
	l.srlgs = b.srlgs(t, "srlg")
	l.interconnect, _ = t.str("interconnect")
	t.done()
	b.links = append(b.links, l)
}

func (b *builder) readLAG(t *table) {
	g := rawLAG{path: t.path, name: t.name("name")}
	g.a, _ = t.str("a")
	g.b, _ = t.str("b")
	if !t.has("members") {
		b.d.errAt(t.path, true, `missing "members"`)
	}
	g.members, _ = t.strs("members")
	g.minLinks = t.optInt("min_links", 1, 1024)
	g.interconnect, _ = t.str("interconnect")
	t.done()
	b.lags = append(b.lags, g)
}

// Per-end session keys: each may be given for both ends ("hold") or for one
// ("hold_a", "hold_b"); the one-end form wins.
func (b *builder) readEnd(t *table, suffix string) rawEnd {
	var e rawEnd
	e.keepalive = t.optDur("keepalive" + suffix)
	e.hold = t.optDur("hold" + suffix)
	e.connectRetry = t.optDur("connect_retry" + suffix)
	e.establishDelay = t.optDur("establish_delay" + suffix)
	e.mrai = t.optDur("mrai" + suffix)
	e.gracefulRestart = t.optDur("graceful_restart" + suffix)
	e.maxPrefix = t.optInt("max_prefix"+suffix, 0, 1<<31-1)
	e.holdExpiryDelay = t.optDur("hold_expiry_delay" + suffix)
	e.synRetries = t.optInt("syn_retries"+suffix, 0, 32)
	e.connectOnBFDUp = t.optBool("connect_on_bfd_up" + suffix)
	e.sendBack = t.optBool("send_back" + suffix)
	e.separateEoR = t.optBool("separate_eor" + suffix)
	e.mraiJitter = t.optBool("mrai_jitter" + suffix)
	e.paceWithdrawals = t.optBool("pace_withdrawals" + suffix)
	e.rrClient = t.optBool("rr_client" + suffix)
	e.nextHopSelf = t.optBool("next_hop_self" + suffix)
	if t.has("import" + suffix) {
		e.imp, e.impSet = b.readRules(t, "import"+suffix), true
	}
	if t.has("export" + suffix) {
		e.exp, e.expSet = b.readRules(t, "export"+suffix), true
	}
	return e
}

func (b *builder) readSession(t *table) {
	s := rawSession{path: t.path}
	s.name, _ = t.str("name")
	if t.has("name") && s.name == "" {
		b.d.errAt(t.at("name"), false, "name must not be empty")
	}
	s.a = t.name("a")
	s.b = t.name("b")
	s.over, _ = t.str("over")
	s.interconnect, _ = t.str("interconnect")
	s.bfd = b.readBFD(t)
	s.shared = b.readEnd(t, "")
	s.endA = b.readEnd(t, "_a")
	s.endB = b.readEnd(t, "_b")
	t.done()
	b.sessions = append(b.sessions, s)
}

// readBFD reads `bfd = true|false` or `bfd = { interval = "300ms", multiplier = 3 }`.
func (b *builder) readBFD(t *table) rawBFD {
	var r rawBFD
	v, ok := t.m["bfd"]
	if !ok {
		return r
	}
	if on, ok := v.(bool); ok {
		t.used["bfd"] = true
		return rawBFD{set: true, enabled: on}
	}
	g, ok := t.sub("bfd")
	if !ok {
		return r
	}
	r.set, r.enabled = true, true
	if on, ok := g.boolean("enabled"); ok {
		r.enabled = on
	}
	r.interval = g.optDur("interval")
	if r.interval.set && !b.checkBFDInterval(g.at("interval"), r.interval.v) {
		r.interval.set = false
	}
	r.multiplier = g.optInt("multiplier", 1, 255)
	g.done()
	return r
}

func (b *builder) readRules(t *table, key string) []Rule {
	var out []Rule
	for _, r := range t.tables(key) {
		var rule Rule
		rule.MatchPrefixes, _ = r.prefixes("match_prefixes")
		if c, ok := r.str("match_community"); ok {
			if checkCommunity(c) {
				rule.MatchCommunity = c
			} else {
				b.d.errAt(r.at("match_community"), false, "invalid community %q: want \"ASN:value\", each 0..65535", c)
			}
		}
		rule.MatchASPath, _ = r.asn("match_as_path")
		rule.Deny, _ = r.boolean("deny")
		if n, ok := r.integer("local_pref", 0, 1<<32-1); ok {
			v := uint32(n)
			rule.LocalPref = &v
		}
		if n, ok := r.integer("med", 0, 1<<32-1); ok {
			v := uint32(n)
			rule.MED = &v
		}
		if n, ok := r.integer("prepend", 0, 32); ok {
			rule.Prepend = int(n)
		}
		cs, _ := r.strs("add_communities")
		for i, c := range cs {
			if !checkCommunity(c) {
				b.d.errAt(indexKey(r.at("add_communities"), i), false, "invalid community %q: want \"ASN:value\", each 0..65535", c)
			}
		}
		if len(cs) > 0 {
			rule.AddCommunities = cs
		}
		if rule.Deny && (rule.LocalPref != nil || rule.MED != nil || rule.Prepend > 0 || len(rule.AddCommunities) > 0) {
			b.d.errAt(r.at("deny"), false, "a deny rule cannot also set attributes")
		}
		r.done()
		out = append(out, rule)
	}
	return out
}

func checkCommunity(c string) bool {
	hi, lo, ok := strings.Cut(c, ":")
	if !ok {
		return false
	}
	for _, part := range []string{hi, lo} {
		n, err := strconv.ParseUint(part, 10, 16)
		if err != nil || part == "" || strings.HasPrefix(part, "+") {
			return false
		}
		_ = n
	}
	return true
}

func (b *builder) readPool(t *table) {
	p := rawPool{path: t.path, name: t.name("name")}
	if !t.has("capacity") {
		b.d.errAt(t.path, true, `missing "capacity"`)
	}
	p.capacity, p.capSet = t.bandwidth("capacity")
	if !t.has("links") {
		b.d.errAt(t.path, true, `missing "links"`)
	}
	p.links, _ = t.strs("links")
	p.interconnect, _ = t.str("interconnect")
	t.done()
	b.pools = append(b.pools, p)
}

func (b *builder) readTenant(t *table) {
	x := rawTenant{path: t.path, name: t.name("name")}
	if !t.has("rate") {
		b.d.errAt(t.path, true, `missing "rate"`)
	}
	x.rate, _ = t.bandwidth("rate")
	if !t.has("pools") {
		b.d.errAt(t.path, true, `missing "pools"`)
	}
	x.pools, _ = t.strs("pools")
	x.interconnect, _ = t.str("interconnect")
	t.done()
	b.tenants = append(b.tenants, x)
}

func (b *builder) readDemand(t *table) {
	dm := Demand{Name: t.name("name"), From: t.name("from"), To: t.name("to")}
	b.claim(kDemand, dm.Name, t.path, "name")
	if !t.has("rate") {
		b.d.errAt(t.path, true, `missing "rate"`)
	} else if r, ok := t.bandwidth("rate"); ok {
		if r <= 0 {
			b.d.errAt(t.at("rate"), false, "rate must be > 0")
		}
		dm.Rate = r
	}
	t.done()
	b.t.Demands = append(b.t.Demands, dm)
	b.demandPaths = append(b.demandPaths, t.path)
}

// Resolution: references, defaults, checks.

func (b *builder) resolveFacilities() {
	for _, f := range b.facilities {
		if b.claim(kFacility, f.f.Name, f.path, "name") || f.f.Name == "" {
			fac := f.f
			if f.interconnect != "" {
				fac.Interconnect = f.interconnect
			}
			b.t.Facilities = append(b.t.Facilities, fac)
		}
	}
}

func (b *builder) resolveRouters() {
	usedIDs := map[[2]uint32]string{} // (asn, id) → router
	for _, r := range b.routers {
		if !b.claim(kRouter, r.name, r.path, "name") && r.name != "" {
			continue
		}
		out := Router{Name: r.name, Site: r.site, Facility: r.facility, Interconnect: r.interconnect,
			Role: RoleEdge, Prefixes: r.prefixes}
		if r.role != "" {
			out.Role = r.role
		}
		site, ok := b.t.Site(r.site)
		if !ok && r.site != "" {
			b.d.errAt(joinKey(r.path, "site"), false, "unknown site %q%s", r.site, DidYouMean(r.site, b.t.SiteNames()))
		}
		var fac *Facility
		if r.facility != "" {
			if fac, ok = b.t.Facility(r.facility); !ok {
				b.d.errAt(joinKey(r.path, "facility"), false, "unknown facility %q%s", r.facility, DidYouMean(r.facility, b.t.FacilityNames()))
			}
		}
		prof, _ := LookupProfile("generic")
		switch {
		case r.profile != "":
			if p, ok := LookupProfile(r.profile); ok {
				prof = p
			} else {
				b.d.errAt(joinKey(r.path, "profile"), false, "unknown profile %q: want one of %s", r.profile, strings.Join(profileNames(), ", "))
			}
		case b.opt.RouterProfile != "" && site != nil && site.Provider == "generic":
			prof, _ = LookupProfile(b.opt.RouterProfile)
		case site != nil && site.Provider != "":
			prof, _ = LookupProfile(site.Provider)
		}
		out.Profile = prof.Name
		out.ASN = r.asn
		if out.ASN == 0 && site != nil {
			out.ASN = site.ASN
		}
		d := &b.def
		out.BFDOffloaded = firstBool(prof.BFDOffloaded, r.bfdOffloaded, d.bfdOffloaded)
		out.BFDSlack = firstDur(prof.BFDSlack, r.bfdSlack)
		if out.BFDOffloaded && !r.bfdSlack.set {
			out.BFDSlack = 0 // offloaded BFD keeps exact timing
		}
		out.UpdateDelay = firstDur(prof.UpdateDelay, r.updateDelay, d.updateDelay)
		out.PrefixDelay = firstDur(prof.PrefixDelay, r.prefixDelay, d.prefixDelay)
		out.FIBInstallDelay = firstDur(prof.FIBInstallDelay, r.fibDelay, d.fibDelay)
		out.BootTime = firstDur(prof.BootTime, r.bootTime, d.bootTime)
		out.MaxPaths = firstInt(prof.MaxPaths, r.maxPaths, d.maxPaths)
		srlgs := r.srlgs
		if fac != nil {
			srlgs = append(append([]string(nil), srlgs...), fac.SRLGs...)
		}
		out.SRLGs = sortedUnique(srlgs)
		if r.routerID.IsValid() {
			key := [2]uint32{out.ASN, addrU32(r.routerID)}
			if other, dup := usedIDs[key]; dup {
				b.d.errAt(joinKey(r.path, "router_id"), false, "router ID %s already used by router %q in AS %d", r.routerID, other, out.ASN)
			}
			usedIDs[key] = r.name
			out.RouterID = r.routerID
		}
		b.t.Routers = append(b.t.Routers, out)
	}
	// Default router IDs: 10.255.x.y from a hash of the name (stable when
	// other routers are added), probing upward past IDs already in use.
	for i := range b.t.Routers {
		r := &b.t.Routers[i]
		if r.RouterID.IsValid() {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(r.Name))
		n := h.Sum32() % 65534
		for {
			id := 10<<24 | 255<<16 | (n + 1)
			key := [2]uint32{r.ASN, id}
			if _, used := usedIDs[key]; !used {
				usedIDs[key] = r.Name
				r.RouterID = u32Addr(id)
				break
			}
			n = (n + 1) % 65534
		}
	}
}

func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func u32Addr(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func (b *builder) routerRef(path, key, name string) bool {
	if name == "" {
		return false
	}
	if _, ok := b.t.Router(name); !ok {
		b.d.errAt(joinKey(path, key), false, "unknown router %q%s", name, DidYouMean(name, b.t.RouterNames()))
		return false
	}
	return true
}

func (b *builder) resolveLinks() {
	d := &b.def
	for _, l := range b.links {
		if !b.claim(kLink, l.name, l.path, "name") && l.name != "" {
			continue
		}
		out := Link{Name: l.name, A: l.a, B: l.b, SRLGs: l.srlgs, Interconnect: l.interconnect}
		okA := b.routerRef(l.path, "a", l.a)
		okB := b.routerRef(l.path, "b", l.b)
		if okA && okB && l.a == l.b {
			b.d.errAt(joinKey(l.path, "b"), false, "link ends are the same router %q", l.a)
		}
		switch {
		case l.capacity.set:
			out.Capacity = l.capacity.v
			if out.Capacity <= 0 {
				b.d.errAt(joinKey(l.path, "capacity"), false, "capacity must be > 0")
			}
		case d.linkCapacity.set:
			out.Capacity = d.linkCapacity.v
		case l.capacityGiven:
			// invalid, already reported
		default:
			b.d.errAt(l.path, true, `missing "capacity" (and no [defaults.link] capacity)`)
		}
		out.Latency = firstDur(time.Millisecond, l.latency, d.linkLatency)
		b.checkLatency(l.path, l.latency.set, out.Latency)
		out.Jitter = firstDur(0, l.jitter, d.linkJitter)
		out.CarrierDelay = firstDur(0, l.carrierDelay, d.linkCarrierDelay)
		out.MACsec = firstBool(false, l.macsec, d.linkMACsec)
		out.AdminDown = l.adminDown
		b.t.Links = append(b.t.Links, out)
	}
}

func samePair(a1, b1, a2, b2 string) bool { return a1 == a2 && b1 == b2 || a1 == b2 && b1 == a2 }

func (b *builder) resolveLAGs() {
	for _, g := range b.lags {
		if !b.claim(kLink, g.name, g.path, "name") && g.name != "" {
			continue
		}
		out := LAG{Name: g.name, A: g.a, B: g.b, Interconnect: g.interconnect}
		if g.a != "" {
			b.routerRef(g.path, "a", g.a)
		}
		if g.b != "" {
			b.routerRef(g.path, "b", g.b)
		}
		seen := map[string]bool{}
		for i, m := range g.members {
			mp := indexKey(joinKey(g.path, "members"), i)
			l, ok := b.t.Link(m)
			switch {
			case !ok:
				b.d.errAt(mp, false, "unknown link %q%s", m, DidYouMean(m, b.t.LinkNames()))
				continue
			case seen[m]:
				b.d.errAt(mp, false, "link %q listed twice", m)
				continue
			case l.LAG != "":
				b.d.errAt(mp, false, "link %q is already a member of LAG %q", m, l.LAG)
				continue
			}
			seen[m] = true
			if out.A == "" && out.B == "" {
				out.A, out.B = l.A, l.B
			}
			if !samePair(out.A, out.B, l.A, l.B) {
				b.d.errAt(mp, false, "link %q connects %s–%s, not the LAG's %s–%s", m, l.A, l.B, out.A, out.B)
				continue
			}
			l.LAG = g.name
			out.Members = append(out.Members, m)
		}
		if len(g.members) == 0 && g.members != nil {
			b.d.errAt(joinKey(g.path, "members"), false, "a LAG needs at least one member link")
		}
		out.MinLinks = firstInt(1, g.minLinks, b.def.lagMinLinks)
		if g.minLinks.set && out.MinLinks > len(g.members) && len(g.members) > 0 {
			b.d.errAt(joinKey(g.path, "min_links"), false, "min_links %d is more than the %d member links", out.MinLinks, len(g.members))
		} else if out.MinLinks > len(out.Members) {
			out.MinLinks = max(1, len(out.Members))
			if b.def.lagMinLinks.set && len(g.members) > 0 && b.def.lagMinLinks.v > len(g.members) {
				b.d.errAt(g.path, true, "[defaults.lag] min_links %d is more than the %d member links", b.def.lagMinLinks.v, len(g.members))
			}
		}
		b.t.LAGs = append(b.t.LAGs, out)
	}
}

func (b *builder) resolveSessions() {
	// Links and LAGs by router pair, for sessions without "over" (one pass,
	// so that sessions resolve in time linear in the fabric).
	b.between = map[[2]string][]string{}
	for _, l := range b.t.Links {
		if l.LAG == "" {
			k := pairKey(l.A, l.B)
			b.between[k] = append(b.between[k], l.Name)
		}
	}
	for _, g := range b.t.LAGs {
		k := pairKey(g.A, g.B)
		b.between[k] = append(b.between[k], g.Name)
	}
	// Sessions without a name between the same pair are named "a~b@over".
	unnamed := map[[2]string]int{}
	for _, s := range b.sessions {
		if s.name == "" {
			unnamed[pairKey(s.a, s.b)]++
		}
	}
	for _, s := range b.sessions {
		b.resolveSession(s, unnamed[pairKey(s.a, s.b)] > 1)
	}
	b.checkSessionPairs()
}

func pairKey(a, b string) [2]string {
	if a > b {
		return [2]string{b, a}
	}
	return [2]string{a, b}
}

func (b *builder) resolveSession(s rawSession, qualify bool) {
	okA := b.routerRef(s.path, "a", s.a)
	okB := b.routerRef(s.path, "b", s.b)
	if okA && okB && s.a == s.b {
		b.d.errAt(joinKey(s.path, "b"), false, "session ends are the same router %q", s.a)
		okB = false
	}
	out := Session{Name: s.name, Over: s.over, Interconnect: s.interconnect}
	var ra, rb *Router
	if okA {
		ra, _ = b.t.Router(s.a)
	}
	if okB {
		rb, _ = b.t.Router(s.b)
	}
	if ra != nil && rb != nil {
		out.IBGP = ra.ASN == rb.ASN
		b.resolveOver(s, &out, ra, rb)
	}
	if out.Name == "" {
		out.Name = s.a + "~" + s.b
		if qualify && out.Over != "" {
			out.Name += "@" + out.Over
		}
	}
	nameKey := "a"
	if s.name != "" {
		nameKey = "name"
	}
	if !b.claim(kSession, out.Name, s.path, nameKey) {
		return
	}
	if ra == nil || rb == nil {
		b.t.Sessions = append(b.t.Sessions, out)
		return
	}
	pa, _ := LookupProfile(ra.Profile)
	pb, _ := LookupProfile(rb.Profile)
	d := &b.def
	// BFD: session key > [defaults.bfd] > both profiles enable it.
	enabled := pa.BFDEnabled && pb.BFDEnabled
	if d.bfdEnabled.set {
		enabled = d.bfdEnabled.v
	}
	if s.bfd.set {
		enabled = s.bfd.enabled
	}
	if enabled {
		out.BFD = &BFD{
			Interval:   firstDur(max(pa.BFDInterval, pb.BFDInterval), s.bfd.interval, d.bfdInterval),
			Multiplier: firstInt(max(pa.BFDMultiplier, pb.BFDMultiplier), s.bfd.multiplier, d.bfdMultiplier),
		}
	}
	out.A = b.resolveEnd(s, s.endA, "_a", ra, pa, out)
	out.B = b.resolveEnd(s, s.endB, "_b", rb, pb, out)
	b.t.Sessions = append(b.t.Sessions, out)
}

func (b *builder) resolveOver(s rawSession, out *Session, ra, rb *Router) {
	if s.over != "" {
		if l, ok := b.t.Link(s.over); ok {
			if !samePair(l.A, l.B, ra.Name, rb.Name) {
				b.d.errAt(joinKey(s.path, "over"), false, "link %q connects %s–%s, not %s–%s", s.over, l.A, l.B, ra.Name, rb.Name)
			} else if l.LAG != "" {
				b.d.errAt(joinKey(s.path, "over"), false, "link %q is a member of LAG %q: run the session over the LAG", s.over, l.LAG)
			}
			return
		}
		if g, ok := b.t.LAG(s.over); ok {
			if !samePair(g.A, g.B, ra.Name, rb.Name) {
				b.d.errAt(joinKey(s.path, "over"), false, "LAG %q connects %s–%s, not %s–%s", s.over, g.A, g.B, ra.Name, rb.Name)
			}
			return
		}
		b.d.errAt(joinKey(s.path, "over"), false, "unknown link or LAG %q%s", s.over, DidYouMean(s.over, b.t.LinkNames()))
		return
	}
	cands := b.between[pairKey(ra.Name, rb.Name)]
	switch {
	case len(cands) == 1:
		out.Over = cands[0]
	case len(cands) > 1:
		b.d.errAt(s.path, true, "%d links/LAGs between %s and %s (%s): set \"over\"", len(cands), ra.Name, rb.Name, strings.Join(cands, ", "))
	case out.IBGP && ra.Site == rb.Site && len(b.t.Cores(ra.Site)) > 0:
		b.d.errAt(s.path, true, "no link or LAG between %s and %s: site %q has core routers (no hub), so its sessions need a declared link", ra.Name, rb.Name, ra.Site)
	case out.IBGP && ra.Site == rb.Site:
		// carried by the site interior
	default:
		b.d.errAt(s.path, true, "no link or LAG between %s and %s (only iBGP sessions within one site may have none)", ra.Name, rb.Name)
	}
}

func pickDur(def time.Duration, opts ...optDur) optDur {
	for _, o := range opts {
		if o.set {
			return o
		}
	}
	return optDur{v: def}
}

func (b *builder) resolveEnd(s rawSession, e rawEnd, suffix string, r *Router, p Profile, out Session) SessionEnd {
	d := &b.def
	sh := s.shared
	end := SessionEnd{Router: r.Name}
	at := func(key string, o optDur) string { // where a value came from, for errors
		switch {
		case o.set && e.keyset(key):
			return joinKey(s.path, key+suffix)
		case o.set && sh.keyset(key):
			return joinKey(s.path, key)
		}
		return s.path
	}
	ka := pickDur(p.Keepalive, e.keepalive, sh.keepalive, d.keepalive)
	hold := pickDur(p.Hold, e.hold, sh.hold, d.hold)
	sessionKA := e.keepalive.set || sh.keepalive.set
	end.Hold = hold.v
	end.Keepalive = ka.v
	holdAt := at("hold", hold)
	if hold.set && !e.hold.set && !sh.hold.set {
		holdAt = "defaults.bgp.hold"
	}
	kaAt := at("keepalive", ka)
	if ka.set && !sessionKA {
		kaAt = "defaults.bgp.keepalive"
	}
	switch {
	case end.Hold == 0:
		if sessionKA && ka.v != 0 {
			b.d.errAt(kaAt, false, "keepalive must be 0 when hold is 0 (%s)", r.Name)
		}
		end.Keepalive = 0
	case end.Hold < 3*time.Second:
		b.d.errAt(holdAt, false, "hold %s for %s: must be 0 or at least 3s", end.Hold, r.Name)
	case holdProblem(end.Hold) != "":
		b.d.errAt(holdAt, false, "hold %s for %s: %s", end.Hold, r.Name, holdProblem(end.Hold))
	case end.Keepalive == 0:
		b.d.errAt(kaAt, false, "keepalive 0 for %s needs hold 0", r.Name)
	case end.Keepalive < time.Second:
		b.d.errAt(kaAt, false, "keepalive %s for %s: must be at least 1s", end.Keepalive, r.Name)
	case end.Hold < 3*end.Keepalive:
		// Blame the more specific of the two (session > defaults > profile).
		rank := func(o optDur, onSession bool) int {
			switch {
			case onSession:
				return 2
			case o.set:
				return 1
			}
			return 0
		}
		where := holdAt
		if rank(ka, sessionKA) > rank(hold, e.hold.set || sh.hold.set) {
			where = kaAt
		}
		b.d.errAt(where, false, "hold %s is less than 3 × keepalive %s (%s)", end.Hold, end.Keepalive, r.Name)
	}
	cr := pickDur(p.ConnectRetry, e.connectRetry, sh.connectRetry, d.connectRetry)
	end.ConnectRetry = cr.v
	if cr.v <= 0 {
		b.d.errAt(at("connect_retry", cr), false, "connect_retry must be > 0")
	}
	end.EstablishDelay = pickDur(p.EstablishDelay, e.establishDelay, sh.establishDelay, d.establishDelay).v
	if out.IBGP {
		end.MRAI = pickDur(p.MRAIIBGP, e.mrai, sh.mrai, d.mraiIBGP).v
	} else {
		end.MRAI = pickDur(p.MRAIEBGP, e.mrai, sh.mrai, d.mraiEBGP).v
	}
	grDef := p.GracefulRestart
	if out.BFD != nil && !p.GracefulRestartWithBFD {
		grDef = 0
	}
	gr := pickDur(grDef, e.gracefulRestart, sh.gracefulRestart, d.gracefulRestart)
	end.GracefulRestart = gr.v
	if gr.v > 4095*time.Second {
		b.d.errAt(at("graceful_restart", gr), false, "graceful_restart %s is above the 4095s RFC 4724 allows", gr.v)
	}
	end.MaxPrefix = firstInt(p.MaxPrefix, e.maxPrefix, sh.maxPrefix, d.maxPrefix)
	end.RRClient = firstBool(false, e.rrClient, sh.rrClient)
	if end.RRClient && !out.IBGP {
		key := "rr_client"
		if e.rrClient.set {
			key += suffix
		}
		b.d.errAt(joinKey(s.path, key), false, "rr_client needs an iBGP session (%s is AS %d, its peer another AS)", r.Name, r.ASN)
	}
	end.NextHopSelf = firstBool(false, e.nextHopSelf, sh.nextHopSelf, d.nextHopSelf)
	de := &d.end
	end.HoldExpiryDelay = firstDur(p.HoldExpiryDelay, e.holdExpiryDelay, sh.holdExpiryDelay, de.holdExpiryDelay)
	end.SynRetries = firstInt(p.SynRetries, e.synRetries, sh.synRetries, de.synRetries)
	end.ConnectOnBFDUp = firstBool(p.ConnectOnBFDUp, e.connectOnBFDUp, sh.connectOnBFDUp, de.connectOnBFDUp)
	end.SendBack = firstBool(p.SendBack, e.sendBack, sh.sendBack, de.sendBack)
	end.SeparateEoR = firstBool(p.SeparateEoR, e.separateEoR, sh.separateEoR, de.separateEoR)
	end.MRAIJitter = firstBool(p.MRAIJitter, e.mraiJitter, sh.mraiJitter, de.mraiJitter)
	end.PaceWithdrawals = firstBool(p.PaceWithdrawals, e.paceWithdrawals, sh.paceWithdrawals, de.paceWithdrawals)
	switch {
	case e.impSet:
		end.Import = e.imp
	case sh.impSet:
		end.Import = sh.imp
	}
	switch {
	case e.expSet:
		end.Export = e.exp
	case sh.expSet:
		end.Export = sh.exp
	}
	return end
}

func (e rawEnd) keyset(key string) bool {
	switch key {
	case "keepalive":
		return e.keepalive.set
	case "hold":
		return e.hold.set
	case "connect_retry":
		return e.connectRetry.set
	case "graceful_restart":
		return e.gracefulRestart.set
	}
	return false
}

func (b *builder) resolvePools() {
	for _, p := range b.pools {
		if !b.claim(kPool, p.name, p.path, "name") && p.name != "" {
			continue
		}
		out := Pool{Name: p.name, Capacity: p.capacity, Interconnect: p.interconnect}
		if p.capSet && p.capacity <= 0 {
			b.d.errAt(joinKey(p.path, "capacity"), false, "capacity must be > 0")
		}
		seen := map[string]bool{}
		for i, name := range p.links {
			var members []string
			if _, ok := b.t.Link(name); ok {
				members = []string{name}
			} else if g, ok := b.t.LAG(name); ok {
				members = g.Members
			} else {
				b.d.errAt(indexKey(joinKey(p.path, "links"), i), false, "unknown link or LAG %q%s", name, DidYouMean(name, b.t.LinkNames()))
				continue
			}
			for _, m := range members {
				if !seen[m] {
					seen[m] = true
					out.Links = append(out.Links, m)
				}
			}
		}
		if p.links != nil && len(p.links) == 0 {
			b.d.errAt(joinKey(p.path, "links"), false, "a pool needs at least one link")
		}
		b.t.Pools = append(b.t.Pools, out)
	}
}

func (b *builder) resolveTenants() {
	for _, x := range b.tenants {
		if !b.claim(kTenant, x.name, x.path, "name") && x.name != "" {
			continue
		}
		out := Tenant{Name: x.name, Rate: x.rate, Interconnect: x.interconnect}
		if x.rate < 0 {
			b.d.errAt(joinKey(x.path, "rate"), false, "rate must be ≥ 0")
		}
		for i, name := range x.pools {
			if _, ok := b.t.Pool(name); !ok {
				b.d.errAt(indexKey(joinKey(x.path, "pools"), i), false, "unknown pool %q%s", name, DidYouMean(name, b.t.PoolNames()))
				continue
			}
			out.Pools = append(out.Pools, name)
		}
		if x.pools != nil && len(x.pools) == 0 {
			b.d.errAt(joinKey(x.path, "pools"), false, "a tenant needs at least one pool")
		}
		b.t.Tenants = append(b.t.Tenants, out)
	}
}

func (b *builder) checkDemands() {
	for i, dm := range b.t.Demands {
		path := b.demandPaths[i]
		for _, k := range []struct{ key, site string }{{"from", dm.From}, {"to", dm.To}} {
			if k.site == "" {
				continue
			}
			if _, ok := b.t.Site(k.site); !ok {
				b.d.errAt(joinKey(path, k.key), false, "unknown site %q%s", k.site, DidYouMean(k.site, b.t.SiteNames()))
			}
		}
		if dm.From != "" && dm.From == dm.To {
			b.d.errAt(joinKey(path, "to"), false, "demand from and to the same site %q", dm.From)
		}
	}
}
