package chaos

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// Year is the year of "1y" and of downtime per year: 365 days.
const Year = 365 * 24 * sim.Hour

// Options describe a campaign.
type Options struct {
	Trials  int
	Horizon sim.Time // simulated time per trial (0: the scenario's duration)
	Seed    uint64   // the campaign seed; trial i runs with TrialSeed(Seed, i)
}

// Plan is a campaign: the trial scenario (the scenario with the horizon as
// its duration and without its single-run expectations) and what the
// trials measure beyond the defaults.
type Plan struct {
	Original *scenarios.Scenario
	// Trial is a shallow copy of Original that every trial runs (a run
	// never mutates its scenario, so the copy is shared).
	Trial   *scenarios.Scenario
	Options Options
	// Overs are the thresholds X of P(failover > X), in ns, increasing:
	// the scenario's failover objectives ([[expect]] failover bounds and
	// [[campaign.expect]] p_failover_over thresholds), 1s when it has none.
	Overs []int64
}

// NewPlan checks the options against the scenario and makes the plan.
func NewPlan(sc *scenarios.Scenario, opt Options) (*Plan, error) {
	if opt.Trials < 1 {
		return nil, fmt.Errorf("--trials %d: want at least 1", opt.Trials)
	}
	if opt.Horizon == 0 {
		opt.Horizon = sc.Duration
	}
	if opt.Horizon <= 0 {
		return nil, fmt.Errorf("horizon %v: must be positive", opt.Horizon)
	}
	var errs []error
	for _, f := range sc.Faults {
		if f.At >= opt.Horizon {
			errs = append(errs, fmt.Errorf("fault %s at %v is not before the horizon %v", f.ID, f.At, opt.Horizon))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	trial := *sc
	trial.Duration = opt.Horizon
	trial.Expect = nil // single-run expectations name faults a trial may not have
	p := &Plan{Original: sc, Trial: &trial, Options: opt}
	overs := map[int64]bool{}
	for _, e := range sc.Expect {
		if (e.Metric == "failover" || e.Metric == "failover.max") && e.Max != "" {
			if v, err := metrics.Parse(metrics.KindDuration, e.Max); err == nil {
				overs[int64(v)] = true
			}
		}
	}
	for _, e := range sc.Campaign {
		if _, b, errs := metrics.ParseCampaign(e); len(errs) == 0 && b.Over > 0 {
			overs[b.Over] = true
		}
	}
	if len(overs) == 0 {
		overs[int64(sim.Second)] = true
	}
	for v := range overs {
		p.Overs = append(p.Overs, v)
	}
	slices.Sort(p.Overs)
	return p, nil
}

// TrialSeed is the engine seed of trial i of a campaign with seed s:
// SplitMix64's output function applied to s + (i+1)·γ, with γ the golden
// ratio constant 0x9E3779B97F4A7C15 — the (i+1)-th output of a SplitMix64
// generator seeded with s. Seeds of different trials (and of campaigns
// with nearby seeds) are decorrelated, and trial i's seed depends on
// nothing but (s, i), so any machine can run any trial.
func TrialSeed(s uint64, i int) uint64 {
	z := s + uint64(i+1)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Jobs returns one job per trial.
func (p *Plan) Jobs() []scenarios.Job {
	jobs := make([]scenarios.Job, p.Options.Trials)
	for i := range jobs {
		jobs[i] = p.Job(i)
	}
	return jobs
}

// Job is trial i.
func (p *Plan) Job(i int) scenarios.Job {
	return scenarios.Job{Name: "trial " + strconv.Itoa(i), Scenario: p.Trial, Seed: TrialSeed(p.Options.Seed, i)}
}

// ParseHorizon reads a horizon: a Go duration ("720h", "90m") or a whole
// or decimal number of days or years ("30d", "1y", "0.5y"; a year is 365
// days).
func ParseHorizon(s string) (sim.Time, error) {
	t := strings.TrimSpace(s)
	for _, u := range []struct {
		suffix string
		unit   sim.Time
	}{{"y", Year}, {"d", 24 * sim.Hour}} {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v <= 0 || v > 200 {
				return 0, fmt.Errorf("horizon %q: want a positive number of days or years (at most 200y), e.g. \"1y\" or \"30d\", or a duration such as \"720h\"", s)
			}
			return sim.Time(v * float64(u.unit)), nil
		}
	}
	d, err := topology.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("horizon: %w (or days and years: \"30d\", \"1y\")", err)
	}
	if d <= 0 || d > time.Duration(200*Year) {
		return 0, fmt.Errorf("horizon %q: want a positive duration up to 200y", s)
	}
	return sim.Time(d), nil
}
