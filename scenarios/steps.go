package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// Checkpoint is a drill checkpoint: expectations over the run so far
// (metrics of [0, At)), with narrative text for the facilitator.
type Checkpoint struct {
	ID        string
	At        sim.Time
	Narrative string
	Expect    []metrics.Expect
	Where     string // file [step[i]], for messages
}

// KindCheckpoint is the kind of a [[step]] that is a checkpoint.
const KindCheckpoint = "checkpoint"

// readSteps reads the [[step]] tables of a drill, in time order: injects
// and operator actions become faults (ids s1, s2, … unless given),
// checkpoints (ids cp1, cp2, …) go to sc.Checkpoints. `at` is absolute,
// `after` relative to the previous step.
func readSteps(root *topology.Table, sc *Scenario, faultIDs, faultTargets, demands map[string]bool) {
	prev := sim.Time(0)
	nStep, nCP := 0, 0
	repairs := map[string]*topology.Table{}
	for _, t := range root.Tables("step") {
		at, ok := stepTime(t, prev)
		if ok {
			if at < prev {
				t.Errorf("at", "steps are in time order: %v is before the previous step (%v)", at, prev)
			}
			if sc.Duration > 0 && at > sc.Duration {
				t.Errorf("at", "step at %v is after the end of the run (%v)", at, sc.Duration)
			}
			prev = max(prev, at)
		}
		kind, _ := t.Str("kind")
		if !t.Has("kind") {
			t.Errorf("kind", `missing kind: a fault or action kind, or "checkpoint"`)
		}
		if kind == KindCheckpoint {
			nCP++
			sc.Checkpoints = append(sc.Checkpoints, readCheckpoint(t, sc, nCP, at, faultIDs, faultTargets, demands))
			continue
		}
		nStep++
		f := faults.Fault{ID: "s" + strconv.Itoa(nStep), Kind: faults.Kind(kind), At: at}
		if id, ok := t.Str("id"); ok && id != "" {
			f.ID = id
		}
		if faultIDs[f.ID] {
			t.Errorf("id", "fault or step %q defined twice", f.ID)
		}
		faultIDs[f.ID] = true
		k, known := catalog.Lookup(kind)
		if kind != "" && !known {
			t.Errorf("kind", "%v (or \"checkpoint\")", catalog.UnknownKind(kind))
		}
		if known {
			if !t.Has(k.TargetName()) {
				t.Errorf(k.TargetName(), "missing %s (%s)", k.TargetName(), k.Target)
			}
			f.Target = t.Name(k.TargetName())
		}
		if t.Has("narrative") {
			t.Str("narrative") // shown by the drill command's schedule
		}
		readStepParams(t, &f, k, known)
		t.Done()
		if known && sc.Topology != nil && f.Target != "" {
			for _, err := range faults.Validate(&f, sc.Topology) {
				key, msg := splitKey(err.Error())
				t.Errorf(key, "%s", msg)
			}
		}
		if f.Kind == faults.Repair {
			if !faultIDs[f.Target] || f.Target == f.ID {
				t.Errorf("target", "repair of unknown fault %q (a [[fault]] or earlier [[step]] id)", f.Target)
			} else {
				repairs[f.ID] = t
			}
		}
		faultTargets[f.Target] = true
		sc.Faults = append(sc.Faults, f)
	}
	// Every repair (a [[step]] or a [[fault]]) must name a fault it can end.
	if _, err := faults.ResolveRepairs(sc.Faults); err != nil {
		id, msg, _ := strings.Cut(err.Error(), ": ")
		if t, ok := repairs[id]; ok {
			t.Errorf("target", "%s", msg)
		} else {
			root.Errorf("fault", "fault %s: %s", id, msg)
		}
	}
}

// stepTime reads `at` or `after` (relative to prev).
func stepTime(t *topology.Table, prev sim.Time) (sim.Time, bool) {
	switch {
	case t.Has("at") && t.Has("after"):
		t.Errorf("after", "give at (absolute) or after (relative to the previous step), not both")
		return 0, false
	case t.Has("at"):
		d, ok := t.Duration("at")
		return sim.Time(d), ok
	case t.Has("after"):
		d, ok := t.Duration("after")
		return prev + sim.Time(d), ok
	}
	t.Errorf("at", `missing at (such as at = "2m") or after (such as after = "30s")`)
	return 0, false
}

