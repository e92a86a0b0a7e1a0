package bgp_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// BenchmarkColdStart200x1000 builds the 200-router, 1,000-prefix fabric of
// bigNet and runs it from cold to converged (10 minutes of virtual time)
// per op. It reports the live heap once converged, per router·prefix
// (200 × 1,000 = 200,000 router·prefixes), the cost that decides whether a
// large fabric fits in memory.
//
//	go test ./sim/bgp -run '^$' -bench ColdStart -benchtime 3x
func BenchmarkColdStart200x1000(b *testing.B) {
	for _, mrai := range []sim.Time{0, 30 * s1} {
		b.Run(fmt.Sprintf("mrai=%v", mrai), func(b *testing.B) {
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			var heap uint64
			for range b.N {
				runtime.GC()
				runtime.ReadMemStats(&ms0)
				n := bigNet(b, mrai)
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms1)
				heap = ms1.HeapAlloc - ms0.HeapAlloc
				runtime.KeepAlive(n)
				b.StartTimer()
			}
			b.ReportMetric(float64(heap)/(200*1000), "heap-B/router·prefix")
		})
	}
}
