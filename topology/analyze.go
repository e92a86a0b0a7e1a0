package topology

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// Static redundancy analysis: the cheap first check of a design review.
//
// The graph has one node per site and per router. A router is joined to its
// own site (its attachment, cut by the router's SRLGs) and to other routers
// by links and LAGs. For a site pair (A, B) only A and B are in the graph:
// other sites do not carry transit (clouds do not transit between
// interconnects by default). Capacities are raw link capacities; pools and
// tenant load are not counted (the simulator does that).
//
// Cost: for P site pairs, C components (links, routers, facilities, SRLGs)
// and a graph of V nodes and E edges, the SPOF search is O(P·C·(V+E)) and
// the loss check runs one max-flow per demand pair and facility or SRLG.

// Component is something that can fail: kind is "link", "router",
// "facility" or "srlg".
type Component struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// Analysis is the result of Analyze. Every list is sorted.
type Analysis struct {
	Topology string `json:"topology"`
	Counts   Counts `json:"counts"`
	// DemandSource is "topology" or the scenario the demands came from.
	DemandSource string         `json:"demand_source"`
	Pairs        []PairReport   `json:"pairs"`
	Demands      []DemandReport `json:"demands"`
	// Short lists the demands left short intact or by some single loss.
	Short []string `json:"short"`
}

// Counts sizes the design: what analyze looked at.
type Counts struct {
	Sites           int     `json:"sites"`
	Facilities      int     `json:"facilities"`
	Routers         int     `json:"routers"`
	Links           int     `json:"links"`
	LAGs            int     `json:"lags"`
	Sessions        int     `json:"sessions"`
	SRLGs           int     `json:"srlgs"`
	Pools           int     `json:"pools"`
	PoolCapacityBps float64 `json:"pool_capacity_bps"`
	Tenants         int     `json:"tenants"`
	TenantBps       float64 `json:"tenant_bps"`
	Demands         int     `json:"demands"`
	DemandBps       float64 `json:"demand_bps"`
}

// Redundancy of one site pair.
type Redundancy struct {
	// Paths that share no link (LAG) / no router.
	LinkDisjointPaths int `json:"link_disjoint_paths"`
	NodeDisjointPaths int `json:"node_disjoint_paths"`
	// Facilities of the routers on the node-disjoint paths.
	Facilities        []string `json:"facilities"`
	FacilityDiversity int      `json:"facility_diversity"`
	// Max-flow over raw link capacities, bits/s.
	CapacityBps float64 `json:"capacity_bps"`
	// Components whose loss alone disconnects the pair (none if it is
	// already disconnected).
	SPOFs []Component `json:"spofs"`
}

// PairReport is the redundancy of an unordered site pair (A < B).
type PairReport struct {
	A string `json:"a"`
	B string `json:"b"`
	Redundancy
}

// DemandReport checks one demand: its pair's redundancy and the capacity left
// after each single facility or SRLG loss, against RequiredBps (the sum of
// the rates of every demand with the same from and to).
type DemandReport struct {
	Name        string  `json:"name"`
	From        string  `json:"from"`
	To          string  `json:"to"`
	RateBps     float64 `json:"rate_bps"`
	RequiredBps float64 `json:"required_bps"`
	Redundancy
	// Intact is what the demand gets with nothing failed.
	Intact LossReport `json:"intact"`
	// Losses: every single facility, SRLG, router and link (or LAG) loss.
	Losses []LossReport `json:"losses"`
	// OK: intact and after every single loss the demand is carried.
	OK bool `json:"ok"`
}

// LossReport is what one demand gets after one component is lost.
type LossReport struct {
	Component
	// CapacityBps is the raw max-flow left between the demand's sites;
	// RequiredBps what every demand of the pair offers.
	CapacityBps float64 `json:"capacity_bps"`
	RequiredBps float64 `json:"required_bps"`
	// Pool is the first pool that runs short on the demand's way ("" if
	// none), with its surviving capacity and the load that lands on it.
	Pool            string  `json:"pool,omitempty"`
	PoolCapacityBps float64 `json:"pool_capacity_bps,omitempty"`
	PoolLoadBps     float64 `json:"pool_load_bps,omitempty"`
	// DeliveredBps is what the demand keeps; ShortfallBps its rate minus that.
	DeliveredBps float64 `json:"delivered_bps"`
	ShortfallBps float64 `json:"shortfall_bps"`
	OK           bool    `json:"ok"`
}

