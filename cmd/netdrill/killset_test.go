package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netdrill/netdrill/scenarios"
)

// A run killed (SIGKILL) at any moment never leaves a mixed or partial
// output set: -o DIR holds the previous complete set or the new complete
// one, and the next run removes what the killed one left beside it.
func TestKilledRunLeavesNoMixedSet(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	// A long run (a 30-minute policy dispute, tens of seconds) to kill.
	long := "../../scenarios/testdata/dispute-after-leak.toml"
	if _, _, code := netdrill(t, "run", "-o", dir); code != 0 {
		t.Fatalf("first run: exit %d", code)
	}
	firstTrace, err := os.ReadFile(filepath.Join(dir, "trace.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, after := range []time.Duration{0, 20 * time.Millisecond, 80 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, 1200 * time.Millisecond} {
		cmd := exec.Command(binary, "run", long, "-o", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		// The target is the previous set, whole.
		got, err := os.ReadFile(filepath.Join(dir, "trace.jsonl"))
		if err != nil {
			t.Fatalf("killed after %v: %v", after, err)
		}
		if string(got) != string(firstTrace) {
			t.Fatalf("killed after %v: the trace in %s changed", after, dir)
		}
		for _, name := range []string{"report.json", "report.md", "junit.xml", "report.html"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Fatalf("killed after %v: %v", after, err)
			}
		}
		if _, err := scenarios.FromTrace(strings.NewReader(string(got)), nil); err != nil {
			t.Fatalf("killed after %v: the kept trace does not read: %v", after, err)
		}
	}
	// Kills spread over a whole short run, commit included: each leaves a
	// complete set (the old one or the new one; both read back).
	for ms := 0; ms <= 150; ms += 5 {
		cmd := exec.Command(binary, "run", "-o", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(ms) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		for _, name := range []string{"report.json", "report.md", "junit.xml", "report.html"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Fatalf("killed after %dms: %v", ms, err)
			}
		}
		f, err := os.Open(filepath.Join(dir, "trace.jsonl"))
		if err != nil {
			t.Fatalf("killed after %dms: %v", ms, err)
		}
		_, err = scenarios.FromTrace(f, nil)
		f.Close()
		if err != nil {
			t.Fatalf("killed after %dms: the trace does not read: %v", ms, err)
		}
	}
	// The next run replaces the set and removes the killed runs' leftovers.
	if _, _, code := netdrill(t, "run", "-o", dir); code != 0 {
		t.Fatalf("run after the kills: exit %d", code)
	}
	ents, _ := os.ReadDir(root)
	for _, e := range ents {
		if e.Name() != "out" {
			t.Errorf("left beside the output directory: %s", e.Name())
		}
	}
	ents, _ = os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left in the output directory: %s", e.Name())
		}
	}
}

// `netdrill report` on a trace cut short or changed anywhere: exit 2 with
// the line named, never a report.
func TestReportTruncatedOrCorruptTrace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, _, code := netdrill(t, "run", "-o", dir); code != 0 {
		t.Fatalf("run: exit %d", code)
	}
	data, err := os.ReadFile(filepath.Join(dir, "trace.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	step := max(1, len(data)/40)
	for n := 0; n < len(data); n += step {
		for _, variant := range []string{"cut", "changed"} {
			b := data[:n]
			if variant == "changed" {
				b = []byte(string(data))
				b[n] ^= 0x01
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := netdrill(t, "report", p)
			if code != 2 || !strings.Contains(stderr, "line ") {
				t.Fatalf("%s at byte %d: exit %d, stderr %q; want exit 2 naming the line", variant, n, code, stderr)
			}
		}
	}
}
