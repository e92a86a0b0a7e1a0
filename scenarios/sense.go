package scenarios

import (
	"math"
	"net/netip"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// Bounds and nonsense checks of a scenario, run once it has been read:
// each problem is placed on its key. Input that may be deliberate is a
// warning (Scenario.Warnings); `netdrill --strict` makes warnings errors.

// DefaultMaxFaults bounds the faults of one run: scripted ones (a flap
// counts once per flap) plus the expected number of random ones. Each
// random class is held to it too. A scenario raises it with max_faults.
const DefaultMaxFaults = 100_000

// readMaxFaults reads max_faults and refuses more [[fault]] entries than
// it allows before any of them is read.
func readMaxFaults(root *topology.Table, sc *Scenario) {
	sc.MaxFaults = DefaultMaxFaults
	if n, ok := root.Int("max_faults", 1, math.MaxInt32); ok {
		sc.MaxFaults = int(n)
	}
	if v, ok := root.Raw("fault"); ok {
		n := 0
		switch a := v.(type) {
		case []map[string]any:
			n = len(a)
		case []any:
			n = len(a)
		}
		if n > sc.MaxFaults {
			root.Errorf("fault", "%d faults, more than max_faults = %d; raise max_faults if you mean it", n, sc.MaxFaults)
			root.Forget("fault") // not one of them is read
		}
	}
}

// checkSense runs every check below; randoms are the [[random]] tables of
// the specs kept in sc.Random, in order.
func checkSense(doc *topology.Document, root *topology.Table, sc *Scenario, randoms []*topology.Table) {
	checkRunKeys(root, sc)
	checkTraffic(doc, root, sc)
	checkTenants(root, sc)
	scripted := checkFaults(root, sc)
	checkRandom(root, sc, randoms, scripted)
	checkExpect(root, sc)
}

func checkRunKeys(root *topology.Table, sc *Scenario) {
	if raw, _ := root.Raw("settle"); isZeroDur(raw) {
		root.Errorf("settle", "must be positive (the default is %v)", DefaultSettle)
	}
	if raw, _ := root.Raw("max_warmup"); isZeroDur(raw) {
		root.Errorf("max_warmup", "must be positive (the default is %v)", DefaultMaxWarmup)
	}
}

// originated reports whether some site of top originates a prefix that
// covers p.
func originated(top *topology.Topology, p netip.Prefix) bool {
	for _, s := range top.Sites {
		for _, q := range s.Prefixes {
			if q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
				return true
			}
		}
	}
	return false
}

func checkTraffic(doc *topology.Document, root *topology.Table, sc *Scenario) {
	for i, t := range root.Tables("traffic") {
		if i >= len(sc.Traffic) {
			break
		}
		tr := sc.Traffic[i]
		if tr.From != "" && tr.From == tr.To {
			t.Errorf("to", "traffic from site %q to itself never leaves the site", tr.From)
		}
		if sc.Topology != nil && tr.To != "" {
			if _, isSite := sc.Topology.Site(tr.To); !isSite {
				if p, err := netip.ParsePrefix(tr.To); err == nil && p.Masked() == p && !originated(sc.Topology, p) {
					doc.Warnf(t.At("to"), "no site originates a prefix covering %s: all of this traffic will be lost as no-route", p)
				}
			}
		}
		if raw, _ := t.Raw("rate"); isZeroRate(raw) {
			raised := false
			for _, p := range tr.Profile {
				raised = raised || p.Rate > 0
			}
			if !raised {
				t.Errorf("rate", "rate 0 and no profile point raises it: this demand carries nothing")
			}
		}
		checkProfile(t)
	}
}

