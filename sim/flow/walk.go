package flow

import (
	"fmt"
	"net/netip"
	"slices"
)

// A walk is what a demand's traffic does, independent of rates, link state
// and capacity: the part of the forwarding graph reachable from its ingress,
// unrolled into a small DAG whose nodes are in topological order (every edge
// goes from a lower to a higher index). Solving pushes the demand's rate
// through it.
//
// A walk depends only on the forwarding state (Lookup), on which nodes own
// the destination, and on the demand's ingress and destination. It goes on
// past links that are Down (their share is zero while they are down), so a
// link changing state never needs a re-walk, only a re-solve.
type walk struct {
	nodes   []wnode
	edges   []wedge
	touched []NodeID // nodes where Lookup was called, ascending
	links   []LinkID // links the walk crosses, ascending
}

type term uint8

const (
	tForward   term = iota // forwards over its edges
	tDelivered             // owns the destination
	tNoRoute               // no route
	tLoop                  // reached again on the same path
)

type wnode struct {
	node     NodeID
	term     term
	first, n int32 // edges[first : first+n]
}

type wedge struct {
	to   int32 // walk node index
	link LinkID
	dir  uint8 // 0: a→b, 1: b→a
	frac float64
}

// maxTreeNodes caps the unrolled path tree of a walk whose forwarding
// graph has a cycle (see walkTree).
const maxTreeNodes = 1 << 14

type frame struct {
	v NodeID
	j int32
}

// walker holds scratch space reused across walks, indexed by NodeID; the
// stamp makes clearing it between walks unnecessary.
type walker struct {
	stamp  uint32
	seen   []uint32
	gray   []bool
	term   []term
	hopOff []int32
	hopN   []int32
	idx    []int32
	onPath []bool
	hops   []Hop
	back   []bool // parallel to hops: a DFS back edge
	stack  []frame
	order  []NodeID // DFS postorder
	lk     []LinkID
}

func (w *walker) grow(n int) {
	if len(w.seen) >= n {
		return
	}
	w.seen = append(w.seen, make([]uint32, n-len(w.seen))...)
	w.gray = append(w.gray, make([]bool, n-len(w.gray))...)
	w.term = append(w.term, make([]term, n-len(w.term))...)
	w.hopOff = append(w.hopOff, make([]int32, n-len(w.hopOff))...)
	w.hopN = append(w.hopN, make([]int32, n-len(w.hopN))...)
	w.idx = append(w.idx, make([]int32, n-len(w.idx))...)
	w.onPath = append(w.onPath, make([]bool, n-len(w.onPath))...)
}

func (n *Network) owns(v NodeID, dst netip.Addr) bool {
	for _, p := range n.nodes[v].owned {
		if p.Contains(dst) {
			return true
		}
	}
	return false
}

// discover visits v for the first time in this walk: decides whether it is
// a terminal and fetches its next hops.
func (n *Network) discover(v NodeID, dst netip.Addr, wk *walk) {
	w := &n.walker
	w.seen[v] = w.stamp
	w.gray[v] = true
	w.hopOff[v] = int32(len(w.hops))
	w.hopN[v] = 0
	if n.owns(v, dst) {
		w.term[v] = tDelivered
		return
	}
	wk.touched = append(wk.touched, v)
	n.stats.Lookups++
	hops, ok := n.fwd.Lookup(v, dst)
	if !ok || len(hops) == 0 {
		w.term[v] = tNoRoute
		return
	}
	w.term[v] = tForward
	for _, h := range hops {
		n.hopDir(v, h) // validate now, not in the middle of solving
		w.hops = append(w.hops, h)
		w.back = append(w.back, false)
		w.lk = append(w.lk, h.Link)
	}
	w.hopN[v] = int32(len(hops))
}

// hopDir returns the direction in which hop h leaves v over its link. A hop
// whose link does not join v and h.To is a bug in the Forwarder: it panics.
func (n *Network) hopDir(v NodeID, h Hop) uint8 {
	if int(h.Link) < 0 || int(h.Link) >= len(n.links) {
		panic(fmt.Sprintf("flow: Lookup at node %q returned unknown link %d", n.nodes[v].name, h.Link))
	}
	l := &n.links[h.Link]
	switch {
	case l.a == v && l.b == h.To:
		return 0
	case l.b == v && l.a == h.To:
		return 1
	}
	panic(fmt.Sprintf("flow: Lookup at node %q returned hop over link %q to node %d, but the link joins %q and %q",
		n.nodes[v].name, l.name, h.To, n.nodes[l.a].name, n.nodes[l.b].name))
}

