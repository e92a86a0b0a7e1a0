package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/shard"
	"github.com/netdrill/netdrill/topology"
)

const examples = "../../examples/scenarios/"

func load(t testing.TB, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(filepath.Join(examples, name))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func plan(t testing.TB, sc *scenarios.Scenario, opt Options) *Plan {
	t.Helper()
	p, err := NewPlan(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, p *Plan, workers int, sh scenarios.Shard) []Row {
	t.Helper()
	return Run(context.Background(), p, RunOptions{Workers: workers, Shard: sh})
}

func cases(p *Plan) (labels []string, counts []int) {
	for _, c := range p.Cases {
		labels = append(labels, Label(c.Failures))
		counts = append(counts, len(c.Members))
	}
	return labels, counts
}

// The quad: 2 facilities, 8 routers, 4 channels. The two facilities are
// symmetric, so are the four AWS routers, the four Google routers and the
// four channels: 14 single failures, 4 simulated. Pairs: 91 + 14 = 105
// failure sets, and each member is counted once.
func TestPlanQuadSymmetry(t *testing.T) {
	sc := load(t, "facility-loss-at-peak.toml")
	p := plan(t, sc, Options{Depth: 1})
	labels, counts := cases(p)
	wantLabels := []string{"facility-down aws-gcp-fac1", "router-crash aws-gcp-aws-r1", "router-crash aws-gcp-gcp-r1", "link-down aws-gcp-ch1"}
	if !slices.Equal(labels, wantLabels) || !slices.Equal(counts, []int{2, 4, 4, 4}) || p.Total != 14 {
		t.Errorf("cases %v %v (total %d)", labels, counts, p.Total)
	}
	if len(sc.Faults) != 1 || len(p.Scenario.Faults) != 0 || p.Options.At != sc.Faults[0].At {
		t.Errorf("scripted faults: scenario %d, swept %d, at %v", len(sc.Faults), len(p.Scenario.Faults), p.Options.At)
	}
	p2 := plan(t, sc, Options{Depth: 2})
	sum, seen := 0, map[string]bool{}
	for _, c := range p2.Cases {
		sum += len(c.Members)
		for _, m := range c.Members {
			if seen[Label(m)] {
				t.Errorf("%s in two classes", Label(m))
			}
			seen[Label(m)] = true
		}
	}
	if p2.Total != 105 || sum != 105 {
		t.Errorf("depth 2: total %d, members %d", p2.Total, sum)
	}
	// Same facility vs across facilities: two AWS routers in one building
	// (2 such pairs) are not symmetric with two in different ones (4).
	_, c2 := cases(p2)
	for i, c := range p2.Cases {
		switch Label(c.Failures) {
		case "router-crash aws-gcp-aws-r1 + router-crash aws-gcp-aws-r2":
			if c2[i] != 2 {
				t.Errorf("%s: %d", Label(c.Failures), c2[i])
			}
		case "router-crash aws-gcp-aws-r1 + router-crash aws-gcp-aws-r3":
			if c2[i] != 4 {
				t.Errorf("%s: %d", Label(c.Failures), c2[i])
			}
		}
	}
	none := plan(t, sc, Options{Depth: 2, NoSymmetry: true})
	if len(none.Cases) != 105 {
		t.Errorf("no symmetry: %d cases", len(none.Cases))
	}
}

// A symmetric member simulated on its own gives its representative's row,
// except for what depends on BFD phase (drawn per session): detection, so
// failover and black-holed bytes, differ by at most one BFD interval
// (300ms on the sites' iBGP, 1s on the channels).
func TestSymmetrySound(t *testing.T) {
	sc := load(t, "facility-loss-at-peak.toml")
	for _, depth := range []int{1, 2} {
		sym := plan(t, sc, Options{Depth: depth})
		all := plan(t, sc, Options{Depth: depth, NoSymmetry: true})
		symRows, allRows := run(t, sym, 2, scenarios.Shard{}), run(t, all, 2, scenarios.Shard{})
		byLabel := map[string]Row{}
		for _, r := range allRows {
			byLabel[r.Label] = r
		}
		for i, c := range sym.Cases {
			rep := symRows[i]
			for _, m := range c.Members {
				r := byLabel[Label(m)]
				if !slices.Equal(r.NotRestored, rep.NotRestored) || !slices.Equal(r.Short, rep.Short) || r.CongestionNS != rep.CongestionNS ||
					math.Abs(r.Headroom-rep.Headroom) > 1e-9 || math.Abs(r.LostByCause["congestion"]-rep.LostByCause["congestion"]) > 0.01*rep.LostByCause["congestion"]+1e6 ||
					math.Abs(float64(r.FailoverNS-rep.FailoverNS)) > 1e9 {
					t.Errorf("depth %d: %s differs from its representative %s:\n%+v\n%+v", depth, r.Label, rep.Label, r, rep)
				}
			}
		}
	}
}

func report(t testing.TB, p *Plan, rows []Row) *Report {
	t.Helper()
	return NewReport(MetaOf(p, "test"), rows)
}

// Outputs are byte-identical with 1 and 2 workers, and shards 1/2 + 2/2
// merged equal the whole.
func TestWorkersAndShards(t *testing.T) {
	sc := load(t, "facility-loss-at-peak.toml")
	p := plan(t, sc, Options{Depth: 2})
	one := report(t, p, run(t, p, 1, scenarios.Shard{}))
	two := report(t, p, run(t, p, 2, scenarios.Shard{}))
	for _, f := range []func(*Report) []byte{(*Report).JSON, (*Report).Markdown, (*Report).JUnit,
		func(r *Report) []byte { return r.Text(0) }, func(r *Report) []byte { return mustHTML(t, r) }} {
		if !bytes.Equal(f(one), f(two)) {
			t.Fatalf("1 and 2 workers differ:\n%s\n%s", f(one), f(two))
		}
	}
	m := MetaOf(p, "test")
	var files []*shard.File
	var names []string
	for _, s := range []scenarios.Shard{{Index: 2, Count: 2}, {Index: 1, Count: 2}} {
		f, err := ShardFile(m, len(p.Cases), s, run(t, p, 1, s))
		if err != nil {
			t.Fatal(err)
		}
		// Through the file format and back.
		dir := t.TempDir()
		if err := f.Write(dir); err != nil {
			t.Fatal(err)
		}
		if f, err = shard.Read(dir); err != nil {
			t.Fatal(err)
		}
		files, names = append(files, f), append(names, s.String())
	}
	whole, err := shard.Fold(names, files)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := FromShard(whole)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(merged.JSON(), one.JSON()) || !bytes.Equal(mustHTML(t, merged), mustHTML(t, one)) || !bytes.Equal(merged.JUnit(), one.JUnit()) {
		t.Errorf("merged shards differ from the whole")
	}
	wf, _ := ShardFile(m, len(p.Cases), scenarios.Shard{}, run(t, p, 2, scenarios.Shard{}))
	a, _ := wf.Marshal()
	b, _ := whole.Marshal()
	if !bytes.Equal(a, b) {
		t.Errorf("folded shard file differs from the whole run's")
	}
	// A shard missing, or twice: an error.
	if _, err := shard.Fold(names[:1], files[:1]); err == nil {
		t.Error("one shard of two folded without error")
	}
	if _, err := shard.Fold([]string{"a", "b"}, []*shard.File{files[0], files[0]}); err == nil {
		t.Error("the same shard twice folded without error")
	}
}

// The shared conduit: its SRLG is the worst single failure (not restored,
// everything lost), ranked first.
func TestSharedConduitRanksSRLGFirst(t *testing.T) {
	p := plan(t, load(t, "shared-conduit-cut.toml"), Options{Depth: 1})
	rep := report(t, p, run(t, p, 2, scenarios.Shard{}))
	first := rep.Rows[rep.Ranking[0]]
	if first.Label != "srlg-down ashburn-conduit-7" || !slices.Equal(first.NotRestored, []string{"replication"}) {
		t.Errorf("first: %+v", first)
	}
	for _, i := range rep.Ranking[1:] {
		if r := rep.Rows[i]; len(r.NotRestored) > 0 {
			t.Errorf("%s not restored", r.Label)
		}
	}
}

// analyze agrees with simulation: for every example scenario, every single
// facility, SRLG, router and link loss is short in analyze exactly when the simulated
// demand, once failed over, delivers less than 99% of its rate.
// Scenarios whose traffic or tenants follow a profile are skipped (analyze
// reads base rates).
func TestAnalyzeAgreesWithSweep(t *testing.T) {
	files, _ := filepath.Glob(examples + "*.toml")
	checked := 0
	for _, f := range files {
		sc := load(t, filepath.Base(f))
		profiled := len(sc.Tenants) > 0
		for _, tr := range sc.Traffic {
			profiled = profiled || len(tr.Profile) > 0
		}
		if profiled {
			continue
		}
		p := plan(t, sc, Options{Depth: 1, Classes: []string{"facility", "srlg", "router", "link"}, NoSymmetry: true})
		rows := run(t, p, 2, scenarios.Shard{})
		demands := make([]topology.Demand, len(sc.Traffic))
		for i, tr := range sc.Traffic {
			demands[i] = topology.Demand{Name: tr.Name, From: tr.From, To: tr.To, Rate: topology.Bandwidth(tr.Rate)}
		}
		a := topology.AnalyzeWith(sc.Topology, topology.AnalyzeOptions{Demands: demands})
		for _, r := range rows {
			fl := r.Failures[0]
			for _, d := range a.Demands {
				for _, l := range d.Losses {
					if l.Kind != fl.Class || l.Name != fl.Target {
						continue
					}
					simShort := slices.Contains(r.Short, d.Name)
					if simShort == l.OK {
						t.Errorf("%s: %s, demand %s: analyze says ok=%v (delivers %.4g of %.4g), simulation short=%v (%+v)",
							filepath.Base(f), r.Label, d.Name, l.OK, l.DeliveredBps, d.RateBps, simShort, r)
					}
					checked++
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d verdicts compared", checked)
	}
}

// Six quads between six named site pairs: symmetric inside each quad,
// never across (the traffic names its sites): 84 single failures, 4
// classes per quad. A fabric where router IDs break ties (a site with more
// routers than max_paths) has no router symmetry at all.
func TestPlanSixQuads(t *testing.T) {
	p := plan(t, sixQuads(t), Options{Depth: 1})
	if p.Total != 84 || len(p.Cases) != 24 {
		t.Errorf("%d sets, %d cases", p.Total, len(p.Cases))
	}
	for _, c := range p.Cases {
		q := strings.SplitN(c.Failures[0].Target, "-", 2)[0]
		for _, m := range c.Members {
			if !strings.HasPrefix(m[0].Target, q+"-") {
				t.Errorf("%s merged with %s", Label(c.Failures), Label(m))
			}
		}
	}
	dx := plan(t, load(t, "compare-dx-vpn.toml"), Options{Depth: 1})
	if len(dx.Cases) != dx.Total {
		t.Errorf("DX: %d cases of %d sets; its customer routers break ties by router ID", len(dx.Cases), dx.Total)
	}
}

func mustHTML(t *testing.T, rep *Report) []byte {
	t.Helper()
	b, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A row keeps its error's kind through the shard file; a row of an older
// shard, with an error and no kind, counts as internal.
func TestRowErrorKind(t *testing.T) {
	for _, tc := range []struct {
		row  Row
		want scenarios.ErrorKind
	}{
		{Row{}, ""},
		{Row{Err: "warm-up: wall-clock limit reached", ErrKind: scenarios.KindInvalid}, scenarios.KindInvalid},
		{Row{Err: "something", ErrKind: scenarios.KindNotConverged}, scenarios.KindNotConverged},
		{Row{Err: "from an older shard"}, scenarios.KindInternal},
	} {
		b, err := json.Marshal(tc.row)
		if err != nil {
			t.Fatal(err)
		}
		var back Row
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got := back.ErrorKind(); got != tc.want {
			t.Errorf("%s: kind %q, want %q", b, got, tc.want)
		}
	}
}
