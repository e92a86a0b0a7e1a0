package scenarios

import (
	"testing"

	"github.com/netdrill/netdrill/topology"
)

// FaultSchedule lists exactly the faults Run injects, random draws
// included, without simulating.
func TestFaultScheduleIsWhatRunInjects(t *testing.T) {
	src := `name = "random"
topology = "aws-gcp-quad.toml"
seed = 3
duration = "12h"

[[fault]]
at = "1h"
kind = "link-down"
target = "aws-gcp-ch1"
repair = "10m"

[[random]]
class = "channel"
kind = "link-down"
mtbf = "exp(6h)"
mttr = "fixed(15m)"
`
	sc, err := Parse("s.toml", []byte(src), func(rel string) (*topology.Topology, error) {
		return topology.Load("../examples/topologies/" + rel)
	})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := FaultSchedule(JobFor(sc))
	if err != nil {
		t.Fatal(err)
	}
	if len(sched) < 2 || sched[0].ID != "f1" || sched[1].ID != "r1" {
		t.Fatalf("schedule %v", sched)
	}
	res, err := Run(sc, Options{SkipTrace: true, KeepEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	var injected []string
	for _, e := range res.Events {
		if e.Kind == "fault.inject" {
			injected = append(injected, e.Subject)
		}
	}
	if len(injected) != len(sched) {
		t.Fatalf("run injected %v, schedule %v", injected, sched)
	}
	for _, f := range res.Metrics.Faults {
		found := false
		for _, s := range sched {
			if s.ID == f.ID && int64(s.At) == f.At && string(s.Kind) == f.Kind && s.Target == f.Target {
				found = true
			}
		}
		if !found {
			t.Errorf("injected %s %s %s at %d not in the schedule %v", f.ID, f.Kind, f.Target, f.At, sched)
		}
	}
}
