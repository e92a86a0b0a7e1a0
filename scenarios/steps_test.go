package scenarios

import (
	"strings"
	"testing"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

const drillBody = `
[[fault]]
id = "cut"
at = "30s"
kind = "link-down"
target = "aws-gcp-ch1"

[[step]]
at = "1m"
kind = "facility-drain"
target = "aws-gcp-fac2"
method = "gshut"

[[step]]
after = "30s"
kind = "checkpoint"
narrative = "drained"
  [[step.expect]]
  metric = "loss.bytes"
  max = "10GB"

[[step]]
after = "0s"
kind = "repair"
target = "cut"

[[step]]
id = "dx"
after = "10s"
kind = "aws-dx-bgp-failover-test"
virtualInterfaceId = "aws-gcp-ch2"
testDurationInMinutes = 1

[[step]]
id = "end"
at = "4m"
kind = "checkpoint"
`

// Steps in time order: after is relative to the previous step, ids
// default to s1, s2, … and cp1, cp2, …; a repair step ends the fault it
// names; a provider test takes its target under the provider's key.
func TestStepsLoad(t *testing.T) {
	sc, err := Parse("s.toml", []byte(quad(drillBody)), topologyLoader(nil))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sc.Faults {
		got = append(got, f.ID+" "+string(f.Kind)+" "+f.Target+" "+f.At.String())
	}
	want := []string{"cut link-down aws-gcp-ch1 30s", "s1 facility-drain aws-gcp-fac2 1m0s", "s2 repair cut 1m30s",
		"dx aws-dx-bgp-failover-test aws-gcp-ch2 1m40s"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("faults\n%v\nwant\n%v", got, want)
	}
	if f := sc.Faults[1]; f.Method != "gshut" || f.Prepend != 3 {
		t.Errorf("facility-drain params %+v", f)
	}
	if f := sc.Faults[3]; f.Minutes != 1 {
		t.Errorf("testDurationInMinutes %d", f.Minutes)
	}
	if len(sc.Checkpoints) != 2 || sc.Checkpoints[0].ID != "cp1" || sc.Checkpoints[0].At != 90*sim.Second ||
		sc.Checkpoints[0].Narrative != "drained" || len(sc.Checkpoints[0].Expect) != 1 ||
		sc.Checkpoints[1].ID != "end" || sc.Checkpoints[1].At != 4*sim.Minute {
		t.Errorf("checkpoints %+v", sc.Checkpoints)
	}
	rs, err := faults.ResolveRepairs(sc.Faults)
	if err != nil || len(rs) != 3 || rs[0].Repair != 60*sim.Second {
		t.Errorf("resolved %+v, %v: want cut repaired after 60s", rs, err)
	}
	if len(sc.Faults) != 4 || sc.Faults[0].Repair != 0 {
		t.Errorf("ResolveRepairs changed the scenario")
	}
}

// Bad steps: one error each, positioned at the key.
func TestStepsErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"[[step]]\nkind = \"drain\"\ntarget = \"aws-gcp-aws-r1\"\n", `step[0].at: missing at`},
		{"[[step]]\nat = \"1m\"\nafter = \"1s\"\nkind = \"drain\"\ntarget = \"aws-gcp-aws-r1\"\n", `step[0].after: give at`},
		{"[[step]]\nat = \"2m\"\nkind = \"drain\"\ntarget = \"aws-gcp-aws-r1\"\n[[step]]\nat = \"1m\"\nkind = \"checkpoint\"\n", `s.toml:14:6: step[1].at: steps are in time order: 1m0s is before the previous step (2m0s)`},
		{"[[step]]\nat = \"6m\"\nkind = \"checkpoint\"\n", `step[0].at: step at 6m0s is after the end of the run`},
		{"[[step]]\nat = \"1m\"\nkind = \"melt\"\ntarget = \"x\"\n", `step[0].kind: unknown fault kind "melt"`},
		{"[[step]]\nat = \"1m\"\nkind = \"repair\"\ntarget = \"nope\"\n", `step[0].target: repair of unknown fault "nope"`},
		{"[[fault]]\nat = \"1m\"\nkind = \"router-reboot\"\ntarget = \"aws-gcp-aws-r1\"\n[[step]]\nat = \"2m\"\nkind = \"repair\"\ntarget = \"f1\"\n", `step[0].target: f1 (router-reboot) cannot be repaired`},
		{"[[step]]\nat = \"1m\"\nkind = \"aws-dx-bgp-failover-test\"\ntarget = \"aws-gcp-ch1\"\n", `step[0].virtualInterfaceId: missing virtualInterfaceId`},
		{"[[step]]\nat = \"1m\"\nkind = \"aws-dx-bgp-failover-test\"\nvirtualInterfaceId = \"aws-gcp-ch1\"\ntestDurationInMinutes = 5000\n", `step[0].testDurationInMinutes: 5000 out of range [1, 4320]`},
		{"[[step]]\nat = \"1m\"\nkind = \"facility-drain\"\ntarget = \"aws-gcp-fac1\"\nmethod = \"off\"\n", `step[0].method: invalid method "off"; want one of prepend, gshut`},
		{"[[step]]\nat = \"1m\"\nkind = \"checkpoint\"\ntarget = \"x\"\n", `step[0].target: a checkpoint does not take "target"`},
		{"[[step]]\nat = \"0s\"\nkind = \"checkpoint\"\n", `step[0].at: a checkpoint at 0 has nothing to measure`},
		{"[[step]]\nat = \"1m\"\nkind = \"checkpoint\"\n  [[step.expect]]\n  metric = \"loss.bytes\"\n  fault = \"later\"\n", `step[0].expect[0].fault: unknown fault "later"`},
		{"[[step]]\nat = \"1m\"\nkind = \"link-up\"\ntarget = \"aws-gcp-ch1\"\n", `step[0].target: link "aws-gcp-ch1" is not admin_down`},
	} {
		_, err := Parse("s.toml", []byte(quad(c.body)), topologyLoader(nil))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant …%s…", c.body, err, c.want)
		}
	}
}

