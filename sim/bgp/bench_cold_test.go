package bgp_test

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

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
			var cpu time.Duration
			for range b.N {
				runtime.GC()
				runtime.ReadMemStats(&ms0)
				cpu0 := cpuTime()
				n := bigNet(b, mrai)
				cpu += cpuTime() - cpu0
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms1)
				heap = ms1.HeapAlloc - ms0.HeapAlloc
				runtime.KeepAlive(n)
				b.StartTimer()
			}
			b.ReportMetric(float64(heap)/(200*1000), "heap-B/router·prefix")
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user + system CPU time: the machine running the
// benchmarks is shared, so wall time overstates the cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