// failure is a set of failed components.
type failure struct {
	links    map[string]bool // links that carry nothing (LAG members included)
	routers  map[string]bool
	detached map[string]bool // routers cut off from their site
	// carrier is the set of links whose carrier is lost (pools shrink by
	// them): a link or router loss, not an SRLG cut of a backhaul.
	carrier map[string]bool
}

func (t *Topology) failureOf(c Component) failure {
	f := failure{links: map[string]bool{}, routers: map[string]bool{}, detached: map[string]bool{}, carrier: map[string]bool{}}
	downLink := func(name string) {
		if g, ok := t.LAG(name); ok {
			for _, m := range g.Members {
				f.links[m], f.carrier[m] = true, true
			}
			return
		}
		f.links[name], f.carrier[name] = true, true
	}
	downRouter := func(name string) {
		f.routers[name] = true
		for _, l := range t.LinksOf(name) {
			f.carrier[l] = true
		}
	}
	switch c.Kind {
	case "link":
		downLink(c.Name)
	case "router":
		downRouter(c.Name)
	case "facility":
		for _, r := range t.RoutersIn(c.Name) {
			downRouter(r)
		}
	case "srlg":
		links, routers := t.SRLGMembers(c.Name)
		for _, l := range links {
			downLink(l)
		}
		for _, r := range routers {
			f.detached[r] = true
		}
	}
	return f
}

// edge is an undirected adjacency between two nodes of the analysis graph.
type edge struct {
	u, v   int
	count  int       // parallel links/LAGs, for disjointness
	cap    Bandwidth // summed capacity
	attach bool      // site attachment (unbounded)
}

type analyzer struct {
	t       *Topology
	sites   map[string]int // node IDs: sites first, then routers
	routers map[string]int
	n       int
	cored   map[string]bool // sites with core routers (no hub)
}

func newAnalyzer(t *Topology) *analyzer {
	a := &analyzer{t: t, sites: map[string]int{}, routers: map[string]int{}, cored: map[string]bool{}}
	for _, r := range t.Routers {
		if r.Role == RoleCore {
			a.cored[r.Site] = true
		}
	}
	for _, s := range t.Sites {
		a.sites[s.Name] = a.n
		a.n++
	}
	for _, r := range t.Routers {
		a.routers[r.Name] = a.n
		a.n++
	}
	return a
}

// edges returns the live edges for site pair (src, dst) under f, in a fixed order.
func (a *analyzer) edges(src, dst string, f failure) []edge {
	t := a.t
	var out []edge
	for _, r := range t.Routers {
		if f.routers[r.Name] || f.detached[r.Name] || (r.Site != src && r.Site != dst) {
			continue
		}
		if r.Role != RoleCore && a.cored[r.Site] {
			continue // a site with core routers is its cores; edges reach them over declared links
		}
		out = append(out, edge{u: a.sites[r.Site], v: a.routers[r.Name], count: 1, attach: true})
	}
	pair := map[[2]int]int{} // merges parallel links into one edge
	add := func(x, y string, c Bandwidth) {
		if f.routers[x] || f.routers[y] || c <= 0 {
			return
		}
		u, v := a.routers[x], a.routers[y]
		if u > v {
			u, v = v, u
		}
		k := [2]int{u, v}
		if i, ok := pair[k]; ok {
			out[i].count++
			out[i].cap += c
			return
		}
		pair[k] = len(out)
		out = append(out, edge{u: u, v: v, count: 1, cap: c})
	}
	for _, l := range t.Links {
		if l.LAG == "" && !f.links[l.Name] {
			add(l.A, l.B, l.Capacity)
		}
	}
	for _, g := range t.LAGs {
		live := 0
		var c Bandwidth
		for _, m := range g.Members {
			if l, ok := t.Link(m); ok && !f.links[m] {
				live++
				c += l.Capacity
			}
		}
		if live >= g.MinLinks && live > 0 {
			add(g.A, g.B, c)
		}
	}
	return out
}

