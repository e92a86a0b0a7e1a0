package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// execute runs the netdrill command line in-process and returns stdout,
// stderr and the exit code main would return.
func execute(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	code := exitOK
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
	default:
		code = exitInvalid
	}
	return out.String(), errOut.String(), code
}

const examplesDir = "../../examples/topologies/"

func TestTopologyValidateExamples(t *testing.T) {
	files, _ := filepath.Glob(examplesDir + "*.toml")
	out, errOut, code := execute(t, append([]string{"topology", "validate"}, files...)...)
	if code != exitOK || strings.Count(out, ": ok (") != len(files) {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
}

func TestTopologyValidateInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.toml")
	src := `colour = "red"
[[site]]
name = "a"
provider = "aws"
[[router]]
name = "r1"
site = "a"
[[link]]
name = "l1"
a = "r1"
b = "pop-x"
capacity = "10Gbs"
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := execute(t, "topology", "validate", path)
	if code != exitInvalid {
		t.Fatalf("code %d, want %d", code, exitInvalid)
	}
	want := []string{
		path + `:1:1: colour: unknown key "colour"`,
		path + `:11:5: link[0].b: unknown router "pop-x"`,
		path + `:12:12: link[0].capacity: unknown bandwidth unit "Gbs"`,
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s", errOut)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: %q, want prefix %q", i, lines[i], w)
		}
	}
}

func TestTopologyExpand(t *testing.T) {
	out, errOut, code := execute(t, "topology", "expand", examplesDir+"aws-gcp-quad.toml")
	if code != exitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, s := range []string{`name = "aws-gcp-fac1"`, `name = "aws-gcp-aws-r4"`, `name = "aws-gcp-ch3"`, `name = "aws-gcp-bgp1"`, `bfd = { interval = "1s", multiplier = 5 }`} {
		if !strings.Contains(out, s) {
			t.Errorf("expand output lacks %s", s)
		}
	}
	// The expanded form validates.
	path := filepath.Join(t.TempDir(), "expanded.toml")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := execute(t, "topology", "validate", path); code != exitOK {
		t.Errorf("expanded form: %s", errOut)
	}
}

func TestTopologyAnalyzeQuad(t *testing.T) {
	// A facility loss leaves the shared pool 20G for 16G of tenants + 12G:
	// replication keeps 12G × 20/28 — short, exit 1.
	out, errOut, code := execute(t, "topology", "analyze", examplesDir+"aws-gcp-quad.toml")
	if code != exitFailed {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"1 pool (40Gbps), 1 tenant (16Gbps of background), 1 demand (12Gbps, from the topology)",
		"facility aws-gcp-fac1", "aws-gcp-pool (20Gbps, 28Gbps)", "8.571 Gbps", "12 router and link losses", "verdict: SHORT"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if _, _, code := execute(t, "topology", "analyze", "--report-only", examplesDir+"aws-gcp-quad.toml"); code != exitOK {
		t.Errorf("--report-only: code %d", code)
	}
	// A scenario's traffic as the demands: 4G of replication fits the pool.
	sc := filepath.Join(t.TempDir(), "small.toml")
	src := "name = \"small\"\ntopology = \"" + mustAbs(t, examplesDir+"aws-gcp-quad.toml") + "\"\nseed = 1\nduration = \"1m\"\n" +
		"[[traffic]]\nname = \"small\"\nfrom = \"aws-use1\"\nto = \"gcp-us-east4\"\nrate = \"4Gbps\"\n"
	if err := os.WriteFile(sc, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := execute(t, "topology", "analyze", sc); code != exitOK || !strings.Contains(out, "from the scenario") {
		t.Errorf("scenario: code %d\n%s\n%s", code, out, errOut)
	}
	// aws-use1 ↔ gcp-us-east4: 4 link-disjoint, 4 node-disjoint paths over 2 facilities, no SPOF.
	if !strings.Contains(out, "aws-use1 ↔ gcp-us-east4") || !strings.Contains(out, "2 (aws-gcp-fac1, aws-gcp-fac2)") {
		t.Errorf("table:\n%s", out)
	}
	var a struct {
		Pairs []struct {
			A, B              string
			LinkDisjointPaths int `json:"link_disjoint_paths"`
			NodeDisjointPaths int `json:"node_disjoint_paths"`
			FacilityDiversity int `json:"facility_diversity"`
		}
	}
	out, _, _ = execute(t, "topology", "analyze", "--json", examplesDir+"aws-gcp-quad.toml")
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Pairs) != 1 || a.Pairs[0].NodeDisjointPaths != 4 || a.Pairs[0].LinkDisjointPaths != 4 || a.Pairs[0].FacilityDiversity != 2 {
		t.Errorf("json: %+v", a)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestTopologyAnalyzeSharedConduit(t *testing.T) {
	out, errOut, code := execute(t, "topology", "analyze", examplesDir+"quad-shared-conduit.toml")
	if code != exitFailed {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "srlg ashburn-conduit-7") {
		t.Errorf("the shared conduit is not named a SPOF:\n%s", out)
	}
}

func TestTopologyLint(t *testing.T) {
	dx := examplesDir + "dx-max-resiliency-vpn.toml"
	out, _, code := execute(t, "topology", "lint", dx)
	if code != exitFailed || !strings.Contains(out, "HIGH   no-bfd: session vpn-bgp1") || !strings.Contains(out, "fix: enable BFD") ||
		!strings.Contains(out, "12 findings (2 high, 6 medium, 4 low)") {
		t.Errorf("code %d\n%s", code, out)
	}
	// Two-facility active/standby: medium and low findings only.
	as := examplesDir + "two-facility-active-standby.toml"
	if _, _, code := execute(t, "topology", "lint", as); code != exitOK {
		t.Errorf("fail-on high: code %d", code)
	}
	if _, _, code := execute(t, "topology", "lint", "--fail-on", "medium", as); code != exitFailed {
		t.Errorf("fail-on medium: code %d", code)
	}
	if _, _, code := execute(t, "topology", "lint", "--fail-on", "severe", as); code != exitInvalid {
		t.Errorf("bad --fail-on: code %d", code)
	}
	out, _, _ = execute(t, "topology", "lint", "--json", examplesDir+"quad-shared-conduit.toml")
	if !strings.Contains(out, `"rule": "shared-srlg"`) || !strings.Contains(out, `"severity": "high"`) {
		t.Errorf("json:\n%s", out)
	}
}
