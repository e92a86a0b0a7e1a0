package flow

import (
	"fmt"
	"math"
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// Network is the fluid data plane of one run: nodes, links, pools and
// demands, the forwarding state it follows (a Forwarder), and the rates it
// last computed. It is not safe for concurrent use; each engine owns one.
//
// Changes (Set…, RoutesChanged…, Add…) take effect at the next Recompute,
// which must be called at the virtual instant of the change: between two
// Recomputes the rates of the earlier one hold (piecewise constant).
type Network struct {
	fwd    Forwarder
	tracer sim.Tracer

	nodes   []node
	links   []link
	pools   []pool
	demands []demand

	elastic bool

	// last is the time of the last Recompute; started reports whether
	// there was one.
	last    sim.Time
	started bool

	// changed is set by anything that can alter a rate; a Recompute with
	// nothing changed only advances the clock.
	changed bool
	// rewalk lists demands whose walk is stale (dirty flag on the demand
	// de-duplicates).
	rewalk []DemandID
	// routesAll forces a re-walk of every demand.
	routesAll bool

	walker  walker
	solver  solver
	stats   Stats
	maxIter int

	attrs []sim.Attr // one buffer for every record traced
}

// Stats counts work done, for tests and benchmarks.
type Stats struct {
	Recomputes int // Recompute calls that had something to do
	Walks      int // demand walks (re-walks included)
	Lookups    int // Forwarder.Lookup calls
	Iterations int // fixed-point iterations of the inelastic solver, summed
	// Unconverged counts solves that hit the iteration cap (only possible
	// when congested links feed each other in a cycle).
	Unconverged int
}

type node struct {
	name  string
	owned []netip.Prefix
	// refs lists the demands whose walk called Lookup here. An entry is
	// current only if its gen equals the demand's gen; stale ones are
	// dropped lazily.
	refs    []demandRef
	refsCap int
}

type demandRef struct {
	d   DemandID
	gen uint32
}

type link struct {
	name     string
	a, b     NodeID
	capacity float64
	state    LinkState
	loss     float64 // effective wire loss ratio: 0 Up, ratio when Silent, 1 Dark
	ratio    float64 // the ratio as set
	pools    []PoolID

	// raw results of the last solve
	off, drop, silent [2]float64
	// quantized results and their integrals
	q       linkQ
	emitted linkQ
	traced  bool
	since   sim.Time
	dropAcc acc
	silAcc  acc
	box     [3]sim.Float // load, capacity, dropped as last traced
	quiet   bool         // its link.load is not traced (SetLinkQuiet)
}

type linkQ struct {
	capacity             float64
	off, drop, silent    [2]int64
	load, dropT, silentT int64
}

type pool struct {
	name       string
	capacity   float64
	background float64
	links      []LinkID

	off, drop, bgDrop [2]float64 // off excludes background
	q                 poolQ
	emitted           poolQ
	traced            bool
	since             sim.Time
	dropAcc, bgAcc    acc
	box               [4]sim.Float // load, capacity, background, dropped as last traced
}

type poolQ struct {
	capacity, background float64
	off, drop            [2]int64 // off includes background
	load, dropT, bgDropT int64
}

type demand struct {
	name string
	from NodeID
	dst  netip.Addr
	rate float64

	w     walk
	gen   uint32
	dirty bool

	// raw results of the last solve
	delivered float64
	lost      [NumCauses]float64

	q       demandQ
	emitted demandQ
	traced  bool
	since   sim.Time
	offAcc  acc
	delAcc  acc
	lostAcc [NumCauses]acc
	box     [2 + NumCauses]sim.Float // offered, delivered, lost by cause as last traced
}

type demandQ struct {
	offered, delivered int64
	lost               [NumCauses]int64
}

// NewNetwork returns an empty network that follows fwd.
func NewNetwork(fwd Forwarder) *Network {
	return &Network{fwd: fwd, changed: true, maxIter: 100}
}

// SetTracer sets where flow.rate, link.load and pool.load records go
// (nil: nowhere).
func (n *Network) SetTracer(t sim.Tracer) { n.tracer = t }

// SetForwarder replaces the forwarding state and re-walks every demand.
func (n *Network) SetForwarder(fwd Forwarder) {
	n.fwd = fwd
	n.RoutesChangedAll()
}

// SetElastic switches between inelastic (false, the default: load above
// capacity is dropped proportionally) and elastic mode (true: demands get
// max-min fair shares of the bottlenecks and the shortfall is reported as
// Congestion). See the package documentation.
func (n *Network) SetElastic(on bool) {
	if n.elastic != on {
		n.elastic = on
		n.changed = true
	}
}

// AddNode adds a node that owns the given prefixes: traffic arriving at a
// node that owns its destination address is delivered there. A node may own
// nothing (a transit router).
func (n *Network) AddNode(name string, owned []netip.Prefix) NodeID {
	n.nodes = append(n.nodes, node{name: name, owned: canonPrefixes(owned)})
	return NodeID(len(n.nodes) - 1)
}

// SetOwned replaces the prefixes a node owns; every demand is re-walked.
func (n *Network) SetOwned(id NodeID, owned []netip.Prefix) {
	n.nodes[id].owned = canonPrefixes(owned)
	n.RoutesChangedAll()
}

func canonPrefixes(ps []netip.Prefix) []netip.Prefix {
	if !slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p != p.Masked() }) {
		return slices.Clip(ps) // already canonical: shared, read only
	}
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		out[i] = p.Masked()
	}
	return out
}

