// Package sweep plans and reduces systematic failure sweeps: every single
// (depth 1) or pair (depth 2) of failures of chosen kinds, each simulated
// over a scenario's traffic and duration, ranked by impact; and design
// comparisons (the same traffic and failures over several designs).
//
// A sweep is plan → run → reduce: NewPlan makes one job per failure set
// (symmetric sets, found by fabric automorphisms, are simulated once),
// scenarios.RunAll runs them, RowOf turns each result into a Row, and
// NewReport ranks the rows. Rows are plain values keyed by job index, so
// shards (--shard i/N) fold back into the whole run (see Shard and Merge).
package sweep

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/shard"
)

// Row is the impact of one failure set (one job).
type Row struct {
	Job      int       `json:"job"`
	Label    string    `json:"label"`
	Failures []Failure `json:"failures"`
	// Cases is how many failure sets the row stands for (symmetry).
	Cases   int      `json:"cases"`
	Members []string `json:"members,omitempty"`
	Err     string   `json:"error,omitempty"`
	// ErrKind is the kind of Err (scenarios.KindOf): it decides the exit code.
	ErrKind scenarios.ErrorKind `json:"error_kind,omitempty"`

	// Bytes lost from the failure on (the run's loss minus its baseline
	// before the failure), in total and by cause.
	LostBytes   float64            `json:"lost_bytes"`
	LostByCause map[string]float64 `json:"lost_by_cause,omitempty"`
	// Worst failover over every fault and affected demand (restored ones).
	FailoverKnown bool  `json:"failover_known"`
	FailoverNS    int64 `json:"failover_ns"`
	// Demands not restored before the end of the run.
	NotRestored []string `json:"not_restored,omitempty"`
	// Short lists the demands that, once failed over, deliver less than
	// 99% of their offered rate (or are not restored): what analyze
	// predicts as a shortfall.
	Short []string `json:"short,omitempty"`
	// Detection: the slowest fault detection (ns); Undetected counts faults
	// nothing detected.
	DetectionNS int64 `json:"detection_ns"`
	Undetected  int   `json:"undetected"`
	// CongestionNS is the longest time one link or pool was above capacity;
	// CongestedOn names it.
	CongestionNS int64  `json:"congestion_ns"`
	CongestedOn  string `json:"congested_on,omitempty"`
	// Headroom is the lowest headroom left on a link or pool after the
	// failures (negative: over capacity).
	HeadroomKnown bool    `json:"headroom_known"`
	Headroom      float64 `json:"headroom"`
	HeadroomOn    string  `json:"headroom_on,omitempty"`
	// Expectations of the scenario: how many held, and the messages of
	// those that did not.
	Expectations int      `json:"expectations"`
	Failed       []string `json:"failed,omitempty"`
}

// Survived reports whether every expectation held (and the run finished).
func (r Row) Survived() bool { return r.Err == "" && len(r.Failed) == 0 }

// ErrorKind is the kind of the row's error ("" when it has none; an error
// of a shard that kept no kind counts as internal).
func (r Row) ErrorKind() scenarios.ErrorKind {
	if r.Err != "" && r.ErrKind == "" {
		return scenarios.KindInternal
	}
	return r.ErrKind
}

// RowOf reduces job i's result to a row.
func RowOf(p *Plan, i int, jr scenarios.JobResult) Row {
	c := p.Cases[i]
	row := Row{Job: i, Label: Label(c.Failures), Failures: c.Failures, Cases: len(c.Members)}
	if len(c.Members) > 1 {
		for _, m := range c.Members {
			row.Members = append(row.Members, Label(m))
		}
	}
	if jr.Err != nil {
		row.Err, row.ErrKind = jr.Err.Error(), scenarios.KindOf(jr.Err)
		return row
	}
	res := jr.Result.Metrics
	row.LostBytes = max(0, res.Loss.Lost-res.Baseline.Lost)
	for _, cause := range res.Loss.CauseNames() {
		if v := res.Loss.Cause(cause) - res.Baseline.Cause(cause); v > 0 {
			if row.LostByCause == nil {
				row.LostByCause = map[string]float64{}
			}
			row.LostByCause[cause] = v
		}
	}
	notRestored, short := map[string]bool{}, map[string]bool{}
	for _, f := range res.Faults {
		if f.Detected {
			row.DetectionNS = max(row.DetectionNS, f.Detection)
		} else {
			row.Undetected++
		}
		for _, fo := range f.Failovers {
			if !fo.Restored || fo.Target < 0.99*fo.Offered {
				short[fo.Demand] = true
			}
			if !fo.Restored {
				notRestored[fo.Demand] = true
				continue
			}
			if !row.FailoverKnown || fo.Failover > row.FailoverNS {
				row.FailoverKnown, row.FailoverNS = true, fo.Failover
			}
		}
		if f.HeadroomKnown && (!row.HeadroomKnown || f.Headroom < row.Headroom) {
			row.HeadroomKnown, row.Headroom, row.HeadroomOn = true, f.Headroom, f.HeadroomOn
		}
	}
	row.NotRestored = sortedKeys(notRestored)
	row.Short = sortedKeys(short)
	for _, cs := range [][]metrics.Capacity{res.Pools, res.Links} {
		for _, c := range cs {
			if c.Over > row.CongestionNS {
				row.CongestionNS, row.CongestedOn = c.Over, c.Kind+" "+c.Name
			}
		}
	}
	row.Expectations = len(jr.Result.Outcomes)
	for _, o := range jr.Result.Outcomes {
		if !o.Passed {
			row.Failed = append(row.Failed, o.Message)
		}
	}
	return row
}

