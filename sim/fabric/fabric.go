package fabric

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sync/atomic"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bfd"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/fib"
	"github.com/netdrill/netdrill/sim/flow"
	"github.com/netdrill/netdrill/sim/link"
	"github.com/netdrill/netdrill/topology"
)

// internalCapacity is the capacity of a site-internal attachment: large
// enough never to be the bottleneck (1 Pbit/s).
const internalCapacity = 1e15

// A site's hub attaches to each edge router as the site's Backbone says
// (topology.Backbone, with provider-profile defaults and their sources):
// carrier-visible or not, its latency, and the hub session's BFD and
// keepalive/hold. Connect-retry 30s and connect delay 100ms are
// assumptions for a backbone iBGP session.
const (
	hubConnectRetry = 30 * sim.Second
	hubConnectDelay = 100 * sim.Millisecond
)

// peerRef says where one BGP peer of a node is: the session, the link it
// runs over, the node at the other end and the peer index there.
type peerRef struct {
	session  int
	end      int // this node's end of the session (0 = A, 1 = B)
	link     int
	peerNode int
	peerIdx  int
	hop      flow.Hop
}

type node struct {
	id       int
	name     string
	site     string
	facility string
	provider string
	hub      bool
	owned    []netip.Prefix

	spk   *bgp.Speaker
	fib   *fib.FIB
	flow  flow.NodeID
	peers []peerRef

	bfdOffloaded bool
	bfdSlack     sim.Time
	bootTime     sim.Time
	core         bool

	crashed bool
	hung    bool
	paused  bool
	drained [][]bgp.Rule // export policies saved by Drain
}

type linkRT struct {
	l        *link.Link
	flow     flow.LinkID
	sessions []int
	// LAG bookkeeping: member names and how many are down.
	members     []string
	memberCap   []float64
	membersDown map[string]bool
	minLinks    int

	box struct{ state, reason sim.String } // link.state values as last traced
}

type sessionRT struct {
	name string
	ends [2]int // node ids
	idx  [2]int // peer index at each end
	link int
	bfd  *bfd.Session
	cfg  *topology.Session // nil for hub sessions
}

// Fabric is the running network model of one simulation.
type Fabric struct {
	eng     *sim.Engine
	top     *topology.Topology
	tr      sim.Tracer
	counter sim.Counter // tr, when it may only count some kinds
	opt     Options
	pfx     *bgp.Prefixes // the simulation's prefix table

	hops      []flow.Hop // the forwarder's answer buffer (read during the call only)
	attrs     []sim.Attr // the fabric's own trace records' buffer
	recompute func()     // deferred by markDirty, built once

	nodes       []*node
	nodeByID    map[string]int
	links       []*linkRT
	linkByID    map[string]int
	lagOf       map[string]int // member link name → LAG linkRT index
	sessions    []*sessionRT
	pools       []flow.PoolID
	poolByID    map[string]int
	poolRT      []*poolRT
	demands     map[string]flow.DemandID
	demandNm    []string
	demandDst   []netip.Addr // every demand's destination (demandIn)
	watchBits   []uint64     // by prefix ID below watchN: a demand's destination is inside (watched)
	watchN      int32
	demandDescs []DemandDesc

	net        *flow.Network
	dirty      bool
	msgRand    *rand.Rand
	tenantRate map[string]float64 // tenant → rate set by SetTenantRate
	spare      []*delivery        // recycled deliveries
}

type poolRT struct {
	name     string
	capacity float64 // as configured
	links    []int
	surge    float64
}

// Options tune the model where the topology says nothing.
type Options struct {
	// Tracer receives every trace record; nil traces nothing.
	Tracer sim.Tracer
	// Alone are prefixes that must not be simulated in a block with others
	// (blocks.go): those a fault withdraws, leaks or otherwise names.
	Alone []netip.Prefix
	// NoBlocks simulates every prefix on its own.
	NoBlocks bool
}

