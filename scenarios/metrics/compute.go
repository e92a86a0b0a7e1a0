package metrics

import (
	"slices"
	"sort"
	"strings"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// bytesPerBitNS converts bits/s × ns into bytes.
const bytesPerBitNS = 8e9

type flowState struct {
	name    string
	have    bool
	lastT   int64
	offered float64
	deliv   float64
	causes  []trace.Field // numeric cause rates
	total   Loss
	windows map[int]*Loss // by window group; -1 = baseline
	series  []Point
	seqs    []int // event index of each point
}

type loadState struct {
	c     Capacity
	have  bool
	lastT int64
	load  float64
	cap   float64
	bg    float64
}

type sessKey struct{ subject, router string }

type bestChange struct {
	t   int64
	key string
}

// Compute computes every metric of a run from its trace (see the package
// doc for the definitions). events must be in trace order.
func Compute(h trace.Header, events []trace.Event, opt Options) *Result {
	end := h.DurationNS
	haveRunEnd := false
	var lastT int64
	for _, e := range events {
		lastT = max(lastT, e.T)
		if e.Kind == "run.end" {
			end, haveRunEnd = e.T, true
		}
	}
	if !haveRunEnd {
		end = max(end, lastT)
	}
	opt = opt.withDefaults(end)
	res := &Result{Scenario: h.Scenario, Seed: h.Seed, Netdrill: h.Netdrill, End: end, Options: opt, Events: len(events)}

	// Faults, their windows and groups (faults injected at one instant).
	var injectIdx []int
	var groups []int64 // distinct inject times, increasing
	for i, e := range events {
		if e.Kind != "fault.inject" {
			continue
		}
		if len(groups) == 0 || groups[len(groups)-1] != e.T {
			groups = append(groups, e.T)
		}
		injectIdx = append(injectIdx, i)
		res.Faults = append(res.Faults, Fault{
			ID: e.Subject, Kind: e.Str("fault"), Target: e.Str("target"),
			Links: e.Strs("links"), Routers: e.Strs("routers"), At: e.T,
		})
	}
	faultGroup := make([]int, len(res.Faults))
	for fi := range res.Faults {
		f := &res.Faults[fi]
		g := sort.Search(len(groups), func(k int) bool { return groups[k] >= f.At })
		faultGroup[fi] = g
		f.End = end
		if g+1 < len(groups) {
			f.End = min(groups[g+1], end)
		}
		f.End = max(f.End, min(f.At, end))
		f.EffectEnd = f.End
		for j := injectIdx[fi] + 1; j < len(events) && events[j].T < f.End; j++ {
			if e := events[j]; e.Kind == "fault.repair" && e.Subject == f.ID {
				f.Repaired, f.RepairAt, f.EffectEnd = true, e.T, e.T
				break
			}
		}
	}
	// group returns the window group of time t (-1 before the first fault).
	group := func(t int64) int {
		return sort.Search(len(groups), func(k int) bool { return groups[k] > t }) - 1
	}

	flows := map[string]*flowState{}
	loads := map[string]*loadState{} // key kind+" "+name
	sessState := map[sessKey]string{}
	bfdState := map[sessKey]string{}
	sessLink := map[string]string{}
	neighbours := map[string]map[string]bool{}
	linkEnds := map[string]map[string]bool{}
	addSet := func(m map[string]map[string]bool, k, v string) {
		if k == "" || v == "" {
			return
		}
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][v] = true
	}
	var downs []int // indices of down events
	best := map[[2]string][]bestChange{}
	var stimuli []int64 // times of fault.inject, fault.repair and link.state: what moves BGP from outside

	for i, e := range events {
		switch e.Kind {
		case "flow.rate":
			fs := flows[e.Subject]
			if fs == nil {
				fs = &flowState{name: e.Subject, windows: map[int]*Loss{}}
				flows[e.Subject] = fs
			}
			fs.integrate(min(e.T, end), groups, group)
			fs.have, fs.lastT = true, max(fs.lastT, e.T)
			fs.offered, fs.deliv = e.Num("offered"), e.Num("delivered")
			fs.causes = fs.causes[:0]
			for _, d := range e.Details {
				if d.Key == "offered" || d.Key == "delivered" {
					continue
				}
				if v, ok := num(d.Value); ok && v != 0 {
					fs.causes = append(fs.causes, trace.Field{Key: d.Key, Value: v})
				}
			}
			fs.series = append(fs.series, Point{T: e.T, Offered: fs.offered, Delivered: fs.deliv})
			fs.seqs = append(fs.seqs, i)
		case "link.state":
			stimuli = append(stimuli, e.T)
		case "link.load", "pool.load":
			kind := strings.TrimSuffix(e.Kind, ".load")
			ls := loads[kind+" "+e.Subject]
			if ls == nil {
				ls = &loadState{c: Capacity{Kind: kind, Name: e.Subject}}
				loads[kind+" "+e.Subject] = ls
			}
			ls.integrate(min(e.T, end))
			ls.have, ls.lastT = true, max(ls.lastT, e.T)
			ls.load, ls.cap, ls.bg = e.Num("load"), e.Num("capacity"), e.Num("background")
			ls.c.PeakBackground = max(ls.c.PeakBackground, ls.bg)
			if ls.cap > 0 {
				if u := ls.load / ls.cap; u > ls.c.Peak || ls.c.PeakCapacity == 0 {
					ls.c.Peak, ls.c.PeakAt, ls.c.PeakLoad, ls.c.PeakCapacity = u, e.T, ls.load, ls.cap
				}
			}
			ls.c.Series = append(ls.c.Series, LoadPoint{T: e.T, Load: ls.load, Capacity: ls.cap, Background: ls.bg})
		case "bgp.session":
			router, peer, link := e.Str("router"), e.Str("peer"), e.Str("link")
			if link != "" {
				sessLink[e.Subject] = link
				addSet(linkEnds, link, router)
				addSet(linkEnds, link, peer)
			}
			addSet(neighbours, router, peer)
			addSet(neighbours, peer, router)
			k := sessKey{e.Subject, router}
			from, ok := e.Get("from")
			prev, _ := from.(string)
			if !ok {
				prev = sessState[k]
			}
			state := e.Str("state")
			if prev == "established" && state != "established" {
				downs = append(downs, i)
			}
			sessState[k] = state
		case "bfd.state":
			k := sessKey{e.Subject, e.Str("router")}
			state := e.Str("state")
			if state == "down" && bfdState[k] != "down" {
				downs = append(downs, i)
			}
			bfdState[k] = state
		case "fault.inject", "fault.repair":
			stimuli = append(stimuli, e.T)
		case "bgp.update":
			res.Churn.add(churnOf(e))
		case "bgp.best":
			res.Churn.BestChanges++
			k := [2]string{e.Subject, e.Str("prefix")}
			best[k] = append(best[k], bestChange{e.T, hopsKey(e.Strs("nexthops"))})
		case "fib.change":
			res.Churn.FIBChanges++
		}
	}

	// Close the integrals at the end of the run.
	for _, name := range sortedKeys(flows) {
		fs := flows[name]
		fs.integrate(end, groups, group)
		d := Demand{Name: name, Loss: fs.total, Series: fs.series}
		if b := fs.windows[-1]; b != nil {
			d.Baseline = *b
		}
		res.Loss.add(d.Loss)
		res.Baseline.add(d.Baseline)
		d.Windows = make([]Loss, len(res.Faults))
		for fi := range res.Faults {
			if w := fs.windows[faultGroup[fi]]; w != nil {
				d.Windows[fi] = *w
			}
			res.Faults[fi].Loss.add(d.Windows[fi])
		}
		res.Demands = append(res.Demands, d)
	}
	for _, key := range sortedKeys(loads) {
		ls := loads[key]
		ls.integrate(end)
		if ls.c.Kind == "pool" {
			res.Pools = append(res.Pools, ls.c)
		} else {
			res.Links = append(res.Links, ls.c)
		}
	}
	res.Oscillations = oscillations(best, stimuli, end, opt)

	// Per fault: detection, convergence, failover, headroom.
	for fi := range res.Faults {
		f := &res.Faults[fi]
		from := injectIdx[fi]
		to := sort.Search(len(events), func(k int) bool { return k > from && events[k].T >= f.EffectEnd })
		span := events[from+1 : max(to, from+1)]

		f.detect(events, downs, from, to, sessLink, neighbours, linkEnds)

		f.LastChange = f.At
		for _, e := range span {
			switch e.Kind {
			case "bgp.update":
				f.Churn.add(churnOf(e))
			case "bgp.best":
				f.Churn.BestChanges++
				f.LastChange = e.T
			case "fib.change":
				f.Churn.FIBChanges++
				f.LastChange = e.T
			}
		}
		f.Convergence = f.LastChange - f.At
		f.Converged = true
		for _, o := range res.Oscillations {
			for _, c := range best[[2]string{o.Router, o.Prefix}] {
				if c.t >= f.At && c.t < f.EffectEnd && c.t >= end-opt.OscillationTail {
					f.Converged = false
				}
			}
		}

		for _, name := range sortedKeys(flows) {
			if fo, ok := failover(flows[name], from, f.At, f.EffectEnd, opt.SettleWindow); ok {
				f.Failovers = append(f.Failovers, fo)
			}
		}

		at := max(f.EffectEnd-1, f.At)
		for _, key := range sortedKeys(loads) {
			ls := loads[key]
			p, ok := stateAt(ls.c.Series, at)
			if !ok || p.Capacity <= 0 {
				continue
			}
			hr := (p.Capacity - p.Load) / p.Capacity
			if !f.HeadroomKnown || hr < f.Headroom {
				f.HeadroomKnown, f.Headroom, f.HeadroomOn, f.HeadroomAt = true, hr, key, f.EffectEnd
			}
		}
	}
	return res
}

