package topology

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Lint: design risks that simulation would confirm, each with a reason and
// a fix. Rules (IDs are stable, for suppression and CI):
//
//	no-bfd                a session that carries a demand has no BFD: a silent
//	                      failure is found only by the hold timer
//	default-hold          hold timer at a vendor default (90 s or 180 s)
//	shared-facility       a redundant interconnect ("maximum resiliency", a quad)
//	                      whose routers all sit in one facility
//	shared-srlg           … whose paths all share one SRLG (a conduit)
//	gr-without-bfd        graceful restart without BFD: stale routes into a dead
//	                      path for the restart time
//	pool-facility         a pool that cannot absorb one facility's failover
//	mrai-failover         MRAI on a session whose failover needs a new
//	                      announcement (active/standby, no ECMP)
//
// A session "carries a demand" when its link joins routers of the demand's
// two sites. Without demands every session between two sites counts.

// Severity of a finding.
type Severity int

// Severities, in increasing order.
const (
	Info Severity = iota
	Low
	Medium
	High
)

var severityNames = []string{"info", "low", "medium", "high"}

func (s Severity) String() string { return severityNames[s] }

// MarshalText writes the name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "info", "low", "medium" or "high".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q; want one of %s", s, strings.Join(severityNames, ", "))
}

// Finding is one design risk.
type Finding struct {
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Subject  string   `json:"subject"` // "session aws-gcp-bgp1", "pool p", …
	Reason   string   `json:"reason"`
	Fix      string   `json:"fix"`
}