// New builds the fabric of top on eng. It starts nothing: call Start.
func New(eng *sim.Engine, top *topology.Topology, opt Options) (*Fabric, error) {
	f := &Fabric{eng: eng, top: top, tr: opt.Tracer, opt: opt,
		nodeByID: map[string]int{}, linkByID: map[string]int{}, lagOf: map[string]int{},
		poolByID: map[string]int{}, demands: map[string]flow.DemandID{}, tenantRate: map[string]float64{},
		msgRand: eng.Rand("fabric/messages")}
	f.net = flow.NewNetwork(forwarder{f})
	f.net.SetTracer(flowTracer{f})
	if err := f.build(); err != nil {
		return nil, err
	}
	return f, nil
}

// Engine returns the engine the fabric runs on.
func (f *Fabric) Engine() *sim.Engine { return f.eng }

// Topology returns the topology the fabric was built from.
func (f *Fabric) Topology() *topology.Topology { return f.top }

// Flow returns the data plane (for results and tests).
func (f *Fabric) Flow() *flow.Network { return f.net }

// SetTracer replaces the tracer of the fabric and of every model in it
// (they all trace through the fabric), so the runner can count quietly
// during warm-up and then switch to recording.
func (f *Fabric) SetTracer(t sim.Tracer) {
	f.tr = t
	f.tracerKinds()
}

// CountsOnly implements sim.Counter for the models tracing through the
// fabric: what the current tracer says.
func (f *Fabric) CountsOnly(kind string) bool {
	return f.counter != nil && f.counter.CountsOnly(kind)
}

// tracerKinds tells the FIBs whether the tracer only counts their records
// (sim.Counter: the warm-up's quiet watch) and, when it does and no demand
// exists yet, that nothing looks at their members as they are programmed
// (fib.SetLazy).
func (f *Fabric) tracerKinds() {
	f.counter, _ = f.tr.(sim.Counter)
	only := f.counter != nil && f.counter.CountsOnly("fib.change")
	for _, n := range f.nodes {
		if n.fib != nil {
			n.fib.SetCountOnly(only)
			n.fib.SetLazy(only && len(f.demandDst) == 0 && !eagerFIBs.Load())
		}
	}
}

// FIBPending returns how many prefixes wait to be programmed, in every
// router's FIB.
func (f *Fabric) FIBPending() int {
	c := 0
	for _, n := range f.nodes {
		if n.fib != nil {
			c += n.fib.Pending()
		}
	}
	return c
}

// eagerFIBs keeps every FIB's timer (SetLazyFIBs).
var eagerFIBs atomic.Bool

// SetLazyFIBs switches lazy FIBs off (on = false) from the next change of
// tracer or demands. It exists for the test that proves lazy FIBs change
// nothing; the returned function restores the previous setting.
func SetLazyFIBs(on bool) (restore func()) {
	old := eagerFIBs.Swap(!on)
	return func() { eagerFIBs.Store(old) }
}

// FIBChanges returns how many FIB changes have been programmed so far, in
// every router: what a tracer that only counts fib.change records (the
// warm-up's quiet watch) is not sent.
func (f *Fabric) FIBChanges() uint64 {
	var c uint64
	for _, n := range f.nodes {
		if n.fib != nil {
			c += n.fib.Changes()
		}
	}
	return c
}

// flowTracer passes the data plane's records on (the load of site-internal
// attachments, never a bottleneck and only noise, is not traced: addLink
// makes them quiet).
type flowTracer struct{ f *Fabric }

func (t flowTracer) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	t.f.Trace(at, kind, subject, attrs...)
}

// trace forwards to the current tracer; models hold this method as their
// tracer so that SetTracer takes effect everywhere.
func (f *Fabric) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	if f.tr != nil {
		f.tr.Trace(at, kind, subject, attrs...)
	}
}

func d(x interface{ Nanoseconds() int64 }) sim.Time { return sim.Time(x.Nanoseconds()) }

func (f *Fabric) addNode(n *node) {
	n.id = len(f.nodes)
	f.nodes = append(f.nodes, n)
	f.nodeByID[n.name] = n.id
	n.flow = f.net.AddNode(n.name, n.owned)
}

func (f *Fabric) addLink(l *link.Link) int {
	id := len(f.links)
	rt := &linkRT{l: l}
	rt.flow = f.net.AddLink(l.Name, f.nodes[f.nodeByID[l.A]].flow, f.nodes[f.nodeByID[l.B]].flow, l.Capacity)
	if l.Internal {
		f.net.SetLinkQuiet(rt.flow)
	}
	f.links = append(f.links, rt)
	f.linkByID[l.Name] = id
	return id
}

