package topology

import (
	"cmp"
	"math"
	"slices"

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

	// Resolved once (edges runs once per site pair and failure): plain
	// links and LAGs with their node IDs and the merged edge (router pair)
	// each belongs to; stamp/slot find a pair's edge in one call's output.
	plain       []circuit
	lags        []lagCircuit
	pairs       int
	stamp, slot []int
	gen         int
}

type circuit struct {
	name, a, b string
	pair       int
	cap        Bandwidth
}

type lagCircuit struct {
	a, b     string
	pair     int
	minLinks int
	members  []circuit // name and capacity only
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
	pairOf := map[[2]int]int{}
	pair := func(x, y string) int {
		u, v := a.routers[x], a.routers[y]
		if u > v {
			u, v = v, u
		}
		k := [2]int{u, v}
		if p, ok := pairOf[k]; ok {
			return p
		}
		pairOf[k] = len(pairOf)
		return pairOf[k]
	}
	for _, l := range t.Links {
		if l.LAG == "" {
			a.plain = append(a.plain, circuit{name: l.Name, a: l.A, b: l.B, pair: pair(l.A, l.B), cap: l.Capacity})
		}
	}
	for _, g := range t.LAGs {
		lc := lagCircuit{a: g.A, b: g.B, pair: pair(g.A, g.B), minLinks: g.MinLinks}
		for _, m := range g.Members {
			if l, ok := t.Link(m); ok {
				lc.members = append(lc.members, circuit{name: m, cap: l.Capacity})
			}
		}
		a.lags = append(a.lags, lc)
	}
	a.pairs = len(pairOf)
	a.stamp, a.slot = make([]int, a.pairs), make([]int, a.pairs)
	return a
}

// edges returns the live edges for site pair (src, dst) under f, in a
// fixed order. O(V + E) and no maps written.
func (a *analyzer) edges(src, dst string, f failure) []edge {
	t := a.t
	out := make([]edge, 0, len(t.Routers)+a.pairs)
	for _, r := range t.Routers {
		if (r.Site != src && r.Site != dst) || f.routers[r.Name] || f.detached[r.Name] {
			continue
		}
		if r.Role != RoleCore && a.cored[r.Site] {
			continue // a site with core routers is its cores; edges reach them over declared links
		}
		out = append(out, edge{u: a.sites[r.Site], v: a.routers[r.Name], count: 1, attach: true})
	}
	a.gen++
	add := func(x, y string, p int, c Bandwidth) {
		if f.routers[x] || f.routers[y] || c <= 0 {
			return
		}
		if a.stamp[p] == a.gen { // merges parallel links into one edge
			i := a.slot[p]
			out[i].count++
			out[i].cap += c
			return
		}
		u, v := a.routers[x], a.routers[y]
		if u > v {
			u, v = v, u
		}
		a.stamp[p], a.slot[p] = a.gen, len(out)
		out = append(out, edge{u: u, v: v, count: 1, cap: c})
	}
	for _, l := range a.plain {
		if !f.links[l.name] {
			add(l.a, l.b, l.pair, l.cap)
		}
	}
	for _, g := range a.lags {
		live := 0
		var c Bandwidth
		for _, m := range g.members {
			if !f.links[m.name] {
				live++
				c += m.cap
			}
		}
		if live >= g.minLinks && live > 0 {
			add(g.a, g.b, g.pair, c)
		}
	}
	return out
}

// path returns the nodes of one path from src to dst in the intact
// network (breadth-first, so the shortest), or false if there is none.
func (a *analyzer) path(src, dst string) ([]int, bool) {
	adj := make([][]int, a.n)
	for _, e := range a.edges(src, dst, failure{}) {
		adj[e.u] = append(adj[e.u], e.v)
		adj[e.v] = append(adj[e.v], e.u)
	}
	s, d := a.sites[src], a.sites[dst]
	prev := make([]int, a.n)
	for i := range prev {
		prev[i] = -1
	}
	prev[s] = s
	queue := []int{s}
	for len(queue) > 0 && prev[d] < 0 {
		u := queue[0]
		queue = queue[1:]
		for _, v := range adj[u] {
			if prev[v] < 0 {
				prev[v] = u
				queue = append(queue, v)
			}
		}
	}
	if prev[d] < 0 || s == d {
		return nil, false
	}
	var p []int
	for v := d; v != s; v = prev[v] {
		p = append(p, v)
	}
	return append(p, s), true
}

