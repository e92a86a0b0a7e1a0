package scenarios

import (
	"errors"
	"fmt"
	"slices"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/sim"
)

// ErrWallLimit is wrapped by the error of a run stopped by Options.MaxWall:
// a limit the user set (the CLI's --max-wall), not an internal error.
var ErrWallLimit = errors.New("wall-clock limit reached")

// FaultSchedule lists every fault a job injects, in the order the run
// schedules them: the scenario's own, the job's extra steps, then the
// random faults drawn over the run (IDs r1, r2, … in time order). The
// random draws come from the same named streams the run uses
// ("faults/<class>/<component>", derived from the job's seed alone), so
// the list is exactly what Run injects, without simulating anything.
func FaultSchedule(job Job) ([]faults.Fault, error) {
	sc := job.Scenario
	all := slices.Concat(sc.Faults, job.Steps)
	if len(sc.Random) > 0 {
		sched := faults.NewSchedule(sim.NewStreams(job.Seed), sc.Random, sc.Duration)
		for i, o := range sched.All(sc.Duration) {
			f := faults.Fault{ID: fmt.Sprintf("r%d", i+1), Kind: faults.Kind(o.Kind), Target: o.Component, At: o.At, Repair: o.Repair}
			if errs := faults.Validate(&f, sc.Topology); len(errs) > 0 {
				return nil, &InvalidError{fmt.Errorf("random fault %v: %v", f, errs[0])}
			}
			all = append(all, f)
		}
	}
	return all, nil
}
