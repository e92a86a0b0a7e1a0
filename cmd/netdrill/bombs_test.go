package main

// Bombs under a memory limit: each input below once grew without bound
// (a device read to the end, nesting that made key paths of quadratic
// size, a random class drawing billions of faults, files of millions of
// items). Run through the binary under `prlimit --as` (util-linux), each
// must end with exit 2 and a clear message, never an out-of-memory crash.
// The Go runtime reserves about 1.2 GB of address space at start, so the
// limit is 3 GB: about 1.5 GB of heap, far below what these inputs took.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const bombAddressSpace = 3 << 30

func TestBombsUnderMemoryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~60 MB of bomb files")
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) not installed")
	}
	dir := t.TempDir()
	write := func(name string, parts ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(parts, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	quad, _ := filepath.Abs("../../examples/topologies/aws-gcp-quad.toml")
	header := fmt.Sprintf("name = \"bomb\"\ntopology = %q\nduration = \"1h\"\n", quad)

	var prefixes strings.Builder
	prefixes.WriteString("[[site]]\nname = \"a\"\nprovider = \"aws\"\nprefixes = [")
	for i := range 1_000_000 {
		fmt.Fprintf(&prefixes, "\"%d.%d.%d.0/24\",", 10+i>>16, i>>8&255, i&255)
	}
	prefixes.WriteString("]\n")
	var faults strings.Builder
	faults.WriteString(header + "fault = [")
	for i := range 1_000_000 {
		fmt.Fprintf(&faults, "{at=\"%ds\",kind=\"link-down\",target=\"x\"},", i%3000)
	}
	faults.WriteString("]\n")
	var few strings.Builder // under the size limit, over max_faults
	few.WriteString(header + "fault = [")
	for i := range 150_000 {
		fmt.Fprintf(&few, "{at=\"%ds\",kind=\"link-down\",target=\"x\"},", i%3000)
	}
	few.WriteString("]\n")

	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"/dev/zero as a topology", []string{"topology", "validate", "/dev/zero"}, nil, "not a regular file"},
		{"/dev/zero as a scenario", []string{"run", "/dev/zero"}, nil, "not a regular file"},
		{"nested 20k deep", []string{"topology", "validate", write("deep20k.toml", "a = ", strings.Repeat("[", 20_000), strings.Repeat("]", 20_000), "\n")}, nil, "nested more than 64 levels deep"},
		{"nested 100k deep", []string{"topology", "validate", write("deep100k.toml", "a = ", strings.Repeat("[", 100_000), strings.Repeat("]", 100_000), "\n")}, nil, "nested more than 64 levels deep"},
		{"1M prefixes on one line", []string{"topology", "validate", write("prefixes.toml", prefixes.String())}, nil, "over the limit of 16777216 bytes"},
		{"1M faults", []string{"run", write("faults1m.toml", faults.String())}, nil, "over the limit of 16777216 bytes"},
		{"150k faults under the size limit", []string{"run", write("faults150k.toml", few.String())}, nil, "150000 faults, more than max_faults = 100000"},
		{"2M-element array", []string{"topology", "validate", write("array.toml", "a = [", strings.Repeat("1,", 2<<20), "]\n")}, nil, "more than 1048576 elements"},
		{"600k tables", []string{"topology", "validate", write("tables.toml", strings.Repeat("[[facility]]\n", 600_000))}, nil, "more than 500000 tables"},
		{"mtbf exp(1ns)", []string{"run", write("mtbf.toml", header, "[[random]]\nclass = \"c\"\nkind = \"link-down\"\nmtbf = \"exp(1ns)\"\nmttr = \"exp(1ns)\"\n")}, nil, "would draw about 7200000000000 faults"},
		{"duplicate random class", []string{"run", write("dupclass.toml", header, strings.Repeat("[[random]]\nclass = \"c\"\nkind = \"link-down\"\nmtbf = \"exp(12h)\"\nmttr = \"exp(1h)\"\n", 2))}, nil, `class "c" defined twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a hang guard, not a timing
			defer cancel()
			args := append([]string{fmt.Sprintf("--as=%d", bombAddressSpace), binary}, c.args...)
			cmd := exec.CommandContext(ctx, prlimit, args...)
			cmd.Env = append(os.Environ(), c.env...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: exit %d in %v", c.name, code, time.Since(start).Round(time.Millisecond))
			out := stderr.String()
			if code != exitInvalid || !strings.Contains(out, c.want) {
				if len(out) > 2000 {
					out = out[:2000]
				}
				t.Fatalf("exit %d, want 2 with %q; stderr:\n%s", code, c.want, out)
			}
			if strings.Contains(out, "out of memory") || strings.Contains(out, "goroutine ") {
				t.Errorf("crashed:\n%s", out)
			}
		})
	}
}
