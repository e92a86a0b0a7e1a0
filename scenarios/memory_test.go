package scenarios

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netdrill/netdrill/sim"
)

// peakHeap runs f while sampling the live heap every few milliseconds and
// returns the largest sample.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// A run whose BGP never settles (a policy dispute that starts with a leak
// at 1m and oscillates to the end: millions of events) streams its trace
// and metrics: its heap stays under 200 MB for 30 simulated minutes
// (2 minutes under the race detector, which is too slow for 30; the
// oscillation is then only a minute old, within the 5-minute allowance
// after a fault, so only the bound is checked).
func TestNonConvergingRunBoundedMemory(t *testing.T) {
	sc, err := Load("testdata/dispute-after-leak.toml")
	if err != nil {
		t.Fatal(err)
	}
	if raceEnabled {
		sc.Duration = 2 * sim.Minute
	}
	var res *Result
	peak := peakHeap(func() {
		res, err = Run(sc, Options{Trace: io.Discard})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !raceEnabled && res.Metrics.Converged() {
		t.Error("the dispute was not reported as an oscillation")
	}
	if res.Metrics.Events < 100_000 {
		t.Errorf("only %d events: the dispute did not run", res.Metrics.Events)
	}
	t.Logf("%d events over %v, peak heap %.1f MB", res.Metrics.Events, sc.Duration, float64(peak)/1e6)
	if peak > 200e6 {
		t.Errorf("peak heap %.0f MB, want < 200 MB", float64(peak)/1e6)
	}
}

// BenchmarkNonConvergingRun30m reports the peak heap of the 30-minute
// dispute (make bench).
func BenchmarkNonConvergingRun30m(b *testing.B) {
	sc, err := Load("testdata/dispute-after-leak.toml")
	if err != nil {
		b.Fatal(err)
	}
	var peak uint64
	var events int
	for i := 0; i < b.N; i++ {
		p := peakHeap(func() {
			res, err := Run(sc, Options{Trace: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			events = res.Metrics.Events
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(events), "trace-events")
}
