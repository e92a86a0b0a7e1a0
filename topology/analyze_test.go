package topology

import (
	"reflect"
	"testing"
)

func pairOf(t *testing.T, a *Analysis, x, y string) PairReport {
	t.Helper()
	for _, p := range a.Pairs {
		if p.A == x && p.B == y {
			return p
		}
	}
	t.Fatalf("no pair %s–%s in %+v", x, y, a.Pairs)
	return PairReport{}
}

// The quad: 4 channels over 2 facilities, 4 link- and node-disjoint paths,
// no single point of failure; 40G intact, 20G after either facility.
func TestAnalyzeQuad(t *testing.T) {
	a := Analyze(mustLoad(t, "../examples/topologies/aws-gcp-quad.toml"))
	p := pairOf(t, a, "aws-use1", "gcp-us-east4")
	if p.LinkDisjointPaths != 4 || p.NodeDisjointPaths != 4 || p.FacilityDiversity != 2 || len(p.SPOFs) != 0 {
		t.Errorf("pair: %+v", p)
	}
	if p.CapacityBps != float64(40*Gbps) {
		t.Errorf("capacity %v", p.CapacityBps)
	}
	d := a.Demands[0]
	if d.Name != "replication" || !d.OK || len(d.Losses) != 2 || d.Losses[0].CapacityBps != float64(20*Gbps) {
		t.Errorf("demand: %+v", d)
	}
}

// Two facilities sharing a conduit: the SRLG is a single point of failure
// and its loss leaves nothing.
func TestAnalyzeSharedConduit(t *testing.T) {
	a := Analyze(mustLoad(t, "../examples/topologies/quad-shared-conduit.toml"))
	p := pairOf(t, a, "aws-use1", "gcp-us-east4")
	if p.NodeDisjointPaths != 4 || p.FacilityDiversity != 2 {
		t.Errorf("pair: %+v", p)
	}
	want := []Component{{"srlg", "ashburn-conduit-7"}}
	if !reflect.DeepEqual(p.SPOFs, want) {
		t.Errorf("SPOFs %+v, want %+v", p.SPOFs, want)
	}
	d := a.Demands[0]
	last := d.Losses[len(d.Losses)-1]
	if d.OK || last.Name != "ashburn-conduit-7" || last.CapacityBps != 0 || last.ShortfallBps != float64(12*Gbps) {
		t.Errorf("demand: %+v", d)
	}
}

// One link: the link, both routers, the facility and the link's SRLG are all
// single points of failure (hand-checked).
func TestAnalyzeSingleLink(t *testing.T) {
	src := base + `srlg = ["duct-1"]
[[facility]]
name = "f1"
[[router]]
name = "ra2"
site = "a"
facility = "f1"
[[demand]]
name = "d"
from = "b"
to = "a"
rate = "20Gbps"
`
	a := Analyze(mustParse(t, src))
	p := pairOf(t, a, "a", "b")
	want := []Component{{"srlg", "duct-1"}, {"router", "ra"}, {"router", "rb"}, {"link", "l1"}}
	if p.NodeDisjointPaths != 1 || p.LinkDisjointPaths != 1 || !reflect.DeepEqual(p.SPOFs, want) {
		t.Errorf("pair: %+v", p)
	}
	d := a.Demands[0]
	if d.OK || d.RequiredBps != float64(20*Gbps) || d.CapacityBps != float64(10*Gbps) {
		t.Errorf("demand: %+v", d)
	}
}

// A LAG counts as one link for disjointness. If it needs both members, each
// member is a SPOF; with min_links 1 neither is.
func TestAnalyzeLAGMinLinks(t *testing.T) {
	for _, c := range []struct {
		min   string
		spofs int
	}{{"2", 4}, {"1", 2}} {
		src := `[[site]]
name = "a"
provider = "aws"
[[site]]
name = "b"
provider = "gcp"
[[router]]
name = "ra"
site = "a"
[[router]]
name = "rb"
site = "b"
[[link]]
name = "m1"
a = "ra"
b = "rb"
capacity = "10Gbps"
[[link]]
name = "m2"
a = "ra"
b = "rb"
capacity = "10Gbps"
[[lag]]
name = "g"
members = ["m1", "m2"]
min_links = ` + c.min + "\n"
		p := pairOf(t, Analyze(mustParse(t, src)), "a", "b")
		if len(p.SPOFs) != c.spofs || p.LinkDisjointPaths != 1 || p.NodeDisjointPaths != 1 {
			t.Errorf("min_links %s: %+v", c.min, p)
		}
	}
}

func TestAnalyzeDeterministic(t *testing.T) {
	topo := mustLoad(t, "../examples/topologies/dx-max-resiliency-vpn.toml")
	first := Analyze(topo)
	for range 5 {
		if !reflect.DeepEqual(first, Analyze(topo)) {
			t.Fatal("analysis differs between runs")
		}
	}
	p := pairOf(t, first, "aws-use1", "onprem-dc")
	// 4 DX connections + 2 VPN tunnels into one customer gateway.
	if p.LinkDisjointPaths != 6 || p.NodeDisjointPaths != 5 || len(p.SPOFs) != 0 {
		t.Errorf("pair: %+v", p)
	}
}