// integrate accumulates the demand's current rates over [lastT, t),
// split at fault window boundaries.
func (fs *flowState) integrate(t int64, groups []int64, group func(int64) int) {
	if !fs.have || t <= fs.lastT {
		return
	}
	a := fs.lastT
	for a < t {
		g := group(a)
		b := t
		if g+1 < len(groups) && groups[g+1] < b {
			b = groups[g+1]
		}
		dt := float64(b - a)
		w := fs.windows[g]
		if w == nil {
			w = &Loss{}
			fs.windows[g] = w
		}
		for _, l := range []*Loss{&fs.total, w} {
			l.Offered += fs.offered * dt / bytesPerBitNS
			l.Delivered += fs.deliv * dt / bytesPerBitNS
			lost := (fs.offered - fs.deliv) * dt / bytesPerBitNS
			l.Lost += lost
			attributed := 0.0
			for _, c := range fs.causes {
				v := c.Value.(float64) * dt / bytesPerBitNS
				if l.ByCause == nil {
					l.ByCause = map[string]float64{}
				}
				l.ByCause[c.Key] += v
				attributed += v
			}
			if rest := lost - attributed; rest > 1e-9*max(lost, 1) {
				if l.ByCause == nil {
					l.ByCause = map[string]float64{}
				}
				l.ByCause[Unattributed] += rest
			}
		}
		a = b
	}
	fs.lastT = t
}

