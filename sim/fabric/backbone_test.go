package fabric

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/flow"
	"github.com/netdrill/netdrill/topology"
)

// quadWith is testdata/quad.toml with a [site.backbone] table for both sites.
func quadWith(t *testing.T, backbone string) *topology.Topology {
	t.Helper()
	data, err := os.ReadFile("testdata/quad.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), "prefixes = [\"10.1.0.0/16\"]\n", "prefixes = [\"10.1.0.0/16\"]\n[site.backbone]\n"+backbone+"\n")
	s = strings.ReplaceAll(s, "prefixes = [\"10.2.0.0/16\"]\n", "prefixes = [\"10.2.0.0/16\"]\n[site.backbone]\n"+backbone+"\n")
	top, err := topology.Parse("quad-backbone.toml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

func upTop(t *testing.T, top *topology.Topology, seed uint64, rate float64) (*sim.Engine, *Fabric, *recorder, sim.Time) {
	t.Helper()
	e := sim.New(seed)
	f, err := New(e, top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	_ = e.Run(5 * sim.Minute)
	r := &recorder{}
	f.SetTracer(r)
	if err := f.AddDemand("d", "aws", "gcp", rate); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(e.Now() + sim.Second)
	return e, f, r, e.Now()
}

// Facility loss with a carrier-visible backbone (the aws and gcp profile
// default: provider backbones attach edge routers on direct fibre): the
// hubs see their attachments to a1, a2, g1, g2 lose carrier after the
// 10ms carrier delay and drop those iBGP sessions then, at once; the
// hub's FIB moves to the surviving edges at T + 10ms + one FIB install
// (100µs), and from then on nothing is lost but the 5G that two channels
// cannot carry. Over a backbone without carrier (a layer-2 service), the
// same loss is found by the hub sessions' BFD (300ms × 3, offloaded on
// both ends: exact), between 600ms and 900ms + 100µs after the loss
// depending on phase — shown over 20 fault times.
func TestFacilityLossBackboneCarrier(t *testing.T) {
	e, f, r, t0 := upTop(t, quadWith(t, `carrier = true`), 1, 25e9)
	if _, err := f.FacilityDown("fac1", true); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(t0 + 10*sim.Second)
	for _, s := range []string{"aws~a1", "aws~a2", "gcp~g1", "gcp~g2"} {
		down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == s && x.get("router") == strings.Split(s, "~")[0] })
		if !ok || down.at != t0+10*sim.Millisecond || down.get("reason") != "carrier-lost" {
			t.Fatalf("%s: %+v, want dropped at +10ms, carrier-lost", s, down)
		}
	}
	ds, _ := f.Demand("d")
	if ds.Delivered != 20e9 || ds.Lost[flow.Congestion] != 5e9 {
		t.Fatalf("delivered %v lost %v", ds.Delivered, ds.Lost)
	}

	lo, hi := sim.Never, sim.Time(0)
	for k := range 20 {
		e, f, r, t0 := upTop(t, quadWith(t, `carrier = false`), 1, 25e9)
		off := sim.Time(k) * 15 * sim.Millisecond // 20 phases over one BFD interval
		_ = e.Run(t0 + off)
		if _, err := f.FacilityDown("fac1", true); err != nil {
			t.Fatal(err)
		}
		_ = e.Run(t0 + off + 10*sim.Second)
		down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "aws~a1" && x.get("router") == "aws" })
		if !ok || down.get("reason") != "bfd-down" {
			t.Fatalf("offset %v: %+v", off, down)
		}
		d := down.at - (t0 + off)
		if d <= 600*sim.Millisecond || d > 900*sim.Millisecond+100*sim.Microsecond {
			t.Fatalf("offset %v: detected after %v, want in (600ms, 900.1ms]", off, d)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if hi-lo < 200*sim.Millisecond {
		t.Errorf("BFD detection over 20 fault times spans only [%v, %v]", lo, hi)
	}
}

// A site with declared core routers has no hub: the cores originate its
// prefixes and reach the edges over declared links and iBGP sessions. Here
// aws's core ac1 is cabled to a1..a4 (1ms, carrier delay 0); a facility
// loss is carrier loss at ac1 at once, and traffic moves to fac2's
// channels with no BFD or hold timer involved.
func TestCoreRouters(t *testing.T) {
	data, err := os.ReadFile("testdata/quad.toml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(strings.Replace(string(data), "[[router]]\nname = \"a1\"", "[[router]]\nname = \"ac1\"\nsite = \"aws\"\nrole = \"core\"\n\n[[router]]\nname = \"a1\"", 1))
	for _, a := range []string{"a1", "a2", "a3", "a4"} {
		b.WriteString("\n[[link]]\nname = \"bb-" + a + "\"\na = \"ac1\"\nb = \"" + a + "\"\ncapacity = \"100Gbps\"\nlatency = \"1ms\"\n")
		b.WriteString("\n[[session]]\na = \"ac1\"\nb = \"" + a + "\"\nrr_client_a = true\nnext_hop_self_b = true\n")
	}
	top, err := topology.Parse("quad-core.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if c := top.Cores("aws"); len(c) != 1 || c[0] != "ac1" {
		t.Fatalf("cores %v", c)
	}
	e, f, r, t0 := upTop(t, top, 1, 25e9)
	ds, _ := f.Demand("d")
	if ds.Delivered != 25e9 {
		t.Fatalf("before: delivered %v", ds.Delivered)
	}
	desc := f.Describe()
	if desc.Sites[0].Name != "aws" || desc.Sites[0].Hub != "" || len(desc.Sites[0].Cores) != 1 {
		t.Fatalf("described %+v", desc.Sites[0])
	}
	if _, err := f.FacilityDown("fac1", true); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(t0 + 10*sim.Second)
	down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "ac1~a1" && x.get("router") == "ac1" })
	if !ok || down.at != t0 || down.get("reason") != "carrier-lost" {
		t.Fatalf("ac1~a1: %+v", down)
	}
	ds, _ = f.Demand("d")
	if ds.Delivered != 20e9 {
		t.Fatalf("after: delivered %v lost %v", ds.Delivered, ds.Lost)
	}
}

