package scenarios

import (
	"fmt"
	"testing"

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
