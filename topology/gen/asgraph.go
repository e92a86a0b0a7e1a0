package gen

import (
	"fmt"
	"math/rand/v2"
)

// BA is an undirected Barabási–Albert graph on nodes 0..N-1: Edges[k] =
// {older, newer}. Node v's edges to older nodes are consecutive, in the
// order they were drawn.
type BA struct {
	N     int
	Edges [][2]int32
}

// Degrees returns every node's degree.
func (g *BA) Degrees() []int32 {
	deg := make([]int32, g.N)
	for _, e := range g.Edges {
		deg[e[0]]++
		deg[e[1]]++
	}
	return deg
}

// PreferentialAttachment draws a Barabási–Albert graph of n nodes: a core
// clique of m+1 nodes, then each new node links to m distinct older nodes,
// each chosen with probability proportional to its degree. Edges:
// m(m+1)/2 + m(n−m−1). It samples a uniformly random end of the edge list
// (the Batagelj–Brandes trick), so it is O(n·m) time and memory; a repeated
// target is drawn again. gonum's graphs/gen.PreferentialAttachment re-weights
// every node at each step (O(n²)) and starts from m unconnected nodes,
// hence this version. Panics if m < 1 or n ≤ m.
func PreferentialAttachment(n, m int, r *rand.Rand) *BA {
	if m < 1 || n <= m {
		panic(fmt.Sprintf("gen: PreferentialAttachment(n=%d, m=%d): want m ≥ 1 and n > m", n, m))
	}
	g := &BA{N: n, Edges: make([][2]int32, 0, m*(m+1)/2+m*(n-m-1))}
	ends := make([]int32, 0, 2*cap(g.Edges))
	for v := 1; v <= m; v++ {
		for u := 0; u < v; u++ {
			g.Edges = append(g.Edges, [2]int32{int32(u), int32(v)})
			ends = append(ends, int32(u), int32(v))
		}
	}
	chosen := make([]int32, 0, m)
	for v := m + 1; v < n; v++ {
		chosen = chosen[:0]
		for len(chosen) < m {
			u := ends[r.IntN(len(ends))]
			dup := false
			for _, c := range chosen {
				dup = dup || c == u
			}
			if !dup {
				chosen = append(chosen, u)
			}
		}
		for _, u := range chosen {
			g.Edges = append(g.Edges, [2]int32{u, int32(v)})
			ends = append(ends, u, int32(v))
		}
	}
	return g
}

// Relationship of an AS-graph edge {older, newer}.
type Relationship int

// Relationships.
const (
	Peer     Relationship = iota // settlement-free peers
	Provider                     // the older AS is the newer one's provider
)

// Relationships classifies the edges of an AS graph drawn with m: the core
// clique peers; a new AS's first edge goes to its provider; its others are
// peerings when the two are of similar size (the newer one's final degree
// at least half the older one's), else provider links. Providers are always
// older, so the customer→provider graph has no cycle.
func Relationships(g *BA, m int) []Relationship {
	deg := g.Degrees()
	rel := make([]Relationship, len(g.Edges))
	core := m * (m + 1) / 2
	for k, e := range g.Edges {
		switch {
		case k < core:
			rel[k] = Peer
		case (k-core)%m == 0:
			rel[k] = Provider
		case 2*deg[e[1]] >= deg[e[0]]:
			rel[k] = Peer
		default:
			rel[k] = Provider
		}
	}
	return rel
}

// Communities tagging, on import, the routes an AS learned from a peer or
// a provider (value: the AS's index); export to peers and providers denies
// them (Gao–Rexford).
const (
	tagPeer     = 65002
	tagProvider = 65003
)

// asGraph writes N ASes (sites with one border router each) joined by a
// Barabási–Albert graph, m = 2, with Gao–Rexford policies.
func (g *gen) asGraph() error {
	const m = 2
	o := g.o
	n := o.Sites
	if n == 0 {
		n = o.Routers
	}
	if n == 0 {
		n = 10
	}
	if n <= m+1 {
		return fmt.Errorf("ases %d: an AS graph needs at least %d", n, m+2)
	}
	if err := g.checkPrefixes(n); err != nil {
		return err
	}
	g.n = n
	r := rand.New(rand.NewPCG(o.Seed, 0x6e657464726c6c67)) // "netdrllg"
	ba := PreferentialAttachment(n, m, r)
	rel := Relationships(ba, m)
	var peers int
	for _, x := range rel {
		if x == Peer {
			peers++
		}
	}
	g.header(fmt.Sprintf("gen as-graph %d ASes seed %d", n, o.Seed),
		fmt.Sprintf("%d ASes, Barabási–Albert m = %d: %d links (%d customer–provider, %d peer), Gao–Rexford policies.", n, m, len(ba.Edges), len(ba.Edges)-peers, peers))
	name := func(i int32) string { return fmt.Sprintf("as%d", i+1) }
	for i := int32(0); i < int32(n); i++ {
		g.site(name(i), asn(64600, int(i)+1, n), true)
		g.router(name(i)+"-r", name(i), "", "role = \"core\"\n")
	}
	// The demand leaves the newest AS with two providers (multihomed: the
	// default fault, its first provider link, leaves it reachable) for the
	// first tier-1 AS.
	src := int32(n - 1)
	nprov := make([]int, n)
	for k, e := range ba.Edges {
		if rel[k] == Provider {
			nprov[e[1]]++
		}
	}
	for v := int32(n - 1); v > int32(m); v-- {
		if nprov[v] == m {
			src = v
			break
		}
	}
	var srcLink string
	for k, e := range ba.Edges {
		u, v := e[0], e[1]
		l := name(u) + "-" + name(v)
		g.link(l, name(u)+"-r", name(v)+"-r", "10Gbps", "10ms", false)
		var pol string
		if rel[k] == Peer {
			pol = fmt.Sprintf("import_a = [{ local_pref = 100, add_communities = [\"%d:%d\"] }]\n", tagPeer, u+1) +
				fmt.Sprintf("import_b = [{ local_pref = 100, add_communities = [\"%d:%d\"] }]\n", tagPeer, v+1) +
				exportDeny("a", u) + exportDeny("b", v)
		} else {
			// a = u, the provider; b = v, its customer.
			pol = "import_a = [{ local_pref = 200 }]\n" +
				fmt.Sprintf("import_b = [{ local_pref = 50, add_communities = [\"%d:%d\"] }]\n", tagProvider, v+1) +
				exportDeny("b", v)
		}
		g.session(l, name(u)+"-r", name(v)+"-r", l, pol)
		if v == src && srcLink == "" {
			srcLink = l
		}
	}
	g.demandFrom, g.demandTo, g.demandRate = name(src), name(0), "1Gbps"
	g.fault = map[string]string{"link": srcLink, "router": name(src) + "-r", "session": srcLink}
	return nil
}

// exportDeny is the export policy of AS i towards a peer or a provider:
// nothing learned from a peer or a provider.
func exportDeny(end string, i int32) string {
	return fmt.Sprintf("export_%s = [{ match_community = \"%d:%d\", deny = true }, { match_community = \"%d:%d\", deny = true }]\n",
		end, tagPeer, i+1, tagProvider, i+1)
}