func (a *analyzer) connected(src, dst string, f failure) bool {
	g := simple.NewUndirectedGraph()
	for i := range a.n {
		g.AddNode(simple.Node(i))
	}
	for _, e := range a.edges(src, dst, f) {
		g.SetEdge(g.NewEdge(simple.Node(e.u), simple.Node(e.v)))
	}
	return topo.PathExistsIn(g, simple.Node(a.sites[src]), simple.Node(a.sites[dst]))
}

// capacity is the max-flow src → dst over raw capacities (gonum's Dinic).
func (a *analyzer) capacity(src, dst string, f failure) float64 {
	es := a.edges(src, dst, f)
	var total float64
	for _, e := range es {
		total += float64(e.cap)
	}
	inf := total + 1
	g := simple.NewWeightedDirectedGraph(0, 0)
	for i := range a.n {
		g.AddNode(simple.Node(i))
	}
	for _, e := range es {
		c := float64(e.cap)
		if e.attach {
			c = inf
		}
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(e.u), simple.Node(e.v), c))
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(e.v), simple.Node(e.u), c))
	}
	s, d := a.sites[src], a.sites[dst]
	if s == d || total == 0 {
		return 0
	}
	return network.MaxFlowDinic(g, simple.Node(s), simple.Node(d), -1)
}

// disjoint counts link-disjoint paths and node-disjoint paths, and returns
// the routers of each node-disjoint path.
func (a *analyzer) disjoint(src, dst string) (linkPaths, nodePaths int, paths [][]int) {
	es := a.edges(src, dst, failure{})
	s, d := a.sites[src], a.sites[dst]
	big := len(es) + 1
	// Link-disjoint: each link/LAG carries one path per parallel circuit.
	fl := newFlowNet(a.n)
	for _, e := range es {
		c := e.count
		if e.attach {
			c = big
		}
		fl.addEdge(e.u, e.v, c)
		fl.addEdge(e.v, e.u, c)
	}
	linkPaths, _ = fl.maxFlow(s, d)
	// Node-disjoint: split each router into in (id) and out (id + n).
	fn := newFlowNet(2 * a.n)
	for _, r := range a.t.Routers {
		id := a.routers[r.Name]
		fn.addEdge(id, id+a.n, 1)
	}
	out := func(u int) int {
		if u < len(a.t.Sites) {
			return u
		}
		return u + a.n
	}
	for _, e := range es {
		fn.addEdge(out(e.u), e.v, big)
		fn.addEdge(out(e.v), e.u, big)
	}
	nodePaths, paths = fn.maxFlow(s, d)
	for i, p := range paths { // keep router IDs (in-nodes) only
		var rs []int
		for _, v := range p {
			if v >= len(a.t.Sites) && v < a.n {
				rs = append(rs, v)
			}
		}
		paths[i] = rs
	}
	return linkPaths, nodePaths, paths
}

func (a *analyzer) components() []Component {
	var cs []Component
	for _, l := range a.t.Links {
		cs = append(cs, Component{"link", l.Name})
	}
	for _, r := range a.t.Routers {
		cs = append(cs, Component{"router", r.Name})
	}
	for _, f := range a.t.Facilities {
		cs = append(cs, Component{"facility", f.Name})
	}
	for _, g := range a.t.SRLGs() {
		cs = append(cs, Component{"srlg", g})
	}
	return cs
}

func (a *analyzer) redundancy(src, dst string) Redundancy {
	var r Redundancy
	var paths [][]int
	r.LinkDisjointPaths, r.NodeDisjointPaths, paths = a.disjoint(src, dst)
	routerAt := make(map[int]*Router, len(a.t.Routers))
	for i := range a.t.Routers {
		routerAt[a.routers[a.t.Routers[i].Name]] = &a.t.Routers[i]
	}
	var facs []string
	for _, p := range paths {
		for _, id := range p {
			if f := routerAt[id].Facility; f != "" {
				facs = append(facs, f)
			}
		}
	}
	r.Facilities = sortedUnique(facs)
	if r.Facilities == nil {
		r.Facilities = []string{}
	}
	r.FacilityDiversity = len(r.Facilities)
	r.CapacityBps = a.capacity(src, dst, failure{})
	r.SPOFs = []Component{}
	if a.connected(src, dst, failure{}) {
		for _, c := range a.components() {
			if !a.connected(src, dst, a.t.failureOf(c)) {
				r.SPOFs = append(r.SPOFs, c)
			}
		}
	}
	sortComponents(r.SPOFs)
	return r
}