// link-down at one end: ch1 (carrier delay 50ms) shut at a1's end at T.
// a1 drops a1~g1 at once, g1 only when it sees carrier loss at T + 50ms;
// end "b" is the mirror image.
func TestLinkAdminDownOneEnd(t *testing.T) {
	data, err := os.ReadFile("testdata/quad.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "name = \"ch1\"\n", "name = \"ch1\"\ncarrier_delay = \"50ms\"\n", 1)
	top, err := topology.Parse("quad-cd.toml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ end, first, second string }{{"a", "a1", "g1"}, {"b", "g1", "a1"}} {
		e, f, r, t0 := upTop(t, top, 1, 20e9)
		if _, err := f.LinkAdminDown("ch1", c.end, true); err != nil {
			t.Fatal(err)
		}
		_ = e.Run(t0 + sim.Second)
		for _, w := range []struct {
			router string
			at     sim.Time
		}{{c.first, t0}, {c.second, t0 + 50*sim.Millisecond}} {
			x, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "a1~g1" && x.get("router") == w.router })
			if !ok || x.at != w.at || x.get("reason") != "carrier-lost" {
				t.Errorf("end %s: %s %+v, want carrier-lost at +%v", c.end, w.router, x, w.at-t0)
			}
		}
		if _, err := f.LinkAdminDown("ch1", "c", true); err == nil {
			t.Error("end c accepted")
		}
	}
}