// AddLink adds a full-duplex link between a and b with capacity bits/s in
// each direction. It starts Up.
func (n *Network) AddLink(name string, a, b NodeID, capacity float64) LinkID {
	_, _ = n.nodes[a], n.nodes[b] // bounds check
	n.links = append(n.links, link{name: name, a: a, b: b, capacity: clean(capacity)})
	n.changed = true
	return LinkID(len(n.links) - 1)
}

// SetLinkQuiet stops the tracing of id's link.load records (a link that is
// never a bottleneck, only noise); its loads are still integrated.
func (n *Network) SetLinkQuiet(id LinkID) { n.links[id].quiet = true }

// AddPool adds a capacity pool over links: per direction, the traffic the
// member links carry plus the background load may not exceed capacity. A
// link may belong to several pools (they apply in PoolID order).
func (n *Network) AddPool(name string, capacity float64, links []LinkID) PoolID {
	id := PoolID(len(n.pools))
	ls := slices.Clone(links)
	slices.Sort(ls)
	ls = slices.Compact(ls)
	for _, l := range ls {
		n.links[l].pools = append(n.links[l].pools, id) // IDs ascending by construction
	}
	n.pools = append(n.pools, pool{name: name, capacity: clean(capacity), links: ls})
	n.changed = true
	return id
}

// AddDemand adds a demand of rate bits/s entering at from, to the node(s)
// owning dst.
func (n *Network) AddDemand(name string, from NodeID, dst netip.Addr, rate float64) DemandID {
	_ = n.nodes[from]
	id := DemandID(len(n.demands))
	n.demands = append(n.demands, demand{name: name, from: from, dst: dst, rate: clean(rate)})
	n.markWalk(id)
	return id
}

// SetLinkState sets a link's state. lossRatio matters only for Silent
// (clamped to [0,1]); Dark behaves as Silent with loss 1.
func (n *Network) SetLinkState(l LinkID, st LinkState, lossRatio float64) {
	lk := &n.links[l]
	lossRatio = math.Min(clean(lossRatio), 1)
	eff := 0.0
	switch st {
	case Silent:
		eff = lossRatio
	case Dark:
		eff = 1
	case Up, Down:
	default:
		panic(fmt.Sprintf("flow: link %q: invalid state %d", lk.name, st))
	}
	if lk.state != st || lk.loss != eff {
		lk.state, lk.loss, lk.ratio = st, eff, lossRatio
		n.changed = true
	}
}

// SetLinkCapacity sets a link's capacity per direction (a degraded link, a
// LAG that lost members).
func (n *Network) SetLinkCapacity(l LinkID, capacity float64) {
	if c := clean(capacity); n.links[l].capacity != c {
		n.links[l].capacity = c
		n.changed = true
	}
}

// SetPoolCapacity sets a pool's capacity per direction.
func (n *Network) SetPoolCapacity(p PoolID, capacity float64) {
	if c := clean(capacity); n.pools[p].capacity != c {
		n.pools[p].capacity = c
		n.changed = true
	}
}

// SetPoolBackground sets the tenant load on a pool, offered in each
// direction (bits/s).
func (n *Network) SetPoolBackground(p PoolID, rate float64) {
	if r := clean(rate); n.pools[p].background != r {
		n.pools[p].background = r
		n.changed = true
	}
}

// SetDemandRate sets a demand's offered rate (bits/s).
func (n *Network) SetDemandRate(d DemandID, rate float64) {
	if r := clean(rate); n.demands[d].rate != r {
		n.demands[d].rate = r
		n.changed = true
	}
}

// RoutesChanged says that the forwarding state at node changed: demands
// whose walk looked up routes there are re-walked at the next Recompute.
func (n *Network) RoutesChanged(id NodeID) {
	nd := &n.nodes[id]
	for _, r := range nd.refs {
		if n.demands[r.d].gen == r.gen {
			n.markWalk(r.d)
		}
	}
	nd.refs = nd.refs[:0] // all current entries are stale once re-walked
	nd.refsCap = 0
}