var kindOrder = map[string]int{"facility": 0, "srlg": 1, "router": 2, "link": 3}

func sortComponents(cs []Component) {
	slices.SortFunc(cs, func(x, y Component) int {
		return cmp.Or(cmp.Compare(kindOrder[x.Kind], kindOrder[y.Kind]), cmp.Compare(x.Name, y.Name))
	})
}

// Analyze is AnalyzeWith(t, AnalyzeOptions{}): the topology's own
// [[demand]]s.
func Analyze(t *Topology) *Analysis { return AnalyzeWith(t, AnalyzeOptions{}) }

// AnalyzeOptions tune AnalyzeWith.
type AnalyzeOptions struct {
	// Demands replace the topology's [[demand]]s when not nil (a scenario's
	// traffic).
	Demands []Demand
	// DemandSource says where the demands came from, for the report
	// ("scenario x.toml"); default "topology".
	DemandSource string
}

// AnalyzeWith computes, for every site pair and every demand, disjoint
// paths, facility diversity, single points of failure and, for the demands,
// what each single link (or LAG), router, facility and SRLG loss leaves:
// the raw capacity between the demand's sites and, for every capacity pool
// on the way, whether the pool's surviving capacity carries the tenants'
// background load plus the demands that fail over into it.
func AnalyzeWith(t *Topology, opt AnalyzeOptions) *Analysis {
	a := newAnalyzer(t)
	demands := t.Demands
	if opt.Demands != nil {
		demands = opt.Demands
	}
	src := opt.DemandSource
	if src == "" {
		src = "topology"
	}
	out := &Analysis{Topology: t.Name, Pairs: []PairReport{}, Demands: []DemandReport{}, DemandSource: src}
	out.Counts = Counts{Sites: len(t.Sites), Facilities: len(t.Facilities), Routers: len(t.Routers), Links: len(t.Links),
		LAGs: len(t.LAGs), Sessions: len(t.Sessions), Pools: len(t.Pools), Tenants: len(t.Tenants), Demands: len(demands),
		SRLGs: len(t.SRLGs())}
	for _, p := range t.Pools {
		out.Counts.PoolCapacityBps += float64(p.Capacity)
	}
	for _, tn := range t.Tenants {
		out.Counts.TenantBps += float64(tn.Rate)
	}
	for _, d := range demands {
		out.Counts.DemandBps += float64(d.Rate)
	}
	names := make([]string, 0, len(t.Sites))
	for _, s := range t.Sites {
		names = append(names, s.Name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			out.Pairs = append(out.Pairs, PairReport{A: names[i], B: names[j], Redundancy: a.redundancy(names[i], names[j])})
		}
	}
	var valid []Demand
	for _, d := range demands {
		_, okf := a.sites[d.From]
		_, okt := a.sites[d.To]
		if okf && okt && d.From != d.To {
			valid = append(valid, d)
		}
	}
	required := map[[2]string]float64{}
	for _, d := range valid {
		required[[2]string{d.From, d.To}] += float64(d.Rate)
	}
	losses := append([]Component{{Kind: "none"}}, a.lossComponents()...)
	reports := make([]DemandReport, len(valid))
	for i, d := range valid {
		reports[i] = DemandReport{Name: d.Name, From: d.From, To: d.To, RateBps: float64(d.Rate),
			RequiredBps: required[[2]string{d.From, d.To}], Redundancy: a.redundancy(d.From, d.To), Losses: []LossReport{}, OK: true}
	}
	for _, c := range losses {
		f := failure{}
		if c.Kind != "none" {
			f = t.failureOf(c)
		}
		for i, r := range a.assess(valid, f) {
			dr := &reports[i]
			if c.Kind == "none" {
				dr.Intact = r
				dr.OK = dr.OK && r.OK
				continue
			}
			r.Component = c
			dr.OK = dr.OK && r.OK
			dr.Losses = append(dr.Losses, r)
		}
	}
	out.Demands = reports
	slices.SortStableFunc(out.Demands, func(x, y DemandReport) int { return cmp.Compare(x.Name, y.Name) })
	for _, d := range out.Demands {
		if !d.OK {
			out.Short = append(out.Short, d.Name)
		}
	}
	return out
}