func (ls *loadState) integrate(t int64) {
	if !ls.have || t <= ls.lastT {
		return
	}
	dt := t - ls.lastT
	if ls.load > ls.cap {
		ls.c.Over += dt
		ls.c.Dropped += (ls.load - max(ls.cap, 0)) * float64(dt) / bytesPerBitNS
	}
	ls.lastT = t
}

func churnOf(e trace.Event) Churn {
	var c Churn
	if e.Str("dir") != "tx" {
		return c
	}
	a, w := e.Int("announce"), e.Int("withdraw")
	if a > 0 {
		c.Updates = 1
		c.AnnouncedPrefixes = a
	}
	if w > 0 {
		c.WithdrawMsgs = 1
		c.Withdrawals = w
	}
	return c
}

// detect finds the detecting event among downs within events[from+1:to].
func (f *Fault) detect(events []trace.Event, downs []int, from, to int, sessLink map[string]string, neighbours, linkEnds map[string]map[string]bool) {
	touchedR := setOf(f.Routers)
	touchedL := setOf(f.Links)
	adjacent := map[string]bool{}
	for r := range touchedR {
		for n := range neighbours[r] {
			adjacent[n] = true
		}
	}
	for l := range touchedL {
		for n := range linkEnds[l] {
			adjacent[n] = true
		}
	}
	bestRank, bestIdx := 4, -1
	k := sort.SearchInts(downs, from+1)
	for ; k < len(downs) && downs[k] < to; k++ {
		e := events[downs[k]]
		router, peer := e.Str("router"), e.Str("peer")
		link := e.Str("link")
		if link == "" {
			link = sessLink[e.Subject]
		}
		rank := 3
		switch {
		case touchedR[router] || touchedR[peer] || (link != "" && touchedL[link]):
			rank = 1
		case adjacent[router]:
			rank = 2
		}
		if rank < bestRank {
			bestRank, bestIdx = rank, downs[k]
		}
		if rank == 1 {
			break
		}
	}
	if bestIdx < 0 {
		return
	}
	e := events[bestIdx]
	f.Detected = true
	f.Detection = e.T - f.At
	f.DetectedBy = Detection{T: e.T, Kind: e.Kind, Subject: e.Subject, Router: e.Str("router"), Peer: e.Str("peer"),
		State: e.Str("state"), Reason: e.Str("reason"), Match: [...]string{1: "direct", 2: "adjacent", 3: "any"}[bestRank]}
}

