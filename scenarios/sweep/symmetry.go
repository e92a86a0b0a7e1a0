package sweep

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/topology"
)

// Symmetry: two failure sets are simulated once when an automorphism of the
// fabric maps one onto the other. The fabric is a graph with one node per
// site, facility, router, link, LAG, session, session end, pool, tenant,
// SRLG and provider, joined by what references what; every attribute that
// the simulation reads (capacity, latency, timers, BFD, policies, profile
// delays, …) is part of the node's colour, never its name. Names the
// scenario uses are colours too: sites (traffic goes from and to them),
// tenants (profiles), links and pools that expectations select. When a
// best-path tie can be broken by router ID anywhere (a router with fewer
// multipath slots than sessions), every router keeps its ID in its colour.
//
// Automorphisms are found by colour refinement with individualisation and
// backtracking (the method of nauty, without its pruning), and every one is
// verified edge by edge before it is used: a failure set is only ever
// merged with another through a verified automorphism, so merging is
// sound. When the search exceeds its budget it gives up and the cases are
// simulated separately (conservative).
//
// Orbits of single failures come from one automorphism per pair of
// candidates (x → y); orbits of pairs also need, for each representative x,
// automorphisms fixing x (its stabiliser's orbits), which the second level
// of the search provides. Union-find over every generator's image of every
// failure set gives the orbits.
//
// What symmetry does not cover: BFD and keepalive phases are drawn per
// session, so two symmetric failures can differ in detection by up to one
// BFD interval; a row's numbers are its representative's.

// graph is the coloured fabric graph.
type graph struct {
	colour []int   // initial colour per node
	adj    [][]int // sorted neighbour lists
	index  map[string]int
	names  []string
}

func (g *graph) node(key, colour string, raw *[]string) int {
	if id, ok := g.index[key]; ok {
		return id
	}
	id := len(g.names)
	g.index[key] = id
	g.names = append(g.names, key)
	g.adj = append(g.adj, nil)
	*raw = append(*raw, colour)
	return id
}

func (g *graph) edge(a, b int) {
	g.adj[a] = append(g.adj[a], b)
	g.adj[b] = append(g.adj[b], a)
}

func ruleString(r topology.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{%v %q %d deny=%v", r.MatchPrefixes, r.MatchCommunity, r.MatchASPath, r.Deny)
	if r.LocalPref != nil {
		fmt.Fprintf(&b, " lp=%d", *r.LocalPref)
	}
	if r.MED != nil {
		fmt.Fprintf(&b, " med=%d", *r.MED)
	}
	fmt.Fprintf(&b, " prepend=%d comm=%v}", r.Prepend, r.AddCommunities)
	return b.String()
}

func rulesString(rs []topology.Rule) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = ruleString(r)
	}
	return strings.Join(s, ",")
}

// named lists names the scenario refers to, by kind ("link", "pool",
// "tenant"): their nodes keep their name in their colour.
type named map[string]map[string]bool

