package chaos

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
)

// Meta describes a campaign; it is the same in every shard of one campaign.
type Meta struct {
	Scenario  string                   `json:"scenario"`
	File      string                   `json:"file"`
	SHA256    string                   `json:"sha256"`
	Topology  string                   `json:"topology"`
	Seed      uint64                   `json:"seed"`
	Trials    int                      `json:"trials"`
	HorizonNS int64                    `json:"horizon_ns"`
	Random    []string                 `json:"random"` // the [[random]] classes
	Scripted  int                      `json:"scripted"`
	Demands   []string                 `json:"demands"`
	Causes    []string                 `json:"causes"`
	OverNS    []int64                  `json:"over_ns"`
	Expect    []metrics.CampaignExpect `json:"expect"`
	Netdrill  string                   `json:"netdrill"`
}

// MetaOf describes a plan.
func MetaOf(p *Plan, version string) Meta {
	sc := p.Original
	// Base names only: shards on other machines read the file elsewhere.
	m := Meta{Scenario: sc.Name, File: filepath.Base(sc.File), SHA256: sc.SHA256, Seed: p.Options.Seed, Trials: p.Options.Trials,
		HorizonNS: int64(p.Trial.Duration), Scripted: len(sc.Faults), OverNS: p.Overs, Expect: sc.Campaign, Netdrill: version,
		Causes: append(slices.Clone(metrics.Causes), metrics.Unattributed)}
	if sc.Topology != nil {
		m.Topology = sc.Topology.Name
	}
	for _, r := range sc.Random {
		m.Random = append(m.Random, fmt.Sprintf("%s: %s on %d components, mtbf %s, mttr %s", r.Class, r.Kind, len(r.Components), r.MTBF, r.MTTR))
	}
	for _, t := range sc.Traffic {
		m.Demands = append(m.Demands, t.Name)
	}
	slices.Sort(m.Demands)
	m.Expect = make([]metrics.CampaignExpect, len(sc.Campaign))
	for i, e := range sc.Campaign {
		e.Where = strings.Replace(e.Where, sc.File, m.File, 1)
		m.Expect[i] = e
	}
	return m
}

// Report is a whole campaign's aggregates.
type Report struct {
	Meta    Meta   `json:"meta"`
	Done    int    `json:"trials_done"` // trials with a result
	NotRun  int    `json:"trials_not_run"`
	Partial bool   `json:"partial"` // stopped by --max-wall: aggregates over the trials done
	Errors  []Fail `json:"errors"`  // trials that failed

	Faults    Interval    `json:"faults_per_trial"`
	Demands   []DemandAgg `json:"demands"`
	Failover  FailoverAgg `json:"failover"`
	Lost      Interval    `json:"lost_bytes_per_trial"`
	Causes    []CauseAgg  `json:"loss_by_cause"`
	Hurts     []ShareAgg  `json:"what_hurts"`       // components by share of lost bytes, largest first
	Classes   []ShareAgg  `json:"what_hurts_class"` // classes by share of lost bytes, largest first
	Worst     []Worst     `json:"worst"`
	Outcomes  []Outcome   `json:"expectations"`
	Histogram [][2]int64  `json:"failover_histogram"` // pooled restored failovers [bucket, count]
}

// Fail is a trial that could not run.
type Fail struct {
	Trial int                 `json:"trial"`
	Seed  uint64              `json:"seed"`
	Err   string              `json:"error"`
	Kind  scenarios.ErrorKind `json:"error_kind"` // scenarios.KindOf; internal when the shard kept none
}

// DemandAgg is one demand's availability.
type DemandAgg struct {
	Name         string   `json:"name"`
	Availability Interval `json:"availability"`      // fraction of time fully delivered
	Downtime     Interval `json:"downtime_min_year"` // minutes per year
	LossRatio    Interval `json:"loss_ratio"`        // lost / offered bytes (ratio estimator)
}

// FailoverAgg is the pooled failover distribution.
type FailoverAgg struct {
	Count      int       `json:"count"`      // affected demand × fault, every trial
	Restored   int64     `json:"restored"`   // of which restored (the distribution)
	Unrestored int       `json:"unrestored"` // not restored (the fault outlasted every alternative)
	P50        Interval  `json:"p50_ns"`
	P90        Interval  `json:"p90_ns"`
	P99        Interval  `json:"p99_ns"`
	MaxNS      int64     `json:"max_ns"`
	Over       []OverAgg `json:"over"`
}

// OverAgg is P(failover > X).
type OverAgg struct {
	OverNS int64    `json:"over_ns"`
	P      Interval `json:"p"`
}

// CauseAgg is the loss of one cause.
type CauseAgg struct {
	Cause string   `json:"cause"`
	Bytes Interval `json:"bytes_per_trial"`
	Share Interval `json:"share"`
}

// ShareAgg is one component's or class's share of lost bytes.
type ShareAgg struct {
	Name  string   `json:"name"`
	Bytes float64  `json:"bytes"` // every trial
	Share Interval `json:"share"`
}

// Worst is one of the worst trials (most bytes lost).
type Worst struct {
	Trial           int     `json:"trial"`
	Seed            uint64  `json:"seed"`
	Lost            float64 `json:"lost_bytes"`
	MinAvailability float64 `json:"min_availability"`
	Faults          int     `json:"faults"`
}

// WorstListed is how many worst trials a report lists.
const WorstListed = 10

