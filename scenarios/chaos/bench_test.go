package chaos

import (
	"context"
	"testing"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/sim"
)

// BenchmarkQuadTrial measures campaign trials on the aws-gcp quad with
// examples/scenarios/random-channel-failures.toml as the base (four
// channels, exponential MTBF 12h, log-normal repair median 20m: ~730
// channel failures a year, many overlapping), one trial per iteration on
// one core, warm-up and the reduction to a Trial row included. trials/s
// is per core: a campaign runs --workers of them at once.
//
//	go test ./scenarios/chaos -run '^$' -bench QuadTrial -benchtime 3x
//
// quad-year is examples/campaigns/quad-year.toml: the same quad with
// failure rates of a real year (~16 channel and ~0.4 facility failures).
func BenchmarkQuadTrial(b *testing.B) {
	channels, err := scenarios.Load("../../examples/scenarios/random-channel-failures.toml")
	if err != nil {
		b.Fatal(err)
	}
	year, err := scenarios.Load("../../examples/campaigns/quad-year.toml")
	if err != nil {
		b.Fatal(err)
	}
	for _, h := range []struct {
		name    string
		sc      *scenarios.Scenario
		horizon sim.Time
	}{{"channels-12h/horizon=1d", channels, 24 * sim.Hour}, {"channels-12h/horizon=1y", channels, Year},
		{"quad-year/horizon=1y", year, Year}} {
		b.Run(h.name, func(b *testing.B) {
			p, m := plan(b, h.sc, Options{Trials: b.N, Horizon: h.horizon, Seed: 1})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := scenarios.RunJob(p.Job(i), scenarios.Options{SkipTrace: true, Context: context.Background()})
				if err != nil {
					b.Fatal(err)
				}
				if t := p.TrialOf(i, scenarios.JobResult{Job: p.Job(i), Result: r}, &m); t.Status != StatusOK {
					b.Fatal(t.Err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}
