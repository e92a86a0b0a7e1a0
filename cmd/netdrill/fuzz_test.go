package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTopologyCommands: no topology file makes `topology validate` or
// `topology analyze` exit 3 (an internal error: a recovered panic) or
// anything but 0, 1 or 2. It runs the commands in-process.
// Run: go test -run '^$' -fuzz FuzzTopologyCommands -fuzztime 30s ./cmd/netdrill
func FuzzTopologyCommands(f *testing.F) {
	files, _ := filepath.Glob("../../examples/topologies/*.toml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, c := range hostileCases() {
		if t, ok := c.files["t.toml"]; ok && len(t) < 4096 {
			f.Add([]byte(t))
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "t.toml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"validate", "analyze"} {
			code := runWith([]string{"topology", cmd, path}, io.Discard, io.Discard)
			if code != exitOK && code != exitFailed && code != exitInvalid {
				t.Fatalf("topology %s: exit %d on\n%s", cmd, code, data)
			}
		}
	})
}
