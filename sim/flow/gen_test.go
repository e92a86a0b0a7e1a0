package flow

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
)

// fabric is a synthetic fabric for property tests and benchmarks: routers
// in a ring with random chords, sites attached to two routers each, and
// shortest-path ECMP forwarding computed by BFS per destination site.
type fabric struct {
	net     *Network
	routers []NodeID
	sites   []NodeID
	adj     [][]Hop // per node
	links   []LinkID
	linkAB  [][2]NodeID
	down    []bool
	fib     [][][]Hop // [node][site] next hops
	pools   []PoolID
}

func siteAddr(s int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(s >> 8), byte(s), 1})
}

func sitePrefix(s int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(s >> 8), byte(s), 0}), 24)
}

func (f *fabric) Lookup(node NodeID, dst netip.Addr) ([]Hop, bool) {
	b := dst.As4()
	s := int(b[1])<<8 | int(b[2])
	if s >= len(f.sites) {
		return nil, false
	}
	h := f.fib[node][s]
	return h, len(h) > 0
}

func newFabric(seed uint64, routers, sites, chords, demands int, capacity float64) *fabric {
	r := rand.New(rand.NewPCG(seed, 1))
	f := &fabric{}
	n := NewNetwork(f)
	f.net = n
	addLink := func(a, b NodeID, c float64) {
		l := n.AddLink(fmt.Sprintf("l%d", len(f.links)), a, b, c)
		f.links = append(f.links, l)
		f.linkAB = append(f.linkAB, [2]NodeID{a, b})
		f.down = append(f.down, false)
		f.adj[a] = append(f.adj[a], Hop{l, b})
		f.adj[b] = append(f.adj[b], Hop{l, a})
	}
	for i := range routers {
		f.routers = append(f.routers, n.AddNode(fmt.Sprintf("r%d", i), nil))
		f.adj = append(f.adj, nil)
	}
	for i := range sites {
		f.sites = append(f.sites, n.AddNode(fmt.Sprintf("s%d", i), []netip.Prefix{sitePrefix(i)}))
		f.adj = append(f.adj, nil)
	}
	for i := range routers {
		addLink(f.routers[i], f.routers[(i+1)%routers], capacity)
	}
	for range chords {
		a, b := r.IntN(routers), r.IntN(routers)
		if a != b {
			addLink(f.routers[a], f.routers[b], capacity)
		}
	}
	for i := range sites {
		a := r.IntN(routers)
		b := (a + 1 + r.IntN(routers-1)) % routers
		addLink(f.sites[i], f.routers[a], 4*capacity)
		addLink(f.sites[i], f.routers[b], 4*capacity)
	}
	// A pool per 10 ring links.
	for i := 0; i+10 <= routers; i += 10 {
		f.pools = append(f.pools, n.AddPool(fmt.Sprintf("p%d", i/10), 4*capacity, f.links[i:i+10]))
	}
	f.fib = make([][][]Hop, len(f.adj))
	for i := range f.fib {
		f.fib[i] = make([][]Hop, sites)
	}
	f.route()
	for i := range demands {
		from := r.IntN(sites)
		to := (from + 1 + r.IntN(sites-1)) % sites
		n.AddDemand(fmt.Sprintf("d%d", i), f.sites[from], siteAddr(to), float64(1+r.IntN(20))*1e8)
	}
	return f
}

// route recomputes every FIB (shortest paths over live links, ECMP) and
// returns the nodes whose FIB changed, ascending.
func (f *fabric) route() []NodeID {
	var changed []NodeID
	dist := make([]int, len(f.adj))
	queue := make([]NodeID, 0, len(f.adj))
	nodeChanged := make([]bool, len(f.adj))
	for s, site := range f.sites {
		for i := range dist {
			dist[i] = -1
		}
		dist[site] = 0
		queue = append(queue[:0], site)
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			// Sites do not transit: only expand from the destination itself and routers.
			if v != site && int(v) >= len(f.routers) {
				continue
			}
			for _, h := range f.adj[v] {
				if !f.down[h.Link] && dist[h.To] < 0 {
					dist[h.To] = dist[v] + 1
					queue = append(queue, h.To)
				}
			}
		}
		for v := range f.adj {
			var hops []Hop
			if NodeID(v) != site && dist[v] > 0 {
				for _, h := range f.adj[v] {
					if !f.down[h.Link] && dist[h.To] == dist[v]-1 {
						hops = append(hops, h)
					}
				}
			}
			if !equalHops(hops, f.fib[v][s]) {
				f.fib[v][s] = hops
				nodeChanged[v] = true
			}
		}
	}
	for v, c := range nodeChanged {
		if c {
			changed = append(changed, NodeID(v))
		}
	}
	return changed
}

func equalHops(a, b []Hop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
