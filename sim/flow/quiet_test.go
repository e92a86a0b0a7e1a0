package flow

import (
	"net/netip"
	"strings"
	"testing"
)

// TestSetLinkQuiet: a quiet link's load is not traced, but it carries and
// integrates traffic like any other; the other records are unchanged.
func TestSetLinkQuiet(t *testing.T) {
	siteB := netip.MustParsePrefix("10.2.0.0/16")
	dstB := netip.MustParseAddr("10.2.0.1")
	fib := newTable()
	n := NewNetwork(fib)
	rec := &recorder{}
	n.SetTracer(rec)
	A := n.AddNode("A", nil)
	B := n.AddNode("B", []netip.Prefix{siteB})
	q := n.AddLink("q", A, B, 100*G)
	n.SetLinkQuiet(q)
	fib.set(A, siteB, Hop{q, B})
	d := n.AddDemand("d", A, dstB, 8*G)
	n.Recompute(0)
	checkDemand(t, n, d, 8*G, nil)
	if l := n.Link(q); l.Load != 8*G {
		t.Errorf("quiet link load %v, want 8G", l.Load)
	}
	if got := rec.kind("link.load"); len(got) != 0 {
		t.Errorf("quiet link traced: %v", got)
	}
	if got := rec.kind("flow.rate"); len(got) != 1 || !strings.Contains(got[0], "delivered=8e+09") {
		t.Errorf("flow.rate records %v, want one at 8G", got)
	}
}