// walkDemand rebuilds d's walk.
//
// Phase 1 is a depth-first search of the forwarding graph from the ingress,
// calling Lookup once per reached node. If it finds no cycle, the reachable
// graph is a DAG and, forwarding being memoryless, merging the traffic that
// reaches a node over several paths is exact: the walk is the DAG in
// reverse postorder. If there is a cycle, the walk is the path tree
// (walkTree), so that "revisits a node on its own path" is judged per path.
func (n *Network) walkDemand(id DemandID) {
	d := &n.demands[id]
	n.stats.Walks++
	w := &n.walker
	w.grow(len(n.nodes))
	w.stamp++
	if w.stamp == 0 { // wrapped: clear
		clear(w.seen)
		w.stamp = 1
	}
	w.hops, w.back, w.stack, w.order, w.lk = w.hops[:0], w.back[:0], w.stack[:0], w.order[:0], w.lk[:0]
	wk := &d.w
	wk.nodes, wk.edges, wk.touched, wk.links = wk.nodes[:0], wk.edges[:0], wk.touched[:0], wk.links[:0]

	cyclic := false
	n.discover(d.from, d.dst, wk)
	w.stack = append(w.stack, frame{v: d.from})
	for len(w.stack) > 0 {
		top := &w.stack[len(w.stack)-1]
		v := top.v
		if top.j < w.hopN[v] {
			k := w.hopOff[v] + top.j
			top.j++
			to := w.hops[k].To
			if w.seen[to] != w.stamp {
				n.discover(to, d.dst, wk)
				w.stack = append(w.stack, frame{v: to})
			} else if w.gray[to] {
				w.back[k] = true
				cyclic = true
			}
			continue
		}
		w.gray[v] = false
		w.order = append(w.order, v)
		w.stack = w.stack[:len(w.stack)-1]
	}

	if !cyclic || !n.walkTree(d) {
		n.walkDAG(d)
	}

	slices.Sort(wk.touched)
	slices.Sort(w.lk)
	wk.links = append(wk.links, slices.Compact(w.lk)...)

	// Register with the nodes whose routes the walk depends on.
	d.gen++
	for _, v := range wk.touched {
		nd := &n.nodes[v]
		if len(nd.refs) >= 2*nd.refsCap+16 {
			n.compactRefs(nd)
		}
		nd.refs = append(nd.refs, demandRef{d: id, gen: d.gen})
	}
}

func (n *Network) compactRefs(nd *node) {
	keep := nd.refs[:0]
	for _, r := range nd.refs {
		if n.demands[r.d].gen == r.gen {
			keep = append(keep, r)
		}
	}
	clear(nd.refs[len(keep):])
	nd.refs = keep
	nd.refsCap = len(keep)
}

// walkDAG builds the walk from phase 1 in reverse postorder. DFS back edges
// (only present when walkTree gave up) lead to a loop terminal.
func (n *Network) walkDAG(d *demand) {
	w := &n.walker
	wk := &d.w
	wk.nodes, wk.edges = wk.nodes[:0], wk.edges[:0]
	for i := len(w.order) - 1; i >= 0; i-- {
		v := w.order[i]
		w.idx[v] = int32(len(wk.nodes))
		wk.nodes = append(wk.nodes, wnode{node: v, term: w.term[v]})
	}
	for i := range wk.nodes {
		wn := &wk.nodes[i]
		if wn.term != tForward {
			continue
		}
		v := wn.node
		k := w.hopN[v]
		wn.first, wn.n = int32(len(wk.edges)), k
		frac := 1 / float64(k)
		for j := w.hopOff[v]; j < w.hopOff[v]+k; j++ {
			h := w.hops[j]
			to := w.idx[h.To]
			if w.back[j] {
				to = int32(len(wk.nodes))
				wk.nodes = append(wk.nodes, wnode{node: h.To, term: tLoop})
			}
			wk.edges = append(wk.edges, wedge{to: to, link: h.Link, dir: n.hopDir(v, h), frac: frac})
		}
	}
}

// walkTree unrolls the forwarding graph into the tree of its paths from
// the ingress: a hop to a node already on the path leads to a loop
// terminal. This is exact per path but can grow exponentially in
// pathological meshes; beyond maxTreeNodes it gives up (returns false) and
// the caller falls back to walkDAG, where exactly the DFS back edges count
// as loops.
func (n *Network) walkTree(d *demand) bool {
	wk := &d.w
	wk.nodes, wk.edges = wk.nodes[:0], wk.edges[:0]
	_, ok := n.treeFrom(d.from, wk)
	if !ok {
		clear(n.walker.onPath)
	}
	return ok
}

func (n *Network) treeFrom(v NodeID, wk *walk) (int32, bool) {
	w := &n.walker
	i := int32(len(wk.nodes))
	wk.nodes = append(wk.nodes, wnode{node: v, term: w.term[v]})
	if len(wk.nodes) > maxTreeNodes {
		return i, false
	}
	if w.term[v] != tForward {
		return i, true
	}
	k := w.hopN[v]
	first := int32(len(wk.edges))
	wk.nodes[i].first, wk.nodes[i].n = first, k
	frac := 1 / float64(k)
	off := w.hopOff[v]
	for j := range k {
		h := w.hops[off+j]
		wk.edges = append(wk.edges, wedge{link: h.Link, dir: n.hopDir(v, h), frac: frac})
	}
	w.onPath[v] = true
	for j := range k {
		h := w.hops[off+j]
		if w.onPath[h.To] {
			wk.edges[first+j].to = int32(len(wk.nodes))
			wk.nodes = append(wk.nodes, wnode{node: h.To, term: tLoop})
			continue
		}
		c, ok := n.treeFrom(h.To, wk)
		if !ok {
			return i, false
		}
		wk.edges[first+j].to = c
	}
	w.onPath[v] = false
	return i, true
}
