package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// netdrill gen -o DIR writes a topology that validates and a scenario that
// runs and passes; without -o the topology goes to stdout; bad flags exit 2
// naming the flag.
func TestGenCommand(t *testing.T) {
	for _, kind := range []string{"quad-mesh", "leaf-spine", "as-graph"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, code := execute(t, "gen", "--kind", kind, "--sites", "4", "--prefixes", "3", "--seed", "5", "-o", dir)
			if code != exitOK {
				t.Fatalf("gen: code %d\n%s\n%s", code, out, errOut)
			}
			if !strings.Contains(out, "scenario.toml: demand ") {
				t.Errorf("gen output:\n%s", out)
			}
			top := filepath.Join(dir, "topology.toml")
			if out, errOut, code := execute(t, "topology", "validate", top); code != exitOK {
				t.Fatalf("validate: code %d\n%s\n%s", code, out, errOut)
			}
			if out, errOut, code := execute(t, "run", filepath.Join(dir, "scenario.toml")); code != exitOK || !strings.Contains(out, "converged = true") {
				t.Fatalf("run: code %d\n%s\n%s", code, out, errOut)
			}
			stdout, _, code := execute(t, "gen", "--kind", kind, "--sites", "4", "--prefixes", "3", "--seed", "5")
			want, _ := os.ReadFile(top)
			if code != exitOK || stdout != string(want) {
				t.Errorf("gen without -o: code %d, stdout differs from the written topology", code)
			}
		})
	}
}

func TestGenCommandInvalid(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"gen"}, `required flag(s) "kind"`},
		{[]string{"gen", "--kind", "torus"}, `--kind "torus"`},
		{[]string{"gen", "--kind", "quad-mesh", "--bfd", "fast"}, `--bfd "fast"`},
		{[]string{"gen", "--kind", "quad-mesh", "--mrai", "soon"}, `--mrai: invalid duration`},
		{[]string{"gen", "--kind", "as-graph", "--fault", "facility-down"}, "--fault"},
		{[]string{"gen", "--kind", "as-graph", "--sites", "5", "--ases", "6"}, "disagree"},
	} {
		_, _, code := execute(t, c.args...)
		if code != exitInvalid {
			t.Errorf("%v: code %d, want %d", c.args, code, exitInvalid)
		}
		root := newRootCmd()
		root.SetArgs(c.args)
		root.SetOut(&strings.Builder{})
		root.SetErr(&strings.Builder{})
		if err := root.Execute(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}
