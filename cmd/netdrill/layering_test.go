package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// The layering of docs/contracts.md ("Dependency direction"), enforced: a
// package may not depend, directly or through others, on a project package
// its rule forbids.
func TestLayering(t *testing.T) {
	const mod = "github.com/netdrill/netdrill/"
	out, err := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Deps", mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	type pkg struct {
		ImportPath string
		Deps       []string
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	under := func(p, prefix string) bool { return p == mod+prefix || strings.HasPrefix(p, mod+prefix+"/") }
	// rule: packages under `from` may not depend on packages under any of `not`.
	rules := []struct {
		from string
		not  []string
		why  string
	}{
		{"topology", []string{""}, "topology is a leaf: it imports no project package"},
		{"scenarios/trace", []string{"sim", "faults", "scenarios/metrics", "scenarios/report"}, "the trace format stands alone"},
		{"scenarios/metrics", []string{"sim", "faults"}, "metrics read traces, never the simulator"},
		{"scenarios/report", []string{"sim", "faults"}, "reports read metrics, never the simulator"},
		{"tui", []string{"sim", "faults", "cmd"}, "the terminal UI reads traces only"},
		{"sim", []string{"faults", "scenarios", "cmd", "tui"}, "the model knows nothing of faults, scenarios or the CLI"},
		{"faults", []string{"scenarios", "cmd", "tui"}, "faults sit below scenarios"},
		{"scenarios", []string{"cmd", "tui"}, "scenarios sit below the CLI"},
	}
	kernelOnly := mod + "sim"
	for _, p := range pkgs {
		for _, r := range rules {
			if !under(p.ImportPath, r.from) {
				continue
			}
			for _, d := range p.Deps {
				if !strings.HasPrefix(d, mod) {
					continue
				}
				for _, n := range r.not {
					// "" forbids every project package but the package's own tree.
					bad := (n == "" && !under(d, r.from)) || (n != "" && under(d, n) && !under(d, r.from))
					if bad {
						t.Errorf("%s depends on %s: %s", strings.TrimPrefix(p.ImportPath, mod), strings.TrimPrefix(d, mod), r.why)
					}
				}
			}
		}
		// The kernel knows nothing about networks.
		if p.ImportPath == kernelOnly {
			for _, d := range p.Deps {
				if strings.HasPrefix(d, mod) {
					t.Errorf("sim (the kernel) depends on %s", strings.TrimPrefix(d, mod))
				}
			}
		}
	}
}
