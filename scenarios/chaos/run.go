package chaos

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/shard"
)

// RunOptions tune Run.
type RunOptions struct {
	Workers int
	Shard   scenarios.Shard
	// Run is passed to every trial (its trace options are ignored: trials
	// keep no trace).
	Run scenarios.Options
	// Done, when set, is called after each trial in trial order (progress).
	Done func(done, total int)
}

// Run simulates the trials that the shard selects and returns their rows
// in trial order; a trial's result is reduced to its row as soon as it and
// every trial before it are done (RunAll's Done), so memory does not grow
// with the trial count beyond the rows. Cancelling ctx (--max-wall) stops
// the campaign cleanly: trials not finished are rows with status
// "not-run". Rows do not depend on the worker count.
func Run(ctx context.Context, p *Plan, m *Meta, opt RunOptions) []Trial {
	idx := opt.Shard.Select(p.Options.Trials)
	jobs := make([]scenarios.Job, len(idx))
	for k, i := range idx {
		jobs[k] = p.Job(i)
	}
	ro := opt.Run
	ro.SkipTrace, ro.Trace, ro.KeepEvents = true, nil, false
	rows := make([]Trial, len(idx))
	scenarios.RunAll(ctx, jobs, scenarios.RunAllOptions{Workers: opt.Workers, Run: ro, Done: func(k int, jr scenarios.JobResult) {
		rows[k] = p.TrialOf(idx[k], jr, m)
		if opt.Done != nil {
			opt.Done(k+1, len(idx))
		}
	}})
	return rows
}

// Kind is the shard kind of a campaign.
const Kind = "chaos"

// ShardFile packs a shard's rows (from Run) with the campaign's meta.
func ShardFile(m Meta, s scenarios.Shard, rows []Trial) (*shard.File, error) {
	f, err := shard.New(Kind, m.Trials, s.String(), m)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := f.Add(r.Trial, r); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// FromShard rebuilds the report of a whole campaign from a folded shard
// file (a single machine's file is one too): the report is always made
// from the rows as written, so a merge of shards and a single run give the
// same bytes.
func FromShard(f *shard.File) (*Report, error) {
	if f.Kind != Kind {
		return nil, fmt.Errorf("not a chaos shard (kind %q)", f.Kind)
	}
	var m Meta
	if err := json.Unmarshal(f.Meta, &m); err != nil {
		return nil, fmt.Errorf("chaos meta: %w", err)
	}
	if len(f.Rows) != f.Total || m.Trials != f.Total {
		return nil, fmt.Errorf("chaos: %d of %d trials present", len(f.Rows), m.Trials)
	}
	rows := make([]Trial, len(f.Rows))
	for i, r := range f.Rows {
		if err := json.Unmarshal(r.Data, &rows[i]); err != nil {
			return nil, fmt.Errorf("chaos trial %d: %w", r.Job, err)
		}
		t := rows[i]
		if t.Trial != i {
			return nil, fmt.Errorf("chaos row %d holds trial %d", i, t.Trial)
		}
		if t.Status == StatusOK && (len(t.UpNS) != len(m.Demands) || len(t.Offered) != len(m.Demands) ||
			len(t.Lost) != len(m.Demands) || len(t.ByCause) != len(m.Causes) || len(t.Over) != len(m.OverNS)) {
			return nil, fmt.Errorf("chaos trial %d: rows do not match the campaign's demands, causes or thresholds", i)
		}
	}
	return NewReport(m, rows), nil
}

// WorstDir is the folder of the worst trials' traces in an output set.
const WorstDir = "worst"

// WriteWorst re-runs the k worst of rows (most bytes lost first; the rows
// this machine ran) with their traces streamed to dir/worst/trial-<i>.jsonl:
// runs are deterministic, so a re-run gives the trace the trial had,
// cheaper than keeping every trace. It returns the trials written.
func WriteWorst(ctx context.Context, p *Plan, m *Meta, rows []Trial, k int, dir string, opt RunOptions) ([]int, error) {
	var ws []Worst
	for _, t := range rows {
		if t.Status != StatusOK {
			continue
		}
		w := Worst{Trial: t.Trial, Lost: t.LostTotal, MinAvailability: 1}
		for _, up := range t.UpNS {
			w.MinAvailability = min(w.MinAvailability, float64(up)/float64(m.HorizonNS))
		}
		ws = append(ws, w)
	}
	slices.SortStableFunc(ws, compareWorst)
	ws = ws[:min(k, len(ws))]
	if len(ws) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Join(dir, WorstDir), 0o755); err != nil {
		return nil, err
	}
	jobs := make([]scenarios.Job, len(ws))
	for i, w := range ws {
		jobs[i] = p.Job(w.Trial)
	}
	ro := opt.Run
	ro.SkipTrace = true
	res := scenarios.RunAll(ctx, jobs, scenarios.RunAllOptions{Workers: opt.Workers, Run: ro,
		TraceFor: func(i int, _ scenarios.Job) (io.WriteCloser, error) {
			return os.Create(filepath.Join(dir, WorstPath(ws[i].Trial)))
		}})
	var out []int
	for i, jr := range res {
		if jr.Err != nil {
			return out, fmt.Errorf("re-running trial %d for its trace: %w", ws[i].Trial, jr.Err)
		}
		out = append(out, ws[i].Trial)
	}
	return out, nil
}

// WorstPath is where trial i's trace goes in an output set.
func WorstPath(i int) string { return filepath.Join(WorstDir, fmt.Sprintf("trial-%06d.jsonl", i)) }
