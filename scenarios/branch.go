package scenarios

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
)

// BranchID is the id of the step a branch adds.
const BranchID = "branch"

// BranchJob is base plus one step (a fault or an action): the same
// scenario and seed, the step appended to the job's steps with id
// BranchID. Its trace equals base's for every event before step.At.
func BranchJob(base Job, step faults.Fault) Job {
	step.ID = BranchID
	j := base
	j.Steps = append(slices.Clone(base.Steps), step)
	j.Name = fmt.Sprintf("%s + %s %s at %v", base.Name, step.Kind, step.Target, step.At)
	return j
}

// ValidateStep checks a branch step against the job's scenario (its kind,
// target and parameters; a repair must name an open fault), filling in
// the registry's defaults.
func ValidateStep(sc *Scenario, step *faults.Fault) error {
	if errs := faults.Validate(step, sc.Topology); len(errs) > 0 {
		return errs[0]
	}
	if step.At < 0 || step.At >= sc.Duration {
		return fmt.Errorf("at %v: not within the run (0 to %v)", step.At, sc.Duration)
	}
	if step.Kind == faults.Repair && !slices.Contains(faults.Repairable(sc.Faults, step.At), step.Target) {
		return fmt.Errorf("target: %q is not a fault open at %v", step.Target, step.At)
	}
	return nil
}

// Candidates lists the operator actions that apply to the drill's fabric
// at time at, in a fixed order: repair each fault open then, drain each
// facility (prepend, then graceful shutdown), drain each router (prepend,
// then graceful shutdown), bring up each admin-down link, double each
// link's bandwidth. Each is validated.
func Candidates(sc *Scenario, at sim.Time) []faults.Fault {
	top := sc.Topology
	var out []faults.Fault
	add := func(f faults.Fault) {
		f.At = at
		f.ID = BranchID
		if ValidateStep(sc, &f) == nil {
			out = append(out, f)
		}
	}
	for _, id := range faults.Repairable(sc.Faults, at) {
		add(faults.Fault{Kind: faults.Repair, Target: id})
	}
	for _, x := range top.Facilities {
		add(faults.Fault{Kind: faults.FacilityDrain, Target: x.Name, Method: "prepend"})
		add(faults.Fault{Kind: faults.FacilityDrain, Target: x.Name, Method: "gshut"})
	}
	for _, r := range top.Routers {
		add(faults.Fault{Kind: faults.Drain, Target: r.Name})
		add(faults.Fault{Kind: faults.DrainGSHUT, Target: r.Name})
	}
	for _, l := range top.Links {
		if l.AdminDown {
			add(faults.Fault{Kind: faults.LinkUp, Target: l.Name})
		}
	}
	for _, l := range top.Links {
		if l.LAG == "" && !l.AdminDown {
			add(faults.Fault{Kind: faults.RaiseBandwidth, Target: l.Name, Capacity: 2 * float64(l.Capacity)})
		}
	}
	return out
}

// StepLabel describes a step as a user would write it.
func StepLabel(f faults.Fault) string {
	s := fmt.Sprintf("%s %s", f.Kind, f.Target)
	switch f.Kind {
	case faults.FacilityDrain:
		s += " (" + f.Method + ")"
	case faults.RaiseBandwidth:
		s += " to " + metrics.FormatRate(f.Capacity)
	}
	return s
}

// WhatIf is one candidate action's predicted outcome from a checkpoint.
type WhatIf struct {
	Step      *faults.Fault // nil: no action (the drill as written)
	Lost      float64       // bytes lost from the checkpoint to the end
	Recovered bool          // every demand is whole again at some instant before the end
	Recover   sim.Time      // from the checkpoint until every demand first delivers what it offers
	Err       error
}

// Label names the candidate.
func (w WhatIf) Label() string {
	if w.Step == nil {
		return "no action (the drill as written)"
	}
	return StepLabel(*w.Step)
}

// RankWhatIf runs the drill as written and one branch per candidate action
// at checkpoint cpID, and returns them best first: fewest bytes lost from
// the checkpoint, then the quickest recovery, then candidate order.
func RankWhatIf(ctx context.Context, base Job, cpID string, workers int, opt Options) ([]WhatIf, error) {
	sc := base.Scenario
	i := slices.IndexFunc(sc.Checkpoints, func(c Checkpoint) bool { return c.ID == cpID })
	if i < 0 {
		var ids []string
		for _, c := range sc.Checkpoints {
			ids = append(ids, c.ID)
		}
		return nil, &InvalidError{fmt.Errorf("--what-if %s: no such checkpoint; the drill has %s", cpID, strings.Join(ids, ", "))}
	}
	at := sc.Checkpoints[i].At
	cands := Candidates(sc, at)
	jobs := []Job{base}
	for _, c := range cands {
		jobs = append(jobs, BranchJob(base, c))
	}
	opt.SkipTrace = true
	res := RunAll(ctx, jobs, RunAllOptions{Workers: workers, Run: opt, Keep: true})
	out := make([]WhatIf, len(jobs))
	for k, jr := range res {
		if k > 0 {
			out[k].Step = &cands[k-1]
		}
		if jr.Err != nil {
			out[k].Err = jr.Err
			continue
		}
		out[k].Lost, out[k].Recover, out[k].Recovered = lostAfter(jr.Result.Metrics, int64(at))
	}
	if out[0].Err != nil {
		return nil, out[0].Err
	}
	slices.SortStableFunc(out[1:], func(a, b WhatIf) int {
		switch {
		case (a.Err == nil) != (b.Err == nil):
			if a.Err == nil {
				return -1
			}
			return 1
		case a.Lost != b.Lost:
			if a.Lost < b.Lost {
				return -1
			}
			return 1
		case a.Recovered != b.Recovered:
			if a.Recovered {
				return -1
			}
			return 1
		case a.Recover != b.Recover:
			if a.Recover < b.Recover {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

// lostAfter integrates every demand's loss over [t, end) from its rate
// series, and finds the first instant at or after t at which every demand
// delivers what it offers (recover is then that instant − t; recovered is
// false when that never happens before the end).
func lostAfter(res *metrics.Result, t int64) (lost float64, recover sim.Time, recovered bool) {
	lossy := func(p metrics.Point) bool { return p.Offered-p.Delivered > p.Offered*1e-9 }
	times := []int64{t}
	for _, d := range res.Demands {
		s := d.Series
		for k, p := range s {
			end := res.End
			if k+1 < len(s) {
				end = s[k+1].T
			}
			if from := max(p.T, t); end > from && lossy(p) {
				lost += (p.Offered - p.Delivered) * float64(end-from) / 8e9
			}
			if p.T > t && p.T < res.End {
				times = append(times, p.T)
			}
		}
	}
	slices.Sort(times)
	for _, at := range times {
		whole := true
		for _, d := range res.Demands {
			k := sort.Search(len(d.Series), func(k int) bool { return d.Series[k].T > at }) - 1
			if k >= 0 && lossy(d.Series[k]) {
				whole = false
				break
			}
		}
		if whole {
			return lost, sim.Time(at - t), true
		}
	}
	return lost, 0, false
}
