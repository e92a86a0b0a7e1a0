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
	Topology string         `json:"topology"`
	Pairs    []PairReport   `json:"pairs"`
	Demands  []DemandReport `json:"demands"`
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
	Losses []LossReport `json:"losses"`
	// OK: intact capacity and every single facility or SRLG loss leave at
	// least RequiredBps.
	OK bool `json:"ok"`
}

// LossReport is the capacity left after one component is lost.
type LossReport struct {
	Component
	CapacityBps  float64 `json:"capacity_bps"`
	ShortfallBps float64 `json:"shortfall_bps"`
	OK           bool    `json:"ok"`
}

// failure is a set of failed components.
type failure struct {
	links    map[string]bool
	routers  map[string]bool
	detached map[string]bool // routers cut off from their site
}

func (t *Topology) failureOf(c Component) failure {
	f := failure{links: map[string]bool{}, routers: map[string]bool{}, detached: map[string]bool{}}
	switch c.Kind {
	case "link":
		f.links[c.Name] = true
	case "router":
		f.routers[c.Name] = true
	case "facility":
		for _, r := range t.RoutersIn(c.Name) {
			f.routers[r] = true
		}
	case "srlg":
		links, routers := t.SRLGMembers(c.Name)
		for _, l := range links {
			f.links[l] = true
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
}

func newAnalyzer(t *Topology) *analyzer {
	a := &analyzer{t: t, sites: map[string]int{}, routers: map[string]int{}}
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

// Analyze computes, for every site pair and every demand, disjoint paths,
// facility diversity, single points of failure and (for demands) the raw
// capacity left after each single facility or SRLG loss.
func Analyze(t *Topology) *Analysis {
	a := newAnalyzer(t)
	out := &Analysis{Topology: t.Name, Pairs: []PairReport{}, Demands: []DemandReport{}}
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
	required := map[[2]string]float64{}
	for _, d := range t.Demands {
		required[[2]string{d.From, d.To}] += float64(d.Rate)
	}
	var losses []Component
	for _, f := range t.Facilities {
		losses = append(losses, Component{"facility", f.Name})
	}
	for _, g := range t.SRLGs() {
		losses = append(losses, Component{"srlg", g})
	}
	sortComponents(losses)
	for _, d := range t.Demands {
		if _, ok := a.sites[d.From]; !ok || d.From == d.To {
			continue
		}
		if _, ok := a.sites[d.To]; !ok {
			continue
		}
		need := required[[2]string{d.From, d.To}]
		dr := DemandReport{Name: d.Name, From: d.From, To: d.To, RateBps: float64(d.Rate), RequiredBps: need,
			Redundancy: a.redundancy(d.From, d.To), Losses: []LossReport{}}
		dr.OK = dr.CapacityBps >= need
		for _, c := range losses {
			capLeft := a.capacity(d.From, d.To, t.failureOf(c))
			lr := LossReport{Component: c, CapacityBps: capLeft, ShortfallBps: math.Max(0, need-capLeft), OK: capLeft >= need}
			dr.OK = dr.OK && lr.OK
			dr.Losses = append(dr.Losses, lr)
		}
		out.Demands = append(out.Demands, dr)
	}
	slices.SortFunc(out.Demands, func(x, y DemandReport) int { return cmp.Compare(x.Name, y.Name) })
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