// A checkpoint is evaluated on the trace prefix: its metrics equal
// metrics.Compute over the events before its time (with the run ending
// there), and loss after it is not counted. The trace carries it as a
// drill.checkpoint event at its time, which State folds.
func TestCheckpointOnPrefix(t *testing.T) {
	body := `
[[step]]
id = "cut"
at = "1m"
kind = "facility-down"
target = "aws-gcp-fac1"
repair = "30s"

[[step]]
id = "mid"
at = "2m"
kind = "checkpoint"
narrative = "after the first loss"
  [[step.expect]]
  metric = "loss.bytes"
  max = "1TB"

[[step]]
at = "3m"
kind = "facility-down"
target = "aws-gcp-fac2"
repair = "30s"
`
	sc, err := Parse("s.toml", []byte(quad(body)), topologyLoader(nil))
	if err != nil {
		t.Fatal(err)
	}
	var streamed []string
	res, err := Run(sc, Options{KeepEvents: true, Checkpoint: func(c CheckpointResult) { streamed = append(streamed, c.ID) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Checkpoints) != 1 || len(streamed) != 1 {
		t.Fatalf("checkpoints %v, streamed %v", res.Checkpoints, streamed)
	}
	cp := res.Checkpoints[0]
	var prefix []trace.Event
	var cpEvent *trace.Event
	for i, e := range res.Events {
		if e.T < int64(cp.At) {
			prefix = append(prefix, e)
		}
		if e.Kind == trace.KindCheckpoint {
			cpEvent = &res.Events[i]
		}
	}
	h := res.Header
	h.DurationNS = int64(cp.At)
	want := metrics.Compute(h, prefix, metrics.Options{SettleWindow: h.SettleNS})
	if cp.Metrics.Loss.Lost != want.Loss.Lost || cp.Metrics.Loss.Lost <= 0 {
		t.Errorf("checkpoint loss %v, Compute over the prefix %v (want equal, > 0)", cp.Metrics.Loss.Lost, want.Loss.Lost)
	}
	if !(cp.Metrics.Loss.Lost < res.Metrics.Loss.Lost) {
		t.Errorf("checkpoint loss %v not below the whole run's %v (the second facility loss is after it)", cp.Metrics.Loss.Lost, res.Metrics.Loss.Lost)
	}
	if !cp.Passed || len(cp.Measured) != 1 || !strings.HasPrefix(cp.Measured[0], "loss.bytes = ") {
		t.Errorf("checkpoint %+v", cp)
	}
	if cpEvent == nil || cpEvent.T != int64(cp.At) || cpEvent.Subject != "mid" || cpEvent.Str("narrative") != "after the first loss" {
		t.Fatalf("drill.checkpoint event %+v", cpEvent)
	}
	st := trace.NewState(res.Header)
	for _, e := range res.Events {
		st.Apply(e)
	}
	if c := st.Checkpoint; c == nil || c.ID != "mid" || !c.Passed || len(c.Measured) != 1 {
		t.Errorf("State's checkpoint %+v", c)
	}
}

// AWS's BGP failover test shuts the virtual interface's peerings at both
// ends (reason admin-shutdown, the Cease the provider sends) while the link
// stays up, holds them idle for testDurationInMinutes and then lets them
// reconnect: both ends are established again shortly after the test ends.
func TestDXFailoverTestAdminShutdown(t *testing.T) {
	body := `
[[step]]
id = "dx"
at = "1m"
kind = "aws-dx-bgp-failover-test"
virtualInterfaceId = "aws-gcp-ch2"
testDurationInMinutes = 2
`
	sc, err := Parse("s.toml", []byte(quad(body)), topologyLoader(nil))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(sc, Options{KeepEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	start, end := int64(sim.Minute), int64(3*sim.Minute)
	down := map[string]bool{}
	up := map[string]int64{}
	for _, e := range res.Events {
		switch {
		case e.Kind == trace.KindLinkState && e.Subject == "aws-gcp-ch2":
			t.Errorf("the link changed state: %+v", e)
		case e.Kind != trace.KindBGPSession || e.Subject != "aws-gcp-bgp2":
		case e.T < start:
		case e.T == start:
			if e.Str("state") != "idle" || e.Str("reason") != "admin-shutdown" {
				t.Errorf("at the test's start: %+v, want idle (admin-shutdown)", e)
			}
			down[e.Str("router")] = true
		case e.T < end:
			t.Errorf("session moved during the test: %+v", e)
		case e.Str("state") == "established" && up[e.Str("router")] == 0:
			up[e.Str("router")] = e.T
		}
	}
	for _, r := range []string{"aws-gcp-aws-r2", "aws-gcp-gcp-r2"} {
		if !down[r] {
			t.Errorf("%s: no admin-shutdown at %v", r, sim.Time(start))
		}
		// Back within a few seconds of the test's end (TCP and OPEN
		// exchange), not a connect-retry later.
		if at := up[r]; at < end || at > end+int64(5*sim.Second) {
			t.Errorf("%s: established again at %v, want within 5s after %v", r, sim.Time(at), sim.Time(end))
		}
	}
}

// A link declared admin_down (a cold backup) is down in the run's timeline
// from the start until the link-up step, so report.html shades it; after
// the link-up it is up to the end.
func TestTimelineColdBackup(t *testing.T) {
	src := `name = "cold backup"
topology = "../../faults/testdata/cat-cold.toml"
duration = "3m"
[[traffic]]
name = "d"
from = "aws"
to = "gcp"
rate = "15Gbps"

[[step]]
at = "1m"
kind = "link-up"
target = "ch2"
`
	sc, err := Parse("s.toml", []byte(src), topologyLoader(nil))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tl := res.Metrics.Timeline
	l := tl.Link("ch2")
	if l == nil || len(l.Periods) != 1 {
		t.Fatalf("ch2's timeline %+v, want one down period", l)
	}
	if p := l.Periods[0]; p.From != 0 || p.To != int64(sim.Minute) || p.State != "down" || p.Reason != "admin-down" {
		t.Errorf("ch2 %+v, want down (admin-down) from 0 to 1m", p)
	}
	if tl.Link("ch1") != nil {
		t.Errorf("ch1 was never down: %+v", tl.Link("ch1"))
	}
}
