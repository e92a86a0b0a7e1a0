package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netdrill/netdrill/examples"
	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/tui"
	"github.com/netdrill/netdrill/tui/model"
)

// Every example drill end to end through the binary: each checkpoint is
// printed with its verdict and narrative, the exit code is 0, the JUnit
// file has one case per checkpoint and -o writes the output set whose
// trace carries the checkpoints.
func TestDrillExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/drills/*.toml")
	if len(files) != 3 {
		t.Fatalf("want 3 example drills, found %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			dir := t.TempDir()
			junit := filepath.Join(dir, "junit.xml")
			out, errOut, code := netdrill(t, "drill", f, "--junit", junit, "-o", filepath.Join(dir, "out"))
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			sc, err := scenarios.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, cp := range sc.Checkpoints {
				if !strings.Contains(out, "PASS "+cp.ID+" at ") || !strings.Contains(out, cp.Narrative) {
					t.Errorf("checkpoint %s not reported with its narrative:\n%s", cp.ID, out)
				}
			}
			x, err := os.ReadFile(junit)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(x), `<testcase name="checkpoint `); n != len(sc.Checkpoints) {
				t.Errorf("junit has %d checkpoint cases, want %d", n, len(sc.Checkpoints))
			}
			tr, err := os.ReadFile(filepath.Join(dir, "out", "trace.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(tr, []byte(`"kind":"drill.checkpoint"`)); n != len(sc.Checkpoints) {
				t.Errorf("trace has %d drill.checkpoint events, want %d", n, len(sc.Checkpoints))
			}
			r, err := model.FromBytes(tr)
			if err != nil {
				t.Fatal(err)
			}
			m := model.New(r)
			for _, cp := range sc.Checkpoints {
				if !m.NextCheckpoint() || m.T() != int64(cp.At) || m.State().Checkpoint == nil || m.State().Checkpoint.ID != cp.ID {
					t.Errorf("replay: next checkpoint at %d, want %s at %v", m.T(), cp.ID, cp.At)
				}
			}
			if m.NextCheckpoint() {
				t.Errorf("a checkpoint after the last")
			}
		})
	}
}

// What-if ranks the candidates: the repair of the lost facility first (no
// loss from then on), the drill as written on top.
func TestDrillWhatIf(t *testing.T) {
	out, errOut, code := netdrill(t, "drill", "../../examples/drills/facility-loss-during-drain.toml", "--what-if", "during-outage")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 5 || !strings.Contains(lines[2], "no action") || !strings.Contains(lines[3], "1    repair fac1-lost") || !strings.Contains(lines[3], "no loss") {
		t.Errorf("ranking:\n%s", out)
	}
	_, errOut, code = netdrill(t, "drill", "../../examples/drills/facility-loss-during-drain.toml", "--what-if", "nope")
	if code != 2 || !strings.Contains(errOut, "no such checkpoint") {
		t.Errorf("unknown checkpoint: exit %d, %s", code, errOut)
	}
}

func loadDrill(t testing.TB, file string) *scenarios.Scenario {
	sc, err := scenarios.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// A branch's trace (through the terminal UI's callback) equals, byte for
// byte, a fresh run of the drill with the added step; and it equals the
// original's trace on every event line before the cursor: line 1 (the
// header) differs by job and steps, lines 2… are identical for every
// event with t < cursor (events at the cursor may differ: the step acts
// at that instant), and so is every drill checkpoint before the cursor.
func TestBranchEqualsFreshRun(t *testing.T) {
	sc := loadDrill(t, "../../examples/drills/facility-loss-during-drain.toml")
	base := scenarios.JobFor(sc)
	orig, err := scenarios.RunJob(base, scenarios.Options{Version: version})
	if err != nil {
		t.Fatal(err)
	}
	cursor := int64(150 * sim.Second) // between the drain and the facility loss
	step := faults.Fault{Kind: faults.FacilityDown, Target: "aws-gcp-fac2"}
	got, err := BranchFunc(base)(cursor, tui.BranchChoice{Label: "x", Value: step})
	if err != nil {
		t.Fatal(err)
	}
	step.At = sim.Time(cursor)
	if err := scenarios.ValidateStep(sc, &step); err != nil {
		t.Fatal(err)
	}
	fresh, err := scenarios.RunJob(scenarios.BranchJob(base, step), scenarios.Options{Version: version})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, fresh.Trace) {
		t.Fatalf("branch trace differs from a fresh run of the branch job")
	}
	a, b := bytes.Split(orig.Trace, []byte("\n")), bytes.Split(got, []byte("\n"))
	if bytes.Equal(a[0], b[0]) || !bytes.Contains(b[0], []byte(`"steps":[{"id":"branch","kind":"facility-down","target":"aws-gcp-fac2","at_ns":150000000000}]`)) {
		t.Errorf("branch header %s", b[0])
	}
	ro, err := model.FromBytes(orig.Trace)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := model.FromBytes(got)
	if err != nil {
		t.Fatal(err)
	}
	n := ro.Count(cursor - 1) // events with t < cursor
	if n < 10 || rb.Count(cursor-1) != n {
		t.Fatalf("%d events before the cursor in the original, %d in the branch", n, rb.Count(cursor-1))
	}
	for i := 1; i <= n; i++ {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("line %d differs before the cursor:\n%s\n%s", i+1, a[i], b[i])
		}
	}
	rows, first := model.Diff(ro, rb)
	if first < n || first >= ro.Len() {
		t.Errorf("first differing event %d, want ≥ %d (the prefix) and < %d", first, n, ro.Len())
	}
	if len(rows) == 0 {
		t.Errorf("losing facility 2 too changes nothing?")
	}
}

// BenchmarkBranchFromMiddle: "branch here" in the middle of the embedded
// example's trace — the branch job run, its trace loaded as a replay model
// and compared with the original (what the screen shows). Reports the
// baseline (the original run and load, the same work without the branch)
// for the ratio.
func BenchmarkBranchFromMiddle(b *testing.B) {
	sc, err := scenarios.LoadFS(examples.FS, examples.Default)
	if err != nil {
		b.Fatal(err)
	}
	base := scenarios.JobFor(sc)
	orig, err := scenarios.RunJob(base, scenarios.Options{Version: version})
	if err != nil {
		b.Fatal(err)
	}
	ro, err := model.FromBytes(orig.Trace)
	if err != nil {
		b.Fatal(err)
	}
	mid := ro.End() / 2
	branch := BranchFunc(base)
	step := faults.Fault{Kind: faults.FacilityDrain, Target: sc.Topology.Facilities[1].Name, Method: "prepend"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data, err := branch(mid, tui.BranchChoice{Value: step})
		if err != nil {
			b.Fatal(err)
		}
		rb, err := model.FromBytes(data)
		if err != nil {
			b.Fatal(err)
		}
		model.Diff(ro, rb)
	}
}

// BenchmarkBranchBaseline is the original run and load alone (the work a
// branch repeats), for the ratio.
func BenchmarkBranchBaseline(b *testing.B) {
	sc, err := scenarios.LoadFS(examples.FS, examples.Default)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		res, err := scenarios.RunJob(scenarios.JobFor(sc), scenarios.Options{Version: version})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := model.FromBytes(res.Trace); err != nil {
			b.Fatal(err)
		}
	}
}

// run --dry-run lists a drill's checkpoints after its faults, in time
// order, with their narrative and what they check; --json under
// "checkpoints" (an empty list for a scenario without any).
func TestDryRunCheckpoints(t *testing.T) {
	file := "../../examples/drills/dx-bgp-failover-test.toml"
	out, errOut, code := netdrill(t, "run", file, "--dry-run", "--json")
	var sched ScheduleJSON
	if code != 0 || json.Unmarshal([]byte(out), &sched) != nil {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var got []string
	for _, c := range sched.Checkpoints {
		got = append(got, fmt.Sprintf("%s %v %d", c.ID, time.Duration(c.AtNS), len(c.Expect)))
	}
	if want := "one-vif 3m0s 2|both-iad 12m0s 1|tests-over 25m0s 1"; strings.Join(got, "|") != want {
		t.Errorf("checkpoints %q, want %q", strings.Join(got, "|"), want)
	}
	if c := sched.Checkpoints[0]; !strings.HasPrefix(c.Narrative, "One of four peerings is down") ||
		c.Expect[0] != "loss.bytes ≤ 100MB" || c.Expect[1] != "failover.max{fault=test-vif1} ≤ 1s" {
		t.Errorf("first checkpoint %+v", c)
	}
	if len(sched.Faults) != 3 {
		t.Errorf("faults %+v", sched.Faults)
	}
	// a DX failover test ends after its testDurationInMinutes (5), not never
	if f := sched.Faults[0]; f.RepairNS == nil || time.Duration(*f.RepairNS) != 5*time.Minute {
		t.Errorf("DX test %s: repair_ns %v, want 5 minutes", f.ID, f.RepairNS)
	}
	text, errOut, code := netdrill(t, "run", file, "--dry-run")
	if !regexp.MustCompile(`test-vif1 +2m0s +aws-dx-bgp-failover-test +dx-dx1 +5m0s`).MatchString(text) {
		t.Errorf("the DX test's end in the dry run:\n%s", text)
	}
	want := "3 checkpoints:\n" +
		"  one-vif at 3m0s: checks loss.bytes ≤ 100MB, failover.max{fault=test-vif1} ≤ 1s\n" +
		"      One of four peerings is down"
	if code != 0 || !strings.Contains(text, want) || strings.Index(text, "both-iad at 12m0s") > strings.Index(text, "tests-over at 25m0s") {
		t.Errorf("exit %d, dry run text:\n%s%s", code, text, errOut)
	}
	out, errOut, code = netdrill(t, "run", "../../examples/scenarios/facility-loss-at-peak.toml", "--dry-run", "--json")
	if code != 0 || !strings.Contains(out, `"checkpoints": []`) {
		t.Errorf("exit %d, a scenario without checkpoints:\n%s%s", code, out, errOut)
	}
	if text, _, _ := netdrill(t, "run", "../../examples/scenarios/facility-loss-at-peak.toml", "--dry-run"); strings.Contains(text, "checkpoint") {
		t.Errorf("checkpoints listed for a scenario without any:\n%s", text)
	}
}