// RoutesChangedPrefix says that the route for p changed at node: only
// demands towards an address in p are re-walked (a FIB's per-prefix change
// notification can call this directly).
func (n *Network) RoutesChangedPrefix(id NodeID, p netip.Prefix) {
	nd := &n.nodes[id]
	keep := nd.refs[:0]
	for _, r := range nd.refs {
		d := &n.demands[r.d]
		if d.gen != r.gen {
			continue // stale
		}
		if p.Contains(d.dst) {
			n.markWalk(r.d)
			continue // will be re-registered by the re-walk
		}
		keep = append(keep, r)
	}
	clear(nd.refs[len(keep):])
	nd.refs = keep
	nd.refsCap = len(keep)
}

// RoutesChangedAll re-walks every demand at the next Recompute.
func (n *Network) RoutesChangedAll() {
	n.routesAll = true
	n.changed = true
}

func (n *Network) markWalk(d DemandID) {
	n.changed = true
	if !n.demands[d].dirty {
		n.demands[d].dirty = true
		n.rewalk = append(n.rewalk, d)
	}
}

// clean turns a NaN or negative figure into 0 and caps +Inf at a
// huge finite value, so user input can never poison the arithmetic.
func clean(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Min(x, math.MaxFloat64/4)
}

// Stats returns the work counters.
func (n *Network) Stats() Stats { return n.stats }

// Now returns the time of the last Recompute.
func (n *Network) Now() sim.Time { return n.last }

// NumNodes, NumLinks, NumPools and NumDemands return how many were added.
func (n *Network) NumNodes() int   { return len(n.nodes) }
func (n *Network) NumLinks() int   { return len(n.links) }
func (n *Network) NumPools() int   { return len(n.pools) }
func (n *Network) NumDemands() int { return len(n.demands) }

// Demand returns a demand's rates as of the last Recompute and its bytes
// integrated up to it.
func (n *Network) Demand(id DemandID) DemandState {
	d := &n.demands[id]
	dt := n.last - d.since
	s := DemandState{
		Name:      d.name,
		Offered:   float64(d.q.offered),
		Delivered: float64(d.q.delivered),
	}
	s.Bytes.Offered = d.offAcc.plus(d.q.offered, dt).bytes()
	s.Bytes.Delivered = d.delAcc.plus(d.q.delivered, dt).bytes()
	for c := range NumCauses {
		s.Lost[c] = float64(d.q.lost[c])
		s.Bytes.Lost[c] = d.lostAcc[c].plus(d.q.lost[c], dt).bytes()
	}
	return s
}

// Link returns a link's load as of the last Recompute.
func (n *Network) Link(id LinkID) LinkLoad {
	l := &n.links[id]
	dt := n.last - l.since
	ll := LinkLoad{
		Name: l.name, State: l.state, LossRatio: l.ratio, Capacity: l.capacity,
		Load: float64(l.q.load), Dropped: float64(l.q.dropT), Silent: float64(l.q.silentT),
		DroppedBytes: l.dropAcc.plus(l.q.dropT, dt).bytes(),
		SilentBytes:  l.silAcc.plus(l.q.silentT, dt).bytes(),
	}
	for i := range 2 {
		ll.Dir[i] = DirLoad{
			Offered: float64(l.q.off[i]),
			Carried: float64(l.q.off[i] - l.q.drop[i]),
			Dropped: float64(l.q.drop[i]),
			Silent:  float64(l.q.silent[i]),
		}
	}
	return ll
}

// Pool returns a pool's load as of the last Recompute.
func (n *Network) Pool(id PoolID) PoolLoad {
	p := &n.pools[id]
	dt := n.last - p.since
	pl := PoolLoad{
		Name: p.name, Capacity: p.capacity, Background: p.background,
		Load: float64(p.q.load), Dropped: float64(p.q.dropT), BackgroundDropped: float64(p.q.bgDropT),
		DroppedBytes:           p.dropAcc.plus(p.q.dropT, dt).bytes(),
		BackgroundDroppedBytes: p.bgAcc.plus(p.q.bgDropT, dt).bytes(),
	}
	for i := range 2 {
		pl.Dir[i] = DirLoad{
			Offered: float64(p.q.off[i]),
			Carried: float64(p.q.off[i] - p.q.drop[i]),
			Dropped: float64(p.q.drop[i]),
		}
	}
	return pl
}

// LinkName, NodeName, PoolName and DemandName return the names given when
// they were added.
func (n *Network) LinkName(id LinkID) string     { return n.links[id].name }
func (n *Network) NodeName(id NodeID) string     { return n.nodes[id].name }
func (n *Network) PoolName(id PoolID) string     { return n.pools[id].name }
func (n *Network) DemandName(id DemandID) string { return n.demands[id].name }
