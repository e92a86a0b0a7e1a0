package scenarios

import (
	"slices"
	"testing"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
)

// lostAfter, by hand: demand a loses 2G from 10s to 20s and 1G from 40s
// to 50s; b is whole. From t=15s: 2G×5s + 1G×10s = 20 Gbit = 2.5 GB, and
// every demand is first whole at 20s (5s after t).
func TestLostAfter(t *testing.T) {
	const s = int64(sim.Second)
	res := &metrics.Result{End: 60 * s, Demands: []metrics.Demand{
		{Name: "a", Series: []metrics.Point{{T: 0, Offered: 10e9, Delivered: 10e9}, {T: 10 * s, Offered: 10e9, Delivered: 8e9},
			{T: 20 * s, Offered: 10e9, Delivered: 10e9}, {T: 40 * s, Offered: 10e9, Delivered: 9e9}, {T: 50 * s, Offered: 10e9, Delivered: 10e9}}},
		{Name: "b", Series: []metrics.Point{{T: 0, Offered: 1e9, Delivered: 1e9}}},
	}}
	for _, c := range []struct {
		t         int64
		lost      float64
		recover   sim.Time
		recovered bool
	}{
		{15 * s, 2.5e9, 5 * sim.Second, true},
		{0, 3.75e9, 0, true},
		{45 * s, 0.625e9, 5 * sim.Second, true},
		{55 * s, 0, 0, true},
	} {
		lost, rec, ok := lostAfter(res, c.t)
		if lost != c.lost || rec != c.recover || ok != c.recovered {
			t.Errorf("from %v: lost %v, recover %v, %v; want %v, %v, %v", sim.Time(c.t), lost, rec, ok, c.lost, c.recover, c.recovered)
		}
	}
	res.Demands[0].Series = res.Demands[0].Series[:2] // lossy to the end
	if _, _, ok := lostAfter(res, 15*s); ok {
		t.Errorf("a demand lossy to the end counts as recovered")
	}
}

// A branch job adds one step with id "branch" and leaves the base job and
// its scenario alone; the candidates are valid steps at the time asked,
// with the repair of each fault open then first.
func TestBranchJobAndCandidates(t *testing.T) {
	sc, err := Parse("s.toml", []byte(quad(drillBody)), topologyLoader(nil))
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(sc.Faults)
	base := JobFor(sc)
	j := BranchJob(base, faults.Fault{ID: "x", Kind: faults.Drain, Target: "aws-gcp-aws-r1", At: sim.Minute})
	if len(base.Steps) != 0 || len(j.Steps) != 1 || j.Steps[0].ID != BranchID || j.Seed != sc.Seed || j.Scenario != sc {
		t.Errorf("branch job %+v from %+v", j, base)
	}
	if len(sc.Faults) != len(before) {
		t.Errorf("the scenario changed")
	}
	cands := Candidates(sc, 45*sim.Second)
	if len(cands) == 0 || cands[0].Kind != faults.Repair || cands[0].Target != "cut" {
		t.Fatalf("candidates at 45s start with %+v, want the repair of cut", cands[:1])
	}
	for _, c := range cands {
		if c.At != 45*sim.Second || c.ID != BranchID {
			t.Errorf("candidate %+v", c)
		}
		if c.Kind == faults.Repair && c.Target != "cut" {
			t.Errorf("repair of %s, which is not open at 45s", c.Target)
		}
	}
	if err := ValidateStep(sc, &faults.Fault{Kind: faults.Repair, Target: "cut", At: 10 * sim.Second}); err == nil {
		t.Errorf("repair of cut before it happens accepted")
	}
}
