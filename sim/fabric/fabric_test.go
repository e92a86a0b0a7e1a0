package fabric

import (
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/flow"
	"github.com/netdrill/netdrill/topology"
)

func load(t *testing.T, path string) *topology.Topology {
	t.Helper()
	top, err := topology.Load(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return top
}

type rec struct {
	at      sim.Time
	kind    string
	subject string
	attrs   []sim.Attr
}

func (r rec) get(k string) any {
	for _, a := range r.attrs {
		if a.Key == k {
			return a.Value
		}
	}
	return nil
}

type recorder struct{ recs []rec }

func (r *recorder) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	r.recs = append(r.recs, rec{at, kind, subject, append([]sim.Attr(nil), attrs...)})
}

func (r *recorder) first(kind string, match func(rec) bool) (rec, bool) {
	for _, x := range r.recs {
		if x.kind == kind && (match == nil || match(x)) {
			return x, true
		}
	}
	return rec{}, false
}

// up builds the fabric, lets BGP converge for 5 minutes, then starts
// tracing and adds a 25G demand aws → gcp.
func up(t *testing.T, path string, rate float64) (*sim.Engine, *Fabric, *recorder, sim.Time) {
	t.Helper()
	e := sim.New(1)
	f, err := New(e, load(t, path), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	_ = e.Run(5 * sim.Minute)
	for _, s := range f.Sessions() {
		if !f.SessionEstablished(s) {
			t.Fatalf("session %s not established after 5m", s)
		}
	}
	r := &recorder{}
	f.SetTracer(r)
	if err := f.AddDemand("d", "aws", "gcp", rate); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(e.Now() + sim.Second)
	return e, f, r, e.Now()
}

func TestQuadECMPCarriesAll(t *testing.T) {
	_, f, _, _ := up(t, "testdata/quad.toml", 25e9)
	ds, _ := f.Demand("d")
	// 25G over 4 × 10G channels, ECMP: 6.25G each, nothing lost.
	if ds.Delivered != 25e9 || ds.LostRate() != 0 {
		t.Fatalf("delivered %v lost %v, want 25G and 0", ds.Delivered, ds.LostRate())
	}
}

// DESIGN, Testing: 4×10G with one facility down and 25G offered ⇒ 5G dropped
// to congestion once BGP has moved everything onto the two surviving
// channels (2 × 10G = 20G carried).
func TestQuadFacilityLossCongestion(t *testing.T) {
	e, f, _, t0 := up(t, "testdata/quad.toml", 25e9)
	tc, err := f.FacilityDown("fac1", true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tc.Routers, ",") != "a1,a2,g1,g2" || strings.Join(tc.Links, ",") != "ch1,ch2" {
		t.Fatalf("touched %+v", tc)
	}
	_ = e.Run(t0 + time(60))
	ds, _ := f.Demand("d")
	if ds.Delivered != 20e9 || ds.Lost[flow.Congestion] != 5e9 || ds.LostRate() != 5e9 {
		t.Fatalf("after facility loss: delivered %v, lost %v; want 20G and 5G congestion", ds.Delivered, ds.Lost)
	}
	// Repair: back to 25G.
	_, _ = f.FacilityDown("fac1", false)
	_ = e.Run(e.Now() + 5*sim.Minute)
	ds, _ = f.Demand("d")
	if ds.Delivered != 25e9 {
		t.Fatalf("after repair delivered %v, want 25G", ds.Delivered)
	}
}

func time(s int) sim.Time { return sim.Time(s) * sim.Second }

// RFC 5880 §6.8.4 through the whole stack: a silent mid-span failure of ch1
// with BFD 300ms × 3 takes the BGP session down between 600ms and 900ms
// (+1ms latency of the last packet) after the failure.
func TestSilentFailureBFDDetection(t *testing.T) {
	e, f, r, t0 := up(t, "testdata/quad.toml", 20e9)
	if _, err := f.LinkSilent("ch1", 1); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(t0 + time(10))
	down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "a1~g1" && x.get("from") == "established" })
	if !ok {
		t.Fatalf("session a1~g1 never left established; trace: %v", r.recs)
	}
	d := down.at - t0
	if d <= 600*sim.Millisecond || d > 901*sim.Millisecond {
		t.Fatalf("session down %v after the failure, want in (600ms, 901ms]", d)
	}
	if got := down.get("reason"); got != "bfd-down" && !strings.Contains(strings.ToLower(got.(string)), "bfd") {
		t.Fatalf("reason %v, want BFD", got)
	}
}

// Without BFD, only the hold timer notices: 90s hold ⇒ the session drops
// between 60s and 90s after the failure (the last keepalive got through up
// to one keepalive interval, 30s, before it).
func TestSilentFailureHoldTimer(t *testing.T) {
	e, f, r, t0 := up(t, "testdata/quad-nobfd.toml", 20e9)
	if _, err := f.LinkSilent("ch1", 1); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(t0 + time(200))
	down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "a1~g1" && x.get("from") == "established" })
	if !ok {
		t.Fatal("session a1~g1 never left established")
	}
	d := down.at - t0
	if d < 60*sim.Second || d > 90*sim.Second+sim.Millisecond {
		t.Fatalf("session down %v after the failure, want in [60s, 90s]", d)
	}
}