// NewReport aggregates a campaign's trials (in trial order, one per
// trial). O(trials × (demands + causes + components)).
func NewReport(m Meta, trials []Trial) *Report {
	r := &Report{Meta: m, Errors: []Fail{}}
	var ok []Trial
	for _, t := range trials {
		switch t.Status {
		case StatusOK:
			ok = append(ok, t)
		case StatusNotRun:
			r.NotRun++
		default:
			kind := t.ErrKind
			if kind == "" {
				kind = scenarios.KindInternal
			}
			r.Errors = append(r.Errors, Fail{Trial: t.Trial, Seed: t.Seed, Err: t.Err, Kind: kind})
		}
	}
	r.Done, r.Partial = len(ok), r.NotRun > 0
	col := func(f func(Trial) float64) []float64 {
		out := make([]float64, len(ok))
		for i, t := range ok {
			out[i] = f(t)
		}
		return out
	}
	r.Faults = meanCI(col(func(t Trial) float64 { return float64(t.Faults) }))
	yearMin := float64(Year) / float64(sim.Minute)
	for k, name := range m.Demands {
		a := meanCI(col(func(t Trial) float64 { return float64(t.UpNS[k]) / float64(m.HorizonNS) }))
		a.Lo, a.Hi = max(0, a.Lo), min(1, a.Hi)
		dt := Interval{Est: (1 - a.Est) * yearMin, Lo: (1 - a.Hi) * yearMin, Hi: (1 - a.Lo) * yearMin, N: a.N}
		lr := ratioCI(col(func(t Trial) float64 { return t.Lost[k] }), col(func(t Trial) float64 { return t.Offered[k] }), false)
		r.Demands = append(r.Demands, DemandAgg{Name: name, Availability: a, Downtime: dt, LossRatio: lr})
	}

	lost := col(func(t Trial) float64 { return t.LostTotal })
	r.Lost = meanCI(lost)
	for k, c := range m.Causes {
		x := col(func(t Trial) float64 { return t.ByCause[k] })
		var sum float64
		for _, v := range x {
			sum += v
		}
		if sum == 0 {
			continue
		}
		r.Causes = append(r.Causes, CauseAgg{Cause: c, Bytes: meanCI(x), Share: ratioCI(x, lost, false)})
	}
	r.Hurts = shareAggs(ok, lost, func(t Trial) []Share { return t.Components })
	r.Classes = shareAggs(ok, lost, func(t Trial) []Share { return t.Classes })

	hist := map[int64]int64{}
	fo := &r.Failover
	for _, t := range ok {
		fo.Count += t.Failovers
		fo.Unrestored += t.Unrestored
		fo.MaxNS = max(fo.MaxNS, t.MaxNS)
		for _, b := range t.Hist {
			hist[b[0]] += b[1]
			fo.Restored += b[1]
		}
	}
	for _, b := range sortedKeys(hist) {
		r.Histogram = append(r.Histogram, [2]int64{b, hist[b]})
	}
	if r.Histogram == nil {
		r.Histogram = [][2]int64{}
	}
	fo.P50 = quantileCI(r.Histogram, fo.Restored, 0.50)
	fo.P90 = quantileCI(r.Histogram, fo.Restored, 0.90)
	fo.P99 = quantileCI(r.Histogram, fo.Restored, 0.99)
	for _, q := range []*Interval{&fo.P50, &fo.P90, &fo.P99} {
		// Bucket tops never claim more than the exact maximum.
		mx := float64(fo.MaxNS)
		q.Est, q.Lo, q.Hi = min(q.Est, mx), min(q.Lo, mx), min(q.Hi, mx)
	}
	n := col(func(t Trial) float64 { return float64(t.Failovers) })
	for k, x := range m.OverNS {
		over := col(func(t Trial) float64 { return float64(t.Over[k]) })
		fo.Over = append(fo.Over, OverAgg{OverNS: x, P: ratioCI(over, n, true)})
	}

	for _, t := range ok {
		w := Worst{Trial: t.Trial, Seed: t.Seed, Lost: t.LostTotal, MinAvailability: 1, Faults: t.Faults}
		for _, up := range t.UpNS {
			w.MinAvailability = min(w.MinAvailability, float64(up)/float64(m.HorizonNS))
		}
		r.Worst = append(r.Worst, w)
	}
	slices.SortStableFunc(r.Worst, compareWorst)
	r.Worst = r.Worst[:min(len(r.Worst), WorstListed)]
	r.Outcomes = evaluate(r)
	return r
}

// compareWorst orders trials worst first: most bytes lost, then lowest
// availability of any demand, then trial index.
func compareWorst(a, b Worst) int {
	return cmp.Or(cmp.Compare(b.Lost, a.Lost), cmp.Compare(a.MinAvailability, b.MinAvailability), cmp.Compare(a.Trial, b.Trial))
}

// shareAggs ranks names by their share of lost bytes, largest first (ties
// by name).
func shareAggs(ok []Trial, lost []float64, of func(Trial) []Share) []ShareAgg {
	names := map[string]bool{}
	for _, t := range ok {
		for _, s := range of(t) {
			names[s.Name] = true
		}
	}
	var out []ShareAgg
	for _, name := range sortedKeys(names) {
		x := make([]float64, len(ok))
		var sum float64
		for i, t := range ok {
			for _, s := range of(t) {
				if s.Name == name {
					x[i] = s.Bytes
				}
			}
			sum += x[i]
		}
		out = append(out, ShareAgg{Name: name, Bytes: sum, Share: ratioCI(x, lost, false)})
	}
	slices.SortStableFunc(out, func(a, b ShareAgg) int {
		return cmp.Or(cmp.Compare(b.Bytes, a.Bytes), strings.Compare(a.Name, b.Name))
	})
	if out == nil {
		out = []ShareAgg{}
	}
	return out
}
