package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios"
	runreport "github.com/netdrill/netdrill/scenarios/report"
)

// The baseline: one run of the review scenario as written (one facility
// loss over 10 simulated minutes).
func BenchmarkQuadSingleRun(b *testing.B) {
	sc := load(b, "quad-review.toml")
	for b.Loop() {
		if _, err := scenarios.Run(sc, scenarios.Options{SkipTrace: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSweep(b *testing.B, depth int, noSym bool) {
	sc := load(b, "quad-review.toml")
	var sims, sets int
	for b.Loop() {
		p := plan(b, sc, Options{Depth: depth, NoSymmetry: noSym})
		rows := Run(context.Background(), p, RunOptions{Workers: runtime.GOMAXPROCS(0)})
		sims, sets = len(rows), p.Total
		for _, r := range rows {
			if r.Err != "" {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(sims)*float64(b.N)/b.Elapsed().Seconds(), "sims/s")
	b.ReportMetric(float64(sets)*float64(b.N)/b.Elapsed().Seconds(), "sets/s")
}

// Sweeps of the quad (10 simulated minutes per case), planning included:
// depth 1 is 14 failure sets (4 simulated), depth 2 105 (26 simulated).
func BenchmarkSweepQuadDepth1(b *testing.B)           { benchSweep(b, 1, false) }
func BenchmarkSweepQuadDepth2(b *testing.B)           { benchSweep(b, 2, false) }
func BenchmarkSweepQuadDepth2NoSymmetry(b *testing.B) { benchSweep(b, 2, true) }

// Planning alone: candidates and the automorphism search.
func BenchmarkPlanQuadDepth2(b *testing.B) {
	sc := load(b, "quad-review.toml")
	for b.Loop() {
		plan(b, sc, Options{Depth: 2})
	}
}

// sixQuads writes a ≈50-router fabric (no `netdrill gen` yet): six site
// pairs, each joined by its own AWS↔GCP quad (48 edge routers, 24
// channels, 12 facilities, 12 sites), 12G of replication per pair, 10
// simulated minutes.
func sixQuads(b testing.TB) *scenarios.Scenario {
	var top, sc strings.Builder
	top.WriteString("name = \"six quads\"\n")
	sc.WriteString("name = \"six quads review\"\ntopology = \"six-quads-topology.toml\"\nseed = 1\nduration = \"10m\"\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&top, "[[site]]\nname = \"aws-%d\"\nprovider = \"aws\"\nasn = 64512\nprefixes = [\"10.%d.0.0/16\"]\n", i, i)
		fmt.Fprintf(&top, "[[site]]\nname = \"gcp-%d\"\nprovider = \"gcp\"\nasn = 16550\nprefixes = [\"10.%d.0.0/16\"]\n", i, 100+i)
		fmt.Fprintf(&top, "[[interconnect]]\nname = \"q%d\"\nkind = \"aws-gcp-multicloud\"\nbetween = [\"aws-%d\", \"gcp-%d\"]\nbandwidth = \"10Gbps\"\n", i, i, i)
		fmt.Fprintf(&sc, "[[traffic]]\nname = \"rep-%d\"\nfrom = \"aws-%d\"\nto = \"gcp-%d\"\nrate = \"12Gbps\"\n", i, i, i)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "six-quads-topology.toml"), []byte(top.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(dir, "six-quads.toml")
	if err := os.WriteFile(p, []byte(sc.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := scenarios.Load(p)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchSix(b *testing.B, depth int) {
	sc := sixQuads(b)
	var sims, sets int
	for b.Loop() {
		p := plan(b, sc, Options{Depth: depth})
		rows := Run(context.Background(), p, RunOptions{Workers: runtime.GOMAXPROCS(0)})
		sims, sets = len(rows), p.Total
	}
	b.ReportMetric(float64(sims)*float64(b.N)/b.Elapsed().Seconds(), "sims/s")
	b.ReportMetric(float64(sets)*float64(b.N)/b.Elapsed().Seconds(), "sets/s")
	b.ReportMetric(float64(sets), "sets")
	b.ReportMetric(float64(sims), "sims")
}

func BenchmarkSixQuadsSingleRun(b *testing.B) {
	sc := sixQuads(b)
	for b.Loop() {
		if _, err := scenarios.Run(sc, scenarios.Options{SkipTrace: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// ≈50 routers: 84 single failures; depth 2: 3,570 failure sets.
func BenchmarkSweepSixQuadsDepth1(b *testing.B) { benchSix(b, 1) }
func BenchmarkSweepSixQuadsDepth2(b *testing.B) { benchSix(b, 2) }

func BenchmarkPlanSixQuadsDepth2(b *testing.B) {
	sc := sixQuads(b)
	for b.Loop() {
		plan(b, sc, Options{Depth: 2})
	}
}

// report.html of the depth-2 quad sweep (20 bars in the impact chart, the
// table of 26 rows) and its PNG: against BenchmarkQuadSingleRun, the cost
// of the page next to one simulation.
func benchReport(b *testing.B, png bool) {
	sc := load(b, "quad-review.toml")
	p := plan(b, sc, Options{Depth: 2})
	rep := NewReport(MetaOf(p, "bench"), Run(context.Background(), p, RunOptions{Workers: runtime.GOMAXPROCS(0)}))
	dir := b.TempDir()
	for b.Loop() {
		var err error
		if png {
			var figs []runreport.Figure
			if figs, err = rep.Figures(); err == nil {
				_, err = runreport.WriteFigurePNGs(dir, figs)
			}
		} else {
			_, err = rep.HTML()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSweepReportHTML(b *testing.B) { benchReport(b, false) }
func BenchmarkSweepReportPNG(b *testing.B)  { benchReport(b, true) }