func (f *Fabric) build() error {
	top := f.top
	// Nodes: site hubs first (sites without core routers), then routers,
	// in topology order.
	for _, s := range top.Sites {
		if len(top.Cores(s.Name)) > 0 {
			continue
		}
		f.addNode(&node{name: s.Name, site: s.Name, provider: s.Provider, hub: true, owned: slices.Clip(s.Prefixes), bfdOffloaded: true})
	}
	for _, r := range top.Routers {
		site, _ := top.Site(r.Site)
		prov := r.Profile
		if site != nil && site.Provider != "" {
			prov = site.Provider
		}
		if _, dup := f.nodeByID[r.Name]; dup {
			return fmt.Errorf("router %q has the name of a site; rename one", r.Name)
		}
		owned := slices.Clip(r.Prefixes) // shared with the topology, read only
		if r.Role == topology.RoleCore && site != nil {
			owned = slices.Concat(owned, site.Prefixes) // a core originates its site's prefixes
			if len(r.Prefixes) == 0 {
				owned = slices.Clip(site.Prefixes)
			}
		}
		f.addNode(&node{name: r.Name, site: r.Site, facility: r.Facility, provider: prov, owned: owned,
			bfdOffloaded: r.BFDOffloaded, bfdSlack: d(r.BFDSlack), bootTime: d(r.BootTime), core: r.Role == topology.RoleCore})
	}
	// Links: plain links, then LAGs as one logical link each.
	for _, l := range top.Links {
		if l.LAG != "" {
			continue
		}
		ln := link.New(l.Name, l.A, l.B, float64(l.Capacity), d(l.Latency), d(l.CarrierDelay))
		ln.MACsec, ln.SRLGs = l.MACsec, slices.Clone(l.SRLGs)
		f.addLink(ln)
	}
	for _, g := range top.LAGs {
		var capSum float64
		var lat, carrier sim.Time
		var srlgs []string
		macsec := true
		rt := &linkRT{membersDown: map[string]bool{}, minLinks: g.MinLinks}
		for _, m := range g.Members {
			ml, ok := top.Link(m)
			if !ok {
				return fmt.Errorf("lag %q: unknown member %q", g.Name, m)
			}
			capSum += float64(ml.Capacity)
			lat = max(lat, d(ml.Latency))
			carrier = max(carrier, d(ml.CarrierDelay))
			macsec = macsec && ml.MACsec
			for _, s := range ml.SRLGs {
				if !slices.Contains(srlgs, s) {
					srlgs = append(srlgs, s)
				}
			}
			rt.members = append(rt.members, m)
			rt.memberCap = append(rt.memberCap, float64(ml.Capacity))
		}
		slices.Sort(srlgs)
		ln := link.New(g.Name, g.A, g.B, capSum, lat, carrier)
		ln.MACsec, ln.SRLGs = macsec, srlgs
		id := f.addLink(ln)
		f.links[id].members, f.links[id].memberCap = rt.members, rt.memberCap
		f.links[id].membersDown, f.links[id].minLinks = rt.membersDown, rt.minLinks
		for _, m := range g.Members {
			f.lagOf[m] = id
		}
	}
	// Site attachments: hub ↔ each router of a hub site.
	for _, r := range top.Routers {
		site, ok := top.Site(r.Site)
		if !f.hasHub(r.Site) || !ok {
			continue
		}
		bb := site.Backbone
		ln := link.New(r.Site+"~"+r.Name, r.Site, r.Name, internalCapacity, d(bb.Latency), d(bb.CarrierDelay))
		ln.Internal, ln.NoCarrier = true, !bb.Carrier
		f.addLink(ln)
	}
	// Speakers.
	cfgs := make([]bgp.Config, len(f.nodes))
	prefixes := bgp.NewPrefixes() // one table of prefix IDs for every speaker
	for i, n := range f.nodes {
		cfgs[i] = bgp.Config{Name: n.name, MaxPaths: 1, Prefixes: prefixes}
		if n.hub {
			s, _ := top.Site(n.name)
			cfgs[i].ASN = s.ASN
			cfgs[i].RouterID = hubRouterID(i)
			// shared with the topology: the speaker copies it before changing it
			cfgs[i].Originate = slices.Clip(s.Prefixes)
			cfgs[i].MaxPaths = 16 // a provider gateway spreads over every equal edge (ECMP)
		} else {
			r, _ := top.Router(n.name)
			cfgs[i].ASN = r.ASN
			cfgs[i].RouterID = addrID(r.RouterID, i)
			cfgs[i].MaxPaths = max(1, r.MaxPaths)
			cfgs[i].Originate = n.owned // shared: the speaker copies it before changing it
			cfgs[i].UpdateDelay = d(r.UpdateDelay)
			cfgs[i].PrefixDelay = d(r.PrefixDelay)
		}
	}
	// Every originated prefix has its ID before the first UPDATE, so a
	// speaker sizes its route table once instead of growing it as prefixes
	// arrive (the IDs' order is not observable: tables are dumped in each
	// speaker's first-seen order, FIBs by prefix).
	registerPrefixes(prefixes, cfgs, top, f.opt)
	f.pfx = prefixes
	// Topology sessions.
	for si := range top.Sessions {
		s := &top.Sessions[si]
		a, b := f.nodeByID[s.A.Router], f.nodeByID[s.B.Router]
		li := -1
		if s.Over != "" {
			id, ok := f.linkByID[s.Over]
			if !ok {
				if lag, isMember := f.lagOf[s.Over]; isMember {
					id, ok = lag, true
				}
			}
			if !ok {
				return fmt.Errorf("session %q: runs over unknown link %q", s.Name, s.Over)
			}
			li = id
		} else {
			li = f.internalPath(a, b)
			if li < 0 {
				return fmt.Errorf("session %q: no link between %s and %s", s.Name, s.A.Router, s.B.Router)
			}
		}
		rt := &sessionRT{name: s.Name, ends: [2]int{a, b}, link: li, cfg: s}
		var bc *bfd.Config
		if s.BFD != nil {
			bc = &bfd.Config{Interval: d(s.BFD.Interval), Multiplier: s.BFD.Multiplier}
		}
		f.addSession(rt, cfgs, [2]bgp.PeerConfig{
			f.peerConfig(s, &s.A, &s.B, cfgs[b], li),
			f.peerConfig(s, &s.B, &s.A, cfgs[a], li),
		}, bc)
	}
	// Hub sessions: the hub reflects to its routers; routers set next-hop-self.
	for _, r := range top.Routers {
		site, ok := top.Site(r.Site)
		if !f.hasHub(r.Site) || !ok {
			continue
		}
		bb := site.Backbone
		hub, rn := f.nodeByID[r.Site], f.nodeByID[r.Name]
		li := f.linkByID[r.Site+"~"+r.Name]
		name := r.Site + "~" + r.Name
		hubEnd := bgp.PeerConfig{Session: name, Peer: r.Name, PeerASN: cfgs[rn].ASN, PeerRouterID: cfgs[rn].RouterID,
			Keepalive: d(bb.Keepalive), Hold: d(bb.Hold), ConnectRetry: hubConnectRetry, EstablishDelay: hubConnectDelay,
			ConnectOnBFDUp: true, RRClient: true}
		rEnd := bgp.PeerConfig{Session: name, Peer: r.Site, PeerASN: cfgs[hub].ASN, PeerRouterID: cfgs[hub].RouterID,
			Keepalive: d(bb.Keepalive), Hold: d(bb.Hold), ConnectRetry: hubConnectRetry, EstablishDelay: hubConnectDelay,
			ConnectOnBFDUp: true, NextHopSelf: true}
		var bc *bfd.Config
		if bb.BFD != nil {
			bc = &bfd.Config{Interval: d(bb.BFD.Interval), Multiplier: bb.BFD.Multiplier}
		}
		f.addSession(&sessionRT{name: name, ends: [2]int{hub, rn}, link: li}, cfgs, [2]bgp.PeerConfig{hubEnd, rEnd}, bc)
	}
	for i, n := range f.nodes {
		n := n
		tr := nodeTransport{f: f, n: i}
		var delay sim.Time
		if !n.hub {
			r, _ := top.Router(n.name)
			delay = d(r.FIBInstallDelay)
		}
		// A FIB with an install delay programs later: BGP may tell it a
		// block's change in one call (bgp.BlockListener).
		n.spk = bgp.New(f.eng, cfgs[i], tr, nodeListener{f: f, n: i, blocks: delay > 0}, f)
		n.fib = fib.New(f.eng, n.name, delay, f, func(h int) string { return f.hopName(n, h) }, func(p netip.Prefix) {
			f.net.RoutesChangedPrefix(n.flow, p)
			f.markDirty()
		}, cfgs[i].Prefixes)
		n.fib.SetWatch(f.watched) // only changes a demand can see reach the data plane
	}
	f.tracerKinds()
	// Keepalives are computed while a session's path is healthy (bgp.Wire).
	for _, rt := range f.sessions {
		a, b := f.nodes[rt.ends[0]], f.nodes[rt.ends[1]]
		bgp.Wire(a.spk, rt.idx[0], b.spk, rt.idx[1], f.links[rt.link].l.Latency)
	}
	// Pools and tenants.
	for _, p := range top.Pools {
		var ids []flow.LinkID
		rt := &poolRT{name: p.Name, capacity: float64(p.Capacity)}
		for _, ln := range p.Links {
			li, ok := f.linkByID[ln]
			if !ok {
				li, ok = f.lagOf[ln]
			}
			if !ok {
				return fmt.Errorf("pool %q: unknown link %q", p.Name, ln)
			}
			if slices.Contains(rt.links, li) {
				continue // several members of one LAG
			}
			ids = append(ids, f.links[li].flow)
			rt.links = append(rt.links, li)
		}
		f.poolByID[p.Name] = len(f.pools)
		f.pools = append(f.pools, f.net.AddPool(p.Name, float64(p.Capacity), ids))
		f.poolRT = append(f.poolRT, rt)
	}
	f.updateTenants()
	return nil
}