// poolState is every pool's capacity under f (min of its capacity and its
// links that keep carrier) and its tenants' background (each tenant spread
// evenly over its pools that keep a live link), in pool order.
func (t *Topology) poolState(f failure) (capacity, background []float64) {
	capacity = make([]float64, len(t.Pools))
	live := make([]bool, len(t.Pools))
	for i, p := range t.Pools {
		var c float64
		for _, ln := range p.Links {
			if l, ok := t.Link(ln); ok && !f.carrier[ln] {
				c += float64(l.Capacity)
				live[i] = true
			}
		}
		capacity[i] = math.Min(float64(p.Capacity), c)
	}
	background = make([]float64, len(t.Pools))
	for _, tn := range t.Tenants {
		var on []int
		for _, pn := range tn.Pools {
			for i, p := range t.Pools {
				if p.Name == pn && live[i] {
					on = append(on, i)
				}
			}
		}
		for _, i := range on {
			background[i] += float64(tn.Rate) / float64(len(on))
		}
	}
	return capacity, background
}

// lossComponents lists every single loss analyze tests: facilities, SRLGs,
// routers, then links (a LAG as a whole; links outside LAGs), in that order.
func (a *analyzer) lossComponents() []Component {
	var cs []Component
	for _, f := range a.t.Facilities {
		cs = append(cs, Component{"facility", f.Name})
	}
	for _, g := range a.t.SRLGs() {
		cs = append(cs, Component{"srlg", g})
	}
	for _, r := range a.t.Routers {
		cs = append(cs, Component{"router", r.Name})
	}
	for _, l := range a.t.Links {
		if l.LAG == "" {
			cs = append(cs, Component{"link", l.Name})
		}
	}
	for _, g := range a.t.LAGs {
		cs = append(cs, Component{"link", g.Name})
	}
	sortComponents(cs)
	return cs
}

// assess computes what every demand gets under failure f.
//
// The model (documented so the numbers can be checked by hand):
//   - A site pair's demands share the max-flow between the two sites over
//     the raw capacities of what survives; beyond it they are short
//     (carried = min(offered, max-flow), split in proportion to rate).
//   - A pool's capacity after the loss is min(its capacity, the capacity of
//     its links that keep carrier), as in the simulator, in each direction.
//     Its load in a direction is the background of the tenants (each
//     spread evenly over its pools that keep a live link; the same in both
//     directions) plus, for each demand of that direction (same from and
//     to), the share of the demand's carried traffic that crosses the pool: the live capacity of the
//     pool's usable links between the demand's two sites over the pair's
//     max-flow (traffic spread in proportion to capacity, which is what
//     ECMP over identical channels does). Above capacity, everything on
//     the pool keeps capacity/load of its rate (the simulator's
//     proportional drop).
func (a *analyzer) assess(demands []Demand, f failure) []LossReport {
	t := a.t
	type pairInfo struct {
		flow, need float64
	}
	pairs := map[[2]string]*pairInfo{}
	for _, d := range demands {
		k := [2]string{d.From, d.To}
		if pairs[k] == nil {
			pairs[k] = &pairInfo{flow: a.capacity(d.From, d.To, f)}
		}
		pairs[k].need += float64(d.Rate)
	}
	poolCap, background := t.poolState(f)
	// usable is the capacity of a pool's links that carry traffic between
	// the two sites under f (both ends alive and attached).
	usable := func(p Pool, x, y string) float64 {
		var c float64
		for _, ln := range p.Links {
			l, ok := t.Link(ln)
			if !ok || f.links[ln] || f.routers[l.A] || f.routers[l.B] || f.detached[l.A] || f.detached[l.B] {
				continue
			}
			ra, _ := t.Router(l.A)
			rb, _ := t.Router(l.B)
			if ra == nil || rb == nil {
				continue
			}
			if (ra.Site == x && rb.Site == y) || (ra.Site == y && rb.Site == x) {
				c += float64(l.Capacity)
			}
		}
		return c
	}
	carried := make([]float64, len(demands))
	share := make([][]float64, len(demands)) // [demand][pool]
	for i, d := range demands {
		pi := pairs[[2]string{d.From, d.To}]
		carried[i] = float64(d.Rate)
		if pi.need > pi.flow && pi.need > 0 {
			carried[i] = float64(d.Rate) * pi.flow / pi.need
		}
		share[i] = make([]float64, len(t.Pools))
		for j, p := range t.Pools {
			if pi.flow > 0 {
				share[i][j] = math.Min(1, usable(p, d.From, d.To)/pi.flow)
			}
		}
	}
	// A pool's load in one direction: its background and the demands of
	// that direction (same from and to).
	poolLoad := func(j int, d Demand) float64 {
		l := background[j]
		for k, o := range demands {
			if o.From == d.From && o.To == d.To {
				l += carried[k] * share[k][j]
			}
		}
		return l
	}
	out := make([]LossReport, len(demands))
	for i, d := range demands {
		pi := pairs[[2]string{d.From, d.To}]
		r := LossReport{CapacityBps: pi.flow, RequiredBps: pi.need}
		delivered := carried[i]
		for j, p := range t.Pools {
			load := poolLoad(j, d)
			if share[i][j] == 0 || load <= poolCap[j] {
				continue
			}
			delivered -= carried[i] * share[i][j] * (1 - poolCap[j]/load)
			if r.Pool == "" {
				r.Pool, r.PoolCapacityBps, r.PoolLoadBps = p.Name, poolCap[j], load
			}
		}
		r.DeliveredBps = math.Max(0, delivered)
		r.ShortfallBps = math.Max(0, float64(d.Rate)-r.DeliveredBps)
		// Within 1% counts as carried (the simulator's failover tolerance).
		r.OK = r.ShortfallBps <= 0.01*float64(d.Rate)
		out[i] = r
	}
	return out
}