// connect_on_bfd_up: a silent failure of xc at T drops the session by BFD
// (300ms × 3); the path is repaired at T + 5s and BFD is up again at
// T + 5s + 1s (the slow rate while not Up) + 1ms. Connecting on BFD up,
// the customer router (connect delay 1s) sends its SYN at T + 7.001s and is
// Established at T + 7.005s (SYN, SYN-ACK, OPEN, KEEPALIVE at 1ms each).
// Without it both ends wait out connect-retry (120s) after the drop.
func TestConnectOnBFDUp(t *testing.T) {
	const src = `
[[site]]
name = "aws"
provider = "aws"
prefixes = ["10.1.0.0/16"]
[[site]]
name = "cust"
provider = "generic"
asn = 65001
prefixes = ["192.168.0.0/16"]
[[router]]
name = "ra"
site = "aws"
[[router]]
name = "rc"
site = "cust"
[[link]]
name = "xc"
a = "ra"
b = "rc"
capacity = "10Gbps"
latency = "1ms"
[[session]]
a = "ra"
b = "rc"
bfd = { interval = "300ms", multiplier = 3 }
connect_on_bfd_up = %v
`
	for _, on := range []bool{true, false} {
		top, err := topology.Parse("t.toml", []byte(fmt.Sprintf(src, on)))
		if err != nil {
			t.Fatal(err)
		}
		e := sim.New(3)
		f, err := New(e, top, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f.Start()
		_ = e.Run(5 * sim.Minute)
		r := &recorder{}
		f.SetTracer(r)
		t0 := e.Now()
		_, _ = f.LinkSilent("xc", 1)
		_ = e.Run(t0 + 5*sim.Second)
		_, _ = f.LinkSilent("xc", 0)
		_ = e.Run(t0 + 5*sim.Minute)
		down, _ := r.first("bgp.session", func(x rec) bool { return x.get("router") == "rc" && x.get("from") == "established" })
		up, ok := r.first("bgp.session", func(x rec) bool { return x.get("router") == "rc" && x.get("state") == "established" })
		switch {
		case !ok:
			t.Fatalf("on=%v: never re-established", on)
		case on && up.at != t0+7005*sim.Millisecond:
			t.Errorf("connect on BFD up: established at +%v, want +7.005s", up.at-t0)
		case !on && up.at < down.at+120*sim.Second:
			t.Errorf("no connect on BFD up: established at +%v, before connect-retry after the drop at +%v", up.at-t0, down.at-t0)
		}
	}
}

// OCI's planned maintenance (provider-facts §2.5): draining an OCI router
// prepends and adds GRACEFUL_SHUTDOWN (65535:0). The customer router on
// that virtual circuit imports the route at LOCAL_PREF 0 (RFC 8326) and
// the data centre's hub stops using that edge: of the four FastConnect
// paths to 10.5/16 three remain, fc-cust-r1's is gone. The drain is made
// with no prepends, so the community alone does it: without it fc-cust-r1
// would keep its own eBGP path (eBGP over iBGP at equal AS-path length).
func TestOCIDrainGracefulShutdown(t *testing.T) {
	top := load(t, "../../examples/topologies/oci-fastconnect.toml")
	e := sim.New(1)
	f, err := New(e, top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	_ = e.Run(5 * sim.Minute)
	hub := f.nodes[f.nodeByID["onprem-dc"]]
	nh := func() []string {
		_, hops, _ := hub.spk.Best(netip.MustParsePrefix("10.5.0.0/16"))
		var out []string
		for _, h := range hops {
			out = append(out, f.hopName(hub, h))
		}
		return out
	}
	if got := nh(); len(got) != 4 {
		t.Fatalf("before: %v", got)
	}
	if _, err := f.Drain("fc-oci-r1", true, 0); err != nil {
		t.Fatal(err)
	}
	_ = e.Run(e.Now() + sim.Minute)
	if got := nh(); len(got) != 3 || slices.Contains(got, "fc-cust-r1") {
		t.Fatalf("after drain: %v", got)
	}
	// fc-cust-r1 itself now leaves by another virtual circuit (over the
	// hub): its own path from fc-oci-r1 has LOCAL_PREF 0.
	r, _, _ := f.nodes[f.nodeByID["fc-cust-r1"]].spk.Best(netip.MustParsePrefix("10.5.0.0/16"))
	if r.NextHop == "fc-cust-r1" || r.LocalPref != 100 || slices.Contains(r.Communities, bgp.GracefulShutdown) {
		t.Fatalf("fc-cust-r1 best %+v", r)
	}
	for _, p := range f.nodes[f.nodeByID["fc-cust-r1"]].spk.Paths(netip.MustParsePrefix("10.5.0.0/16")) {
		if p.NextHop == "fc-oci-r1" {
			t.Fatalf("fc-cust-r1 still uses the drained router: %+v", p)
		}
	}
}
