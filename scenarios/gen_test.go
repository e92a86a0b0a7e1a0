package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology"
	"github.com/netdrill/netdrill/topology/gen"
)

// writeGen generates o into a temporary directory and loads the scenario
// the way `netdrill run DIR/scenario.toml` does.
func writeGen(tb testing.TB, o gen.Options) (*Scenario, *gen.Output) {
	tb.Helper()
	out, err := gen.Generate(o)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	for name, data := range map[string][]byte{"topology.toml": out.Topology, "scenario.toml": out.Scenario} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	sc, err := Load(filepath.Join(dir, "scenario.toml"))
	if err != nil {
		tb.Fatalf("generated scenario does not load:\n%v", err)
	}
	return sc, out
}

// A small generated scenario of each kind runs end to end: it converges
// (warm-up and the converged expectation), and where the fabric is
// redundant the demand survives the default fault (a facility).
func TestGeneratedScenariosRun(t *testing.T) {
	bfd, _ := gen.ParseBFD("300ms*3")
	cases := []struct {
		name     string
		o        gen.Options
		restored bool // the demand is back at full rate after the fault
	}{
		{"quad-mesh", gen.Options{Kind: gen.QuadMesh, Sites: 3, Prefixes: 5, BFD: bfd}, true},
		{"quad-mesh ring mrai", gen.Options{Kind: gen.QuadMesh, Sites: 4, Shape: "ring", Prefixes: 3, MRAI: 30 * time.Second, BFD: bfd}, true},
		{"leaf-spine", gen.Options{Kind: gen.LeafSpine, Sites: 4, Prefixes: 5, BFD: bfd}, true},
		{"leaf-spine link-silent", gen.Options{Kind: gen.LeafSpine, Sites: 3, Spines: 4, Fault: "link-silent:spine1-leaf1a", BFD: bfd}, true},
		{"as-graph", gen.Options{Kind: gen.ASGraph, Sites: 20, Prefixes: 2, Seed: 3}, false},
		{"as-graph mrai", gen.Options{Kind: gen.ASGraph, Sites: 30, Prefixes: 1, MRAI: 30 * time.Second, UpdateDelay: 10 * time.Millisecond, Seed: 9}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, _ := writeGen(t, c.o)
			res, err := Run(sc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Passed() {
				for _, o := range res.Outcomes {
					t.Logf("%+v", o)
				}
				t.Fatal("an expectation failed")
			}
			if len(res.Metrics.Faults) != 1 {
				t.Fatalf("%d faults in the metrics, want 1", len(res.Metrics.Faults))
			}
			f := res.Metrics.Faults[0]
			if !f.Detected || !f.Converged {
				t.Errorf("fault %s %s: detected %v, converged %v", f.Kind, f.Target, f.Detected, f.Converged)
			}
			if c.restored {
				if len(f.Failovers) == 0 {
					t.Errorf("fault %s %s: the demand was not affected", f.Kind, f.Target)
				}
				for _, x := range f.Failovers {
					if !x.Restored {
						t.Errorf("demand %s not restored after %s %s", x.Demand, f.Kind, f.Target)
					}
				}
			}
		})
	}
}

// bestTracer keeps the last next hops of every (router, prefix).
type bestTracer struct {
	next map[[2]string][]string
	n    uint64
}

func (b *bestTracer) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	if kind != "bgp.best" {
		if kind == "bgp.session" || kind == "fib.change" {
			b.n++
		}
		return
	}
	b.n++
	var pfx string
	var nh []string
	for _, a := range attrs {
		switch a.Key {
		case "prefix":
			pfx, _ = a.Value.(string)
		case "nexthops":
			nh, _ = a.Value.([]string)
		}
	}
	b.next[[2]string{subject, pfx}] = nh
}

// The generated Gao–Rexford policies give valley-free routing: after the
// warm-up, following best next hops from every AS to every other AS's
// prefix climbs customer→provider links, crosses at most one peering, then
// only descends — and reaches every AS (every AS has a provider chain up
// to the tier-1 triangle).
func TestGeneratedASGraphValleyFree(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			out, err := gen.Generate(gen.Options{Kind: gen.ASGraph, Sites: 40, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			top, err := topology.Parse("t.toml", out.Topology)
			if err != nil {
				t.Fatal(err)
			}
			// Relationship from a's router to b's: +1 b is a's provider
			// (up), 0 peers, −1 b is a's customer (down).
			rel := map[[2]string]int{}
			for _, s := range top.Sessions {
				a, b := s.A.Router, s.B.Router
				switch lp := *s.A.Import[0].LocalPref; lp {
				case 200: // a is b's provider
					rel[[2]string{a, b}], rel[[2]string{b, a}] = -1, +1
				case 100:
					rel[[2]string{a, b}], rel[[2]string{b, a}] = 0, 0
				default:
					t.Fatalf("session %s: import LP %d", s.Name, lp)
				}
			}
			eng := sim.New(seed)
			bt := &bestTracer{next: map[[2]string][]string{}}
			fab, err := fabric.New(eng, top, fabric.Options{Tracer: bt})
			if err != nil {
				t.Fatal(err)
			}
			fab.Start()
			var lastN uint64
			var lastChange sim.Time
			for eng.Now()-lastChange < warmupQuiet {
				if err := eng.Run(eng.Now() + sim.Second); err != nil {
					t.Fatal(err)
				}
				if bt.n != lastN {
					lastN, lastChange = bt.n, eng.Now()
				}
				if eng.Now() > 30*sim.Minute {
					t.Fatal("no convergence")
				}
			}
			var long, across int // paths of 3+ AS hops; paths over a peering
			for _, src := range top.Routers {
				for _, dst := range top.Sites {
					if dst.Name == src.Site {
						continue
					}
					pfx := dst.Prefixes[0].String()
					at, phase, hops := src.Name, 0, []string{src.Name} // phase 0 up, 1 after the peering, 2 down
					for {
						nh := bt.next[[2]string{at, pfx}]
						if len(nh) == 0 {
							t.Fatalf("%s has no route to %s (%s); path so far %v", at, dst.Name, pfx, hops)
						}
						next := nh[0]
						if next == "local" {
							if at != dst.Name+"-r" {
								t.Fatalf("%s originates %s of %s (path %v)", at, pfx, dst.Name, hops)
							}
							break // the destination AS's router originates it
						}
						r, ok := rel[[2]string{at, next}]
						if !ok {
							t.Fatalf("%s → %s is not a session (path %v)", at, next, hops)
						}
						switch {
						case r == +1 && phase > 0, r == 0 && phase > 0:
							t.Fatalf("valley: %s → %s after going down or across (path %v)", at, next, append(hops, next))
						case r == 0:
							phase = 1
						case r == -1:
							phase = 2
						}
						hops = append(hops, next)
						at = next
						if len(hops) == 3 {
							long++
						}
						if r == 0 {
							across++
						}
						if len(hops) > len(top.Routers) {
							t.Fatalf("loop: %v", hops)
						}
					}
				}
			}
			if long == 0 || across == 0 {
				t.Errorf("%d paths of 3+ hops, %d over a peering: the test checks nothing", long, across)
			}
			t.Logf("%d paths of 3+ hops, %d over a peering", long, across)
		})
	}
}
