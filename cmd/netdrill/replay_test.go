package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// traceFile runs the embedded example with -o and returns its trace.
func traceFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, stderr, code := netdrill(t, "run", "-o", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	return filepath.Join(dir, "trace.jsonl")
}

// A missing, truncated, corrupt or foreign file: one line on stderr, exit
// 2, and nothing written to the terminal (no escape sequence: the screen
// was never opened).
func TestReplayBadFiles(t *testing.T) {
	good, err := os.ReadFile(traceFile(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lines := strings.SplitAfter(string(good), "\n")
	tests := []struct{ name, path, want string }{
		{"missing", filepath.Join(dir, "nope.jsonl"), "no such file"},
		{"truncated", write("cut.jsonl", []byte(strings.Join(lines[:len(lines)/2], ""))), "truncated"},
		{"corrupt", write("bad.jsonl", []byte(strings.Replace(string(good), `"state":"down"`, `"state":"up"`, 1))), "corrupt"},
		{"foreign", write("x.jsonl", []byte("id,name\n1,a\n")), "line 1"},
		{"empty", write("e.jsonl", nil), "empty trace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := netdrill(t, "replay", tc.path)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" || strings.Contains(stderr, "\x1b") {
				t.Errorf("the terminal was touched: stdout %q stderr %q", stdout, stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want one line containing %q", stderr, tc.want)
			}
		})
	}
}

// tmux drives the real binary in a detached tmux session on a private
// socket.
type tmux struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed and CI=true: .ci/run installs it (apt-get install tmux)")
		}
		t.Skip("tmux is not installed: skipping the end-to-end terminal test (CI installs it)")
	}
	tm := &tmux{t: t, socket: fmt.Sprintf("netdrill-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (tm *tmux) screen() string {
	out, _ := exec.Command("tmux", "-L", tm.socket, "capture-pane", "-p", "-t", "e2e").CombinedOutput()
	return string(out)
}

// waitFor polls the screen until it contains want.
func (tm *tmux) waitFor(want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := tm.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("%q never appeared; the screen:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitGone polls the screen until it no longer contains s.
func (tm *tmux) waitGone(s string) {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for strings.Contains(tm.screen(), s) {
		if time.Now().After(deadline) {
			tm.t.Fatalf("%q never went away; the screen:\n%s", s, tm.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	tm.run(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// waitExit waits for the command to finish and returns what it wrote to
// the status file.
func waitExit(t *testing.T, status string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(status); err == nil && strings.HasSuffix(string(b), "\n") {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the replay did not exit after q")
	return ""
}

// The real binary in a 100×30 terminal: play, seek, filter, help, quit.
func TestReplayTmux(t *testing.T) {
	tm := newTmux(t)
	tr := traceFile(t)
	status := filepath.Join(t.TempDir(), "status")
	cmd := fmt.Sprintf("%s replay %s; echo exit=$? > %s", binary, tr, status)
	tm.run("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", cmd)

	s := tm.waitFor("fabric")
	for _, want := range []string{"aws-gcp-fac1", "detail", "events", "throughput", "t=0:00.000", "? help"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q not on the first screen:\n%s", want, s)
		}
	}
	tm.keys("n") // next fault: facility 1 at 2:00
	s = tm.waitFor("t=2:00.000")
	if !strings.Contains(s, "aws-gcp-fac1 DARK") || !strings.Contains(s, "active f1") {
		t.Errorf("at the fault the facility is not dark:\n%s", s)
	}
	tm.keys("g")
	tm.waitFor("go to time:")
	tm.keys("7:30", "Enter") // after the repair
	s = tm.waitFor("t=7:30.000")
	if strings.Contains(s, "DARK") {
		t.Errorf("dark after the repair:\n%s", s)
	}
	tm.keys("Home")
	tm.waitFor("t=0:00.000")
	tm.keys("+", "+", "+", "Space") // 10× and play
	tm.waitFor("playing")
	tm.waitGone("t=0:00.000") // time moves (how far depends on the machine's speed)
	tm.keys("Space")
	tm.waitFor("paused")
	tm.keys("f") // kind filter: faults
	tm.waitFor("filter kind=fault.")
	tm.keys("/")
	tm.waitFor("subject:")
	tm.keys("-l", "f1") // literal: "f1" alone is the F1 key to tmux
	tm.keys("Enter")
	tm.waitFor("subject=f1")
	tm.keys("End")
	s = tm.waitFor("REPAIR f1")
	if !strings.Contains(s, "FAULT f1 facility-down on aws-gcp-fac1") {
		t.Errorf("filtered log lacks the fault:\n%s", s)
	}
	tm.keys("?")
	tm.waitFor("netdrill replay — keys")
	tm.keys("Escape")
	tm.waitGone("netdrill replay — keys") // before q: ESC then q quickly is Alt-q
	tm.keys("q")
	if got := waitExit(t, status); got != "exit=0" {
		t.Errorf("replay ended with %q, want exit=0", got)
	}
}

// netdrill run --tui replays the run it just made; Ctrl-C quits cleanly.
func TestRunTUITmux(t *testing.T) {
	tm := newTmux(t)
	status := filepath.Join(t.TempDir(), "status")
	cmd := fmt.Sprintf("%s run --tui > /dev/null; echo exit=$? > %s", binary, status)
	tm.run("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", cmd)
	tm.waitFor("fabric")
	tm.keys("n")
	tm.waitFor("t=2:00.000")
	tm.keys("C-c")
	if got := waitExit(t, status); got != "exit=0" {
		t.Errorf("run --tui ended with %q, want exit=0", got)
	}
}
