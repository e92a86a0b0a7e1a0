package chaos

import (
	"cmp"
	"context"
	"errors"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
)

// Trial is what one trial keeps: its metrics reduced to what the campaign
// aggregates (a shard row). Slices follow Meta's orders (demands, causes,
// overs); components and classes are sorted by name.
type Trial struct {
	Trial  int    `json:"trial"`
	Seed   uint64 `json:"seed"`
	Status string `json:"status"` // "ok", "error", or "not-run" (stopped by --max-wall)
	Err    string `json:"error,omitempty"`
	// ErrKind is the kind of Err (scenarios.KindOf): it decides the exit code.
	ErrKind scenarios.ErrorKind `json:"error_kind,omitempty"`

	Faults    int       `json:"faults"`
	UpNS      []int64   `json:"up_ns"`    // per demand: time fully delivered
	Offered   []float64 `json:"offered"`  // per demand: bytes offered
	Lost      []float64 `json:"lost"`     // per demand: bytes lost
	LostTotal float64   `json:"lost_all"` // every demand
	ByCause   []float64 `json:"by_cause"` // bytes lost per cause (Meta.Causes)

	Failovers  int        `json:"failovers"`  // affected demand × fault, restored or not
	Unrestored int        `json:"unrestored"` // of which not restored
	Over       []int      `json:"over"`       // per Meta.OverNS: failovers longer than it, unrestored included
	MaxNS      int64      `json:"max_ns"`     // longest restored failover
	Hist       [][2]int64 `json:"hist"`       // restored failovers: [bucket, count], buckets increasing

	Components []Share `json:"components"` // lost bytes per component hit (target class and name)
	Classes    []Share `json:"classes"`    // lost bytes per [[random]] class ("scripted" for [[fault]]s)
}

// Share is lost bytes blamed on one component or class.
type Share struct {
	Name  string  `json:"name"`
	Bytes float64 `json:"bytes"`
}

// Trial statuses.
const (
	StatusOK     = "ok"
	StatusError  = "error"
	StatusNotRun = "not-run"
)

// Before is the component and class of loss before the first fault.
const Before = "(before any fault)"

// bucket maps a failover (ns) to its histogram bucket: the value with all
// but its 7 leading significant bits cleared (values below 128ns are
// exact), so a bucket spans less than 1/64 of its value.
func bucket(v int64) int64 {
	if v < 128 {
		return max(v, 0)
	}
	shift := bits.Len64(uint64(v)) - 7
	return v >> shift << shift
}

// bucketTop is the largest value of v's bucket.
func bucketTop(b int64) int64 {
	if b < 128 {
		return b
	}
	shift := bits.Len64(uint64(b)) - 7
	return b | (1<<shift - 1)
}

// TrialOf reduces trial i's job result to its row.
func (p *Plan) TrialOf(i int, jr scenarios.JobResult, m *Meta) Trial {
	t := Trial{Trial: i, Seed: jr.Job.Seed, Status: StatusOK}
	switch {
	case jr.Err != nil && (errors.Is(jr.Err, context.Canceled) || errors.Is(jr.Err, context.DeadlineExceeded)):
		t.Status = StatusNotRun
		return t
	case jr.Err != nil:
		t.Status, t.Err, t.ErrKind = StatusError, jr.Err.Error(), scenarios.KindOf(jr.Err)
		return t
	case jr.Result == nil || jr.Result.Metrics == nil:
		t.Status, t.Err, t.ErrKind = StatusError, "no result", scenarios.KindInternal
		return t
	}
	res := jr.Result.Metrics
	t.Faults = len(res.Faults)
	t.UpNS = make([]int64, len(m.Demands))
	t.Offered = make([]float64, len(m.Demands))
	t.Lost = make([]float64, len(m.Demands))
	for _, d := range res.Demands {
		k := slices.Index(m.Demands, d.Name)
		if k < 0 {
			continue
		}
		t.UpNS[k] = d.UpTime(res.End)
		t.Offered[k], t.Lost[k] = d.Loss.Offered, d.Loss.Lost
	}
	t.LostTotal = res.Loss.Lost
	t.ByCause = make([]float64, len(m.Causes))
	for k, c := range m.Causes {
		t.ByCause[k] = res.Loss.Cause(c)
	}

	t.Over = make([]int, len(m.OverNS))
	hist := map[int64]int64{}
	for _, f := range res.Faults {
		for _, fo := range f.Failovers {
			t.Failovers++
			if !fo.Restored {
				t.Unrestored++
			} else {
				hist[bucket(fo.Failover)]++
				t.MaxNS = max(t.MaxNS, fo.Failover)
			}
			for k, x := range m.OverNS {
				if !fo.Restored || fo.Failover > x {
					t.Over[k]++
				}
			}
		}
	}
	for _, b := range sortedKeys(hist) {
		t.Hist = append(t.Hist, [2]int64{b, hist[b]})
	}

	classes := p.classesOf(jr.Job.Seed)
	comp, class := map[string]float64{}, map[string]float64{}
	if res.Baseline.Lost > 0 {
		comp[Before] += res.Baseline.Lost
		class[Before] += res.Baseline.Lost
	}
	for k, lost := range res.FaultLoss() {
		if lost == 0 {
			continue
		}
		f := res.Faults[k]
		comp[componentOf(f)] += lost
		class[classOf(f.ID, classes)] += lost
	}
	t.Components, t.Classes = shares(comp), shares(class)
	return t
}

// classesOf returns the classes of the trial's random faults in schedule
// order (fault r<k> is the k-th): the run draws them with
// faults.NewSchedule from the engine's streams, which depend only on the
// seed, so drawing again gives the same occurrences.
func (p *Plan) classesOf(seed uint64) []string {
	if len(p.Trial.Random) == 0 {
		return nil
	}
	sched := faults.NewSchedule(sim.NewStreams(seed), p.Trial.Random, p.Trial.Duration)
	var out []string
	for {
		o, ok := sched.Next()
		if !ok {
			return out
		}
		out = append(out, o.Class)
	}
}

func classOf(id string, classes []string) string {
	if n, ok := strings.CutPrefix(id, "r"); ok {
		if k, err := strconv.Atoi(n); err == nil && k >= 1 && k <= len(classes) {
			return classes[k-1]
		}
	}
	return "scripted"
}

// componentOf is "link aws-gcp-ch1": the fault kind's target class and the target.
func componentOf(f metrics.Fault) string {
	if k, ok := catalog.Lookup(f.Kind); ok && f.Target != "" {
		return string(k.Target) + " " + f.Target
	}
	if f.Target == "" {
		return f.Kind
	}
	return f.Kind + " " + f.Target
}

func shares(m map[string]float64) []Share {
	out := make([]Share, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, Share{Name: k, Bytes: m[k]})
	}
	return out
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
