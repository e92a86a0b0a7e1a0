package scenarios

import (
	"fmt"
	"strings"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

// CheckpointResult is a drill checkpoint as reached in a run: its
// expectations evaluated on the metrics of [0, At).
type CheckpointResult struct {
	Checkpoint
	Passed   bool
	Outcomes []metrics.Outcome
	Metrics  *metrics.Result // the metrics of [0, At)
	Measured []string        // one "metric = value (expected …)" per expectation, as traced
}

// checkpoints evaluates a run's checkpoints as it goes: one metrics
// builder per checkpoint, fed the events strictly before its time (the
// trace prefix), closed when the engine reaches that time.
type checkpoints struct {
	cps      []Checkpoint
	builders []*metrics.Builder
	next     int // checkpoints before next have fired
	results  []CheckpointResult
	err      error
}

func newCheckpoints(cps []Checkpoint, h trace.Header) *checkpoints {
	c := &checkpoints{cps: cps}
	for _, cp := range cps {
		hh := h
		hh.DurationNS = int64(cp.At)
		c.builders = append(c.builders, metrics.NewBuilder(hh, metrics.Options{SettleWindow: h.SettleNS}))
	}
	return c
}

// apply feeds e to the builders of the checkpoints after e.
func (c *checkpoints) apply(e trace.Event) {
	for i := c.next; i < len(c.cps); i++ {
		if e.T < int64(c.cps[i].At) {
			c.builders[i].Apply(e)
		}
	}
}

// schedule arranges for each checkpoint to be evaluated and traced at its
// time (scenario time; base is the end of warm-up).
func (c *checkpoints) schedule(eng *sim.Engine, base sim.Time, rec *recorder, done func(CheckpointResult)) error {
	for i := range c.cps {
		if err := eng.At(base+c.cps[i].At, func() {
			r := c.evaluate(i)
			rec.Trace(eng.Now(), trace.KindCheckpoint, r.ID, sim.A("narrative", r.Narrative),
				sim.A("passed", r.Passed), sim.A("measured", r.Measured))
			if done != nil {
				done(r)
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func (c *checkpoints) evaluate(i int) CheckpointResult {
	cp := c.cps[i]
	c.next = i + 1
	res := c.builders[i].Result()
	c.builders[i] = nil
	r := CheckpointResult{Checkpoint: cp, Metrics: res, Outcomes: metrics.Evaluate(res, cp.Expect)}
	if err := metrics.Invalid(r.Outcomes); err != nil && c.err == nil {
		c.err = &InvalidError{fmt.Errorf("checkpoint %s: %w", cp.ID, err)}
	}
	r.Passed = metrics.AllPassed(r.Outcomes)
	r.Measured = []string{}
	for _, o := range r.Outcomes {
		name := strings.TrimSpace(strings.TrimSuffix(o.Name, o.Expected))
		r.Measured = append(r.Measured, fmt.Sprintf("%s = %s (expected %s)", name, o.Measured, o.Expected))
	}
	c.results = append(c.results, r)
	return r
}

// markAdminDown marks the links the topology declares admin_down in the
// trace's fabric (they start down; a replay draws them so).
func markAdminDown(f *trace.Fabric, sc *Scenario) {
	for i, l := range f.Links {
		if tl, ok := sc.Topology.Link(l.Name); ok && tl.AdminDown {
			f.Links[i].AdminDown = true
		}
	}
}