// Rank orders rows by impact, worst first: errors, then demands not
// restored, bytes lost, worst failover, time in congestion, least headroom;
// ties by job index. It returns job indices.
func Rank(rows []Row) []int {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	hr := func(r Row) float64 {
		if r.HeadroomKnown {
			return r.Headroom
		}
		return 1
	}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := rows[a], rows[b]
		return cmp.Or(
			cmp.Compare(b2i(y.Err != ""), b2i(x.Err != "")),
			cmp.Compare(len(y.NotRestored), len(x.NotRestored)),
			cmp.Compare(y.LostBytes, x.LostBytes),
			cmp.Compare(y.FailoverNS, x.FailoverNS),
			cmp.Compare(y.CongestionNS, x.CongestionNS),
			cmp.Compare(hr(x), hr(y)),
			cmp.Compare(x.Job, y.Job),
		)
	})
	return idx
}

// RunOptions tune Run.
type RunOptions struct {
	Workers int
	Shard   scenarios.Shard
	Run     scenarios.Options
	// Done, when set, is called after each job in job order (progress).
	Done func(done, total int)
}

// Run simulates the plan's jobs that the shard selects and returns their
// rows in job order. Rows do not depend on the worker count.
func Run(ctx context.Context, p *Plan, opt RunOptions) []Row {
	jobs := p.Jobs()
	idx := opt.Shard.Select(len(jobs))
	sub := make([]scenarios.Job, len(idx))
	for k, i := range idx {
		sub[k] = jobs[i]
	}
	ro := opt.Run
	ro.SkipTrace = true
	rows := make([]Row, len(idx))
	scenarios.RunAll(ctx, sub, scenarios.RunAllOptions{Workers: opt.Workers, Run: ro, Done: func(k int, jr scenarios.JobResult) {
		rows[k] = RowOf(p, idx[k], jr)
		if opt.Done != nil {
			opt.Done(k+1, len(idx))
		}
	}})
	return rows
}

// Kind is the shard kind of a sweep.
const Kind = "sweep"

// ShardFile packs a shard's rows (from Run) with the sweep's meta.
func ShardFile(m Meta, total int, s scenarios.Shard, rows []Row) (*shard.File, error) {
	f, err := shard.New(Kind, total, s.String(), m)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := f.Add(r.Job, r); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// FromShard rebuilds the report of a whole sweep from a folded shard file.
func FromShard(f *shard.File) (*Report, error) {
	if f.Kind != Kind {
		return nil, fmt.Errorf("not a sweep shard (kind %q)", f.Kind)
	}
	var m Meta
	if err := json.Unmarshal(f.Meta, &m); err != nil {
		return nil, fmt.Errorf("sweep meta: %w", err)
	}
	if len(f.Rows) != f.Total {
		return nil, fmt.Errorf("sweep: %d of %d jobs present", len(f.Rows), f.Total)
	}
	rows := make([]Row, len(f.Rows))
	for i, r := range f.Rows {
		if err := json.Unmarshal(r.Data, &rows[i]); err != nil {
			return nil, fmt.Errorf("sweep row %d: %w", r.Job, err)
		}
		if rows[i].Job != i {
			return nil, fmt.Errorf("sweep row %d holds job %d", i, rows[i].Job)
		}
	}
	return NewReport(m, rows), nil
}