// buildGraph makes the coloured graph of a topology.
func buildGraph(t *topology.Topology, keep named) *graph {
	g := &graph{index: map[string]int{}}
	var raw []string
	n := func(key, colour string) int { return g.node(key, colour, &raw) }
	keepName := func(kind, name string) string {
		if keep[kind][name] {
			return "|named=" + name
		}
		return ""
	}
	srlg := func(name string) int { return n("srlg:"+name, "srlg") }
	providers := map[string]bool{}
	for _, s := range t.Sites {
		n("site:"+s.Name, fmt.Sprintf("site|%s|%s|%d|%v|%v", s.Name, s.Provider, s.ASN, s.Prefixes, backboneString(s.Backbone)))
		providers[s.Provider] = true
	}
	for _, p := range sortedKeys(providers) {
		id := n("provider:"+p, "provider|"+p)
		for _, s := range t.Sites {
			if s.Provider == p {
				g.edge(id, g.index["site:"+s.Name])
			}
		}
	}
	for _, f := range t.Facilities {
		id := n("facility:"+f.Name, "facility")
		for _, s := range f.SRLGs {
			g.edge(id, srlg(s))
		}
	}
	ids := routerIDsMatter(t)
	for _, r := range t.Routers {
		c := fmt.Sprintf("router|%d|%s|%v|%v|%v|%v|%v|%d|%s|%v|%v", r.ASN, r.Profile, r.BFDOffloaded, r.UpdateDelay, r.PrefixDelay,
			r.FIBInstallDelay, r.BootTime, r.MaxPaths, r.Role, r.BFDSlack, r.Prefixes)
		if ids {
			c += "|id=" + r.RouterID.String()
		}
		id := n("router:"+r.Name, c)
		g.edge(id, g.index["site:"+r.Site])
		if r.Facility != "" {
			g.edge(id, g.index["facility:"+r.Facility])
		}
		for _, s := range r.SRLGs {
			g.edge(id, srlg(s))
		}
	}
	for _, l := range t.Links {
		id := n("link:"+l.Name, fmt.Sprintf("link|%v|%v|%v|%v|%v", float64(l.Capacity), l.Latency, l.Jitter, l.CarrierDelay, l.MACsec)+keepName("link", l.Name))
		g.edge(id, g.index["router:"+l.A])
		g.edge(id, g.index["router:"+l.B])
		for _, s := range l.SRLGs {
			g.edge(id, srlg(s))
		}
	}
	for _, lag := range t.LAGs {
		id := n("link:"+lag.Name, fmt.Sprintf("lag|%d", lag.MinLinks)+keepName("link", lag.Name))
		for _, m := range lag.Members {
			g.edge(id, g.index["link:"+m])
		}
	}
	for _, s := range t.Sessions {
		bfd := "none"
		if s.BFD != nil {
			bfd = fmt.Sprintf("%v×%d", s.BFD.Interval, s.BFD.Multiplier)
		}
		id := n("session:"+s.Name, fmt.Sprintf("session|%v|%s|over=%v", s.IBGP, bfd, s.Over != ""))
		if s.Over != "" {
			g.edge(id, g.index["link:"+s.Over])
		}
		for i, e := range []topology.SessionEnd{s.A, s.B} {
			c := fmt.Sprintf("end|%v|%v|%v|%v|%v|%v|%d|%v|%v|%s|%s|%d|%v|%v|%v|%v|%v|%v", e.Keepalive, e.Hold, e.ConnectRetry, e.EstablishDelay, e.MRAI,
				e.GracefulRestart, e.MaxPrefix, e.RRClient, e.NextHopSelf, rulesString(e.Import), rulesString(e.Export),
				e.SynRetries, e.ConnectOnBFDUp, e.SendBack, e.SeparateEoR, e.MRAIJitter, e.PaceWithdrawals, e.HoldExpiryDelay)
			if i == 0 && e.MaxPrefix > 0 {
				c += "|a" // max-prefix-exceeded targets the A end
			}
			eid := n(fmt.Sprintf("end:%s:%d", s.Name, i), c)
			g.edge(eid, id)
			g.edge(eid, g.index["router:"+e.Router])
		}
	}
	for _, p := range t.Pools {
		id := n("pool:"+p.Name, fmt.Sprintf("pool|%v", float64(p.Capacity))+keepName("pool", p.Name))
		for _, l := range p.Links {
			g.edge(id, g.index["link:"+l])
		}
	}
	for _, tn := range t.Tenants {
		id := n("tenant:"+tn.Name, fmt.Sprintf("tenant|%s|%v", tn.Name, float64(tn.Rate)))
		for _, p := range tn.Pools {
			g.edge(id, g.index["pool:"+p])
		}
	}
	// Dense initial colours, numbered in sorted order of their strings.
	distinct := slices.Clone(raw)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	g.colour = make([]int, len(raw))
	for i, c := range raw {
		g.colour[i], _ = slices.BinarySearch(distinct, c)
	}
	for i := range g.adj {
		slices.Sort(g.adj[i])
	}
	return g
}

// backboneString is a site's hub attachment, for the site's colour.
func backboneString(b topology.Backbone) string {
	bfd := "none"
	if b.BFD != nil {
		bfd = fmt.Sprintf("%v×%d", b.BFD.Interval, b.BFD.Multiplier)
	}
	return fmt.Sprintf("%v|%v|%s|%v|%v|%v", b.Carrier, b.CarrierDelay, bfd, b.Keepalive, b.Hold, b.Latency)
}

// siteHubMaxPaths is the ECMP width of a site's hub in the fabric.
const siteHubMaxPaths = 16

