package topology

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const intentSites = `[[site]]
name = "aws-use1"
provider = "aws"
prefixes = ["10.1.0.0/16"]
[[site]]
name = "gcp-us-east4"
provider = "gcp"
prefixes = ["10.2.0.0/16"]
[[site]]
name = "az-eastus"
provider = "azure"
[[site]]
name = "dc"
provider = "generic"
asn = 65001
`

func TestMulticloudIntent(t *testing.T) {
	topo := mustParse(t, intentSites+`[[interconnect]]
name = "q"
kind = "aws-gcp-multicloud"
between = ["gcp-us-east4", "aws-use1"]   # either order
bandwidth = "100Gbps"
channel_ports = 2
`)
	if len(topo.Facilities) != 2 || len(topo.Routers) != 8 || len(topo.LAGs) != 4 || len(topo.Links) != 8 || len(topo.Sessions) != 4 {
		t.Fatalf("counts: %d facilities, %d routers, %d LAGs, %d links, %d sessions",
			len(topo.Facilities), len(topo.Routers), len(topo.LAGs), len(topo.Links), len(topo.Sessions))
	}
	for i := 1; i <= 4; i++ {
		fac := fmt.Sprintf("q-fac%d", (i+1)/2)
		ar, ok1 := topo.Router(fmt.Sprintf("q-aws-r%d", i))
		gr, ok2 := topo.Router(fmt.Sprintf("q-gcp-r%d", i))
		if !ok1 || !ok2 || ar.Facility != fac || gr.Facility != fac || ar.Site != "aws-use1" || gr.ASN != 16550 || ar.Interconnect != "q" {
			t.Errorf("routers %d: %+v %+v", i, ar, gr)
		}
		g, ok := topo.LAG(fmt.Sprintf("q-ch%d", i))
		if !ok || len(g.Members) != 2 || topo.LAGCapacity(g.Name) != 100*Gbps {
			t.Errorf("channel %d: %+v", i, g)
		}
		if m, _ := topo.Link(g.Members[0]); !m.MACsec || m.Capacity != 50*Gbps {
			t.Errorf("member: %+v", m)
		}
		s, ok := topo.Session(fmt.Sprintf("q-bgp%d", i))
		if !ok || s.Over != g.Name || s.IBGP || s.BFD == nil {
			t.Fatalf("session %d: %+v", i, s)
		}
		// AWS timers on the AWS end, Google's on the Google end; BFD at the slower pace.
		if s.A.Router != ar.Name || s.A.Keepalive != 30*time.Second || s.B.Keepalive != 20*time.Second || s.B.Hold != 60*time.Second {
			t.Errorf("ends: %+v %+v", s.A, s.B)
		}
		if *s.BFD != (BFD{Interval: time.Second, Multiplier: 5}) || s.A.MaxPrefix != 1000 {
			t.Errorf("bfd/max-prefix: %+v %d", *s.BFD, s.A.MaxPrefix)
		}
	}
}

func TestDXClassicIntents(t *testing.T) {
	for _, c := range []struct {
		res               string
		facilities, links int
	}{{"maximum", 2, 4}, {"high", 2, 2}, {"dev-test", 1, 2}} {
		topo := mustParse(t, intentSites+`[[interconnect]]
name = "dx"
kind = "dx-classic"
between = ["aws-use1", "dc"]
bandwidth = "10Gbps"
resiliency = "`+c.res+`"
`)
		if len(topo.Facilities) != c.facilities || len(topo.Links) != c.links || len(topo.Sessions) != c.links {
			t.Errorf("%s: %d facilities, %d links", c.res, len(topo.Facilities), len(topo.Links))
		}
		r, _ := topo.Router("dx-cust-r1")
		if r.ASN != 65001 || r.Profile != "generic" {
			t.Errorf("%s: customer router %+v", c.res, r)
		}
		if s, _ := topo.Session("dx-bgp1"); s.BFD != nil || s.Over != "dx-dx1" {
			t.Errorf("%s: session %+v", c.res, s)
		}
	}
}

func TestGCPDedicatedIntent(t *testing.T) {
	topo := mustParse(t, intentSites+`[[interconnect]]
name = "gd"
kind = "gcp-dedicated-99.99"
between = ["gcp-us-east4", "dc"]
bandwidth = "10Gbps"
metros = ["iad", "ord"]
bfd = true
`)
	if len(topo.Facilities) != 4 || len(topo.Links) != 4 {
		t.Fatalf("%+v", topo.Facilities)
	}
	metros := []string{}
	for _, f := range topo.Facilities {
		metros = append(metros, f.Metro)
	}
	if fmt.Sprint(metros) != "[iad iad ord ord]" {
		t.Errorf("metros: %v", metros)
	}
	if s, _ := topo.Session("gd-bgp4"); s.BFD == nil || s.BFD.Multiplier != 5 {
		t.Errorf("bfd: %+v", s.BFD)
	}
}

