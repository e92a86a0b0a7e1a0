package scenarios

import (
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// BenchmarkRunExample measures one whole run of an example (warm-up, faults,
// trace, metrics), the unit of work a campaign repeats: wall time per run
// and how much virtual time one wall second covers.
func BenchmarkRunExample(b *testing.B) {
	for _, name := range []string{"facility-loss-at-peak", "random-channel-failures"} {
		b.Run(name, func(b *testing.B) {
			sc, err := Load("../examples/scenarios/" + name + ".toml")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var events uint64
			for i := 0; i < b.N; i++ {
				res, err := Run(sc, Options{})
				if err != nil {
					b.Fatal(err)
				}
				events = res.SimEvents
			}
			b.ReportMetric(float64(events), "sim-events/run")
			b.ReportMetric(float64(sc.Duration)/float64(sim.Second)*float64(b.N)/b.Elapsed().Seconds(), "virtual-s/wall-s")
		})
	}
}
