package scenarios

import (
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology/gen"
)

// BenchmarkGenLiveHeap measures the route state a converged fabric keeps:
// the live heap right after warm-up (after a full GC), per router·prefix.
// Unlike BenchmarkGenRun's peak (sampled every 5ms, garbage included, so
// it varies from run to run by ±15%), it is deterministic to a few kB.
// With NETDRILL_HEAPPROF=FILE it also writes the heap profile at that
// moment (add -test.memprofilerate 4096 for detail):
//
//	go test ./scenarios -run '^$' -bench GenLiveHeap/quad-mesh/224r -benchtime 1x
//
// The 960-router case needs ≈ 2 GB and 20 s, the 1,000-AS one 0.5 GB and
// 3 s; they run only when named (960r, 1000).
func BenchmarkGenLiveHeap(b *testing.B) {
	cases := []genBench{
		{"quad-mesh/224r-2000p", gen.Options{Kind: gen.QuadMesh, Sites: 8, Prefixes: 250}},
		{"as-graph/200as-10p-mrai30s", gen.Options{Kind: gen.ASGraph, Sites: 200, Prefixes: 10, MRAI: 30 * time.Second, UpdateDelay: 10 * time.Millisecond}},
		{"as-graph/300as-1p", gen.Options{Kind: gen.ASGraph, Sites: 300, Prefixes: 1}},
		{"leaf-spine/300r-3066p", gen.Options{Kind: gen.LeafSpine, Routers: 300, Prefixes: 21}},
		{"quad-mesh/960r-10000p", gen.Options{Kind: gen.QuadMesh, Routers: 1000, Prefixes: 625}},
		{"as-graph/1000as-1p", gen.Options{Kind: gen.ASGraph, Sites: 1000, Prefixes: 1}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if large := c.name[strings.Index(c.name, "/")+1:][:4]; (c.o.Routers >= 1000 || c.o.Sites >= 1000) && !benchNamed(large) {
				b.Skip("large: name it in -bench")
			}
			o := c.o
			o.Duration = 2 * time.Minute
			o.BFD, _ = gen.ParseBFD("300ms*3")
			var live uint64
			var routers, prefixes int
			for i := 0; i < b.N; i++ {
				sc, out := writeGen(b, o)
				p, err := Prepare(JobFor(sc), Options{SkipTrace: true})
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				live, routers, prefixes = ms.HeapAlloc, out.Stats.Routers, out.Stats.Prefixes
				if f := os.Getenv("NETDRILL_HEAPPROF"); f != "" {
					w, err := os.Create(f)
					if err != nil {
						b.Fatal(err)
					}
					if err := pprof.WriteHeapProfile(w); err != nil {
						b.Fatal(err)
					}
					w.Close()
				}
				runtime.KeepAlive(p)
			}
			b.ReportMetric(float64(live)/1e6, "live-heap-MB")
			b.ReportMetric(float64(live)/float64(routers*prefixes), "live-B/router·prefix")
		})
	}
}

func benchNamed(s string) bool {
	f := flag.Lookup("test.bench")
	return f != nil && strings.Contains(f.Value.String(), s)
}