// hasHub reports whether a site is modelled as a hub node (it declares no
// core routers).
func (f *Fabric) hasHub(site string) bool {
	id, ok := f.nodeByID[site]
	return ok && f.nodes[id].hub
}

// internalPath returns the link between nodes a and b for an iBGP session
// inside a site (via the hub's attachment when they are not adjacent).
func (f *Fabric) internalPath(a, b int) int {
	an, bn := f.nodes[a], f.nodes[b]
	for i, l := range f.links {
		if (l.l.A == an.name && l.l.B == bn.name) || (l.l.A == bn.name && l.l.B == an.name) {
			return i
		}
	}
	if an.site == bn.site {
		if id, ok := f.linkByID[an.site+"~"+an.name]; ok {
			return id
		}
	}
	return -1
}

func (f *Fabric) peerConfig(s *topology.Session, me, peer *topology.SessionEnd, peerCfg bgp.Config, li int) bgp.PeerConfig {
	pc := bgp.PeerConfig{
		Session: s.Name, Link: f.links[li].l.Name, Peer: peer.Router,
		PeerASN: peerCfg.ASN, PeerRouterID: peerCfg.RouterID,
		Keepalive: d(me.Keepalive), Hold: d(me.Hold), ConnectRetry: d(me.ConnectRetry),
		EstablishDelay: d(me.EstablishDelay), MRAI: d(me.MRAI), GracefulRestart: d(me.GracefulRestart),
		MaxPrefix: me.MaxPrefix, RRClient: me.RRClient, NextHopSelf: me.NextHopSelf,
		SynRetries: me.SynRetries, ConnectOnBFDUp: me.ConnectOnBFDUp, NoSendBack: !me.SendBack,
		SeparateEoR: me.SeparateEoR, MRAIJitter: me.MRAIJitter, PaceWithdrawals: me.PaceWithdrawals,
		HoldExpiryDelay: d(me.HoldExpiryDelay),
		Import:          rules(me.Import), Export: rules(me.Export),
	}
	if me.SynRetries == 0 {
		pc.SynRetries = -1 // the topology's 0 is "no retransmission"
	}
	if f.links[li].l.Internal {
		pc.Link = ""
	}
	return pc
}

