package topology

import (
	"slices"
	"strings"
	"testing"
)

func rules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Severity.String()+" "+f.Rule+" "+f.Subject)
	}
	return out
}

func TestLintExamples(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // exactly these findings, worst first
	}{
		// The pool (40G, 16G of tenants) keeps 20G after a facility: 28G lands.
		{"aws-gcp-quad.toml", []string{"high pool-facility pool aws-gcp-pool"}},
		// Both facilities' backhaul runs through one conduit.
		{"quad-shared-conduit.toml", []string{"high shared-srlg interconnect aws-gcp"}},
		// The VPN backup: no BFD, default timers (AWS 30/90, customer 60/180:
		// 90s negotiated), GR on the AWS end, prepend 3 with MRAI 30s; the DX
		// sessions run BFD but keep the default 90s hold.
		{"dx-max-resiliency-vpn.toml", []string{
			"high no-bfd session vpn-bgp1", "high no-bfd session vpn-bgp2",
			"medium default-hold session vpn-bgp1", "medium default-hold session vpn-bgp2",
			"medium gr-without-bfd session vpn-bgp1 (vpn-aws-r1)", "medium gr-without-bfd session vpn-bgp2 (vpn-aws-r2)",
			"medium mrai-failover session vpn-bgp1", "medium mrai-failover session vpn-bgp2",
			"low default-hold session dx-bgp1", "low default-hold session dx-bgp2", "low default-hold session dx-bgp3", "low default-hold session dx-bgp4"}},
	} {
		fs := Lint(mustLoad(t, "../examples/topologies/"+tc.file), AnalyzeOptions{})
		if got := rules(fs); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.file, got, tc.want)
		}
		for _, f := range fs {
			if f.Reason == "" || f.Fix == "" {
				t.Errorf("%s: %+v without reason or fix", tc.file, f)
			}
		}
	}
}

// Two links between the sites, all four routers in one building: "maximum
// resiliency" in name only. No BFD on sessions that carry the demand.
func TestLintSharedFacility(t *testing.T) {
	src := `[[site]]
name = "a"
provider = "aws"
[[site]]
name = "b"
provider = "generic"
asn = 65001
[[facility]]
name = "f1"
[[router]]
name = "ra1"
site = "a"
facility = "f1"
[[router]]
name = "ra2"
site = "a"
facility = "f1"
[[router]]
name = "rb1"
site = "b"
facility = "f1"
[[router]]
name = "rb2"
site = "b"
facility = "f1"
[[link]]
name = "l1"
a = "ra1"
b = "rb1"
capacity = "10Gbps"
[[link]]
name = "l2"
a = "ra2"
b = "rb2"
capacity = "10Gbps"
[[session]]
a = "ra1"
b = "rb1"
[[session]]
a = "ra2"
b = "rb2"
[[demand]]
name = "d"
from = "b"
to = "a"
rate = "5Gbps"
`
	fs := Lint(mustParse(t, src), AnalyzeOptions{})
	got := strings.Join(rules(fs), "\n")
	for _, want := range []string{"high shared-facility links a ↔ b", "high no-bfd session ra1~rb1", "high no-bfd session ra2~rb2"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	// A demand between other sites: the sessions carry nothing.
	fs = Lint(mustParse(t, src), AnalyzeOptions{Demands: []Demand{}})
	for _, f := range fs {
		if f.Rule == "no-bfd" && !strings.Contains(f.Reason, "assumed") {
			t.Errorf("without demands: %+v", f)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for i, n := range []string{"info", "low", "medium", "HIGH"} {
		if s, err := ParseSeverity(n); err != nil || s != Severity(i) {
			t.Errorf("%s: %v %v", n, s, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("fatal parsed")
	}
}
