package flow

import (
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// BenchmarkRecomputeAfterLinkFailure: 1,000 demands over a 200-router
// fabric (ring + 100 chords, 50 sites dual-homed, shortest-path ECMP).
// Each op is one Recompute after the busiest ring link fails (or, every
// other op, is repaired) and the FIBs reconverge. "headroom": 100G links,
// nothing congested (the solve is one round); "overloaded": 10G links,
// ~10× oversubscribed, with congested links feeding each other in cycles
// (the solve iterates, Anderson-accelerated):
//
//	link-only    the link changes state, FIBs not updated yet (no re-walk)
//	incremental  + RoutesChanged(node) for every node whose FIB changed
//	prefix       + RoutesChangedPrefix(node, p) for every changed route
//	full         + RoutesChangedAll (the baseline: re-walk everything)
func BenchmarkRecomputeAfterLinkFailure(b *testing.B) {
	for _, fab := range []struct {
		name     string
		capacity float64
	}{{"headroom", 100e9}, {"overloaded", 10e9}} {
		for _, mode := range []string{"link-only", "incremental", "prefix", "full"} {
			b.Run(fab.name+"/"+mode, func(b *testing.B) { benchLinkFailure(b, fab.capacity, mode) })
		}
	}
}

func benchLinkFailure(b *testing.B, capacity float64, mode string) {
	{
		{
			f := newFabric(1, 200, 50, 100, 1000, capacity)
			n := f.net
			n.Recompute(0)
			// Pick the busiest ring link.
			fail := LinkID(0)
			for i := range 200 {
				if n.Link(LinkID(i)).Load > n.Link(fail).Load {
					fail = LinkID(i)
				}
			}
			up := cloneFIB(f.fib)
			f.down[fail] = true
			f.route()
			down := cloneFIB(f.fib)
			f.down[fail] = false
			f.fib = up
			type change struct {
				v NodeID
				s int
			}
			var changes []change
			var nodes []NodeID
			for v := range up {
				c := false
				for s := range up[v] {
					if !equalHops(up[v][s], down[v][s]) {
						changes = append(changes, change{NodeID(v), s})
						c = true
					}
				}
				if c {
					nodes = append(nodes, NodeID(v))
				}
			}
			now := sim.Time(0)
			var walks, iters int
			s0 := n.Stats()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				failing := i%2 == 0
				st, fib := Up, up
				if failing {
					st, fib = Down, down
				}
				n.SetLinkState(fail, st, 0)
				if mode != "link-only" {
					f.fib = fib
				}
				switch mode {
				case "incremental":
					for _, v := range nodes {
						n.RoutesChanged(v)
					}
				case "prefix":
					for _, c := range changes {
						n.RoutesChangedPrefix(c.v, sitePrefix(c.s))
					}
				case "full":
					n.RoutesChangedAll()
				}
				now += sim.Second
				n.Recompute(now)
			}
			b.StopTimer()
			s1 := n.Stats()
			walks, iters = s1.Walks-s0.Walks, s1.Iterations-s0.Iterations
			b.ReportMetric(float64(walks)/float64(b.N), "walks/op")
			b.ReportMetric(float64(iters)/float64(b.N), "rounds/op")
			b.ReportMetric(float64(len(nodes)), "fib-nodes")
		}
	}
}

func cloneFIB(fib [][][]Hop) [][][]Hop {
	out := make([][][]Hop, len(fib))
	for v := range fib {
		out[v] = make([][]Hop, len(fib[v]))
		copy(out[v], fib[v])
	}
	return out
}

// BenchmarkSolveWithPools: the 1,000-demand fabric with 10G links and 20
// pools of 10 ring links each carrying 5G of background. Each op changes
// one demand's rate and recomputes (no re-walk: the solve alone), in
// inelastic and elastic mode (background senders in the max-min filling).
func BenchmarkSolveWithPools(b *testing.B) {
	for _, elastic := range []bool{false, true} {
		name := "inelastic"
		if elastic {
			name = "elastic"
		}
		b.Run(name, func(b *testing.B) {
			f := newFabric(1, 200, 50, 100, 1000, 10e9)
			n := f.net
			for p := range 20 {
				links := make([]LinkID, 10)
				for i := range links {
					links[i] = LinkID(10*p + i)
				}
				pid := n.AddPool("p", 60e9, links)
				n.SetPoolBackground(pid, 5e9)
			}
			n.SetElastic(elastic)
			n.Recompute(0)
			now := sim.Time(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				n.SetDemandRate(0, float64(1+i%2)*1e9)
				now += sim.Second
				n.Recompute(now)
			}
		})
	}
}