func (f *Fabric) addSession(rt *sessionRT, cfgs []bgp.Config, pcs [2]bgp.PeerConfig, bc *bfd.Config) {
	si := len(f.sessions)
	f.sessions = append(f.sessions, rt)
	for e := 0; e < 2; e++ {
		rt.idx[e] = len(cfgs[rt.ends[e]].Peers)
		cfgs[rt.ends[e]].Peers = append(cfgs[rt.ends[e]].Peers, pcs[e])
	}
	for e := 0; e < 2; e++ {
		me, other := f.nodes[rt.ends[e]], f.nodes[rt.ends[1-e]]
		hop := flow.Hop{Link: f.links[rt.link].flow, To: other.flow}
		if l := f.links[rt.link].l; !(l.A == me.name && l.B == other.name || l.B == me.name && l.A == other.name) {
			// An iBGP session inside a site with no link of its own: the
			// traffic goes into the site's interior (the hub), which
			// forwards it on by its own table.
			if li, ok := f.linkByID[me.site+"~"+me.name]; ok {
				hop = flow.Hop{Link: f.links[li].flow, To: f.nodes[f.nodeByID[me.site]].flow}
			}
		}
		me.peers = append(me.peers, peerRef{session: si, end: e, link: rt.link, peerNode: other.id, peerIdx: rt.idx[1-e], hop: hop})
	}
	f.links[rt.link].sessions = append(f.links[rt.link].sessions, si)
	if bc != nil {
		cfg := *bc
		for e := 0; e < 2; e++ {
			if n := f.nodes[rt.ends[e]]; !n.bfdOffloaded {
				cfg.Soft[e], cfg.Slack[e] = true, n.bfdSlack
			}
		}
		names := [2]string{f.nodes[rt.ends[0]].name, f.nodes[rt.ends[1]].name}
		rt.bfd = bfd.New(f.eng, rt.name, names, cfg, f.links[rt.link].l.Latency, f.eng.Rand("bfd/"+rt.name), f,
			func(end int, up bool, reason string) { f.bfdChanged(si, end, up) })
	}
}

