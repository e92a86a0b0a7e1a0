package flow

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// table is a static forwarding table for tests: per node, prefix → hops,
// longest prefix wins.
type table struct {
	routes map[NodeID][]route
}

type route struct {
	p    netip.Prefix
	hops []Hop
}

func newTable() *table { return &table{routes: map[NodeID][]route{}} }

func (t *table) Lookup(node NodeID, dst netip.Addr) ([]Hop, bool) {
	best := -1
	var hops []Hop
	for _, r := range t.routes[node] {
		if r.p.Contains(dst) && r.p.Bits() > best {
			best, hops = r.p.Bits(), r.hops
		}
	}
	return hops, best >= 0
}

// set replaces node's route for p (no hops: removes it).
func (t *table) set(node NodeID, p netip.Prefix, hops ...Hop) {
	rs := t.routes[node]
	for i, r := range rs {
		if r.p == p {
			rs = append(rs[:i], rs[i+1:]...)
			break
		}
	}
	if len(hops) > 0 {
		rs = append(rs, route{p: p, hops: hops})
	}
	t.routes[node] = rs
}

// recorder keeps trace records as text lines.
type recorder struct{ lines []string }

func (r *recorder) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	var b strings.Builder
	fmt.Fprintf(&b, "%v %s %s", at, kind, subject)
	for _, a := range attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	r.lines = append(r.lines, b.String())
}

func (r *recorder) take() []string {
	l := r.lines
	r.lines = nil
	return l
}

func (r *recorder) kind(k string) []string {
	var out []string
	for _, l := range r.lines {
		if strings.Fields(l)[1] == k {
			out = append(out, l)
		}
	}
	return out
}

const (
	G = 1e9 // bits/s
)

var (
	siteA = netip.MustParsePrefix("10.1.0.0/16")
	siteB = netip.MustParsePrefix("10.2.0.0/16")
	dstB  = netip.MustParseAddr("10.2.0.1")
)

// quad is the acceptance topology: site A → 4 edge routers E1..E4 →
// 4 × 10G cross-connects x1..x4 → 4 far routers F1..F4 → site B. Facility 1
// holds E1, E2 (x1, x2); facility 2 holds E3, E4 (x3, x4). Attachment links
// (a_i, b_i) are 100G so that only the cross-connects can congest.
type quad struct {
	net    *Network
	fib    *table
	rec    *recorder
	A, B   NodeID
	E, F   [4]NodeID
	a, x   [4]LinkID
	b      [4]LinkID
	toEdge [4]Hop
}

func newQuad(t testing.TB) *quad {
	q := &quad{fib: newTable(), rec: &recorder{}}
	n := NewNetwork(q.fib)
	n.SetTracer(q.rec)
	q.net = n
	q.A = n.AddNode("A", []netip.Prefix{siteA})
	for i := range 4 {
		q.E[i] = n.AddNode(fmt.Sprintf("E%d", i+1), nil)
		q.F[i] = n.AddNode(fmt.Sprintf("F%d", i+1), nil)
	}
	q.B = n.AddNode("B", []netip.Prefix{siteB})
	for i := range 4 {
		q.a[i] = n.AddLink(fmt.Sprintf("a%d", i+1), q.A, q.E[i], 100*G)
		q.x[i] = n.AddLink(fmt.Sprintf("x%d", i+1), q.E[i], q.F[i], 10*G)
		q.b[i] = n.AddLink(fmt.Sprintf("b%d", i+1), q.F[i], q.B, 100*G)
		q.toEdge[i] = Hop{Link: q.a[i], To: q.E[i]}
		q.fib.set(q.E[i], siteB, Hop{q.x[i], q.F[i]})
		q.fib.set(q.F[i], siteB, Hop{q.b[i], q.B})
	}
	q.fib.set(q.A, siteB, q.toEdge[:]...)
	return q
}

// ingressVia points site A's route at the given edges only.
func (q *quad) ingressVia(edges ...int) {
	var hops []Hop
	for _, e := range edges {
		hops = append(hops, q.toEdge[e])
	}
	q.fib.set(q.A, siteB, hops...)
	q.net.RoutesChanged(q.A)
}

func checkDemand(t *testing.T, n *Network, d DemandID, delivered float64, lost map[Cause]float64) {
	t.Helper()
	s := n.Demand(d)
	if s.Delivered != delivered {
		t.Errorf("%s delivered = %v, want %v", s.Name, s.Delivered, delivered)
	}
	for c := range NumCauses {
		if s.Lost[c] != lost[c] {
			t.Errorf("%s lost[%v] = %v, want %v", s.Name, c, s.Lost[c], lost[c])
		}
	}
	if sum := s.Delivered + s.LostRate(); sum != s.Offered {
		t.Errorf("%s delivered+lost = %v, offered %v", s.Name, sum, s.Offered)
	}
}