// Active/standby by local-pref and AS-path prepend (the explicit example):
// all 4G of on-prem → AWS traffic uses xc-1; when xc-1 loses carrier the
// sessions over it drop at once (fast external fallover) and the standby
// xc-2 carries everything; after repair the session re-establishes after
// the establish delay and the traffic returns to xc-1. The generic
// (customer) end connects first, 1s after carrier returns; the AWS end
// (2s) accepts that connection, so OPEN out at 1s, OPEN+KEEPALIVE back at
// 1s + 1ms, KEEPALIVE in at 1s + 2ms: Established 1.002s after repair.
func TestActiveStandbyFailoverAndReturn(t *testing.T) {
	e := sim.New(1)
	f, err := New(e, load(t, "../../examples/topologies/two-facility-active-standby.toml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	_ = e.Run(5 * sim.Minute)
	r := &recorder{}
	f.SetTracer(r)
	if err := f.AddDemand("backup", "onprem-dc", "aws-use1", 4e9); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(e.Now() + sim.Second)
	load := func(name string) float64 {
		id := f.linkByID[name]
		return f.net.Link(f.links[id].flow).Load
	}
	if load("xc-1") != 4e9 || load("xc-2") != 0 {
		t.Fatalf("steady state: xc-1 %v, xc-2 %v; want all 4G on xc-1", load("xc-1"), load("xc-2"))
	}
	t0 := e.Now()
	_, _ = f.LinkDown("xc-1", true)
	_ = e.Run(t0 + time(10))
	if load("xc-2") != 4e9 {
		t.Fatalf("after xc-1 failed: xc-2 carries %v, want 4G", load("xc-2"))
	}
	down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "aws-edge-1~cust-edge-1" && x.get("from") == "established" })
	if !ok || down.at != t0 || down.get("reason") != "carrier-lost" {
		t.Fatalf("session drop %+v, want at once with carrier-lost", down)
	}
	ds, _ := f.Demand("backup")
	if ds.Delivered != 4e9 {
		t.Fatalf("delivered %v after failover", ds.Delivered)
	}
	t1 := e.Now()
	_, _ = f.LinkDown("xc-1", false)
	_ = e.Run(t1 + time(60))
	up, ok := r.first("bgp.session", func(x rec) bool {
		return x.subject == "aws-edge-1~cust-edge-1" && x.get("state") == "established" && x.at > t1
	})
	if !ok || up.at-t1 < sim.Second+4*sim.Millisecond || up.at-t1 > sim.Second+5*sim.Millisecond {
		t.Fatalf("re-established at %v after repair, want 1.004s (connect delay + SYN, SYN-ACK, OPEN, KEEPALIVE at 1ms each)", up.at-t1)
	}
	if load("xc-1") != 4e9 || load("xc-2") != 0 {
		t.Fatalf("after repair: xc-1 %v, xc-2 %v; want traffic back on xc-1", load("xc-1"), load("xc-2"))
	}
}

// Carrier loss is seen after the link's carrier delay: with 50ms the
// sessions over it drop exactly 50ms after the cut.
func TestCarrierDelay(t *testing.T) {
	top := load(t, "testdata/quad.toml")
	for i := range top.Links {
		top.Links[i].CarrierDelay = 50 * 1e6
	}
	e := sim.New(1)
	f, err := New(e, top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	_ = e.Run(5 * sim.Minute)
	r := &recorder{}
	f.SetTracer(r)
	t0 := e.Now()
	_, _ = f.LinkDown("ch1", true)
	_ = e.Run(t0 + time(5))
	down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "a1~g1" && x.get("from") == "established" })
	if !ok || down.at-t0 != 50*sim.Millisecond || down.get("reason") != "carrier-lost" {
		t.Fatalf("session drop %+v at %v, want carrier-lost after 50ms", down, down.at-t0)
	}
}

// Every next hop the forwarder hands the data plane leaves over a link
// that joins the router and the hop (the data plane's contract), for the
// examples and for an iBGP session with no link of its own.
func TestForwarderHopsJoinTheirLinks(t *testing.T) {
	paths := []string{"testdata/quad.toml", "testdata/ibgp-no-link.toml",
		"../../examples/topologies/aws-gcp-quad.toml", "../../examples/topologies/dx-max-resiliency-vpn.toml",
		"../../examples/topologies/two-facility-active-standby.toml", "../../examples/topologies/quad-shared-conduit.toml",
		"../../examples/topologies/colo-core-routers.toml", "../../examples/topologies/oci-fastconnect.toml",
		"../../examples/topologies/aws-oci-multicloud.toml", "../../examples/topologies/expressroute-max.toml",
		"../../examples/topologies/gcp-dedicated-9999.toml"}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			e := sim.New(1)
			f, err := New(e, load(t, p), Options{})
			if err != nil {
				t.Fatal(err)
			}
			f.Start()
			_ = e.Run(5 * sim.Minute)
			checked := 0
			for _, n := range f.nodes {
				for _, pfx := range n.fib.Prefixes() {
					hops, _ := forwarder{f}.Lookup(n.flow, pfx.Addr())
					for _, h := range hops {
						var l *linkRT
						for _, x := range f.links {
							if x.flow == h.Link {
								l = x
							}
						}
						to := f.net.NodeName(h.To)
						if l == nil || !(l.l.A == n.name && l.l.B == to || l.l.B == n.name && l.l.A == to) {
							t.Errorf("%s: hop for %v to %s over a link that does not join them", n.name, pfx, to)
						}
						checked++
					}
				}
			}
			if checked == 0 {
				t.Fatal("no FIB entries checked")
			}
		})
	}
}