// routerIDsMatter reports whether best-path ties can be broken by router
// ID somewhere: a router with fewer multipath slots than BGP sessions (its
// own and its site hub's), or a site with more routers than its hub
// spreads over. Then which of two equal paths wins depends on the peers'
// IDs, and every router keeps its ID in its colour (no router symmetry:
// conservative).
func routerIDsMatter(t *topology.Topology) bool {
	sessions := map[string]int{}
	perSite := map[string]int{}
	for _, r := range t.Routers {
		sessions[r.Name] = 1 // the site hub
		perSite[r.Site]++
	}
	for _, s := range t.Sessions {
		sessions[s.A.Router]++
		sessions[s.B.Router]++
	}
	for _, r := range t.Routers {
		if max(1, r.MaxPaths) < sessions[r.Name] || perSite[r.Site] > siteHubMaxPaths {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// refine refines two colourings of g jointly (so that equal colours mean
// the same thing in both) until stable: a node's new colour is its colour
// and the multiset of its neighbours' colours, hashed (FNV-1a over the
// sorted list). Colours are renumbered in sorted order of the hashes, so
// the result is canonical. A hash collision can only merge classes, which
// makes the search try more, never accept a wrong map: every automorphism
// is verified edge by edge.
func (g *graph) refine(a, b []int) {
	n := len(g.adj)
	classes := -1
	sig := make([]uint64, 2*n)
	var nb []int
	for {
		for side, cs := range [][]int{a, b} {
			for v := 0; v < n; v++ {
				nb = nb[:0]
				for _, u := range g.adj[v] {
					nb = append(nb, cs[u])
				}
				slices.Sort(nb)
				h := uint64(14695981039346656037)
				mix := func(x int) {
					for k := 0; k < 8; k++ {
						h ^= uint64(x>>(8*k)) & 0xff
						h *= 1099511628211
					}
				}
				mix(cs[v])
				for _, c := range nb {
					mix(c)
				}
				sig[side*n+v] = h
			}
		}
		distinct := slices.Clone(sig)
		slices.Sort(distinct)
		distinct = slices.Compact(distinct)
		for v := 0; v < n; v++ {
			a[v], _ = slices.BinarySearch(distinct, sig[v])
			b[v], _ = slices.BinarySearch(distinct, sig[n+v])
		}
		if len(distinct) == classes {
			return
		}
		classes = len(distinct)
	}
}

// searcher finds automorphisms within a budget of refinements.
type searcher struct {
	g      *graph
	budget int
}

// find returns an automorphism (perm[v] = image of v) that maps each
// from[i] to to[i], or nil when none exists or the budget ran out.
func (s *searcher) find(from, to []int) []int {
	a, b := slices.Clone(s.g.colour), slices.Clone(s.g.colour)
	for i := range from {
		if s.g.colour[from[i]] != s.g.colour[to[i]] {
			return nil
		}
	}
	return s.search(a, b, from, to)
}

func (s *searcher) search(a, b []int, from, to []int) []int {
	if s.budget <= 0 {
		return nil
	}
	s.budget--
	n := len(s.g.adj)
	a, b = slices.Clone(a), slices.Clone(b)
	// Individualise: give the pinned nodes fresh colours, the same on both sides.
	top := 0
	for _, c := range a {
		top = max(top, c)
	}
	for _, c := range b {
		top = max(top, c)
	}
	for i := range from {
		a[from[i]], b[to[i]] = top+1+i, top+1+i
	}
	s.g.refine(a, b)
	// Class sizes must agree.
	count := map[int]int{}
	for v := 0; v < n; v++ {
		count[a[v]]++
		count[b[v]]--
	}
	for _, d := range count {
		if d != 0 {
			return nil
		}
	}
	// First guess: pair the k-th node of each colour in a with the k-th in
	// b. For disjoint identical parts this is usually the automorphism.
	if p := guess(a, b); p != nil && s.g.isAutomorphism(p) {
		return p
	}
	// The first non-singleton class (smallest colour) decides the branch.
	size := map[int]int{}
	for _, c := range a {
		size[c]++
	}
	cell := -1
	for v := 0; v < n; v++ {
		if size[a[v]] > 1 && (cell < 0 || a[v] < cell) {
			cell = a[v]
		}
	}
	if cell < 0 {
		perm := make([]int, n)
		where := make(map[int]int, n)
		for v := 0; v < n; v++ {
			where[b[v]] = v
		}
		for v := 0; v < n; v++ {
			perm[v] = where[a[v]]
		}
		if s.g.isAutomorphism(perm) {
			return perm
		}
		return nil
	}
	u := -1
	for v := 0; v < n; v++ {
		if a[v] == cell {
			u = v
			break
		}
	}
	for v := 0; v < n; v++ {
		if b[v] != cell {
			continue
		}
		if p := s.search(a, b, []int{u}, []int{v}); p != nil {
			return p
		}
		if s.budget <= 0 {
			return nil
		}
	}
	return nil
}

// guess maps the k-th node (in index order) of each colour of a to the
// k-th node of that colour in b; nil when the class sizes differ.
func guess(a, b []int) []int {
	byColour := map[int][]int{}
	for v, c := range b {
		byColour[c] = append(byColour[c], v)
	}
	next := map[int]int{}
	perm := make([]int, len(a))
	for v, c := range a {
		k := next[c]
		if k >= len(byColour[c]) {
			return nil
		}
		perm[v] = byColour[c][k]
		next[c] = k + 1
	}
	return perm
}

// isAutomorphism checks that perm keeps every colour and every edge.
func (g *graph) isAutomorphism(perm []int) bool {
	for v := range g.adj {
		if g.colour[v] != g.colour[perm[v]] || len(g.adj[v]) != len(g.adj[perm[v]]) {
			return false
		}
		img := make([]int, len(g.adj[v]))
		for i, u := range g.adj[v] {
			img[i] = perm[u]
		}
		slices.Sort(img)
		if !slices.Equal(img, g.adj[perm[v]]) {
			return false
		}
	}
	return true
}

// unionFind over n items.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(x int) int {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

// union joins two sets; the smaller index stays the root, so roots are
// each set's first member.
func (u unionFind) union(x, y int) {
	x, y = u.find(x), u.find(y)
	if x == y {
		return
	}
	if y < x {
		x, y = y, x
	}
	u[y] = x
}