func TestExpressRouteIntent(t *testing.T) {
	topo := mustParse(t, intentSites+`[[interconnect]]
name = "er"
kind = "expressroute"
between = ["az-eastus", "dc"]
bandwidth = "10Gbps"
`)
	if len(topo.Facilities) != 1 || len(topo.Links) != 2 {
		t.Fatalf("%d facilities %d links", len(topo.Facilities), len(topo.Links))
	}
	if r, _ := topo.Router("er-cust-r2"); r.MaxPaths != 2 {
		t.Errorf("customer router: %+v", r)
	}
	// Azure enables BFD, generic does not: off unless asked.
	if s, _ := topo.Session("er-bgp1"); s.BFD != nil || s.A.Hold != 180*time.Second {
		t.Errorf("session: %+v", s)
	}
}

func TestVPNIntent(t *testing.T) {
	topo := mustParse(t, intentSites+`[defaults.bfd]
enabled = true
[[interconnect]]
name = "vpn"
kind = "vpn-backup"
between = ["aws-use1", "dc"]
`)
	if len(topo.Facilities) != 0 || len(topo.Routers) != 3 || len(topo.Links) != 2 {
		t.Fatalf("%d facilities, %d routers, %d links", len(topo.Facilities), len(topo.Routers), len(topo.Links))
	}
	l, _ := topo.Link("vpn-tun1")
	if l.Capacity != 1.25*Gbps || l.Latency != 20*time.Millisecond || l.Jitter != 5*time.Millisecond {
		t.Errorf("tunnel: %+v", l)
	}
	s, _ := topo.Session("vpn-bgp2")
	if s.BFD != nil || len(s.A.Export) != 1 || s.A.Export[0].Prepend != 3 || s.B.Export[0].Prepend != 3 {
		t.Errorf("session: %+v", s)
	}
}

func TestIntentPool(t *testing.T) {
	topo := mustParse(t, intentSites+`[[interconnect]]
name = "q"
kind = "aws-gcp-multicloud"
between = ["aws-use1", "gcp-us-east4"]
bandwidth = "10Gbps"
pool_capacity = "40Gbps"
background = "16Gbps"
`)
	p, ok := topo.Pool("q-pool")
	if !ok || p.Capacity != 40*Gbps || fmt.Sprint(p.Links) != "[q-ch1 q-ch2 q-ch3 q-ch4]" {
		t.Errorf("pool: %+v", p)
	}
	if x, ok := topo.Tenant("q-background"); !ok || x.Rate != 16*Gbps || x.Pools[0] != "q-pool" {
		t.Errorf("tenant: %+v", x)
	}
}

func TestOCIIntents(t *testing.T) {
	src := `
[[site]]
name = "oci-iad"
provider = "oci"
prefixes = ["10.5.0.0/16"]

[[site]]
name = "aws-use1"
provider = "aws"
prefixes = ["10.1.0.0/16"]

[[site]]
name = "dc"
provider = "generic"
asn = 65001
prefixes = ["192.168.0.0/16"]

[[interconnect]]
name = "fc"
kind = "oci-fastconnect"
between = ["oci-iad", "dc"]
bandwidth = "10Gbps"
locations = 2

[[interconnect]]
name = "mc"
kind = "aws-oci-multicloud"
between = ["oci-iad", "aws-use1"]
bandwidth = "10Gbps"
`
	top := mustParse(t, src)
	var fcR, mcR, fcS, mcS int
	for _, r := range top.Routers {
		switch r.Interconnect {
		case "fc":
			fcR++
		case "mc":
			mcR++
		}
	}
	for _, s := range top.Sessions {
		switch s.Interconnect {
		case "fc":
			fcS++
			if s.BFD == nil || s.A.Hold != 180*time.Second {
				t.Errorf("fastconnect session %s: BFD %v hold %v, want BFD on and hold 180s", s.Name, s.BFD, s.A.Hold)
			}
		case "mc":
			mcS++
			l, ok := top.Link(s.Over)
			if !ok || !l.MACsec {
				t.Errorf("multicloud session %s over %q: want a MACsec channel", s.Name, s.Over)
			}
		}
	}
	// FastConnect: 2 locations × (2 OCI + 2 customer routers), a virtual
	// circuit and session each; multicloud: 4 + 4 routers, 4 channels.
	if fcR != 8 || fcS != 4 || mcR != 8 || mcS != 4 {
		t.Fatalf("fastconnect %d routers %d sessions, multicloud %d routers %d sessions", fcR, fcS, mcR, mcS)
	}
	if _, ok := top.Router("mc-oci-r4"); !ok {
		t.Error("no mc-oci-r4")
	}
	if _, err := Parse("t.toml", []byte(strings.Replace(src, `between = ["oci-iad", "dc"]`, `between = ["aws-use1", "dc"]`, 1))); err == nil {
		t.Error("fastconnect from an aws site accepted")
	}
}
