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