// flowNet is a small integer max-flow (Edmonds–Karp) that also returns the
// paths, which gonum's MaxFlowDinic does not. Adjacency is kept in insertion
// order, so results are deterministic. O(V·E²).
type flowNet struct {
	adj  [][]int // node → arc indices
	to   []int
	capa []int
}

func newFlowNet(n int) *flowNet { return &flowNet{adj: make([][]int, n)} }

func (f *flowNet) addEdge(u, v, c int) {
	f.adj[u] = append(f.adj[u], len(f.to))
	f.to, f.capa = append(f.to, v), append(f.capa, c)
	f.adj[v] = append(f.adj[v], len(f.to))
	f.to, f.capa = append(f.to, u), append(f.capa, 0)
}

// maxFlow returns the flow value from s to t and a decomposition into paths
// of one unit each (node sequences from s to t).
func (f *flowNet) maxFlow(s, t int) (int, [][]int) {
	if s == t {
		return 0, nil
	}
	orig := slices.Clone(f.capa)
	total := 0
	for {
		prev := make([]int, len(f.adj))
		for i := range prev {
			prev[i] = -1
		}
		prev[s] = -2
		queue := []int{s}
		for len(queue) > 0 && prev[t] == -1 {
			u := queue[0]
			queue = queue[1:]
			for _, e := range f.adj[u] {
				if v := f.to[e]; f.capa[e] > 0 && prev[v] == -1 {
					prev[v] = e
					queue = append(queue, v)
				}
			}
		}
		if prev[t] == -1 {
			break
		}
		push := math.MaxInt
		for v := t; v != s; v = f.to[prev[v]^1] {
			push = min(push, f.capa[prev[v]])
		}
		for v := t; v != s; v = f.to[prev[v]^1] {
			f.capa[prev[v]] -= push
			f.capa[prev[v]^1] += push
		}
		total += push
		if total > 1<<20 {
			break
		}
	}
	// Decompose: flow on arc e is orig[e] - capa[e] for forward arcs (even).
	flow := make([]int, len(orig))
	for e := 0; e < len(orig); e += 2 {
		flow[e] = max(0, orig[e]-f.capa[e])
		// cancel opposite flows on antiparallel arcs is unnecessary for
		// path extraction: a walk follows positive flow and terminates.
	}
	var paths [][]int
	for range total {
		path := []int{s}
		seen := map[int]bool{s: true}
		u := s
		for u != t {
			next := -1
			for _, e := range f.adj[u] {
				if e%2 == 0 && flow[e] > 0 && !seen[f.to[e]] {
					next = e
					break
				}
			}
			if next < 0 {
				break
			}
			flow[next]--
			u = f.to[next]
			seen[u] = true
			path = append(path, u)
		}
		if u != t {
			break
		}
		paths = append(paths, path)
	}
	return total, paths
}