func (f *Fabric) hopName(n *node, h int) string {
	if h < 0 || h >= len(n.peers) {
		return "local"
	}
	return f.nodes[n.peers[h].peerNode].name
}

func hubRouterID(i int) uint32 { return 0xC0000000 | uint32(i+1) }

func addrID(a netip.Addr, i int) uint32 {
	if a.Is4() {
		b := a.As4()
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	return 0x0A000000 | uint32(i+1)
}

// Start starts every speaker. Sessions come up over the following seconds.
func (f *Fabric) Start() {
	for _, n := range f.nodes {
		n.spk.Start()
	}
	f.markDirty()
}

// markDirty arranges one data-plane recomputation at the end of the
// current instant, after every change of that instant, so that routers
// moving at the same instant never show a zero-length transient.
func (f *Fabric) markDirty() {
	if f.dirty {
		return
	}
	f.dirty = true
	if f.recompute == nil {
		f.recompute = func() {
			f.dirty = false
			f.net.Recompute(f.eng.Now())
		}
	}
	f.eng.Defer(f.recompute)
}

// Settle integrates the data plane up to now (call at the end of a run).
func (f *Fabric) Settle() { f.net.Recompute(f.eng.Now()) }

// --- BGP wiring ---

type nodeTransport struct {
	f *Fabric
	n int
}

// Send delivers m to the peer after the link latency, unless the link
// loses it. Messages are immutable once sent: both ends share them.
func (t nodeTransport) Send(_ *bgp.Speaker, peer int, m *bgp.Message) {
	f := t.f
	n := f.nodes[t.n]
	if n.crashed {
		return
	}
	pr := n.peers[peer]
	l := f.links[pr.link].l
	if !l.Passes(f.msgRand) {
		return
	}
	d := f.newDelivery()
	d.dst, d.idx, d.m = f.nodes[pr.peerNode], pr.peerIdx, m
	_ = f.eng.After(l.Latency, d.fn)
}

// delivery is one message in flight. Deliveries are recycled, each with
// its callback bound once, so that sending a message allocates nothing.
type delivery struct {
	f   *Fabric
	dst *node
	idx int
	m   *bgp.Message
	fn  func()
}

func (f *Fabric) newDelivery() *delivery {
	if n := len(f.spare); n > 0 {
		d := f.spare[n-1]
		f.spare = f.spare[:n-1]
		return d
	}
	d := &delivery{f: f}
	d.fn = d.arrive
	return d
}

func (d *delivery) arrive() {
	dst, idx, m := d.dst, d.idx, d.m
	d.dst, d.m = nil, nil
	d.f.spare = append(d.f.spare, d)
	if dst.crashed {
		return
	}
	dst.spk.Receive(idx, m)
}

type nodeListener struct {
	f      *Fabric
	n      int
	blocks bool // the FIB programs later (an install delay)
}

func (l nodeListener) Blocks() bool { return l.blocks }

// BestChangedBlock is BestChangedID for the n prefixes of a block.
func (l nodeListener) BestChangedBlock(first, count int32, nexthops []int) {
	n := l.f.nodes[l.n]
	if n.crashed {
		return
	}
	n.fib.UpdateBlock(first, count, nexthops)
}

func (l nodeListener) BestChanged(p netip.Prefix, nexthops []int) {
	n := l.f.nodes[l.n]
	if n.crashed {
		return
	}
	n.fib.Update(p, nexthops)
}

// BestChangedID is BestChanged with the prefix's ID in the shared prefix
// table, which the FIBs use too.
func (l nodeListener) BestChangedID(id int32, _ netip.Prefix, nexthops []int) {
	n := l.f.nodes[l.n]
	if n.crashed {
		return
	}
	n.fib.UpdateID(id, nexthops)
}

// forwarder answers the data plane's lookups from the FIBs.
type forwarder struct{ f *Fabric }

func (fw forwarder) Lookup(nid flow.NodeID, dst netip.Addr) ([]flow.Hop, bool) {
	n := fw.f.nodes[nid]
	if n.crashed {
		return nil, false
	}
	nh, ok := n.fib.Lookup(dst)
	if !ok {
		return nil, false
	}
	// flow reads the answer during the call only (Forwarder's contract),
	// so one buffer serves every lookup.
	hops := fw.f.hops[:0]
	for _, h := range nh {
		if h >= 0 && h < len(n.peers) {
			hops = append(hops, n.peers[h].hop)
		}
	}
	fw.f.hops = hops
	return hops, true
}

func (f *Fabric) bfdChanged(si, end int, up bool) {
	s := f.sessions[si]
	n := f.nodes[s.ends[end]]
	if n.crashed || n.hung {
		return
	}
	if up {
		if n.spk.Config().Peers[s.idx[end]].ConnectOnBFDUp {
			n.spk.TransportUp(s.idx[end])
		}
	} else {
		n.spk.TransportDown(s.idx[end], bgp.BFDDown)
	}
}

// --- links ---

func (f *Fabric) traceLink(rt *linkRT, reason string) {
	l := rt.l
	state := l.State().String()
	if l.State() == link.Up && l.Degraded() {
		state = "degraded"
	}
	f.attrs = append(f.attrs[:0], sim.A("state", rt.box.state.Of(state)), sim.A("reason", rt.box.reason.Of(reason)))
	f.Trace(f.eng.Now(), "link.state", l.Name, f.attrs...)
}

func (f *Fabric) flowState(rt *linkRT) {
	l := rt.l
	switch l.State() {
	case link.Up:
		f.net.SetLinkState(rt.flow, flow.Up, 0)
	case link.Down:
		f.net.SetLinkState(rt.flow, flow.Down, 1)
	case link.Silent:
		f.net.SetLinkState(rt.flow, flow.Silent, l.Loss())
	case link.Dark:
		f.net.SetLinkState(rt.flow, flow.Dark, 1)
	}
	f.net.SetLinkCapacity(rt.flow, l.Capacity)
	f.markDirty()
	// The BGP sessions over the link learn at once whether their messages
	// cross (their keepalives are computed only while every packet does).
	for _, si := range rt.sessions {
		s := f.sessions[si]
		f.nodes[s.ends[0]].spk.SetPath(s.idx[0], l.Healthy(), l.Latency)
	}
}

// holdDown takes a link down for one more reason; on the transition the
// data plane loses it at once and both ends see carrier loss after the
// carrier delay, dropping their sessions (fast external fallover).
func (f *Fabric) holdDown(li int, reason string) { f.holdDownAt(li, reason, "") }

// holdDownAt is holdDown with the link shut at one end (admin, the router
// name): that end's sessions drop at once, the far end sees carrier loss
// after the carrier delay.
func (f *Fabric) holdDownAt(li int, reason, admin string) {
	rt := f.links[li]
	if !rt.l.HoldDown() {
		return
	}
	f.traceLink(rt, reason)
	f.flowState(rt)
	f.updateTenants()
	for _, si := range rt.sessions {
		if b := f.sessions[si].bfd; b != nil {
			b.SetPathLoss(1)
		}
	}
	if rt.l.NoCarrier {
		return // only BFD or the hold timer will notice
	}
	sessions := slices.Clone(rt.sessions)
	if admin != "" {
		for _, si := range sessions {
			s := f.sessions[si]
			for e := 0; e < 2; e++ {
				if n := f.nodes[s.ends[e]]; n.name == admin && !n.crashed {
					n.spk.TransportDown(s.idx[e], bgp.CarrierLost)
				}
			}
		}
	}
	_ = f.eng.After(rt.l.CarrierDelay, func() {
		if rt.l.Carrier() {
			return // came back within the carrier delay
		}
		for _, si := range sessions {
			s := f.sessions[si]
			for e := 0; e < 2; e++ {
				if n := f.nodes[s.ends[e]]; !n.crashed && n.name != admin {
					n.spk.TransportDown(s.idx[e], bgp.CarrierLost)
				}
			}
		}
	})
}

// release removes one down reason; when none is left the link comes back
// and both ends see carrier after the carrier delay.
func (f *Fabric) release(li int, reason string) {
	rt := f.links[li]
	if !rt.l.Release() {
		return
	}
	f.traceLink(rt, reason)
	f.flowState(rt)
	f.updateTenants()
	sessions := slices.Clone(rt.sessions)
	_ = f.eng.After(rt.l.CarrierDelay, func() {
		if !rt.l.Carrier() {
			return
		}
		for _, si := range sessions {
			s := f.sessions[si]
			if s.bfd != nil {
				s.bfd.SetPathLoss(rt.l.Loss())
			}
			for e := 0; e < 2; e++ {
				if n := f.nodes[s.ends[e]]; !n.crashed && !n.hung {
					n.spk.TransportUp(s.idx[e])
				}
			}
		}
	})
}

// setPathQuality applies a silent/dark/healed change to a carrier-up link.
func (f *Fabric) setPathQuality(rt *linkRT, reason string) {
	f.traceLink(rt, reason)
	f.flowState(rt)
	for _, si := range rt.sessions {
		if b := f.sessions[si].bfd; b != nil {
			b.SetPathLoss(rt.l.Loss())
		}
	}
}

// --- tenants and pools ---

// updateTenants spreads every tenant's load evenly over its pools that still
// have a carrier-up link, plus any surge on a pool.
func (f *Fabric) updateTenants() {
	if len(f.poolRT) == 0 {
		return
	}
	bg := make([]float64, len(f.poolRT))
	for _, t := range f.top.Tenants {
		rate := float64(t.Rate)
		if r, ok := f.tenantRate[t.Name]; ok {
			rate = r
		}
		var live []int
		for _, pn := range t.Pools {
			pi, ok := f.poolByID[pn]
			if ok && f.poolLive(pi) {
				live = append(live, pi)
			}
		}
		for _, pi := range live {
			bg[pi] += rate / float64(len(live))
		}
	}
	for pi, p := range f.poolRT {
		f.net.SetPoolBackground(f.pools[pi], bg[pi]+p.surge)
		// A pool cannot carry more than its live links: when a facility
		// fails, the pool shrinks to the surviving channels and every
		// tenant's load lands on them.
		var live float64
		for _, li := range p.links {
			if l := f.links[li].l; l.Carrier() {
				live += l.Capacity
			}
		}
		f.net.SetPoolCapacity(f.pools[pi], min(p.capacity, live))
	}
	f.markDirty()
}

func (f *Fabric) poolLive(pi int) bool {
	for _, li := range f.poolRT[pi].links {
		if f.links[li].l.Carrier() {
			return true
		}
	}
	return false
}
