package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// --png writes every plot of report.html as a PNG, from run and from report
// alike: for the facility-loss example one throughput plot, one zoom and
// the pool and four channels.
func TestPNGFlag(t *testing.T) {
	dir := t.TempDir()
	f := "../../examples/scenarios/facility-loss-at-peak.toml"
	out, errOut, code := netdrill(t, "run", f, "-o", filepath.Join(dir, "out"), "--png", filepath.Join(dir, "run-png"))
	if code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "wrote 7 plots to") {
		t.Errorf("run does not say it wrote the plots:\n%s", out)
	}
	out, errOut, code = netdrill(t, "report", filepath.Join(dir, "out", "trace.jsonl"), "--png", filepath.Join(dir, "report-png"))
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, errOut)
	}
	want := "throughput-replication.png util-link-aws-gcp-ch1.png util-link-aws-gcp-ch2.png util-link-aws-gcp-ch3.png " +
		"util-link-aws-gcp-ch4.png util-pool-aws-gcp-pool.png zoom-f1-replication.png"
	for _, sub := range []string{"run-png", "report-png"} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
			b, _ := os.ReadFile(filepath.Join(dir, sub, e.Name()))
			if !strings.HasPrefix(string(b), "\x89PNG") {
				t.Errorf("%s/%s is not a PNG", sub, e.Name())
			}
		}
		sort.Strings(names)
		if got := strings.Join(names, " "); got != want {
			t.Errorf("%s: %s, want %s", sub, got, want)
		}
	}
}

// An unusable --png DIR is bad input, found before any simulation: exit 2,
// one line naming the flag, nothing written.
func TestPNGDirChecked(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const ex = "../../examples/"
	bad := filepath.Join(file, "png") // under a regular file: cannot be made
	for _, args := range [][]string{
		{"run", ex + "scenarios/facility-loss-at-peak.toml"},
		{"sweep", ex + "scenarios/quad-review.toml"},
		{"compare", ex + "scenarios/compare-quad.toml", ex + "scenarios/compare-dx-vpn.toml"},
		{"chaos", ex + "campaigns/quad-year.toml", "--trials", "2", "--horizon", "1d"},
	} {
		out := filepath.Join(dir, args[0])
		stdout, errOut, code := netdrill(t, append(args, "-o", out, "--png", bad)...)
		if code != 2 || !strings.Contains(errOut, "--png "+bad) || !strings.Contains(errOut, "choose a directory you can write to") {
			t.Errorf("%s: exit %d, want 2 naming --png\n%s%s", args[0], code, stdout, errOut)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: -o %s written although --png is unusable", args[0], out)
		}
	}
}
