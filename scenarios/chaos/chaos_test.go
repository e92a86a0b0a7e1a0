package chaos

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/shard"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

func load(t testing.TB, file string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func plan(t testing.TB, sc *scenarios.Scenario, opt Options) (*Plan, Meta) {
	t.Helper()
	p, err := NewPlan(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p, MetaOf(p, "test")
}

func TestTrialSeed(t *testing.T) {
	seen := map[uint64]int{}
	for _, s := range []uint64{0, 1, 2} {
		for i := range 1000 {
			v := TrialSeed(s, i)
			if v != TrialSeed(s, i) {
				t.Fatal("not deterministic")
			}
			if j, dup := seen[v]; dup {
				t.Fatalf("seed %d, trial %d: same engine seed as #%d", s, i, j)
			}
			seen[v] = i
		}
	}
	// SplitMix64 seeded with 0: its first output is the published
	// 0xe220a8397b1dcdaf.
	if got := TrialSeed(0, 0); got != 0xe220a8397b1dcdaf {
		t.Errorf("TrialSeed(0, 0) = %#x, want SplitMix64's first output 0xe220a8397b1dcdaf", got)
	}
}

func TestParseHorizon(t *testing.T) {
	for _, c := range []struct {
		in   string
		want sim.Time
		err  string
	}{
		{"1y", Year, ""},
		{"0.5y", Year / 2, ""},
		{"30d", 30 * 24 * sim.Hour, ""},
		{"720h", 720 * sim.Hour, ""},
		{"90m", 90 * sim.Minute, ""},
		{"0d", 0, "positive"},
		{"-1y", 0, "positive"},
		{"300y", 0, "200y"},
		{"ten days", 0, "invalid duration"},
		{"", 0, "duration"},
	} {
		got, err := ParseHorizon(c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want one containing %q", c.in, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%q = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

// outputs are the files of a report, by name.
func outputs(t *testing.T, f *shard.File) map[string][]byte {
	t.Helper()
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	whole, err := shard.Parse("shard.json", b)
	if err != nil {
		t.Fatal(err)
	}
	r, err := FromShard(whole)
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"shard.json": b, "report.json": r.JSON(), "report.md": r.Markdown(),
		"report.html": html, "junit.xml": r.JUnit(), "text": r.Text()}
}

// Merging shards of uneven sizes (3, 2, 2 of 7 trials), given in any
// order, gives the single machine's outputs byte for byte; so does any
// worker count.
func TestMergeEqualsSingle(t *testing.T) {
	sc := load(t, "one-link.toml")
	p, m := plan(t, sc, Options{Trials: 7, Horizon: 6 * sim.Hour, Seed: 11})
	ctx := context.Background()
	single, err := ShardFile(m, scenarios.Shard{}, Run(ctx, p, &m, RunOptions{Workers: 1}))
	if err != nil {
		t.Fatal(err)
	}
	want := outputs(t, single)

	var files []*shard.File
	var names []string
	for _, i := range []int{3, 1, 2} {
		s := scenarios.Shard{Index: i, Count: 3}
		f, err := ShardFile(m, s, Run(ctx, p, &m, RunOptions{Workers: 2, Shard: s}))
		if err != nil {
			t.Fatal(err)
		}
		if n, wantN := len(f.Rows), len(s.Select(7)); n != wantN {
			t.Fatalf("shard %v: %d rows, want %d", s, n, wantN)
		}
		// Through bytes, as merge reads them.
		b, _ := f.Marshal()
		if f, err = shard.Parse(s.String(), b); err != nil {
			t.Fatal(err)
		}
		files, names = append(files, f), append(names, s.String())
	}
	folded, err := shard.Fold(names, files)
	if err != nil {
		t.Fatal(err)
	}
	got := outputs(t, folded)
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s: merged shards differ from the single run", name)
		}
	}
	if !strings.Contains(string(want["report.html"]), "<svg") {
		t.Error("report.html has no chart")
	}
}

// exactAvailability is the expected fraction of [0, T] that a component
// with exponential up (rate λ) and down (rate μ) times, up at 0, spends up:
// P(up at t) = π + (1−π)·e^{−(λ+μ)t}, π = μ/(λ+μ), averaged over [0, T].
func exactAvailability(mtbf, mttr, horizon sim.Time) float64 {
	l, mu, T := 1/float64(mtbf), 1/float64(mttr), float64(horizon)
	pi := mu / (l + mu)
	return pi + (1-pi)*(1-math.Exp(-(l+mu)*T))/((l+mu)*T)
}

// One link, no redundancy, exponential MTBF 1h and MTTR 15m (testdata/
// one-link.toml): availability MTBF/(MTBF+MTTR) = 80%, a little more over
// a finite horizon starting up (80.33% over 12h: + (1−π)/((λ+μ)T)). 100
// independent campaigns of 8 trials each: the reported 95% interval must
// hold the expected availability in at least 90 of them (95 do); the 800
// trials pooled must hold it in their 99.9% interval and be within 2% of
// MTBF/(MTBF+MTTR). (The fault schedule alone over 20,000 seeds gives
// 80.36%: the simulator adds only BGP's recovery.)
// BGP needs ~1s after each repair (connect, OPEN, KEEPALIVE): 0.1% of a
// 15-minute outage, far inside the intervals.
func TestAnalyticAvailabilityCoverage(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("800 trials: not in -short or -race")
	}
	const campaigns, per = 100, 8
	sc := load(t, "one-link.toml")
	horizon := 12 * sim.Hour
	p, m := plan(t, sc, Options{Trials: campaigns * per, Horizon: horizon, Seed: 2024})
	rows := Run(context.Background(), p, &m, RunOptions{Workers: 2})
	truth := exactAvailability(sim.Hour, 15*sim.Minute, horizon)
	steady := 0.8

	covered := 0
	for c := range campaigns {
		mc := m
		mc.Trials = per
		r := NewReport(mc, rows[c*per:(c+1)*per])
		a := r.Demands[0].Availability
		if a.N != per {
			t.Fatalf("campaign %d: %d trials measured", c, a.N)
		}
		if a.Lo <= truth && truth <= a.Hi {
			covered++
		}
	}
	t.Logf("expected availability %.4f covered by %d of %d campaigns' 95%% intervals", truth, covered, campaigns)
	if covered < 90 {
		t.Errorf("coverage %d of %d, want ≥ 90", covered, campaigns)
	}
	all := NewReport(m, rows).Demands[0]
	t.Logf("pooled: availability %s, downtime %s per year", ivPercent(all.Availability), ivMinutes(all.Downtime))
	// One fixed seed: a 95% interval misses 1 time in 20, so the pooled
	// check uses the 99.9% interval (×3.29/1.96 the half-width).
	if a := all.Availability; math.Abs(a.Est-truth) > (a.Hi-a.Est)*3.29/1.96 {
		t.Errorf("pooled availability %s: %.4f outside its 99.9%% interval", ivPercent(a), truth)
	}
	if a := all.Availability; math.Abs(a.Est-steady) > 0.02 {
		t.Errorf("pooled availability %.4f, want ≈ MTBF/(MTBF+MTTR) = %.2f", a.Est, steady)
	}
}

// A campaign stopped midway (--max-wall cancels its context) reports the
// trials done as such.
func TestStoppedCampaignIsPartial(t *testing.T) {
	sc := load(t, "one-link.toml")
	p, m := plan(t, sc, Options{Trials: 5, Horizon: sim.Hour, Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	rows := Run(ctx, p, &m, RunOptions{Workers: 1, Done: func(done, total int) {
		if done == 2 {
			cancel()
		}
	}})
	r := NewReport(m, rows)
	if !r.Partial || r.Done != 2 || r.NotRun != 3 || len(r.Errors) != 0 {
		t.Fatalf("partial %v, done %d, not run %d, errors %v; want partial, 2, 3, none", r.Partial, r.Done, r.NotRun, r.Errors)
	}
	for _, out := range [][]byte{r.Text(), r.Markdown(), r.JUnit()} {
		if !bytes.Contains(out, []byte("PARTIAL: 2 of 5 trials done")) {
			t.Errorf("output does not say it is partial:\n%s", out)
		}
	}
}

func TestCampaignExpectations(t *testing.T) {
	sc := load(t, "one-link.toml")
	p, m := plan(t, sc, Options{Trials: 6, Horizon: 6 * sim.Hour, Seed: 5})
	r := NewReport(m, Run(context.Background(), p, &m, RunOptions{Workers: 2}))
	if len(r.Outcomes) != 3 {
		t.Fatalf("%d outcomes, want 3", len(r.Outcomes))
	}
	for _, o := range r.Outcomes {
		if !o.Passed {
			t.Errorf("%s failed: %s", o.Name, o.Message)
		}
		if !strings.Contains(o.Where, "one-link.toml [campaign.expect") {
			t.Errorf("%s: where %q", o.Name, o.Where)
		}
	}
	// The link never fails over (nothing else to fail over to): every
	// failover is unrestored, so P(failover > 1s) = 1.
	if ov := r.Failover.Over; len(ov) != 1 || ov[0].OverNS != int64(sim.Second) || ov[0].P.Est != 1 {
		t.Errorf("P(failover > X) = %+v, want 100%% over 1s", ov)
	}
	// Every lost byte is the one link's (or, for a trial whose link was
	// down at the end, before no fault): it tops the ranking.
	if len(r.Hurts) == 0 || r.Hurts[0].Name != "link xc-1" || r.Classes[0].Name != "link" {
		t.Errorf("what hurts: %+v / %+v", r.Hurts, r.Classes)
	}

	// A tighter bound fails, and says the interval decides nothing when
	// the bound lies in it.
	m.Expect[0].Min = "99.99%"
	r2 := NewReport(m, Run(context.Background(), p, &m, RunOptions{Workers: 2}))
	if r2.Outcomes[0].Passed || r2.Passed() {
		t.Errorf("availability ≥ 99.99%% passed: %s", r2.Outcomes[0].Message)
	}
	if !bytes.Contains(r2.JUnit(), []byte("<failure")) {
		t.Error("junit.xml has no failure")
	}
}

func TestCampaignExpectErrorsArePositioned(t *testing.T) {
	data, err := os.ReadFile("testdata/one-link.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := string(data) + `
[[campaign.expect]]
metric = "availability"
demand = "nope"
min    = "2GB"

[[campaign.expect]]
metric = "p_failover_over"
max    = "1%"

[[campaign.expect]]
metric = "failover.p42"
max    = "1s"
`
	_, err = scenarios.Parse("bad.toml", []byte(bad), func(string) (*topology.Topology, error) {
		return topology.Load("testdata/one-link-topology.toml")
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`campaign.expect[3].demand: unknown demand "nope"`, "campaign.expect[3].min", "campaign.expect[4].over: p_failover_over needs over",
		`campaign.expect[5].metric: unknown campaign metric "failover.p42"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
	if !strings.Contains(err.Error(), "bad.toml:") {
		t.Errorf("errors have no position:\n%v", err)
	}
}

// --keep-worst re-runs the worst trials with their traces: the traces are
// complete and carry the trial's seed.
func TestWriteWorst(t *testing.T) {
	sc := load(t, "one-link.toml")
	p, m := plan(t, sc, Options{Trials: 4, Horizon: 2 * sim.Hour, Seed: 9})
	rows := Run(context.Background(), p, &m, RunOptions{Workers: 2})
	dir := t.TempDir()
	kept, err := WriteWorst(context.Background(), p, &m, rows, 2, dir, RunOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(m, rows)
	if len(kept) != 2 || kept[0] != r.Worst[0].Trial || kept[1] != r.Worst[1].Trial {
		t.Fatalf("kept %v, report's worst %+v", kept, r.Worst[:2])
	}
	for _, k := range kept {
		f, err := os.Open(filepath.Join(dir, WorstPath(k)))
		if err != nil {
			t.Fatal(err)
		}
		h, evs, err := trace.Read(f)
		f.Close()
		if err != nil {
			t.Fatalf("trial %d: %v", k, err)
		}
		if h.Seed != rows[k].Seed || h.DurationNS != int64(2*sim.Hour) || len(evs) == 0 {
			t.Errorf("trial %d: header seed %d duration %d, %d events", k, h.Seed, h.DurationNS, len(evs))
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{1, "100%"}, {0.5, "50.00%"}, {0.9964, "99.64%"}, {0.999812, "99.981%"}, {0.9999995, "99.999950%"}, {0.98, "98.00%"}, {0, "0.00%"}} {
		if got := formatPercent(c.v); got != c.want {
			t.Errorf("formatPercent(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestBuckets(t *testing.T) {
	for _, v := range []int64{0, 1, 127, 128, 129, 1000, 100351, 999_999_999, 1 << 40} {
		b := bucket(v)
		if b > v || bucketTop(b) < v || float64(bucketTop(b)-b) > float64(max(v, 1))/64 {
			t.Errorf("bucket(%d) = [%d, %d]", v, b, bucketTop(b))
		}
	}
}
