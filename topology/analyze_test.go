package topology

import (
	"math"
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
// no single point of failure; 40G intact, 20G after either facility. The
// channels are a 40G pool with 16G of other tenants: with a facility gone
// the pool shrinks to 20G and 16G + 12G = 28G lands on it, so replication
// keeps 12G × 20/28 = 8.571G (short by 3.429G), what the simulator gives.
// One router or one channel: the pool keeps 30G ≥ 28G.
func TestAnalyzeQuad(t *testing.T) {
	a := Analyze(mustLoad(t, "../examples/topologies/aws-gcp-quad.toml"))
	p := pairOf(t, a, "aws-use1", "gcp-us-east4")
	if p.LinkDisjointPaths != 4 || p.NodeDisjointPaths != 4 || p.FacilityDiversity != 2 || len(p.SPOFs) != 0 {
		t.Errorf("pair: %+v", p)
	}
	if p.CapacityBps != float64(40*Gbps) {
		t.Errorf("capacity %v", p.CapacityBps)
	}
	if c := a.Counts; c.Pools != 1 || c.Tenants != 1 || c.Demands != 1 || c.PoolCapacityBps != 40e9 || c.TenantBps != 16e9 {
		t.Errorf("counts %+v", c)
	}
	d := a.Demands[0]
	// 2 facilities, 8 routers, 4 channels.
	if d.Name != "replication" || d.OK || len(d.Losses) != 14 || !d.Intact.OK {
		t.Fatalf("demand: %+v", d)
	}
	for _, l := range d.Losses {
		if l.Kind == "facility" {
			if l.OK || l.CapacityBps != 20e9 || l.Pool != "aws-gcp-pool" || l.PoolCapacityBps != 20e9 || l.PoolLoadBps != 28e9 ||
				math.Abs(l.DeliveredBps-12e9*20/28) > 1 || math.Abs(l.ShortfallBps-12e9*8/28) > 1 {
				t.Errorf("%v: %+v", l.Component, l)
			}
		} else if !l.OK || l.CapacityBps != 30e9 || l.ShortfallBps != 0 {
			t.Errorf("%v: %+v", l.Component, l)
		}
	}
	if !reflect.DeepEqual(a.Short, []string{"replication"}) {
		t.Errorf("short %v", a.Short)
	}
	// Scenario demands replace the topology's: 4G fits (16 + 4 ≤ 20).
	a = AnalyzeWith(mustLoad(t, "../examples/topologies/aws-gcp-quad.toml"), AnalyzeOptions{
		Demands: []Demand{{Name: "small", From: "aws-use1", To: "gcp-us-east4", Rate: 4 * Gbps}}, DemandSource: "scenario x"})
	if len(a.Demands) != 1 || !a.Demands[0].OK || a.Short != nil || a.DemandSource != "scenario x" {
		t.Errorf("small demand: %+v", a.Demands)
	}
	// Pool capacity is per direction: 12G one way and 4G back, after a
	// facility loss: 16 + 12 = 28G > 20G short; 16 + 4 = 20G ≤ 20G fits.
	a = AnalyzeWith(mustLoad(t, "../examples/topologies/aws-gcp-quad.toml"), AnalyzeOptions{Demands: []Demand{
		{Name: "replication", From: "aws-use1", To: "gcp-us-east4", Rate: 12 * Gbps},
		{Name: "reverse", From: "gcp-us-east4", To: "aws-use1", Rate: 4 * Gbps}}})
	if !reflect.DeepEqual(a.Short, []string{"replication"}) || a.Demands[1].Name != "reverse" || a.Demands[1].Losses[0].PoolLoadBps != 0 {
		t.Errorf("two directions: short %v, %+v", a.Short, a.Demands[1].Losses[0])
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
	srlg := d.Losses[2]
	if d.OK || srlg.Name != "ashburn-conduit-7" || srlg.CapacityBps != 0 || srlg.ShortfallBps != float64(12*Gbps) {
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
