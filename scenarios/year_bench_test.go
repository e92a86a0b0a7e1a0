package scenarios

import (
	"fmt"
	"testing"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
)

// BenchmarkQuietYear runs random-channel-failures over 30 and 365 days
// (Duration overridden), under the default event limit: the cost of idle
// time, which must be almost nothing (keepalives and hold timers are
// computed, not simulated, while sessions are healthy). It reports kernel
// events per run.
//
//	go test ./scenarios -run '^$' -bench QuietYear -benchtime 3x
func BenchmarkQuietYear(b *testing.B) {
	for _, days := range []int{30, 365} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			sc, err := Load("../examples/scenarios/random-channel-failures.toml")
			if err != nil {
				b.Fatal(err)
			}
			sc.Duration = sim.Time(days) * 24 * sim.Hour
			b.ReportAllocs()
			var events uint64
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				res, err := Run(sc, Options{SkipTrace: true})
				if err != nil {
					b.Fatal(err)
				}
				events = res.SimEvents
			}
			b.ReportMetric(float64(events), "sim-events/run")
			b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/run")
		})
	}
}

// BenchmarkYearMetrics folds the one-year random-channel-failures trial's
// events (about 208k, kept from one run) through metrics.Builder, as the
// recorder does during a run: the metrics path of the year alone.
//
//	go test ./scenarios -run '^$' -bench YearMetrics -benchtime 10x
func BenchmarkYearMetrics(b *testing.B) {
	sc, err := Load("../examples/scenarios/random-channel-failures.toml")
	if err != nil {
		b.Fatal(err)
	}
	sc.Duration = 365 * 24 * sim.Hour
	res, err := Run(sc, Options{SkipTrace: true, KeepEvents: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		m := metrics.NewBuilder(res.Header, metrics.Options{SettleWindow: res.Header.SettleNS})
		m.ExpectFaults(len(res.Metrics.Faults))
		for _, e := range res.Events {
			m.Apply(e)
		}
		_ = m.Result()
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(len(res.Events)), "events")
}
