package topology

import (
	"bytes"
	"net/netip"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func examples(t testing.TB) []string {
	files, err := filepath.Glob("../examples/topologies/*.toml")
	if err != nil || len(files) < 4 {
		t.Fatalf("examples: %v %v", files, err)
	}
	return files
}

func mustLoad(t testing.TB, path string) *Topology {
	t.Helper()
	topo, err := Load(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return topo
}

func mustParse(t testing.TB, src string) *Topology {
	t.Helper()
	topo, err := Parse("t.toml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return topo
}

// Every example loads, and expand → load gives an equal model; expanding
// the result again gives the same bytes.
func TestExamplesRoundTrip(t *testing.T) {
	for _, f := range examples(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t1 := mustLoad(t, f)
			var out1 bytes.Buffer
			if err := WriteTOML(&out1, t1); err != nil {
				t.Fatal(err)
			}
			t2, err := Parse("expanded.toml", out1.Bytes())
			if err != nil {
				t.Fatalf("expanded form does not load: %v\n%s", err, out1.String())
			}
			t2.SHA256 = t1.SHA256 // the digest is of the bytes, which differ
			if !reflect.DeepEqual(t1, t2) {
				t.Fatalf("round trip differs:\n%#v\n%#v", t1, t2)
			}
			var out2 bytes.Buffer
			if err := WriteTOML(&out2, t2); err != nil {
				t.Fatal(err)
			}
			if out1.String() != out2.String() {
				t.Errorf("expand is not idempotent")
			}
		})
	}
}

func TestLookups(t *testing.T) {
	topo := mustLoad(t, "../examples/topologies/two-facility-active-standby.toml")
	if s, ok := topo.Site("aws-use1"); !ok || s.ASN != 64512 || s.Prefixes[0] != netip.MustParsePrefix("10.1.0.0/16") {
		t.Errorf("site: %+v %v", s, ok)
	}
	if _, ok := topo.Router("nope"); ok {
		t.Error("found a router that does not exist")
	}
	r, ok := topo.Router("cust-edge-2")
	if !ok || r.ASN != 65001 || r.Profile != "generic" || r.BFDOffloaded {
		t.Errorf("router: %+v", r)
	}
	s, ok := topo.Session("aws-edge-2~cust-edge-2")
	if !ok || s.Over != "xc-2" || s.IBGP || s.BFD == nil || s.BFD.Interval != 300*time.Millisecond {
		t.Fatalf("session: %+v", s)
	}
	if len(s.B.Export) != 1 || s.B.Export[0].Prepend != 2 || s.A.Export != nil {
		t.Errorf("export: %+v / %+v", s.A.Export, s.B.Export)
	}
	if lp := s.B.Import[0].LocalPref; lp == nil || *lp != 50 {
		t.Errorf("import: %+v", s.B.Import)
	}
	// [defaults.bgp] beats both profiles; GR is off on the AWS end because BFD runs.
	if s.A.Keepalive != 30*time.Second || s.B.Hold != 90*time.Second || s.A.GracefulRestart != 0 {
		t.Errorf("ends: %+v / %+v", s.A, s.B)
	}
	if l, _ := topo.Link("xc-1"); l.SRLGs[0] != "conduit-east" || !l.MACsec {
		t.Errorf("link: %+v", l)
	}
	// Hand-built topologies (no index) work too.
	hand := &Topology{Routers: []Router{{Name: "x"}}}
	if _, ok := hand.Router("x"); !ok {
		t.Error("lookup without index")
	}
}

// Precedence: item > [defaults] > the router's profile.
func TestPrecedence(t *testing.T) {
	src := base + `[defaults.bgp]
hold = "120s"
keepalive = "40s"
[defaults.router]
max_paths = 8
[[router]]
name = "rc"
site = "a"
max_paths = 2
boot_time = "1s"
[[link]]
name = "l2"
a = "rc"
b = "rb"
capacity = "1Gbps"
[[session]]
a = "ra"
b = "rb"
keepalive_b = "10s"
hold_b = "30s"
[[session]]
a = "rc"
b = "rb"
bfd = { multiplier = 7 }
`
	topo := mustParse(t, src)
	ra, _ := topo.Router("ra")
	rc, _ := topo.Router("rc")
	if ra.MaxPaths != 8 || rc.MaxPaths != 2 || rc.BootTime != time.Second || ra.BootTime != 300*time.Second {
		t.Errorf("routers: %+v %+v", ra, rc)
	}
	if l, _ := topo.Link("l1"); l.Latency != time.Millisecond || l.MACsec {
		t.Errorf("link defaults: %+v", l)
	}
	s, _ := topo.Session("ra~rb")
	if s.A.Keepalive != 40*time.Second || s.A.Hold != 120*time.Second || s.B.Keepalive != 10*time.Second || s.B.Hold != 30*time.Second {
		t.Errorf("timers: %+v %+v", s.A, s.B)
	}
	// aws + generic: BFD is off by default (generic does not enable it).
	if s.BFD != nil {
		t.Errorf("BFD should be off: %+v", s.BFD)
	}
	if s.A.MRAI != 30*time.Second || s.B.MRAI != 0 || s.A.MaxPrefix != 100 || s.B.MaxPrefix != 0 {
		t.Errorf("profile values: %+v %+v", s.A, s.B)
	}
	s2, _ := topo.Session("rc~rb")
	if s2.BFD == nil || s2.BFD.Multiplier != 7 || s2.BFD.Interval != 300*time.Millisecond {
		t.Errorf("bfd: %+v", s2.BFD)
	}
}

func TestIBGPAndHoldZero(t *testing.T) {
	src := base + `[[router]]
name = "ra2"
site = "a"
[[session]]
a = "ra"
b = "ra2"
rr_client_a = true
next_hop_self = true
hold = "0s"
`
	topo := mustParse(t, src)
	s, ok := topo.Session("ra~ra2")
	if !ok || !s.IBGP || s.Over != "" || !s.A.RRClient || s.B.RRClient || !s.B.NextHopSelf {
		t.Fatalf("session: %+v", s)
	}
	if s.A.Hold != 0 || s.A.Keepalive != 0 || s.A.MRAI != 5*time.Second {
		t.Errorf("end: %+v", s.A)
	}
}

func TestSessionNamesForParallelLinks(t *testing.T) {
	src := base + `[[link]]
name = "l2"
a = "ra"
b = "rb"
capacity = "1Gbps"
[[session]]
a = "ra"
b = "rb"
over = "l1"
[[session]]
a = "ra"
b = "rb"
over = "l2"
`
	topo := mustParse(t, src)
	if _, ok := topo.Session("ra~rb@l1"); !ok {
		t.Errorf("sessions: %+v", topo.Sessions)
	}
	if _, ok := topo.Session("ra~rb@l2"); !ok {
		t.Errorf("sessions: %+v", topo.Sessions)
	}
}

func TestLAG(t *testing.T) {
	src := base + `[[link]]
name = "m1"
a = "ra"
b = "rb"
capacity = "100Gbps"
[[link]]
name = "m2"
a = "rb"
b = "ra"
capacity = "100Gbps"
[[lag]]
name = "g1"
members = ["m1", "m2"]
min_links = 2
[[session]]
a = "ra"
b = "rb"
over = "g1"
[[pool]]
name = "p"
capacity = "100Gbps"
links = ["g1", "l1"]
`
	topo := mustParse(t, src)
	g, _ := topo.LAG("g1")
	if g.A != "ra" || g.B != "rb" || g.MinLinks != 2 || topo.LAGCapacity("g1") != 200*Gbps {
		t.Errorf("lag: %+v", g)
	}
	if m, _ := topo.Link("m2"); m.LAG != "g1" {
		t.Errorf("member: %+v", m)
	}
	if p, _ := topo.Pool("p"); !reflect.DeepEqual(p.Links, []string{"m1", "m2", "l1"}) {
		t.Errorf("pool: %+v", p)
	}
}

func TestRouterIDsDeterministic(t *testing.T) {
	a := mustParse(t, base)
	b := mustParse(t, base)
	ra1, _ := a.Router("ra")
	ra2, _ := b.Router("ra")
	rb1, _ := a.Router("rb")
	if ra1.RouterID != ra2.RouterID || !ra1.RouterID.Is4() || ra1.RouterID == rb1.RouterID {
		t.Errorf("router IDs: %v %v %v", ra1.RouterID, ra2.RouterID, rb1.RouterID)
	}
	// Stable when another router is added before it.
	c := mustParse(t, base+"[[router]]\nname = \"rz\"\nsite = \"a\"\n")
	if rc, _ := c.Router("ra"); rc.RouterID != ra1.RouterID {
		t.Errorf("router ID moved: %v → %v", ra1.RouterID, rc.RouterID)
	}
}

func TestProfilesComplete(t *testing.T) {
	names := []string{}
	for _, p := range Profiles() {
		names = append(names, p.Name)
		if p.Hold != 0 && p.Hold < 3*p.Keepalive || p.BFDMultiplier < 1 || p.BFDInterval <= 0 || p.MaxPaths < 1 || p.ConnectRetry <= 0 {
			t.Errorf("profile %s is inconsistent: %+v", p.Name, p)
		}
	}
	if !reflect.DeepEqual(names, []string{"aws", "azure", "bird2", "eos", "frr", "gcp", "generic", "iosxr", "junos", "oci"}) {
		t.Errorf("profiles: %v", names)
	}
}

func TestExpand(t *testing.T) {
	var buf bytes.Buffer
	if err := Expand(&buf, "t.toml", []byte(base)); err != nil || !bytes.Contains(buf.Bytes(), []byte(`[[router]]`)) {
		t.Errorf("%v\n%s", err, buf.String())
	}
	if err := Expand(&buf, "t.toml", []byte("x = 1")); err == nil {
		t.Error("no error")
	}
}

func TestBackboneAndCoreKeys(t *testing.T) {
	src := `
[[site]]
name = "a"
provider = "aws"
prefixes = ["10.1.0.0/16"]
[site.backbone]
carrier = false
bfd = { interval = "100ms", multiplier = 4 }
keepalive = "5s"
hold = "15s"
latency = "2ms"

[[site]]
name = "c"
provider = "generic"
asn = 65001

[[router]]
name = "ra"
site = "a"

[[router]]
name = "core"
site = "c"
role = "core"
profile = "bird2"
prefixes = ["192.0.2.0/24"]

[[router]]
name = "rc"
site = "c"
profile = "junos"

[[session]]
a = "core"
b = "rc"
`
	_, err := Parse("t.toml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `site "c" has core routers`) {
		t.Fatalf("want the no-link error, got %v", err)
	}
	top := mustParse(t, strings.Replace(src, "[[session]]", "[[link]]\nname = \"l\"\na = \"core\"\nb = \"rc\"\ncapacity = \"10Gbps\"\n\n[[session]]", 1))
	s, _ := top.Site("a")
	bb := s.Backbone
	if bb.Carrier || bb.BFD == nil || bb.BFD.Interval != 100*time.Millisecond || bb.BFD.Multiplier != 4 || bb.Keepalive != 5*time.Second || bb.Hold != 15*time.Second || bb.Latency != 2*time.Millisecond {
		t.Errorf("backbone %+v", bb)
	}
	c, _ := top.Site("c")
	if c.Backbone.Carrier || c.Backbone.BFD == nil {
		t.Errorf("generic default backbone %+v", c.Backbone)
	}
	core, _ := top.Router("core")
	if core.Role != RoleCore || len(core.Prefixes) != 1 || core.BFDSlack != 5*time.Millisecond {
		t.Errorf("core %+v", core)
	}
	se, _ := top.Session("core~rc")
	if se.A.SendBack || se.B.SendBack || se.A.ConnectOnBFDUp || se.A.Hold != 240*time.Second || se.B.Hold != 90*time.Second {
		t.Errorf("session ends %+v", se)
	}
	_, err = Parse("t.toml", []byte(strings.Replace(src, `role = "core"`, `role = "spine"`, 1)))
	if err == nil || !strings.Contains(err.Error(), `unknown role "spine"`) {
		t.Fatalf("role: %v", err)
	}
}

func TestBehaviourKeysPrecedence(t *testing.T) {
	src := `
[defaults.bgp]
send_back = true
syn_retries = 2

[[site]]
name = "a"
provider = "aws"
[[site]]
name = "c"
provider = "generic"
asn = 65001
[[router]]
name = "ra"
site = "a"
[[router]]
name = "rc"
site = "c"
[[link]]
name = "l"
a = "ra"
b = "rc"
capacity = "1Gbps"
[[session]]
a = "ra"
b = "rc"
send_back_b = false
mrai_jitter = false
hold_expiry_delay = "200ms"
`
	top := mustParse(t, src)
	s, _ := top.Session("ra~rc")
	// session end key > session key > [defaults.bgp] > profile
	if !s.A.SendBack || s.B.SendBack || s.A.SynRetries != 2 || s.A.MRAIJitter || s.B.HoldExpiryDelay != 200*time.Millisecond ||
		!s.A.SeparateEoR || !s.A.ConnectOnBFDUp {
		t.Errorf("ends %+v / %+v", s.A, s.B)
	}
}