type segment struct {
	s, e           int64
	offered, deliv float64
}

// failover measures one demand after the fault injected at event index
// from (time at) whose effect span ends at spanEnd. ok is false when the
// demand is not affected.
func failover(fs *flowState, from int, at, spanEnd int64, settle int64) (Failover, bool) {
	pre := sort.SearchInts(fs.seqs, from) - 1
	if pre < 0 || fs.series[pre].Delivered <= 0 || spanEnd <= at {
		return Failover{}, false
	}
	cur := fs.series[pre]
	fo := Failover{Demand: fs.name, Before: cur.Delivered, Lowest: cur.Delivered}
	var segs []segment
	t0 := at
	for k := pre + 1; k < len(fs.series) && fs.series[k].T < spanEnd; k++ {
		p := fs.series[k]
		if p.T > t0 {
			segs = append(segs, segment{t0, p.T, cur.Offered, cur.Delivered})
		}
		cur, t0 = p, max(t0, p.T)
	}
	segs = append(segs, segment{t0, spanEnd, cur.Offered, cur.Delivered})

	drop := -1
	for i, s := range segs {
		fo.Lowest = min(fo.Lowest, s.deliv)
		if drop < 0 && s.deliv < 0.99*min(fo.Before, s.offered) {
			drop = i
		}
	}
	if drop < 0 {
		return Failover{}, false
	}
	fo.DropAt = segs[drop].s
	last := segs[len(segs)-1]
	fo.Target, fo.Offered = last.deliv, last.offered
	if fo.Target < 0.01*fo.Offered || fo.Target <= 0 {
		fo.Reason = "nothing delivered at the end of the window"
		return fo, true
	}
	runStart := int64(-1)
	for _, s := range segs[drop:] {
		if d := s.deliv - fo.Target; d <= 0.01*fo.Target && -d <= 0.01*fo.Target {
			if runStart < 0 {
				runStart = s.s
			}
			if s.e-runStart >= settle {
				fo.Restored, fo.RestoredAt, fo.Failover = true, runStart, runStart-at
				return fo, true
			}
		} else {
			runStart = -1
		}
	}
	fo.Reason = "not settled for the settle window before the window closed"
	return fo, true
}

// stateAt returns the last point at or before t.
func stateAt(s []LoadPoint, t int64) (LoadPoint, bool) {
	k := sort.Search(len(s), func(i int) bool { return s[i].T > t }) - 1
	if k < 0 {
		return LoadPoint{}, false
	}
	return s[k], true
}

func oscillations(best map[[2]string][]bestChange, stimuli []int64, end int64, opt Options) []Oscillation {
	tail := end - opt.OscillationTail
	// unprovoked reports whether no stimulus came in the settle allowance
	// before t (at t included): the change is BGP's own doing.
	unprovoked := func(t int64) bool {
		k := sort.Search(len(stimuli), func(i int) bool { return stimuli[i] > t }) - 1
		return k < 0 || t-stimuli[k] > opt.OscillationSettle
	}
	var out []Oscillation
	for k, cs := range best {
		i := sort.Search(len(cs), func(j int) bool { return cs[j].t >= tail })
		cs = cs[i:]
		if len(cs) < opt.OscillationMinChanges || !slices.ContainsFunc(cs, func(c bestChange) bool { return unprovoked(c.t) }) {
			continue
		}
		seen := map[string]bool{}
		var states []string
		recur := false
		for j, c := range cs {
			if seen[c.key] && j > 0 && cs[j-1].key != c.key {
				recur = true
			}
			if !seen[c.key] {
				seen[c.key] = true
				states = append(states, c.key)
			}
		}
		if recur {
			out = append(out, Oscillation{Router: k[0], Prefix: k[1], Changes: len(cs), First: cs[0].t, Last: cs[len(cs)-1].t, States: states})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Router != out[j].Router {
			return out[i].Router < out[j].Router
		}
		return out[i].Prefix < out[j].Prefix
	})
	return out
}

func hopsKey(h []string) string {
	if len(h) == 0 {
		return "-"
	}
	h = slices.Clone(h)
	sort.Strings(h)
	return strings.Join(h, ",")
}

func setOf(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func num(v any) (float64, bool) {
	e := trace.Event{Details: []trace.Field{{Key: "v", Value: v}}}
	switch v.(type) {
	case float64, float32, int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8:
		return e.Num("v"), true
	}
	return 0, false
}
