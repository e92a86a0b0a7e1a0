package scenarios

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func exampleScenarios(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../examples/scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example scenarios: %v", err)
	}
	return files
}

func mustLoad(t *testing.T, file string) *Scenario {
	t.Helper()
	sc, err := Load(file)
	if err != nil {
		t.Fatalf("Load(%s):\n%v", file, err)
	}
	return sc
}

func mustRun(t *testing.T, sc *Scenario) *Result {
	t.Helper()
	res, err := Run(sc, Options{Version: "test", KeepEvents: true})
	if err != nil {
		t.Fatalf("Run(%s): %v", sc.File, err)
	}
	return res
}

// Every example loads, runs and meets every expectation it states.
func TestRunExamples(t *testing.T) {
	for _, file := range exampleScenarios(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			sc := mustLoad(t, file)
			res := mustRun(t, sc)
			if len(sc.Expect) == 0 {
				t.Errorf("the example states no expectation")
			}
			if len(res.Outcomes) != len(sc.Expect) {
				t.Errorf("%d outcomes for %d expectations", len(res.Outcomes), len(sc.Expect))
			}
			for _, o := range res.Outcomes {
				if o.Err != nil || !o.Passed {
					t.Errorf("expectation failed: %s (err %v)", o.Message, o.Err)
				}
			}
			if !res.Passed() {
				t.Errorf("Passed() = false")
			}
			checkTimeline(t, sc, res)
		})
	}
}

// checkTimeline: scenario time starts at 0 after a warm-up, events are in
// time order within [0, duration], the run ends with run.end at duration,
// no validated fault failed to apply, and the JSONL trace reads back to
// the same header and events.
func checkTimeline(t *testing.T, sc *Scenario, res *Result) {
	t.Helper()
	if res.Warmup <= 0 {
		t.Errorf("warm-up %v, want > 0", res.Warmup)
	}
	if len(res.Events) == 0 {
		t.Fatal("no events")
	}
	if first := res.Events[0]; first.T < 0 {
		t.Errorf("first event %s %s at t=%d, before scenario time 0", first.Kind, first.Subject, first.T)
	}
	prev := int64(0)
	for i, e := range res.Events {
		if e.T < prev || e.T > int64(sc.Duration) {
			t.Fatalf("event %d (%s %s) at t=%d: out of order or outside [0, %d]", i, e.Kind, e.Subject, e.T, int64(sc.Duration))
		}
		prev = e.T
		if e.Kind == "fault.error" {
			t.Errorf("a validated fault failed to apply: %+v", e)
		}
	}
	if last := res.Events[len(res.Events)-1]; last.Kind != "run.end" || last.T != int64(sc.Duration) {
		t.Errorf("last event %s at %d, want run.end at %d", last.Kind, last.T, int64(sc.Duration))
	}
	h, events, err := trace.Read(bytes.NewReader(res.Trace))
	if err != nil {
		t.Fatalf("reading the trace back: %v", err)
	}
	if !reflect.DeepEqual(h, res.Header) || h.Scenario != sc.Name || h.Seed != sc.Seed || h.DurationNS != int64(sc.Duration) || h.Netdrill != "test" {
		t.Errorf("trace header %+v, result header %+v", h, res.Header)
	}
	if len(events) != len(res.Events) {
		t.Fatalf("trace has %d events, result %d", len(events), len(res.Events))
	}
	for i := range events {
		a, b := events[i], res.Events[i]
		if a.T != b.T || a.Kind != b.Kind || a.Subject != b.Subject || len(a.Details) != len(b.Details) {
			t.Fatalf("trace event %d = %+v, result event %+v", i, a, b)
		}
	}
}

// The same scenario run twice, or twice at once, gives the same bytes.
func TestRunDeterministic(t *testing.T) {
	for _, file := range []string{
		"../examples/scenarios/facility-loss-at-peak.toml",
		"../examples/scenarios/random-channel-failures.toml", // RNG streams
		"../examples/scenarios/silent-midspan-no-bfd.toml",   // inline topology, hold timers
		"testdata/quad-link-down.toml",
	} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			sc := mustLoad(t, file)
			first := mustRun(t, sc)
			second := mustRun(t, mustLoad(t, file))
			sameTrace(t, "second run", first.Trace, second.Trace)
			if first.Warmup != second.Warmup || first.SimEvents != second.SimEvents {
				t.Errorf("warm-up %v/%v, events %d/%d", first.Warmup, second.Warmup, first.SimEvents, second.SimEvents)
			}
			// Two runs at once sharing one *Scenario (and its topology).
			var wg sync.WaitGroup
			var traces [2][]byte
			var errs [2]error
			for i := range traces {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := Run(sc, Options{Version: "test"})
					if err != nil {
						errs[i] = err
						return
					}
					traces[i] = res.Trace
				}()
			}
			wg.Wait()
			for i := range traces {
				if errs[i] != nil {
					t.Fatalf("concurrent run %d: %v", i, errs[i])
				}
				sameTrace(t, fmt.Sprintf("concurrent run %d", i), first.Trace, traces[i])
			}
		})
	}
}

// sameTrace fails with the first differing line.
func sameTrace(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Errorf("%s: trace differs at line %d (of %d/%d):\nwant %s\ngot  %s", what, i+1, len(wl), len(gl), w, g)
			return
		}
	}
}

// Facility loss at peak: a warm-up happens before scenario time 0, the
// trace starts at 0 or later, and the facility fails at exactly 2m.
func TestRunFacilityLossTimeline(t *testing.T) {
	sc := mustLoad(t, "../examples/scenarios/facility-loss-at-peak.toml")
	res := mustRun(t, sc)
	if res.Warmup <= 0 {
		t.Fatalf("warm-up %v, want > 0", res.Warmup)
	}
	if res.SimEvents == 0 {
		t.Errorf("no kernel events counted")
	}
	checkTimeline(t, sc, res)
	var inject, repair []trace.Event
	for _, e := range res.Events {
		switch e.Kind {
		case "fault.inject":
			inject = append(inject, e)
		case "fault.repair":
			repair = append(repair, e)
		}
	}
	if len(inject) != 1 || inject[0].T != int64(2*sim.Minute) || inject[0].Subject != "f1" || inject[0].Str("target") != "aws-gcp-fac1" {
		t.Errorf("fault.inject events %+v, want f1 on aws-gcp-fac1 at 2m", inject)
	}
	if len(repair) != 1 || repair[0].T != int64(7*sim.Minute) {
		t.Errorf("fault.repair events %+v, want one at 7m", repair)
	}
}

// A golden trace: the quad, one channel down for 30s, 2 minutes.
// Refresh with: go test ./scenarios -run Golden -update
func TestGoldenTrace(t *testing.T) {
	const name = "quad-link-down"
	sc := mustLoad(t, filepath.Join("testdata", name+".toml"))
	res := mustRun(t, sc)
	if !res.Passed() {
		for _, o := range res.Outcomes {
			t.Logf("%v %s", o.Passed, o.Message)
		}
		t.Errorf("the golden scenario's expectations do not hold")
	}
	golden := filepath.Join("testdata", name+".trace.golden")
	if *update {
		if err := os.WriteFile(golden, res.Trace, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", golden, len(res.Trace))
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	sameTrace(t, golden, want, res.Trace)
}
