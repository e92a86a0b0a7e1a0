package flow

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// TestIncrementalMatchesFull drives two identical networks over one shared
// forwarder through random changes (route overrides that make loops and
// holes, link states, capacities, rates, background): one is told exactly
// what changed, the other re-walks everything every time. Their results,
// bytes and traces must be identical.
func TestIncrementalMatchesFull(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			inc := newFabric(seed, 40, 12, 20, 100, 1e9)
			full := newFabric(seed, 40, 12, 20, 100, 1e9)
			full.net.fwd = inc // one forwarding state for both
			var ri, rf recorder
			inc.net.SetTracer(&ri)
			full.net.SetTracer(&rf)
			r := rand.New(rand.NewPCG(seed, 99))
			now := sim.Time(0)
			both := func(f func(n *Network)) { f(inc.net); f(full.net) }
			for step := range 150 {
				switch k := r.IntN(10); {
				case k < 3: // override one route: random neighbour, or none
					v := NodeID(r.IntN(len(inc.routers)))
					s := r.IntN(len(inc.sites))
					var hops []Hop
					if m := r.IntN(len(inc.adj[v]) + 1); m < len(inc.adj[v]) {
						hops = []Hop{inc.adj[v][m]}
					}
					inc.fib[v][s] = hops
					if r.IntN(2) == 0 {
						inc.net.RoutesChanged(v)
					} else {
						inc.net.RoutesChangedPrefix(v, sitePrefix(s))
					}
				case k < 5: // link fails or recovers, then reconverges
					l := r.IntN(len(inc.links))
					inc.down[l] = !inc.down[l]
					st := Up
					if inc.down[l] {
						st = LinkState(1 + r.IntN(3))
					}
					loss := r.Float64()
					both(func(n *Network) { n.SetLinkState(LinkID(l), st, loss) })
					if r.IntN(2) == 0 {
						for _, v := range inc.route() {
							inc.net.RoutesChanged(v)
						}
					}
				case k < 6:
					c := float64(r.IntN(20)) * 1e8
					l := LinkID(r.IntN(len(inc.links)))
					both(func(n *Network) { n.SetLinkCapacity(l, c) })
				case k < 7 && len(inc.pools) > 0:
					p := PoolID(r.IntN(len(inc.pools)))
					bg := float64(r.IntN(30)) * 1e8
					both(func(n *Network) { n.SetPoolBackground(p, bg) })
				case k < 8:
					d := DemandID(r.IntN(len(inc.net.demands)))
					rate := float64(r.IntN(30)) * 1e8
					both(func(n *Network) { n.SetDemandRate(d, rate) })
				case k < 9:
					el := r.IntN(4) == 0
					both(func(n *Network) { n.SetElastic(el) })
				}
				full.net.RoutesChangedAll()
				now += sim.Time(r.IntN(5000)) * sim.Millisecond
				inc.net.Recompute(now)
				full.net.Recompute(now)
				compareNets(t, step, inc.net, full.net)
			}
			if !slices.Equal(ri.lines, rf.lines) {
				t.Fatalf("traces differ")
			}
			si, sf := inc.net.Stats(), full.net.Stats()
			t.Logf("walks incremental %d, full %d; lookups %d vs %d; trace lines %d; stats %+v", si.Walks, sf.Walks, si.Lookups, sf.Lookups, len(ri.lines), si)
			if si.Walks >= sf.Walks {
				t.Errorf("incremental walked %d times, full %d", si.Walks, sf.Walks)
			}
		})
	}
}

func compareNets(t *testing.T, step int, a, b *Network) {
	t.Helper()
	for i := range a.demands {
		if x, y := a.Demand(DemandID(i)), b.Demand(DemandID(i)); x != y {
			t.Fatalf("step %d: demand %d differs:\n%+v\n%+v", step, i, x, y)
		}
		if x := a.Demand(DemandID(i)); x.Delivered+x.LostRate() != x.Offered {
			t.Fatalf("step %d: demand %d does not add up: %+v", step, i, x)
		}
	}
	for i := range a.links {
		if x, y := a.Link(LinkID(i)), b.Link(LinkID(i)); x != y {
			t.Fatalf("step %d: link %d differs:\n%+v\n%+v", step, i, x, y)
		}
	}
	for i := range a.pools {
		if x, y := a.Pool(PoolID(i)), b.Pool(PoolID(i)); x != y {
			t.Fatalf("step %d: pool %d differs:\n%+v\n%+v", step, i, x, y)
		}
	}
}
