package gen

import (
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology"
)

// BenchmarkGenerate measures generation alone and generation + topology.Parse
// (what `netdrill gen` and the loader cost before any simulation) at the
// sizes of issue 11's targets; both must be linear in the output.
func BenchmarkGenerate(b *testing.B) {
	for _, c := range []struct {
		name string
		o    Options
	}{
		{"quad-mesh/960r-10000p", Options{Kind: QuadMesh, Routers: 1000, Prefixes: 625}},
		{"leaf-spine/1000r-10416p", Options{Kind: LeafSpine, Routers: 1000, Prefixes: 21}},
		{"as-graph/200as-1000p", Options{Kind: ASGraph, Sites: 200, Prefixes: 1000, MRAI: 30 * time.Second}},
		{"as-graph/10000as-1p", Options{Kind: ASGraph, Sites: 10000}},
	} {
		c.o.BFD = &topology.BFD{Interval: 300 * time.Millisecond, Multiplier: 3}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for i := 0; i < b.N; i++ {
				out, err := Generate(c.o)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out.Topology)
			}
			b.ReportMetric(float64(n), "toml-bytes")
		})
		b.Run(c.name+"+parse", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out, err := Generate(c.o)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := topology.Parse("t.toml", out.Topology); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
