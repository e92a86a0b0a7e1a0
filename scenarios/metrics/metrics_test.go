package metrics

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

const (
	ms = int64(1_000_000)
	s  = 1000 * ms
	G  = 1e9
)

// tb builds a trace by hand.
type tb struct{ evs []trace.Event }

func (b *tb) ev(t int64, kind, subject string, kv ...any) *tb {
	e := trace.Event{T: t, Kind: kind, Subject: subject}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Details = append(e.Details, trace.Field{Key: kv[i].(string), Value: kv[i+1]})
	}
	b.evs = append(b.evs, e)
	return b
}

func (b *tb) flow(t int64, d string, offered, delivered float64, causes ...any) *tb {
	return b.ev(t, "flow.rate", d, append([]any{"offered", offered, "delivered", delivered}, causes...)...)
}

func (b *tb) inject(t int64, id, kind, target string, links, routers []string) *tb {
	return b.ev(t, "fault.inject", id, "fault", kind, "target", target, "links", links, "routers", routers)
}

func (b *tb) compute(dur int64) *Result {
	return Compute(trace.Header{Format: trace.Format, Scenario: "hand", Seed: 1, DurationNS: dur}, b.evs, Options{})
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// linkDown is the main hand-built run: a 25G demand over two paths, xc-1
// fails at 10s. Half the traffic is black-holed until BGP moves it at
// 10.95s, when the surviving pool only carries 20G (5G to congestion).
func linkDown() *tb {
	b := &tb{}
	b.flow(0, "replication", 25*G, 25*G).
		ev(0, "bgp.session", "s1", "router", "aws-1", "peer", "cust-1", "link", "xc-1", "from", "openconfirm", "state", "established", "reason", "open").
		ev(0, "bgp.session", "s3", "router", "r5", "peer", "r6", "link", "xc-9", "from", "openconfirm", "state", "established", "reason", "open").
		ev(0, "link.load", "xc-1", "load", 12.5*G, "capacity", 100*G).
		ev(0, "link.load", "xc-2", "load", 12.5*G, "capacity", 40*G).
		ev(0, "pool.load", "iad", "load", 17.5*G, "capacity", 20*G, "background", 5*G).
		inject(10*s, "f1", "link-down", "xc-1", []string{"xc-1"}, []string{}).
		flow(10*s, "replication", 25*G, 12.5*G, "blackhole", 12.5*G).
		ev(10*s, "link.load", "xc-1", "load", 0, "capacity", 0).
		ev(10*s+200*ms, "bfd.state", "s3", "router", "r5", "peer", "r6", "state", "down", "reason", "unrelated").
		ev(10*s+900*ms, "bfd.state", "s1", "router", "aws-1", "peer", "cust-1", "state", "down", "reason", "detect-timeout").
		ev(10*s+900*ms, "bgp.session", "s1", "router", "aws-1", "peer", "cust-1", "link", "xc-1", "from", "established", "state", "idle", "reason", "bfd-down").
		ev(10*s+910*ms, "bgp.update", "aws-1", "peer", "aws-2", "dir", "tx", "announce", 0, "withdraw", 3).
		ev(10*s+920*ms, "bgp.update", "aws-2", "peer", "aws-1", "dir", "rx", "announce", 0, "withdraw", 3).
		ev(10*s+920*ms, "bgp.best", "aws-1", "prefix", "10.1.0.0/16", "nexthops", []string{"aws-2"}, "rule", "as-path").
		ev(10*s+930*ms, "bgp.update", "aws-2", "peer", "cust-2", "dir", "tx", "announce", 2, "withdraw", 0).
		ev(10*s+930*ms, "bgp.best", "cust-2", "prefix", "10.1.0.0/16", "nexthops", []string{"aws-2"}, "rule", "only").
		ev(10*s+940*ms, "bgp.update", "aws-2", "peer", "cust-3", "dir", "tx", "announce", 1, "withdraw", 1).
		ev(10*s+950*ms, "fib.change", "aws-1", "prefix", "10.1.0.0/16", "nexthops", []string{"aws-2"}).
		flow(10*s+950*ms, "replication", 25*G, 20*G, "congestion", 5*G).
		ev(10*s+950*ms, "link.load", "xc-2", "load", 20*G, "capacity", 40*G).
		ev(10*s+950*ms, "pool.load", "iad", "load", 25*G, "capacity", 20*G, "background", 5*G).
		ev(20*s, "run.end", "hand")
	return b
}

func TestFailoverRestored(t *testing.T) {
	r := linkDown().compute(20 * s)
	if len(r.Faults) != 1 {
		t.Fatalf("faults %d", len(r.Faults))
	}
	f := r.Faults[0]
	if f.At != 10*s || f.End != 20*s || f.EffectEnd != 20*s || f.Repaired {
		t.Errorf("window [%d,%d) effect %d repaired %v", f.At, f.End, f.EffectEnd, f.Repaired)
	}
	// Delivered 25G → 12.5G at 10s, → 20G at 10.95s and stays until 20s:
	// target 20G, within 1% from 10.95s, settled for 1s by 11.95s ≤ 20s
	// ⇒ failover = 10.95s − 10s = 950ms.
	if len(f.Failovers) != 1 {
		t.Fatalf("failovers %+v", f.Failovers)
	}
	fo := f.Failovers[0]
	if !fo.Restored || fo.Failover != 950*ms || fo.Target != 20*G || fo.Before != 25*G || fo.Lowest != 12.5*G || fo.DropAt != 10*s {
		t.Errorf("failover %+v", fo)
	}
}

func TestLossByCause(t *testing.T) {
	r := linkDown().compute(20 * s)
	d := r.Demands[0]
	// blackhole: 12.5e9 b/s × 0.95 s / 8 = 1.484375e9 B
	// congestion: 5e9 b/s × (20 − 10.95) s / 8 = 5e9 × 9.05 / 8 = 5.65625e9 B
	// lost = 7.140625e9 B; offered = 25e9 × 20 / 8 = 62.5e9 B, 31.25e9 in the window.
	checks := []struct {
		name      string
		got, want float64
	}{
		{"blackhole", d.Loss.Cause("blackhole"), 1.484375e9},
		{"congestion", d.Loss.Cause("congestion"), 5.65625e9},
		{"lost", d.Loss.Lost, 7.140625e9},
		{"offered", d.Loss.Offered, 62.5e9},
		{"delivered", d.Loss.Delivered, 62.5e9 - 7.140625e9},
		{"baseline lost", d.Baseline.Lost, 0},
		{"baseline offered", d.Baseline.Offered, 31.25e9},
		{"window lost", d.Windows[0].Lost, 7.140625e9},
		{"window offered", d.Windows[0].Offered, 31.25e9},
		{"fault loss", r.Faults[0].Loss.Cause("blackhole"), 1.484375e9},
		{"total", r.Loss.Lost, 7.140625e9},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if d.Loss.Cause(Unattributed) != 0 {
		t.Errorf("unattributed %v", d.Loss.Cause(Unattributed))
	}
	if got := d.Loss.CauseNames(); strings.Join(got, ",") != "blackhole,congestion" {
		t.Errorf("causes %v", got)
	}
	// The blackhole figure is exact, not just near.
	if d.Loss.Cause("blackhole") != 1484375000 {
		t.Errorf("blackhole not exact: %v", d.Loss.Cause("blackhole"))
	}
}

func TestDetection(t *testing.T) {
	r := linkDown().compute(20 * s)
	f := r.Faults[0]
	// s3 (r5–r6, over xc-9) goes down first at 10.2s but is unrelated; s1
	// runs over xc-1 (learned from its bgp.session) and BFD drops it at
	// 10.9s: detection 900ms, direct.
	if !f.Detected || f.Detection != 900*ms || f.DetectedBy.Subject != "s1" || f.DetectedBy.Kind != "bfd.state" || f.DetectedBy.Match != "direct" {
		t.Errorf("detection %v %d %+v", f.Detected, f.Detection, f.DetectedBy)
	}

	// Rank order: a direct event beats an earlier adjacent one, which beats
	// an earlier unrelated one; with nothing related the first event wins.
	// f1 (r1, l1): c (unrelated) at +100ms, b (r2, a neighbour of r1) at
	// +200ms, a (peer r1 over l1) at +300ms ⇒ 300ms direct.
	// f2 touches nothing: the first down event, c at r8 established →
	// active at +400ms ⇒ 400ms any.
	// f3 (r2): c idle → active is no "down"; b at r3 (a neighbour of r2,
	// over another link) at +600ms ⇒ adjacent. f4: nothing ⇒ not detected.
	b := &tb{}
	b.ev(0, "bgp.session", "a", "router", "r1", "peer", "r2", "link", "l1", "from", "active", "state", "established").
		ev(0, "bgp.session", "b", "router", "r2", "peer", "r3", "link", "l2", "from", "active", "state", "established").
		ev(0, "bgp.session", "c", "router", "r8", "peer", "r9", "link", "l9", "from", "active", "state", "established").
		inject(5*s, "f1", "router-crash", "r1", []string{"l1"}, []string{"r1"}).
		ev(5*s+100*ms, "bgp.session", "c", "router", "r8", "peer", "r9", "link", "l9", "from", "established", "state", "idle").
		ev(5*s+200*ms, "bgp.session", "b", "router", "r2", "peer", "r3", "link", "l2", "from", "established", "state", "idle").
		ev(5*s+300*ms, "bgp.session", "a", "router", "r2", "peer", "r1", "link", "l1", "from", "established", "state", "idle").
		inject(10*s, "f2", "pool-exhaust", "iad", nil, nil).
		ev(10*s+400*ms, "bgp.session", "c", "router", "r8", "peer", "r9", "link", "l9", "from", "established", "state", "active").
		ev(10*s+500*ms, "bgp.session", "c", "router", "r9", "peer", "r8", "link", "l9", "from", "established", "state", "idle").
		inject(20*s, "f3", "router-crash", "r2", nil, []string{"r2"}).
		ev(20*s+100*ms, "bgp.session", "c", "router", "r8", "peer", "r9", "link", "l9", "from", "idle", "state", "active").
		ev(20*s+600*ms, "bgp.session", "b", "router", "r3", "peer", "r7", "link", "l3", "from", "established", "state", "idle").
		inject(30*s, "f4", "link-silent", "l5", []string{"l5"}, nil)
	r = b.compute(40 * s)
	want := []struct {
		det   int64
		match string
	}{{300 * ms, "direct"}, {400 * ms, "any"}, {600 * ms, "adjacent"}, {-1, ""}}
	for i, w := range want {
		f := r.Faults[i]
		if w.det < 0 {
			if f.Detected {
				t.Errorf("%s: detected %+v, want not detected", f.ID, f.DetectedBy)
			}
			continue
		}
		if !f.Detected || f.Detection != w.det || f.DetectedBy.Match != w.match {
			t.Errorf("%s: detected %v in %s (%s), want %s (%s)", f.ID, f.Detected, FormatDuration(f.Detection), f.DetectedBy.Match, FormatDuration(w.det), w.match)
		}
	}
}

func TestConvergence(t *testing.T) {
	r := linkDown().compute(20 * s)
	f := r.Faults[0]
	// Last best/FIB change: fib.change at 10.95s ⇒ 950ms.
	// tx updates with announce > 0: 10.93 (2) and 10.94 (1) ⇒ 2 messages,
	// 3 prefixes; withdrawals (tx only): 3 + 1 = 4 in 2 messages; the rx
	// update at 10.92 is not counted. Best changes: 2. FIB changes: 1.
	want := Churn{Updates: 2, AnnouncedPrefixes: 3, Withdrawals: 4, WithdrawMsgs: 2, BestChanges: 2, FIBChanges: 1}
	if f.Convergence != 950*ms || f.LastChange != 10*s+950*ms || f.Churn != want || !f.Converged {
		t.Errorf("convergence %s last %d churn %+v converged %v", FormatDuration(f.Convergence), f.LastChange, f.Churn, f.Converged)
	}
	if r.Churn != want {
		t.Errorf("run churn %+v", r.Churn)
	}
}

func TestCapacityAndHeadroom(t *testing.T) {
	r := linkDown().compute(20 * s)
	if len(r.Links) != 2 || len(r.Pools) != 1 {
		t.Fatalf("links %v pools %v", r.Links, r.Pools)
	}
	p := r.Pools[0]
	// Pool iad: 17.5/20 until 10.95s, then 25/20 = 125% for 9.05s; dropped
	// 5e9 × 9.05 / 8 = 5.65625e9 B.
	if p.Peak != 1.25 || p.PeakAt != 10*s+950*ms || p.Over != 9050*ms || !near(p.Dropped, 5.65625e9) || p.PeakBackground != 5*G {
		t.Errorf("pool %+v", p)
	}
	x1, x2 := r.Links[0], r.Links[1]
	if x1.Name != "xc-1" || x1.Peak != 0.125 || x1.PeakAt != 0 || x1.Over != 0 || x1.Dropped != 0 {
		t.Errorf("xc-1 %+v", x1)
	}
	if x2.Peak != 0.5 || x2.PeakAt != 10*s+950*ms {
		t.Errorf("xc-2 %+v", x2)
	}
	// Headroom at the settled point (20s): xc-1 is down (capacity 0,
	// skipped), xc-2 (40−20)/40 = 50%, pool (20−25)/20 = −25% ⇒ −25% on the pool.
	f := r.Faults[0]
	if !f.HeadroomKnown || f.Headroom != -0.25 || f.HeadroomOn != "pool iad" || f.HeadroomAt != 20*s {
		t.Errorf("headroom %v %v %q %d", f.HeadroomKnown, f.Headroom, f.HeadroomOn, f.HeadroomAt)
	}
}

func TestNotRestored(t *testing.T) {
	cases := []struct {
		name   string
		build  func(b *tb)
		reason string
	}{
		{"never back", func(b *tb) {
			// Black-holed from 10s to the end: target 0 ⇒ not restored.
			b.flow(10*s, "d", 10*G, 0, "no-route", 10*G)
		}, "nothing delivered"},
		{"target below 1%", func(b *tb) {
			b.flow(10*s, "d", 10*G, 0.05*G, "no-route", 9.95*G)
		}, "nothing delivered"},
		{"back too late", func(b *tb) {
			// Back at 19.5s, only 0.5s before the end: the 1s settle does not
			// complete inside the window.
			b.flow(10*s, "d", 10*G, 0, "blackhole", 10*G).flow(19500*ms, "d", 10*G, 10*G)
		}, "not settled"},
		{"flapping", func(b *tb) {
			// Back for 0.5s at a time, never for the settle window.
			for t0 := 10 * s; t0 < 20*s; t0 += s {
				b.flow(t0, "d", 10*G, 0, "blackhole", 10*G).flow(t0+500*ms, "d", 10*G, 10*G)
			}
		}, "not settled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := &tb{}
			b.flow(0, "d", 10*G, 10*G).inject(10*s, "f1", "link-down", "l1", []string{"l1"}, nil)
			c.build(b)
			r := b.compute(20 * s)
			fos := r.Faults[0].Failovers
			if len(fos) != 1 || fos[0].Restored || !strings.Contains(fos[0].Reason, c.reason) {
				t.Fatalf("failovers %+v, want not restored (%s)", fos, c.reason)
			}
			v, err := r.Lookup("failover.max", Selector{})
			if err != nil || !v.Never() || v.String() != "not restored" {
				t.Errorf("failover.max = %v %v", v, err)
			}
			v, _ = r.Lookup("restored", Selector{Demand: "d"})
			if v.Bool() {
				t.Errorf("restored = %v", v)
			}
		})
	}
}

func TestRepairEndsTheEffectSpan(t *testing.T) {
	// f1 at 10s black-holes d until the repair at 15s; traffic returns at
	// 15.2s. Failover is measured up to the repair: target 0 ⇒ not
	// restored. Loss covers the whole window: 10G × 5.2s / 8 = 6.5e9 B.
	b := &tb{}
	b.flow(0, "d", 10*G, 10*G).
		inject(10*s, "f1", "router-reboot", "r1", nil, []string{"r1"}).
		flow(10*s, "d", 10*G, 0, "blackhole", 10*G).
		ev(11*s, "bgp.best", "r2", "prefix", "p", "nexthops", []string{}).
		ev(15*s, "fault.repair", "f1", "fault", "router-reboot", "target", "r1").
		ev(15100*ms, "bgp.best", "r2", "prefix", "p", "nexthops", []string{"r1"}).
		flow(15200*ms, "d", 10*G, 10*G)
	r := b.compute(30 * s)
	f := r.Faults[0]
	if !f.Repaired || f.RepairAt != 15*s || f.EffectEnd != 15*s || f.End != 30*s {
		t.Errorf("window %+v", f)
	}
	if len(f.Failovers) != 1 || f.Failovers[0].Restored {
		t.Errorf("failovers %+v", f.Failovers)
	}
	if !near(f.Loss.Lost, 6.5e9) || !near(f.Loss.Cause("blackhole"), 6.5e9) {
		t.Errorf("loss %+v", f.Loss)
	}
	// Convergence counts the change at 11s, not the repair's at 15.1s.
	if f.Convergence != s || f.Churn.BestChanges != 1 {
		t.Errorf("convergence %s churn %+v", FormatDuration(f.Convergence), f.Churn)
	}
}

func TestWindowsAndSimultaneousFaults(t *testing.T) {
	// f1 and f2 at 10s share the window [10s, 30s); f3 opens [30s, 40s).
	b := &tb{}
	b.flow(0, "d", 8*G, 8*G).
		inject(10*s, "f1", "link-down", "l1", []string{"l1"}, nil).
		inject(10*s, "f2", "link-down", "l2", []string{"l2"}, nil).
		flow(10*s, "d", 8*G, 4*G, "blackhole", 4*G).
		flow(12*s, "d", 8*G, 8*G).
		inject(30*s, "f3", "link-down", "l3", []string{"l3"}, nil).
		flow(30*s, "d", 8*G, 0, "no-route", 8*G).
		flow(31*s, "d", 8*G, 6*G, "congestion", 2*G)
	r := b.compute(40 * s)
	ends := []int64{30 * s, 30 * s, 40 * s}
	for i, f := range r.Faults {
		if f.End != ends[i] {
			t.Errorf("%s ends %d, want %d", f.ID, f.End, ends[i])
		}
	}
	// Window 1: 4G × 2s / 8 = 1e9 B, in both f1 and f2.
	// Window 3: 8G × 1s / 8 + 2G × 9s / 8 = 1e9 + 2.25e9 = 3.25e9 B.
	d := r.Demands[0]
	if !near(d.Windows[0].Lost, 1e9) || !near(d.Windows[1].Lost, 1e9) || !near(d.Windows[2].Lost, 3.25e9) {
		t.Errorf("windows %+v", d.Windows)
	}
	if v, _ := r.Lookup("loss.bytes", Selector{Fault: "f3", Cause: "congestion"}); !near(v.N, 2.25e9) {
		t.Errorf("loss.bytes{f3,congestion} = %v", v)
	}
	// f1: 8 → 4 → 8 at 12s ⇒ 2s. f3: 8 → 0 → 6 (target) at 31s ⇒ 1s.
	if fo := r.Faults[0].Failovers; len(fo) != 1 || fo[0].Failover != 2*s {
		t.Errorf("f1 %+v", fo)
	}
	if fo := r.Faults[2].Failovers; len(fo) != 1 || fo[0].Failover != s || fo[0].Target != 6*G {
		t.Errorf("f3 %+v", fo)
	}
	v, _ := r.Lookup("failover.max", Selector{})
	if v.N != float64(2*s) || v.String() != "2s" {
		t.Errorf("failover.max %v", v)
	}
}

func TestNotAffected(t *testing.T) {
	// A demand whose offered rate falls on its own is not affected; one
	// with nothing delivered before the fault is not either.
	b := &tb{}
	b.flow(0, "shrinks", 10*G, 10*G).flow(0, "idle", 0, 0).
		inject(10*s, "f1", "link-down", "l1", nil, nil).
		flow(10*s, "shrinks", 5*G, 5*G)
	r := b.compute(20 * s)
	if fo := r.Faults[0].Failovers; len(fo) != 0 {
		t.Errorf("failovers %+v", fo)
	}
	v, _ := r.Lookup("failover.max", Selector{})
	if v.Kind != KindDuration || v.N != 0 || v.Where != "no affected demand" {
		t.Errorf("failover.max %+v", v)
	}
}

func TestOscillation(t *testing.T) {
	// r1/p alternates A, B every 5s for the whole 100s run: the tail is
	// the last 20s (a fifth), changes at 80, 85, 90, 95 ⇒ 4 with A recurring.
	// r2/q changes three times early and settles: not flagged.
	b := &tb{}
	for i := int64(0); i < 20; i++ {
		hops := []string{"A"}
		if i%2 == 1 {
			hops = []string{"B"}
		}
		b.ev(i*5*s, "bgp.best", "r1", "prefix", "p", "nexthops", hops)
		if i < 3 {
			b.ev(i*5*s, "bgp.best", "r2", "prefix", "q", "nexthops", hops)
		}
	}
	b.inject(90*s, "f1", "link-down", "l", nil, nil)
	r := b.compute(100 * s)
	if len(r.Oscillations) != 1 || r.Converged() {
		t.Fatalf("oscillations %+v", r.Oscillations)
	}
	o := r.Oscillations[0]
	if o.Router != "r1" || o.Prefix != "p" || o.Changes != 4 || o.First != 80*s || o.Last != 95*s || strings.Join(o.States, " ") != "A B" {
		t.Errorf("oscillation %+v", o)
	}
	if r.Faults[0].Converged {
		t.Error("f1 converged, but p changed in its span")
	}
	v, _ := r.Lookup("bgp.convergence.max", Selector{})
	if v.String() != "not converged" {
		t.Errorf("bgp.convergence.max = %v", v)
	}
	v, _ = r.Lookup("converged", Selector{})
	if v.Bool() || !strings.Contains(v.Where, "p at r1") {
		t.Errorf("converged = %+v", v)
	}
}

func TestEndOfRun(t *testing.T) {
	b := &tb{}
	b.flow(0, "d", 8*G, 8*G)
	// No run.end: the header duration ends the run.
	if r := b.compute(4 * s); r.End != 4*s || !near(r.Loss.Offered, 4e9) {
		t.Errorf("end %d offered %v", r.End, r.Loss.Offered)
	}
	b.ev(2*s, "run.end", "x")
	if r := b.compute(4 * s); r.End != 2*s || !near(r.Loss.Offered, 2e9) {
		t.Errorf("run.end: end %d offered %v", r.End, r.Loss.Offered)
	}
	// No events at all: no panic, nothing measured.
	r := Compute(trace.Header{}, nil, Options{})
	if r.End != 0 || len(r.Faults) != 0 {
		t.Errorf("%+v", r)
	}
	for _, m := range Metrics {
		if _, err := r.Lookup(m.Name, Selector{}); err != nil {
			t.Errorf("%s on an empty run: %v", m.Name, err)
		}
	}
}

func TestGarbageDetailsDoNotPanic(t *testing.T) {
	b := &tb{}
	b.ev(0, "flow.rate", "d", "offered", "lots", "delivered", []string{"x"}, "blackhole", true).
		ev(0, "link.load", "l", "load", nil).
		inject(1, "f1", "", "", nil, nil).
		ev(2, "bgp.session", "s").ev(2, "bfd.state", "s").ev(2, "bgp.update", "r", "dir", "tx", "announce", "x").
		ev(2, "bgp.best", "r").ev(3, "fault.repair", "f1").ev(3, "fault.inject", "").ev(3, "run.end", "")
	r := b.compute(0)
	for _, m := range Metrics {
		_, _ = r.Lookup(m.Name, Selector{})
	}
}

func TestReconvergenceIsNotOscillation(t *testing.T) {
	// Two independent faults and their repairs in the tail of a 1000s run
	// (tail 800–1000s): r1/p moves A → B at each fault and back at each
	// repair, 4 changes with A recurring, each within seconds of its
	// stimulus: provoked, not an oscillation.
	b := &tb{}
	b.ev(0, "bgp.best", "r1", "prefix", "p", "nexthops", []string{"A"})
	for i, at := range []int64{810 * s, 900 * s} {
		id := fmt.Sprintf("f%d", i+1)
		b.inject(at, id, "link-down", "l", nil, nil)
		b.ev(at+2*s, "bgp.best", "r1", "prefix", "p", "nexthops", []string{"B"})
		b.ev(at+40*s, "fault.repair", id)
		b.ev(at+41*s, "bgp.best", "r1", "prefix", "p", "nexthops", []string{"A"})
	}
	r := b.compute(1000 * s)
	if len(r.Oscillations) != 0 || !r.Converged() {
		t.Fatalf("oscillations %+v", r.Oscillations)
	}
	// The same flips with the last stimulus 310s before the first of them
	// (more than the 5-minute settle allowance): BGP's own doing.
	b = &tb{}
	b.ev(0, "bgp.best", "r1", "prefix", "p", "nexthops", []string{"A"})
	b.inject(500*s, "f1", "link-down", "l", nil, nil)
	for _, at := range []int64{810 * s, 900 * s} {
		b.ev(at, "bgp.best", "r1", "prefix", "p", "nexthops", []string{"B"})
		b.ev(at+41*s, "bgp.best", "r1", "prefix", "p", "nexthops", []string{"A"})
	}
	if r = b.compute(1000 * s); len(r.Oscillations) != 1 {
		t.Fatalf("unprovoked flips: oscillations %+v", r.Oscillations)
	}
}
