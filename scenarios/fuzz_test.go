package scenarios

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// quadSource is the quad topology's text, parsed afresh by the fuzz
// targets' loaders (a fixed, small topology whatever the path says).
var quadSource = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile(filepath.Join(exampleTopologies, "aws-gcp-quad.toml"))
})

// FuzzParse: Parse never panics, and either returns a scenario or a
// *topology.ErrorList of placed errors, never both or neither.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../examples/scenarios/*.toml")
	drills, _ := filepath.Glob("../examples/drills/*.toml")
	files = append(files, drills...)
	files = append(files, "testdata/quad-link-down.toml", "testdata/bad-gadget.toml", "../cmd/netdrill/testdata/invalid.toml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range malformedScenarios {
		f.Add([]byte(tc.src))
	}
	quadText, err := quadSource()
	if err != nil {
		f.Fatal(err)
	}
	load := func(string) (*topology.Topology, error) { return topology.Parse("quad.toml", quadText) }

	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("fuzz.toml", data, load)
		if err == nil {
			if sc == nil {
				t.Fatal("Parse returned neither a scenario nor an error")
			}
			if sc.Topology == nil || sc.Duration <= 0 {
				t.Fatalf("accepted a scenario without topology or duration: %+v", sc)
			}
			for _, flt := range sc.Faults {
				if flt.At < 0 || flt.At >= sc.Duration || flt.Repair < 0 {
					t.Fatalf("accepted fault %v in a run of %v", flt, sc.Duration)
				}
			}
			return
		}
		if sc != nil {
			t.Fatal("Parse returned a scenario with its error")
		}
		var l *topology.ErrorList
		if !errors.As(err, &l) || len(l.Errors) == 0 {
			t.Fatalf("error %T %v, want a non-empty *topology.ErrorList", err, err)
		}
		if _, terr := toml.Decode(string(data), new(map[string]any)); terr != nil {
			// A syntax error: one error, no more. (Its position is not
			// checked: BurntSushi/toml's line is wrong in some lexer
			// states, a known BUG, see TestParseMalformed/syntax_error*.)
			if len(l.Errors) != 1 || l.Errors[0].File != "fuzz.toml" {
				t.Fatalf("syntax error reported as %v", l)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range l.Errors {
			if e.File == "fuzz.toml" && (e.Line < 1 || e.Line > lines || e.Col < 1) {
				t.Fatalf("error outside the file (%d lines): %v", lines, e)
			}
		}
	})
}

// shortRun is a 30s scenario on the quad with traffic both ways.
var shortRun = sync.OnceValues(func() (*Scenario, error) {
	src := `name = "fuzz: one fault on the quad"
topology = "quad.toml"
seed = 1
duration = "30s"
[[traffic]]
name = "replication"
from = "aws-use1"
to = "gcp-us-east4"
rate = "12Gbps"
[[traffic]]
name = "reverse"
from = "gcp-us-east4"
to = "aws-use1"
rate = "4Gbps"
`
	quadText, err := quadSource()
	if err != nil {
		return nil, err
	}
	return Parse("short.toml", []byte(src), func(string) (*topology.Topology, error) {
		return topology.Parse("quad.toml", quadText)
	})
})

// FuzzRunShort: any single fault that validates against the quad runs to
// a result or an error, never a panic, and never fails to apply.
func FuzzRunShort(f *testing.F) {
	base, err := shortRun()
	if err != nil {
		f.Fatal(err)
	}
	for _, k := range faults.Kinds {
		targets := faults.Targets(k, base.Topology)
		switch k {
		case faults.PrefixWithdraw:
			targets = []string{"aws-use1", "gcp-us-east4"}
		case faults.ProviderOutage:
			targets = []string{"aws", "gcp"}
		case faults.RouteLeak:
			targets = []string{"aws-gcp-aws-r1"}
		case faults.MaxPrefixExceeded:
			targets = faults.Targets(faults.SessionReset, base.Topology)
		case faults.PoolSurge: // needs a rate, so [[random]] cannot draw it
			for _, p := range base.Topology.Pools {
				targets = append(targets, p.Name)
			}
		}
		if len(targets) > 2 {
			targets = targets[:2]
		}
		for _, tg := range targets {
			f.Add(string(k), tg, uint8(10), uint8(5))
		}
	}
	f.Add("link-down", "aws-gcp-ch1", uint8(0), uint8(0))
	f.Add("link-flap", "aws-gcp-ch2", uint8(29), uint8(255))
	f.Add("facility-down", "aws-gcp-fac2", uint8(255), uint8(1))
	f.Add("router-reboot", "aws-gcp-gcp-r4", uint8(1), uint8(0))
	f.Add("meteor", "aws-gcp-ch1", uint8(1), uint8(1))
	f.Add("link-down", "", uint8(1), uint8(1))
	// Drill kinds (actions and providers' tests).
	f.Add("aws-dx-bgp-failover-test", "aws-gcp-ch1", uint8(3), uint8(0))
	f.Add("azure-er-site-failover-test", "aws-gcp-fac1", uint8(3), uint8(10))
	f.Add("drain-gshut", "aws-gcp-aws-r1", uint8(3), uint8(10))
	f.Add("facility-drain", "aws-gcp-fac2", uint8(3), uint8(10))
	f.Add("local-pref", "aws-gcp-gcp-r2", uint8(3), uint8(10))
	f.Add("raise-bandwidth", "aws-gcp-ch3", uint8(3), uint8(10))
	f.Add("repair", "f1", uint8(3), uint8(0))

	f.Fuzz(func(t *testing.T, kind, target string, atSeconds, repairSeconds uint8) {
		flt := faults.Fault{
			ID:     "f1",
			Kind:   faults.Kind(kind),
			Target: target,
			At:     sim.Time(atSeconds%30) * sim.Second,
			Repair: sim.Time(repairSeconds) * sim.Second,
			// Parameters some kinds need, so that every kind can validate.
			Capacity: 5e9,
			Period:   5 * sim.Second,
			Count:    2,
			Rate:     4e9,
			Pref:     200,
		}
		if flt.Kind == faults.RouteLeak {
			flt.Prefix = netip.MustParsePrefix("10.2.0.0/17")
		}
		if errs := faults.Validate(&flt, base.Topology); len(errs) > 0 {
			return
		}
		sc := *base
		sc.Faults = []faults.Fault{flt}
		res, err := Run(&sc, Options{Version: "fuzz", MaxWall: time.Minute, KeepEvents: true})
		if err != nil {
			if strings.Contains(err.Error(), "wall-clock limit") {
				t.Fatalf("%v: a 30s run took over a minute: %v", flt, err)
			}
			t.Logf("%v: %v", flt, err)
			return
		}
		if res == nil || res.Metrics == nil {
			t.Fatalf("%v: Run returned neither a result nor an error", flt)
		}
		injected := false
		for _, e := range res.Events {
			if e.Kind == "fault.error" {
				t.Fatalf("%v: a validated fault failed to apply: %+v", flt, e)
			}
			if e.T < 0 || e.T > int64(sc.Duration) {
				t.Fatalf("%v: event %s at t=%d outside the run", flt, e.Kind, e.T)
			}
			injected = injected || e.Kind == "fault.inject" && e.Subject == "f1" && e.T == int64(flt.At)
		}
		if !injected {
			t.Fatalf("%v: no fault.inject for f1 at %v", flt, flt.At)
		}
	})
}