func readCheckpoint(t *topology.Table, sc *Scenario, n int, at sim.Time, faultIDs, faultTargets, demands map[string]bool) Checkpoint {
	cp := Checkpoint{ID: "cp" + strconv.Itoa(n), At: at, Where: fmt.Sprintf("%s [%s]", sc.File, t.Path())}
	if id, ok := t.Str("id"); ok && id != "" {
		cp.ID = id
	}
	if faultIDs[cp.ID] {
		t.Errorf("id", "%q is already a fault or step id", cp.ID)
	}
	for _, c := range sc.Checkpoints {
		if c.ID == cp.ID {
			t.Errorf("id", "checkpoint %q defined twice", cp.ID)
		}
	}
	if at <= 0 && (t.Has("at") || t.Has("after")) {
		t.Errorf("at", "a checkpoint at 0 has nothing to measure: the run so far is empty")
	}
	cp.Narrative, _ = t.Str("narrative")
	for _, key := range t.Keys() {
		switch key {
		case "id", "kind", "at", "after", "narrative", "expect":
		default:
			t.KeyErrorf(key, "a checkpoint does not take %q; it takes id, at or after, narrative, expect", key)
		}
	}
	for _, et := range t.Tables("expect") {
		cp.Expect = append(cp.Expect, readExpect(et, sc, faultIDs, faultTargets, demands, false, " (a fault selector names an earlier fault or step)", func() bool { return true }))
	}
	t.Done()
	return cp
}

// readExpect reads one expectation: a top-level [[expect]] or a
// checkpoint's [[step.expect]]. A fault selector names a fault id or the
// target of faults; drawn says random faults (r1, r2, …) exist, known only
// once drawn, so any selector may match. clean reports whether the table
// is free of errors so far (the metric's own checks run only then).
func readExpect(t *topology.Table, sc *Scenario, faultIDs, faultTargets, demands map[string]bool, drawn bool, hint string, clean func() bool) metrics.Expect {
	e := metrics.Expect{Metric: t.Name("metric")}
	e.Demand, _ = t.Str("demand")
	e.Fault, _ = t.Str("fault")
	e.Link, _ = t.Str("link")
	e.Pool, _ = t.Str("pool")
	e.Cause, _ = t.Str("cause")
	e.Min = bound(t, "min")
	e.Max = bound(t, "max")
	e.Equal = bound(t, "equal")
	if e.Demand != "" && !demands[e.Demand] {
		t.Errorf("demand", "unknown demand %q", e.Demand)
	}
	if top := sc.Topology; top != nil {
		if e.Link != "" {
			_, isLink := top.Link(e.Link)
			_, isLAG := top.LAG(e.Link)
			if !isLink && !isLAG {
				t.Errorf("link", "unknown link %q%s", e.Link, topology.DidYouMean(e.Link, top.LinkNames()))
			}
		}
		if _, ok := top.Pool(e.Pool); e.Pool != "" && !ok {
			t.Errorf("pool", "unknown pool %q%s", e.Pool, topology.DidYouMean(e.Pool, top.PoolNames()))
		}
	}
	if e.Fault != "" && !faultIDs[e.Fault] && !faultTargets[e.Fault] && !drawn {
		t.Errorf("fault", "unknown fault %q%s", e.Fault, hint)
	}
	t.Done()
	if e.Metric != "" && clean() {
		for _, fe := range metrics.Check(e) {
			t.Errorf(fe.Field, "%v", fe.Err)
		}
	}
	e.Where = fmt.Sprintf("%s [%s]", sc.File, t.Path())
	return e
}

// readStepParams reads the repair key and the parameters of a step of
// kind k, as readFaultParams, with the step keys allowed.
func readStepParams(t *topology.Table, f *faults.Fault, k catalog.Kind, known bool) {
	readFaultParams(t, f, k, known, "after", "narrative")
}