// onPath returns a test of whether a component's loss touches path (a
// router on it, a link or LAG between two of its nodes, a facility or SRLG
// of either). It errs on the side of yes.
func (a *analyzer) onPath(path []int) func(Component) bool {
	nodes := map[string]bool{}
	facs, srlgs := map[string]bool{}, map[string]bool{}
	inPath := make(map[int]bool, len(path))
	for _, v := range path {
		inPath[v] = true
	}
	for _, r := range a.t.Routers {
		if inPath[a.routers[r.Name]] {
			nodes[r.Name] = true
			facs[r.Facility] = true
			for _, g := range r.SRLGs {
				srlgs[g] = true
			}
		}
	}
	links := map[string]bool{}
	for _, l := range a.t.Links {
		if nodes[l.A] && nodes[l.B] {
			links[l.Name] = true
			for _, g := range l.SRLGs {
				srlgs[g] = true
			}
		}
	}
	return func(c Component) bool {
		switch c.Kind {
		case "link":
			return links[c.Name]
		case "router":
			return nodes[c.Name]
		case "facility":
			return facs[c.Name]
		case "srlg":
			return srlgs[c.Name]
		}
		return true
	}
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

// capacity is the max-flow src → dst over raw capacities (Dinic with
// current-arc pointers: O(V²E) worst case, near O(E) per phase on fabrics,
// where gonum's MaxFlowDinic took minutes on 2k routers).
func (a *analyzer) capacity(src, dst string, f failure) float64 {
	es := a.edges(src, dst, f)
	var total float64
	for _, e := range es {
		total += float64(e.cap)
	}
	s, d := a.sites[src], a.sites[dst]
	if s == d || total == 0 {
		return 0
	}
	inf := total + 1
	fl := &dinic{adj: make([][]int, a.n), to: make([]int, 0, 2*len(es)), capa: make([]float64, 0, 2*len(es))}
	for _, e := range es {
		c := float64(e.cap)
		if e.attach {
			c = inf
		}
		fl.add(e.u, e.v, c)
	}
	return fl.maxFlow(s, d)
}

// dinic is a float max-flow network; each undirected edge is one arc pair
// with capacity c both ways.
type dinic struct {
	adj   [][]int
	to    []int
	capa  []float64
	level []int
	next  []int
}

func (g *dinic) add(u, v int, c float64) {
	g.adj[u] = append(g.adj[u], len(g.to))
	g.to, g.capa = append(g.to, v), append(g.capa, c)
	g.adj[v] = append(g.adj[v], len(g.to))
	g.to, g.capa = append(g.to, u), append(g.capa, c)
}

func (g *dinic) maxFlow(s, t int) float64 {
	n := len(g.adj)
	g.level, g.next = make([]int, n), make([]int, n)
	var total float64
	for g.bfs(s, t) {
		clear(g.next)
		for {
			f := g.dfs(s, t, math.Inf(1))
			if f <= 0 {
				break
			}
			total += f
		}
	}
	return total
}

func (g *dinic) bfs(s, t int) bool {
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[s] = 0
	queue := []int{s}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, e := range g.adj[u] {
			if v := g.to[e]; g.capa[e] > 0 && g.level[v] < 0 {
				g.level[v] = g.level[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return g.level[t] >= 0
}

// dfs pushes up to f along level-increasing arcs. Paths in the level graph
// are at most V long, and fabrics are shallow, so recursion stays small.
func (g *dinic) dfs(u, t int, f float64) float64 {
	if u == t {
		return f
	}
	for ; g.next[u] < len(g.adj[u]); g.next[u]++ {
		e := g.adj[u][g.next[u]]
		v := g.to[e]
		if g.capa[e] <= 0 || g.level[v] != g.level[u]+1 {
			continue
		}
		if got := g.dfs(v, t, math.Min(f, g.capa[e])); got > 0 {
			g.capa[e] -= got
			g.capa[e^1] += got
			return got
		}
	}
	return 0
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
	if path, ok := a.path(src, dst); ok {
		// Only a component on one working path can be a SPOF: the others
		// leave that path intact. Testing just those keeps the search
		// near-linear in the fabric (it was O(C·(V+E)) for C components).
		on := a.onPath(path)
		for _, c := range a.components() {
			if on(c) && !a.connected(src, dst, a.t.failureOf(c)) {
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

// flowNet is a small integer max-flow (Dinic: BFS levels, then blocking
// flows with current-arc pointers) that also returns the paths, which
// gonum's MaxFlowDinic does not. Adjacency is kept in insertion order, so
// results are deterministic. O(E·√V) on the unit capacities it is used
// with (Edmonds–Karp, one BFS per path, was quadratic: 5000 disjoint paths
// on a 10k-router fabric took seconds).
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

// maxFlow returns the flow value from s to t (at most 2^20) and a
// decomposition into paths of one unit each (node sequences from s to t).
func (f *flowNet) maxFlow(s, t int) (int, [][]int) {
	if s == t {
		return 0, nil
	}
	const limit = 1 << 20
	orig := slices.Clone(f.capa)
	n := len(f.adj)
	level, next := make([]int, n), make([]int, n)
	bfs := func() bool {
		for i := range level {
			level[i] = -1
		}
		level[s] = 0
		queue := []int{s}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for _, e := range f.adj[u] {
				if v := f.to[e]; f.capa[e] > 0 && level[v] < 0 {
					level[v] = level[u] + 1
					queue = append(queue, v)
				}
			}
		}
		return level[t] >= 0
	}
	var dfs func(u, push int) int
	dfs = func(u, push int) int {
		if u == t {
			return push
		}
		for ; next[u] < len(f.adj[u]); next[u]++ {
			e := f.adj[u][next[u]]
			v := f.to[e]
			if f.capa[e] <= 0 || level[v] != level[u]+1 {
				continue
			}
			if got := dfs(v, min(push, f.capa[e])); got > 0 {
				f.capa[e] -= got
				f.capa[e^1] += got
				return got
			}
		}
		return 0
	}
	total := 0
	for total < limit && bfs() {
		clear(next)
		for total < limit {
			got := dfs(s, limit-total)
			if got == 0 {
				break
			}
			total += got
		}
	}
	// Decompose: flow on arc e is orig[e] - capa[e] for forward arcs (even).
	flow := make([]int, len(orig))
	for e := 0; e < len(orig); e += 2 {
		flow[e] = max(0, orig[e]-f.capa[e])
	}
	ptr := make([]int, n) // arcs before ptr[u] carry no more flow
	var paths [][]int
	for range total {
		path := []int{s}
		seen := map[int]bool{s: true}
		u := s
		for u != t {
			nxt := -1
			for k := ptr[u]; k < len(f.adj[u]); k++ {
				e := f.adj[u][k]
				if e%2 == 1 || flow[e] <= 0 {
					if k == ptr[u] {
						ptr[u]++
					}
					continue
				}
				if !seen[f.to[e]] {
					nxt = e
					break
				}
			}
			if nxt < 0 {
				break
			}
			flow[nxt]--
			u = f.to[nxt]
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