// randomID reports whether id has the form of a drawn fault's ("r7").
func randomID(id string) bool {
	if len(id) < 2 || id[0] != 'r' {
		return false
	}
	for _, c := range id[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isZeroDur(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	d, err := topology.ParseDuration(s)
	return err == nil && d == 0
}

func isZeroRate(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	bw, err := topology.ParseBandwidth(s)
	return err == nil && bw == 0
}

// checkProfile refuses profile points that are not in strictly increasing
// time order (a later point would silently override an earlier one).
func checkProfile(t *topology.Table) {
	var last sim.Time = -1
	for j, p := range t.Tables("profile") {
		d, ok := p.Duration("at")
		if !ok {
			continue
		}
		at := sim.Time(d)
		if at <= last && j > 0 {
			p.Errorf("at", "profile point at %v is not after the previous one (%v): give points in time order, once each", at, last)
		}
		last = max(last, at)
	}
}

func checkTenants(root *topology.Table, sc *Scenario) {
	seen := map[string]string{}
	for _, t := range root.Tables("tenant") {
		name, _ := t.Str("name")
		if first, dup := seen[name]; dup && name != "" {
			t.Errorf("name", "tenant %q already has a profile (at %s): give one profile per tenant", name, first)
		}
		seen[name] = t.Where()
		checkProfile(t)
	}
}

// checkFaults checks what a fault's values mean and returns how many
// fault events the scripted faults make (a flap counts once per flap).
func checkFaults(root *topology.Table, sc *Scenario) int {
	n := 0
	for i, t := range root.Tables("fault") {
		if i >= len(sc.Faults) {
			break
		}
		f := sc.Faults[i]
		n += max(1, f.Count)
		if root.Has("random") && randomID(f.ID) && t.Has("id") {
			t.Errorf("id", "fault id %q is the name of a random fault (r1, r2, … are drawn by [[random]]): choose another id", f.ID)
		}
		if t.Has("at") && f.At < 0 {
			t.Errorf("at", "fault at %v is before the start of the run", f.At)
		}
		if raw, _ := t.Raw("repair"); isZeroDur(raw) {
			t.Errorf("repair", `repair = "0s" would repair the fault as it happens; omit repair for a fault that is never repaired`)
		}
		if sc.Topology != nil && f.Kind == faults.LinkDegrade && f.Capacity > 0 {
			if l, ok := sc.Topology.Link(f.Target); ok && f.Capacity > float64(l.Capacity) {
				t.Errorf("capacity", "degraded capacity %v is above the link's capacity %v", topology.Bandwidth(f.Capacity), l.Capacity)
			}
			if _, ok := sc.Topology.LAG(f.Target); ok {
				if c := sc.Topology.LAGCapacity(f.Target); f.Capacity > float64(c) {
					t.Errorf("capacity", "degraded capacity %v is above the LAG's capacity %v", topology.Bandwidth(f.Capacity), c)
				}
			}
		}
	}
	if n > sc.MaxFaults {
		root.Errorf("fault", "the faults make %d fault events (a flap counts once per flap), more than max_faults = %d", n, sc.MaxFaults)
	}
	return n
}

// expectedFaults estimates the number of failures of one class over d:
// each component alternates up (MTBF) and down (MTTR) periods, so about
// d / (MTBF + MTTR) cycles each. A heavy tail (a log-normal with a large
// σ) has a mean far above its typical draw, so each period is taken as
// the smaller of its mean and its median: an estimate that errs high.
func expectedFaults(spec faults.ClassSpec, d sim.Time) float64 {
	typical := func(x faults.Dist) float64 { return float64(min(x.Mean(), x.Median())) }
	cycle := typical(spec.MTBF) + typical(spec.MTTR)
	return float64(len(spec.Components)) * float64(d) / math.Max(cycle, 1)
}

// checkRandom refuses duplicate class names (NewSchedule would reject them
// at run time) and classes that would draw too many faults.
func checkRandom(root *topology.Table, sc *Scenario, randoms []*topology.Table, scripted int) {
	first := map[string]string{}
	for _, t := range root.Tables("random") {
		name, ok := t.Str("class")
		if !ok || name == "" {
			continue
		}
		if at, dup := first[name]; dup {
			t.Errorf("class", "class %q defined twice (first at %s): give each class once, with all its components", name, at)
			continue
		}
		first[name] = t.Where()
	}
	if sc.Duration <= 0 {
		return
	}
	total := float64(scripted)
	for i, spec := range sc.Random {
		e := expectedFaults(spec, sc.Duration)
		total += e
		if e > float64(sc.MaxFaults) && i < len(randoms) {
			randoms[i].Errorf("mtbf", "class %q would draw about %.0f faults in %v (%d components, typically up %v + down %v), more than max_faults = %d",
				spec.Class, e, sc.Duration, len(spec.Components), min(spec.MTBF.Mean(), spec.MTBF.Median()), min(spec.MTTR.Mean(), spec.MTTR.Median()), sc.MaxFaults)
			return
		}
	}
	if total > float64(sc.MaxFaults) {
		root.Errorf("random", "the run would have about %.0f faults (scripted and drawn), more than max_faults = %d", total, sc.MaxFaults)
	}
}

// checkExpect refuses negative bounds and ratios above 100%.
func checkExpect(root *topology.Table, sc *Scenario) {
	for i, t := range root.Tables("expect") {
		if i >= len(sc.Expect) {
			break
		}
		e := sc.Expect[i]
		m, ok := metrics.Metric(e.Metric)
		if !ok {
			continue
		}
		for _, b := range []struct{ key, val string }{{"min", e.Min}, {"max", e.Max}, {"equal", e.Equal}} {
			if b.val == "" {
				continue
			}
			v, err := metrics.Parse(m.Kind, b.val)
			switch {
			case err != nil:
			case v < 0:
				t.Errorf(b.key, "negative bound %s: %s is never negative", b.val, e.Metric)
			case e.Metric == "loss.ratio" && v > 1:
				t.Errorf(b.key, "%s %s is above 100%%: a ratio is at most 100%%", e.Metric, b.val)
			}
		}
	}
}