// Lint returns the design risks of t, worst first (then by rule, subject).
// Demands, when not nil, replace the topology's (a scenario's traffic).
// Cost: one AnalyzeWith plus O(sessions + links · SRLGs).
func Lint(t *Topology, opt AnalyzeOptions) []Finding {
	demands := t.Demands
	if opt.Demands != nil {
		demands = opt.Demands
	}
	var out []Finding
	add := func(sev Severity, rule, subject, reason, fix string) {
		out = append(out, Finding{Severity: sev, Rule: rule, Subject: subject, Reason: reason, Fix: fix})
	}
	siteOf := func(r string) string {
		if x, ok := t.Router(r); ok {
			return x.Site
		}
		return ""
	}
	linkEnds := func(over string) (string, string, bool) {
		if l, ok := t.Link(over); ok {
			return l.A, l.B, true
		}
		if g, ok := t.LAG(over); ok {
			return g.A, g.B, true
		}
		return "", "", false
	}
	// carries names the demands a session carries ("" when none, "*" when
	// there are no demands and it joins two sites).
	carries := func(s Session) []string {
		a, b, ok := linkEnds(s.Over)
		if !ok {
			return nil
		}
		sa, sb := siteOf(a), siteOf(b)
		if sa == sb {
			return nil
		}
		if len(demands) == 0 {
			return []string{"*"}
		}
		var ds []string
		for _, d := range demands {
			if (d.From == sa && d.To == sb) || (d.From == sb && d.To == sa) {
				ds = append(ds, d.Name)
			}
		}
		return ds
	}
	carrying := func(ds []string) string {
		if len(ds) == 1 && ds[0] == "*" {
			return "joins two sites (no demands given: assumed to carry traffic)"
		}
		return "carries " + strings.Join(ds, ", ")
	}
	// Active/standby: a session whose policies set local-pref or prepend:
	// the standby path is announced but not used, and failing over to it
	// can take re-announcements along the way.
	standby := func(s Session) bool {
		for _, e := range []SessionEnd{s.A, s.B} {
			for _, rl := range slices.Concat(e.Import, e.Export) {
				if rl.Prepend > 0 || rl.LocalPref != nil {
					return true
				}
			}
		}
		return false
	}
	for _, s := range t.Sessions {
		ds := carries(s)
		subj := "session " + s.Name
		if len(ds) > 0 && s.BFD == nil {
			hold := min(s.A.Hold, s.B.Hold)
			add(High, "no-bfd", subj,
				fmt.Sprintf("it %s and runs no BFD: a silent failure (a mid-span cut behind a layer-2 service) black-holes traffic until the hold timer expires (%v)", carrying(ds), hold),
				"enable BFD on the session (e.g. bfd = { interval = \"300ms\", multiplier = 3 })")
		}
		// The lower hold of the two ends is the one negotiated.
		if hold := min(s.A.Hold, s.B.Hold); len(ds) > 0 && (hold == 90*time.Second || hold == 180*time.Second) {
			sev, why := Low, "BFD detects failures first, but the hold timer is the fallback when BFD is not offloaded or not negotiated"
			if s.BFD == nil {
				sev, why = Medium, "with no BFD it is the only detection of a silent failure"
			}
			add(sev, "default-hold", subj,
				fmt.Sprintf("the negotiated hold time %v is a vendor default; %s", hold, why),
				"lower the timers where the peer allows (e.g. keepalive = \"10s\", hold = \"30s\"), and run BFD")
		}
		for _, e := range []SessionEnd{s.A, s.B} {
			if e.GracefulRestart > 0 && s.BFD == nil && len(ds) > 0 {
				add(Medium, "gr-without-bfd", subj+" ("+e.Router+")",
					fmt.Sprintf("graceful restart (%v) without BFD: when the peer dies rather than restarts, its stale routes keep traffic on the dead path until the restart time or the hold timer runs out", e.GracefulRestart),
					"enable BFD (a BFD-down ends graceful restart at once), or turn graceful restart off")
			}
		}
		mrai := max(s.A.MRAI, s.B.MRAI)
		if len(ds) > 0 && !s.IBGP && mrai > 0 && standby(s) {
			add(Medium, "mrai-failover", subj,
				fmt.Sprintf("MRAI %v on a session whose failover needs a new announcement (active/standby or no ECMP): the backup path can reach the far side up to %v late (MRAI paces announcements, not withdrawals)", mrai, mrai),
				"set mrai = \"0s\" on the sessions of the failover path, or run ECMP over paths that are already announced")
		}
	}

	// Redundancy that shares a risk: per interconnect (links grouped by
	// their interconnect; hand-written ones by site pair) with at least two
	// links.
	groups := map[string][]Link{}
	var keys []string
	for _, l := range t.Links {
		if l.LAG != "" {
			continue
		}
		k := l.Interconnect
		if k == "" {
			a, b := siteOf(l.A), siteOf(l.B)
			if a == b {
				continue
			}
			k = "links " + min(a, b) + " ↔ " + max(a, b)
		} else {
			k = "interconnect " + k
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], l)
	}
	for _, g := range t.LAGs {
		k := "interconnect " + g.Interconnect
		if g.Interconnect == "" {
			k = "links " + min(siteOf(g.A), siteOf(g.B)) + " ↔ " + max(siteOf(g.A), siteOf(g.B))
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], Link{Name: g.Name, A: g.A, B: g.B})
	}
	for _, k := range keys {
		ls := groups[k]
		if len(ls) < 2 {
			continue
		}
		facs := map[string]bool{}
		var srlgSets [][]string
		for _, l := range ls {
			set := slices.Clone(l.SRLGs)
			for _, r := range []string{l.A, l.B} {
				if x, ok := t.Router(r); ok {
					if x.Facility != "" {
						facs[x.Facility] = true
					}
					set = append(set, x.SRLGs...)
				}
			}
			srlgSets = append(srlgSets, sortedUnique(set))
		}
		if len(facs) == 1 {
			f := sortedKeysOf(facs)[0]
			add(High, "shared-facility", k,
				fmt.Sprintf("its %d redundant links end on routers that are all in facility %s: one building takes every path", len(ls), f),
				"place half of the connections in a second facility (maximum resiliency: two locations)")
		}
		common := srlgSets[0]
		for _, s := range srlgSets[1:] {
			common = slices.DeleteFunc(slices.Clone(common), func(x string) bool { return !slices.Contains(s, x) })
		}
		for _, c := range common {
			add(High, "shared-srlg", k,
				fmt.Sprintf("all %d redundant paths share SRLG %s (on their links or their routers' backhaul): one cut takes them all", len(ls), c),
				"route one facility's backhaul through a diverse conduit, or add a path outside "+c)
		}
	}

	// Pools that cannot absorb one facility's failover: one finding per
	// pool, naming every facility whose loss overloads it.
	a := AnalyzeWith(t, opt)
	type overload struct {
		facilities []string
		worst      string
	}
	pools := map[string]*overload{}
	var poolOrder []string
	for _, d := range a.Demands {
		for _, l := range d.Losses {
			if l.Kind != "facility" || l.Pool == "" || l.OK {
				continue
			}
			o := pools[l.Pool]
			if o == nil {
				o = &overload{}
				pools[l.Pool] = o
				poolOrder = append(poolOrder, l.Pool)
			}
			if !slices.Contains(o.facilities, l.Name) {
				o.facilities = append(o.facilities, l.Name)
			}
			if o.worst == "" {
				o.worst = fmt.Sprintf("after facility %s fails the pool keeps %s while %s lands on it (other tenants + demands failing over): demand %s keeps %s of %s",
					l.Name, Bandwidth(l.PoolCapacityBps), Bandwidth(l.PoolLoadBps), d.Name, roundBW(l.DeliveredBps), Bandwidth(d.RateBps))
			}
		}
	}
	for _, pn := range poolOrder {
		o := pools[pn]
		add(High, "pool-facility", "pool "+pn,
			fmt.Sprintf("it cannot absorb the failover of facility %s: %s", strings.Join(o.facilities, " or "), o.worst),
			"raise the pool's capacity (or the channels') so that one facility's survivors carry the load, or reserve capacity for this tenant")
	}
	if len(demands) == 0 { // tenants alone
		for _, f := range t.Facilities {
			capacity, background := t.poolState(t.failureOf(Component{"facility", f.Name}))
			for i, p := range t.Pools {
				if background[i] > capacity[i] {
					add(High, "pool-facility", "pool "+p.Name,
						fmt.Sprintf("after facility %s fails the tenants' background alone (%s) exceeds what the pool keeps (%s)", f.Name, Bandwidth(background[i]), Bandwidth(capacity[i])),
						"raise the pool's capacity")
				}
			}
		}
	}

	slices.SortStableFunc(out, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(y.Severity, x.Severity), cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Subject, y.Subject))
	})
	return out
}

func roundBW(b float64) Bandwidth { return Bandwidth(float64(int64(b/1e6)) * 1e6) }

func sortedKeysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
