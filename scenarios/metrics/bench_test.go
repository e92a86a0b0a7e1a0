package metrics

import (
	"fmt"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// BenchmarkCompute: 100 demands and 200 links over 10 faults, about 100k
// events.
func BenchmarkCompute(b *testing.B) {
	tb := &tb{}
	for k := int64(0); k < 500; k++ {
		t := k * 100 * ms
		if k%50 == 10 {
			tb.inject(t, fmt.Sprintf("f%d", k/50+1), "link-down", "l1", []string{"l1"}, []string{"r1"})
		}
		for d := 0; d < 100; d++ {
			tb.flow(t, fmt.Sprintf("d%03d", d), 10*G, float64(5+k%5)*G, "blackhole", float64(5-k%5)*G)
		}
		for l := 0; l < 100; l++ {
			tb.ev(t, "link.load", fmt.Sprintf("l%03d", l), "load", float64(k%7)*G, "capacity", 5*G)
		}
		tb.ev(t, "bgp.best", "r1", "prefix", fmt.Sprintf("p%d", k%10), "nexthops", []string{"a"})
	}
	h := trace.Header{Scenario: "bench", DurationNS: 50 * s}
	b.ReportAllocs()
	for b.Loop() {
		Compute(h, tb.evs, Options{})
	}
	b.ReportMetric(float64(len(tb.evs)*b.N)/b.Elapsed().Seconds(), "events/s")
}
