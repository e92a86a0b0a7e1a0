package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/netdrill/netdrill/sim"
)

// netdrillEnv runs the binary with extra environment variables.
func netdrillEnv(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

const ex = "../../examples/scenarios/"

// The exit-code table: 0 pass, 1 an expectation failed, 2 invalid input or
// a limit the user set (with what to change), before any time is spent
// for -o. (3, a recovered panic, is tested with the panic recovery.)
func TestExitCodeTable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// a campaign whose trials reach the event limit its scenario sets
	camp, err := os.ReadFile("../../examples/campaigns/quad-year.toml")
	if err != nil {
		t.Fatal(err)
	}
	topo, _ := filepath.Abs("../../examples/topologies/")
	camp = bytes.Replace(camp, []byte(`"../topologies/`), []byte(`"`+filepath.ToSlash(topo)+"/"), 1)
	camp = bytes.Replace(camp, []byte("\nseed "), []byte("\nmax_events = 300\nseed "), 1)
	limited := filepath.Join(filepath.Dir(file), "limited.toml")
	if err := os.WriteFile(limited, camp, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"pass", []string{"run", ex + "maintenance-drain.toml"}, 0, "PASS"},
		{"fail", []string{"run", "testdata/failing.toml"}, 1, "FAIL"},
		{"invalid", []string{"run", "testdata/invalid.toml"}, 2, "invalid.toml:3:12"},
		{"max-wall is the user's limit", []string{"run", ex + "random-channel-failures.toml", "--max-wall", "1ns"}, 2, "raise --max-wall"},
		{"max-trace is the user's limit", []string{"run", ex + "facility-loss-at-peak.toml", "-o", filepath.Join(filepath.Dir(file), "out"), "--max-trace", "20kB"}, 2, "raise --max-trace"},
		{"max_events is the user's limit", []string{"run", ex + "facility-loss-at-peak.toml", "--set", "max_events=100"}, 2, "--set max_events=1000"},
		{"sweep: a run's limit is the user's", []string{"sweep", ex + "facility-loss-at-peak.toml", "--max-wall", "1ns"}, 2, "raise --max-wall"},
		{"chaos: a trial's limit is the user's", []string{"chaos", limited, "--trials", "2"}, 2, "raise max_events"},
		{"-o checked before the run", []string{"run", ex + "facility-loss-at-peak.toml", "-o", filepath.Join(file, "out")}, 2, "-o: output directory"},
		{"check -o checked before the run", []string{"check", "-o", file, ex + "facility-loss-at-peak.toml"}, 2, "-o: output directory"},
		{"--junit checked before the run", []string{"check", "--junit", filepath.Dir(file), ex + "facility-loss-at-peak.toml"}, 2, "is a directory"},
		{"unknown name lists candidates", []string{"run", ex + "facility-loss-at-peak.toml", "--set", "fault.0.target=aws-gcp-fac3"}, 2, `did you mean "aws-gcp-fac1" or "aws-gcp-fac2"?`},
		{"bad flag", []string{"run", "--color", "sometimes"}, 2, "want auto, always or never"},
		{"version command", []string{"version"}, 0, "netdrill "},
		{"-v is verbose, not version", []string{"-v", "run", ex + "maintenance-drain.toml"}, 0, "kernel events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := netdrill(t, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.want, out, errOut)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	out, errOut, code := netdrill(t, "validate", ex+"facility-loss-at-peak.toml", ex+"silent-midspan-no-bfd.toml", "../../examples/topologies/aws-gcp-quad.toml")
	if code != 0 || strings.Count(out, ": ok (") != 3 || !strings.Contains(out, "ok (topology") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = netdrill(t, "validate", ex+"facility-loss-at-peak.toml", "testdata/invalid.toml")
	if code != 2 || !strings.Contains(out, "facility-loss-at-peak.toml: ok") || !strings.Contains(errOut, "invalid.toml:3:12: duration") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// The dry-run schedule is exactly what the run injects, random draws
// included, and it changes with --seed.
func TestDryRunMatchesTheRun(t *testing.T) {
	sc := ex + "random-channel-failures.toml"
	var sched ScheduleJSON
	out, errOut, code := netdrill(t, "run", sc, "--dry-run", "--json", "--seed", "5", "--duration", "6h")
	if code != 0 || json.Unmarshal([]byte(out), &sched) != nil {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if sched.Schema != "netdrill-schedule/1" || sched.Seed != 5 || len(sched.Faults) == 0 {
		t.Fatalf("schedule %+v", sched)
	}
	dir := t.TempDir()
	if out, errOut, code := netdrill(t, "run", sc, "--seed", "5", "--duration", "6h", "-o", dir); code > 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	f, err := os.Open(filepath.Join(dir, "trace.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var injected []ScheduleFault
	sc2 := bufio.NewScanner(f)
	sc2.Buffer(nil, 1<<20)
	for sc2.Scan() {
		var ev struct {
			T       int64  `json:"t"`
			Kind    string `json:"kind"`
			Subject string `json:"subject"`
		}
		if json.Unmarshal(sc2.Bytes(), &ev) == nil && ev.Kind == "fault.inject" {
			injected = append(injected, ScheduleFault{ID: ev.Subject, AtNS: ev.T})
		}
	}
	if len(injected) != len(sched.Faults) {
		t.Fatalf("run injected %d faults, dry run listed %d", len(injected), len(sched.Faults))
	}
	for i, f := range sched.Faults {
		if injected[i].ID != f.ID || injected[i].AtNS != f.AtNS || !f.Random {
			t.Errorf("fault %d: run %+v, dry run %+v", i, injected[i], f)
		}
	}
	text, _, _ := netdrill(t, "run", sc, "--dry-run", "--seed", "5", "--duration", "6h")
	if !strings.Contains(text, "nothing simulated") || !strings.Contains(text, sched.Faults[0].Target) {
		t.Fatalf("dry run text:\n%s", text)
	}
}

func TestSetOverrides(t *testing.T) {
	out, errOut, code := netdrill(t, "run", ex+"maintenance-drain.toml", "--set", "duration=6m", "--set", "traffic.replication.rate=8Gbps", "--json")
	var doc RunJSON
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var rep report.JSONReport
	if err := json.Unmarshal(doc.Report, &rep); err != nil || rep.EndNS != 6*60e9 || doc.Schema != "netdrill-run/1" || doc.Status != "pass" {
		t.Fatalf("report %v: end %d, %+v", err, rep.EndNS, doc)
	}
	// 8 Gbps for 6 minutes: 360 GB offered.
	for _, d := range rep.Demands {
		if d.Name == "replication" && d.Loss.OfferedBytes != 8e9*360/8 {
			t.Errorf("replication offered %v bytes, want 360 GB", d.Loss.OfferedBytes)
		}
	}
	// A bad value keeps the file's position; a key the file lacks is named by its flag.
	for _, tc := range []struct{ set, want string }{
		{"duration=soon", "maintenance-drain.toml:12:12: duration"},
		{"settle=soon", "(from --set settle=soon)"},
		{"traffic.replicaton.rate=1Gbps", `did you mean "replication"?`},
		{"nokey", "want KEY=VALUE"},
	} {
		_, errOut, code := netdrill(t, "run", ex+"maintenance-drain.toml", "--set", tc.set)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("--set %s: exit %d, stderr lacks %q:\n%s", tc.set, code, tc.want, errOut)
		}
	}
}

// check DIR runs every scenario under it (recursively, sorted, topologies
// skipped) and streams one line per scenario in that order; --json gives
// one parsed object per scenario, then the total; an errored scenario names
// its file once.
func TestCheckDirStreamsInOrder(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "../../examples", dir)
	out, errOut, code := netdrill(t, "check", "--workers", "4", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	campaigns, _ := filepath.Glob(filepath.Join(dir, "campaigns", "*.toml"))
	drills, _ := filepath.Glob(filepath.Join(dir, "drills", "*.toml"))
	files, _ := filepath.Glob(filepath.Join(dir, "scenarios", "*.toml"))
	files = append(append(campaigns, drills...), files...) // sorted: campaigns/, drills/, scenarios/
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "PASS ") {
			got = append(got, strings.Fields(l)[1])
		}
	}
	if strings.Join(got, " ") != strings.Join(files, " ") {
		t.Fatalf("lines in order %q, want %q", got, files)
	}
	out, _, code = netdrill(t, "check", "--json", filepath.Join(dir, "scenarios", "maintenance-drain.toml"), "testdata/failing.toml")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("exit %d, %d lines:\n%s", code, len(lines), out)
	}
	var first, second CheckLineJSON
	var total CheckTotalJSON
	if json.Unmarshal([]byte(lines[0]), &first) != nil || json.Unmarshal([]byte(lines[1]), &second) != nil || json.Unmarshal([]byte(lines[2]), &total) != nil {
		t.Fatalf("not JSON lines:\n%s", out)
	}
	if first.Status != "pass" || second.Status != "fail" || second.Failed == 0 || total.Type != "total" || total.ExitCode != 1 || len(second.Expectations) == 0 {
		t.Fatalf("%+v\n%+v\n%+v", first, second, total)
	}
	// An errored scenario: one mention of its path, and a named JUnit suite.
	junit := filepath.Join(t.TempDir(), "j.xml")
	out, _, code = netdrill(t, "check", "--junit", junit, filepath.Join(dir, "scenarios", "facility-loss-at-peak.toml"), "--max-wall", "1ns")
	if code != 2 || !strings.HasPrefix(out, "ERROR ") || strings.Count(out, "facility-loss-at-peak.toml") != 1 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if x, _ := os.ReadFile(junit); !strings.Contains(string(x), `testsuite name="aws-gcp quad: lose facility 1 at peak"`) {
		t.Fatalf("junit suite unnamed:\n%s", x)
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// Piped output is plain; --color=always colours; NO_COLOR wins over auto;
// the summary fits 100 columns by default and $COLUMNS when set.
func TestColourAndWidth(t *testing.T) {
	sc := ex + "facility-loss-at-peak.toml"
	plain, _, _ := netdrill(t, "run", sc)
	if ansi.MatchString(plain) {
		t.Fatal("piped output has colour codes")
	}
	coloured, _, _ := netdrill(t, "run", sc, "--color", "always")
	if !ansi.MatchString(coloured) || ansi.ReplaceAllString(coloured, "") != plain {
		t.Fatalf("--color=always: colour codes must be the only difference:\n%s", coloured)
	}
	noColor, _, _ := netdrillEnv(t, []string{"NO_COLOR=1"}, "run", sc, "--color", "auto")
	if ansi.MatchString(noColor) {
		t.Fatal("NO_COLOR ignored")
	}
	for _, tc := range []struct {
		env   []string
		width int
	}{{nil, 100}, {[]string{"COLUMNS=80"}, 80}, {[]string{"COLUMNS=60"}, 60}} {
		out, _, _ := netdrillEnv(t, tc.env, "run", sc)
		for _, l := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(l); n > tc.width {
				t.Errorf("%v: %d columns > %d: %q", tc.env, n, tc.width, l)
			}
		}
	}
}

func TestNewDisplay(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	// Not a terminal (a pipe): plain, 100 columns unless COLUMNS says.
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	for _, tc := range []struct {
		flag  string
		env   func(string) string
		color bool
		width int
	}{
		{"auto", env(), false, 100},
		{"always", env("NO_COLOR", "1"), true, 100},
		{"never", env("COLUMNS", "72"), false, 72},
		{"auto", env("COLUMNS", "junk"), false, 100},
	} {
		d, err := newDisplay(tc.flag, w, w, tc.env)
		if err != nil || d.color != tc.color || d.width != tc.width || d.progress {
			t.Errorf("%s: %+v %v", tc.flag, d, err)
		}
	}
}

func TestTopologyGraphAndExpandInline(t *testing.T) {
	dot, errOut, code := netdrill(t, "topology", "graph", "../../examples/topologies/aws-gcp-quad.toml")
	if code != 0 || !strings.HasPrefix(dot, `graph "aws-gcp quad" {`) || !strings.Contains(dot, `"aws-gcp-aws-r1" -- "aws-gcp-gcp-r1"`) {
		t.Fatalf("exit %d\n%s%s", code, dot, errOut)
	}
	path := filepath.Join(t.TempDir(), "standby.mmd")
	if _, errOut, code := netdrill(t, "topology", "graph", ex+"silent-midspan-no-bfd.toml", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if m, _ := os.ReadFile(path); !strings.Contains(string(m), "flowchart LR") || !strings.Contains(string(m), `---|"xc-1 10Gbps"|`) {
		t.Fatalf("mermaid:\n%s", m)
	}
	out, errOut, code := netdrill(t, "topology", "expand", ex+"silent-midspan-no-bfd.toml")
	if code != 0 || !strings.Contains(out, `name = "xc-1"`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestReportWarnsOnAnotherScenario(t *testing.T) {
	dir := t.TempDir()
	out, e, code := netdrill(t, "run", ex+"maintenance-drain.toml", "-o", dir+"/")
	if code != 0 {
		t.Fatal(e)
	}
	if !strings.Contains(out, "wrote "+dir+"/{trace.jsonl,") || strings.Contains(out, "//") {
		t.Errorf("wrote line: %s", out[strings.LastIndex(out, "wrote"):])
	}
	_, errOut, _ := netdrill(t, "report", filepath.Join(dir, "trace.jsonl"), "--scenario", ex+"macsec-key-mismatch.toml")
	if !strings.Contains(errOut, "warning: the trace is from scenario") {
		t.Fatalf("no warning: %s", errOut)
	}
	_, errOut, code = netdrill(t, "report", filepath.Join(dir, "trace.jsonl"), "--scenario", ex+"maintenance-drain.toml")
	if code != 0 || strings.Contains(errOut, "warning") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// Every command has examples in its help.
func TestHelpHasExamples(t *testing.T) {
	root := newRootCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if c.Example == "" {
			t.Errorf("netdrill %s has no examples", c.Name())
		}
		for _, s := range c.Commands() {
			if s.Example == "" {
				t.Errorf("netdrill %s %s has no examples", c.Name(), s.Name())
			}
		}
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The progress line appears only after progressAfter, fits its width and
// erases itself.
func TestProgressLine(t *testing.T) {
	var b strings.Builder
	p := &progressLine{w: &b, on: true, started: time.Now(), width: 40}
	f := p.simProgress("a scenario with a rather long name indeed")
	f(5*sim.Second, 10*sim.Second)
	if b.Len() != 0 {
		t.Fatalf("drawn before %v: %q", progressAfter, b.String())
	}
	p.started = time.Now().Add(-3 * time.Second)
	f(5*sim.Second, 10*sim.Second)
	line := strings.TrimPrefix(b.String(), "\r\033[K")
	if !strings.Contains(line, " 50%") || utf8.RuneCountInString(line) > 39 {
		t.Fatalf("line %q", line)
	}
	p.clear()
	if !strings.HasSuffix(b.String(), "\r\033[K") {
		t.Fatalf("not erased: %q", b.String())
	}
	off := &progressLine{w: &b, on: false, started: time.Now().Add(-time.Hour)}
	n := b.Len()
	off.show("x")
	off.clear()
	if b.Len() != n {
		t.Fatal("drawn when off")
	}
}
