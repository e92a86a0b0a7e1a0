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
	idx     int // order of first appearance (Builder.flowList)
	have    bool
	lastT   int64
	offered float64
	deliv   float64
	causes  []causeRate // numeric cause rates
	total   Loss
	windows []Loss // by window group + 1 (0: the baseline, group -1); a zero Loss where none was integrated
	series  []Point
}

// causeRate is one cause's lost rate in a flow.rate record.
type causeRate struct {
	key  string
	rate float64
}

type loadState struct {
	c     Capacity
	have  bool
	lastT int64
	load  float64
	cap   float64
	bg    float64
}

type bestChange struct {
	t   int64
	key string
}

// pending is what the events of the current instant contribute to a fault
// whose window is open: committed when time moves on, dropped when the
// window closes at this instant (a window is [inject, EffectEnd), so
// events at EffectEnd are outside it even when they precede the repair
// line).
type pending struct {
	churn      Churn
	lastChange int64
	changed    bool
	rank       int       // best detection rank this instant (4: none)
	det        Detection // its event (Match is set when the window closes)
}

// openFault is the streaming state of a fault whose window is open.
type openFault struct {
	fi   int
	pend pending
	rank int // best detection rank so far (4: none)
	det  Detection
}

// The simulator's layouts of the records the Builder reads most: a record
// with exactly these keys is read by position (trace.Event.Layout), any
// other by name, with the same result.
var (
	updateLayout   = []string{"peer", "dir", "announce", "withdraw"}
	sessionLayout  = []string{"router", "peer", "link", "from", "state", "reason"}
	bfdLayout      = []string{"router", "peer", "state", "reason"}
	linkLoadLayout = []string{"load", "capacity", "dropped"}
	poolLoadLayout = []string{"load", "capacity", "background", "dropped"}
)

// Builder computes the metrics of a run in one pass over its events, as
// they are produced or read: memory grows with the data-plane changes
// (kept as series for plots) and the faults, not with the control-plane
// events, so a run whose BGP never settles is measured in bounded memory.
// Compute is a Builder fed a slice.
type Builder struct {
	opt     Options
	end     int64
	res     *Result
	n       int
	instant int64

	groups     []int64 // distinct inject times, increasing
	faultGroup []int
	open       []*openFault
	curGroup   []int        // the faults of the latest group
	spare      []*openFault // closed windows' states, reused
	// Per fault fi, the series index of each demand's last point before
	// the inject (failover is measured from it at the end):
	// flowPre[flowPreAt[fi]+k] for the k-th demand (flowList order), for
	// the demands seen by then.
	flowPre   []int
	flowPreAt []int

	flows      map[string]*flowState
	flowList   []*flowState          // in order of first appearance
	loads      map[string]*loadState // by "link <name>" / "pool <name>"
	linkLoads  map[string]*loadState // the same, by link name
	poolLoads  map[string]*loadState // the same, by pool name
	sess       map[string]*sessInfo  // by session name: link, ends, BGP and BFD states before each event
	fabric     bool                  // the header describes the fabric (sessions are not learned)
	neighbours map[string]map[string]bool
	linkEnds   map[string]map[string]bool
	tail       map[[2]string][]bestChange // best-path changes in the oscillation tail
	stimuli    []int64                    // fault.inject, fault.repair and link.state times that can precede a tail change
	timeline   *TimelineBuilder
}

// ExpectFaults makes room for n faults (a run that knows its schedule says
// so up front): the fault list then never grows by copying. The metrics
// do not depend on it.
func (b *Builder) ExpectFaults(n int) {
	b.res.Faults = slices.Grow(b.res.Faults, n)
	b.faultGroup = slices.Grow(b.faultGroup, n)
	b.flowPreAt = slices.Grow(b.flowPreAt, n)
}

// NewBuilder starts the metrics of a run whose header is h; the run ends
// at h.DurationNS (its run.end).
func NewBuilder(h trace.Header, opt Options) *Builder {
	end := h.DurationNS
	opt = opt.withDefaults(end)
	b := &Builder{opt: opt, end: end,
		res:   &Result{Scenario: h.Scenario, Seed: h.Seed, Netdrill: h.Netdrill, End: end, Options: opt},
		flows: map[string]*flowState{}, loads: map[string]*loadState{},
		linkLoads: map[string]*loadState{}, poolLoads: map[string]*loadState{},
		sess: newSessions(h), fabric: h.Fabric != nil,
		neighbours: map[string]map[string]bool{}, linkEnds: map[string]map[string]bool{},
		tail: map[[2]string][]bestChange{}, timeline: NewTimelineBuilder(end)}
	b.timeline.Begin(h)
	return b
}

func addSet(m map[string]map[string]bool, k, v string) {
	if k == "" || v == "" {
		return
	}
	if m[k] == nil {
		m[k] = map[string]bool{}
	}
	m[k][v] = true
}

// group returns the window group of time t (-1 before the first fault).
func (b *Builder) group(t int64) int {
	return sort.Search(len(b.groups), func(k int) bool { return b.groups[k] > t }) - 1
}

// Apply adds one event; events must come in trace order.
func (b *Builder) Apply(e trace.Event) {
	b.apply(e)
}

// apply reads the session states as they were before e, then folds e
// into them.
func (b *Builder) apply(e trace.Event) {
	b.n++
	if e.T != b.instant {
		b.commit()
		b.instant = e.T
	}
	end := b.end
	res := b.res
	switch e.Kind {
	case trace.KindFlowRate, trace.KindLinkState:
		b.timeline.Apply(e) // the only kinds a timeline keeps
	}
	switch e.Kind {
	case trace.KindFaultInject, trace.KindFaultRepair, trace.KindLinkState:
		// What moves BGP from outside; only those that can precede a change
		// in the oscillation tail are kept.
		if e.T >= end-b.opt.OscillationTail-b.opt.OscillationSettle {
			b.stimuli = append(grow(b.stimuli), e.T)
		}
	}
	switch e.Kind {
	case trace.KindFaultInject:
		if len(b.groups) == 0 || b.groups[len(b.groups)-1] != e.T {
			// A new group closes the previous one's windows at this instant.
			b.closeAll(e.T)
			b.groups = append(grow(b.groups), e.T)
		}
		fi := len(res.Faults)
		res.Faults = append(res.Faults, Fault{
			ID: e.Subject, Kind: e.Str("fault"), Target: e.Str("target"),
			Links: e.Strs("links"), Routers: e.Strs("routers"), At: e.T,
			End: end, EffectEnd: end, LastChange: e.T,
		})
		b.faultGroup = append(b.faultGroup, len(b.groups)-1)
		b.curGroup = append(b.curGroup, fi)
		b.flowPreAt = append(b.flowPreAt, len(b.flowPre))
		for _, fs := range b.flowList {
			b.flowPre = append(grow(b.flowPre), len(fs.series)-1)
		}
		var of *openFault
		if n := len(b.spare); n > 0 {
			of, b.spare = b.spare[n-1], b.spare[:n-1]
		} else {
			of = new(openFault)
		}
		*of = openFault{fi: fi, rank: 4, pend: pending{rank: 4}}
		b.open = append(b.open, of)
		return
	case trace.KindFaultRepair:
		for k, of := range b.open {
			if f := &res.Faults[of.fi]; f.ID == e.Subject && !f.Repaired {
				f.Repaired, f.RepairAt, f.EffectEnd = true, e.T, e.T
				b.close(of)
				b.open = append(b.open[:k], b.open[k+1:]...)
				b.spare = append(b.spare, of)
				break
			}
		}
	case trace.KindFlowRate:
		fs := b.flows[e.Subject]
		if fs == nil {
			fs = &flowState{name: e.Subject, idx: len(b.flowList)}
			b.flows[e.Subject] = fs
			b.flowList = append(b.flowList, fs)
		}
		fs.integrate(min(e.T, end), b.groups, b.group)
		fs.have, fs.lastT = true, max(fs.lastT, e.T)
		fs.offered, fs.deliv = e.Num("offered"), e.Num("delivered")
		fs.causes = fs.causes[:0]
		for _, d := range e.Details {
			if d.Key == "offered" || d.Key == "delivered" {
				continue
			}
			if v, ok := num(d.Value); ok && v != 0 {
				fs.causes = append(fs.causes, causeRate{d.Key, v})
			}
		}
		fs.series = append(grow(fs.series), Point{T: e.T, Offered: fs.offered, Delivered: fs.deliv})
	case trace.KindLinkLoad, trace.KindPoolLoad:
		by := b.linkLoads
		if e.Kind == trace.KindPoolLoad {
			by = b.poolLoads
		}
		ls := by[e.Subject]
		if ls == nil {
			kind := strings.TrimSuffix(e.Kind, ".load")
			ls = &loadState{c: Capacity{Kind: kind, Name: e.Subject}}
			b.loads[kind+" "+e.Subject] = ls
			by[e.Subject] = ls
		}
		ls.integrate(min(e.T, end))
		ls.have, ls.lastT = true, max(ls.lastT, e.T)
		switch d := e.Details; {
		case e.Kind == trace.KindLinkLoad && e.Layout(linkLoadLayout):
			ls.load, ls.cap, ls.bg = trace.NumValue(d[0].Value), trace.NumValue(d[1].Value), 0
		case e.Kind == trace.KindPoolLoad && e.Layout(poolLoadLayout):
			ls.load, ls.cap, ls.bg = trace.NumValue(d[0].Value), trace.NumValue(d[1].Value), trace.NumValue(d[2].Value)
		default:
			ls.load, ls.cap, ls.bg = e.Num("load"), e.Num("capacity"), e.Num("background")
		}
		ls.c.PeakBackground = max(ls.c.PeakBackground, ls.bg)
		if ls.cap > 0 {
			if u := ls.load / ls.cap; u > ls.c.Peak || ls.c.PeakCapacity == 0 {
				ls.c.Peak, ls.c.PeakAt, ls.c.PeakLoad, ls.c.PeakCapacity = u, e.T, ls.load, ls.cap
			}
		}
		ls.c.Series = append(grow(ls.c.Series), LoadPoint{T: e.T, Load: ls.load, Capacity: ls.cap, Background: ls.bg})
	case trace.KindBGPSession:
		si := b.session(e.Subject)
		var router, peer, link, state, prev string
		var from any
		hasFrom := true
		if d := e.Details; e.Layout(sessionLayout) {
			router, peer, link = trace.StrValue(d[0].Value), trace.StrValue(d[1].Value), trace.StrValue(d[2].Value)
			from, state = d[3].Value, trace.StrValue(d[4].Value)
		} else {
			router, peer, link = e.Str("router"), e.Str("peer"), e.Str("link")
			from, hasFrom = e.Get("from")
			state = e.Str("state")
		}
		if link != "" {
			si.link = link
		}
		// Sets: a session's ends are added once, not on every state change.
		if k := [3]string{link, router, peer}; !slices.Contains(si.added, k) {
			si.added = append(si.added, k)
			if link != "" {
				addSet(b.linkEnds, link, router)
				addSet(b.linkEnds, link, peer)
			}
			addSet(b.neighbours, router, peer)
			addSet(b.neighbours, peer, router)
		}
		prev, _ = from.(string)
		if !hasFrom {
			if se := si.end(router); se != nil {
				prev = se.bgp
			}
		}
		if prev == "established" && state != "established" {
			b.down(e, si)
		}
		if se := b.endOrLearn(si, router, peer); se != nil {
			se.bgp = state
		}
	case trace.KindBFDState:
		si := b.session(e.Subject)
		var router, peer, state string
		if d := e.Details; e.Layout(bfdLayout) {
			router, peer, state = trace.StrValue(d[0].Value), trace.StrValue(d[1].Value), trace.StrValue(d[2].Value)
		} else {
			router, peer, state = e.Str("router"), e.Str("peer"), e.Str("state")
		}
		prev := ""
		if se := si.end(router); se != nil {
			prev = se.bfd
		}
		if state == "down" && prev != "down" {
			b.down(e, si)
		}
		if se := b.endOrLearn(si, router, peer); se != nil {
			se.bfd = state
		}
	case trace.KindBGPUpdate:
		if c := churnOf(e); c != (Churn{}) { // received UPDATEs count nothing
			res.Churn.add(c)
			for _, of := range b.open {
				of.pend.churn.add(c)
			}
		}
	case trace.KindBGPBest:
		res.Churn.BestChanges++
		b.change(e)
		if e.T >= end-b.opt.OscillationTail {
			k := [2]string{e.Subject, e.Str("prefix")}
			b.tail[k] = append(b.tail[k], bestChange{e.T, hopsKey(e.Strs("nexthops"))})
		}
		for _, of := range b.open {
			of.pend.churn.BestChanges++
		}
	case trace.KindFIBChange:
		res.Churn.FIBChanges++
		b.change(e)
		for _, of := range b.open {
			of.pend.churn.FIBChanges++
		}
	}
}

// change records a best-path or FIB change for the open windows.
func (b *Builder) change(e trace.Event) {
	for _, of := range b.open {
		of.pend.lastChange, of.pend.changed = e.T, true
	}
}

// down offers a session or BFD going down to the open windows as their
// detection: the first event at the best rank (1 direct, 2 adjacent, 3 any).
func (b *Builder) down(e trace.Event, si *sessInfo) {
	for _, of := range b.open {
		if of.rank == 1 || of.pend.rank == 1 {
			continue
		}
		f := &b.res.Faults[of.fi]
		router, peer := e.Str("router"), e.Str("peer")
		link := e.Str("link")
		if link == "" {
			link = si.link
		}
		rank := 3
		switch {
		case slices.Contains(f.Routers, router) || slices.Contains(f.Routers, peer) || (link != "" && slices.Contains(f.Links, link)):
			rank = 1
		case b.adjacent(f, router):
			rank = 2
		}
		if rank < of.pend.rank {
			// What the detection reports, not the event: its details may
			// be a reused buffer.
			of.pend.rank = rank
			of.pend.det = Detection{T: e.T, Kind: e.Kind, Subject: e.Subject, Router: router, Peer: peer,
				State: e.Str("state"), Reason: e.Str("reason")}
		}
	}
}

// adjacent reports whether router is a neighbour of a router the fault
// touched or an end of a link it touched (sessions seen so far).
func (b *Builder) adjacent(f *Fault, router string) bool {
	for _, r := range f.Routers {
		if b.neighbours[r][router] {
			return true
		}
	}
	for _, l := range f.Links {
		if b.linkEnds[l][router] {
			return true
		}
	}
	return false
}

// commit adds the instant's contributions to the open windows.
func (b *Builder) commit() {
	for _, of := range b.open {
		p := &of.pend
		f := &b.res.Faults[of.fi]
		f.Churn.add(p.churn)
		if p.changed {
			f.LastChange = p.lastChange
		}
		if p.rank < of.rank {
			of.rank, of.det = p.rank, p.det
		}
		*p = pending{rank: 4}
	}
}

// close ends a window at its EffectEnd, dropping the instant's pending
// contributions (they are at EffectEnd, outside the window).
func (b *Builder) close(of *openFault) {
	f := &b.res.Faults[of.fi]
	if of.det.Kind != "" {
		f.Detected = true
		f.Detection = of.det.T - f.At
		f.DetectedBy = of.det
		f.DetectedBy.Match = [...]string{1: "direct", 2: "adjacent", 3: "any"}[of.rank]
	}
}

// closeAll closes every open window at t (a new group of faults starts).
func (b *Builder) closeAll(t int64) {
	for _, fi := range b.curGroup {
		f := &b.res.Faults[fi]
		f.End = min(t, b.end)
		f.End = max(f.End, min(f.At, b.end))
		f.EffectEnd = f.End
		if f.Repaired {
			if f.RepairAt < f.End {
				f.EffectEnd = f.RepairAt
			} else {
				// A repair at the very instant the next group starts is
				// outside the window [At, End): not repaired in it.
				f.Repaired, f.RepairAt = false, 0
			}
		}
	}
	b.curGroup = b.curGroup[:0]
	for _, of := range b.open {
		b.close(of)
	}
	b.spare = append(b.spare, b.open...)
	clear(b.open)
	b.open = b.open[:0]
}

// Result closes every integral and window and returns the metrics.
func (b *Builder) Result() *Result {
	b.commit()
	res, end, opt := b.res, b.end, b.opt
	for _, of := range b.open {
		b.close(of)
	}
	b.open = nil
	res.Events = b.n
	res.Timeline = b.timeline.Timeline()

	for _, name := range sortedKeys(b.flows) {
		fs := b.flows[name]
		fs.integrate(end, b.groups, b.group)
		d := Demand{Name: name, Loss: fs.total, Series: fs.series}
		d.Baseline = fs.window(-1)
		res.Loss.add(d.Loss)
		res.Baseline.add(d.Baseline)
		d.Windows = make([]Loss, len(res.Faults))
		for fi := range res.Faults {
			d.Windows[fi] = fs.window(b.faultGroup[fi])
			res.Faults[fi].Loss.add(d.Windows[fi])
		}
		res.Demands = append(res.Demands, d)
	}
	for _, key := range sortedKeys(b.loads) {
		ls := b.loads[key]
		ls.integrate(end)
		if ls.c.Kind == "pool" {
			res.Pools = append(res.Pools, ls.c)
		} else {
			res.Links = append(res.Links, ls.c)
		}
	}
	res.Oscillations = oscillations(b.tail, b.stimuli, end, opt)

	flowNames, loadKeys := sortedKeys(b.flows), sortedKeys(b.loads)
	for fi := range res.Faults {
		f := &res.Faults[fi]
		f.Convergence = f.LastChange - f.At
		f.Converged = true
		for _, o := range res.Oscillations {
			for _, c := range b.tail[[2]string{o.Router, o.Prefix}] {
				if c.t >= f.At && c.t < f.EffectEnd && c.t >= end-opt.OscillationTail {
					f.Converged = false
				}
			}
		}
		for _, name := range flowNames {
			fs := b.flows[name]
			at, end := b.flowPreAt[fi], len(b.flowPre)
			if fi+1 < len(b.flowPreAt) {
				end = b.flowPreAt[fi+1]
			}
			if at+fs.idx >= end {
				continue // the demand had no flow.rate yet at the inject
			}
			if fo, ok := failover(fs, b.flowPre[at+fs.idx], f.At, f.EffectEnd, opt.SettleWindow); ok {
				f.Failovers = append(f.Failovers, fo)
			}
		}
		at := max(f.EffectEnd-1, f.At)
		for _, key := range loadKeys {
			ls := b.loads[key]
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

// Compute computes every metric of a run from its trace (see the package
// doc for the definitions). events must be in trace order. The run ends at
// its run.end event (else at the header's duration or the last event).
func Compute(h trace.Header, events []trace.Event, opt Options) *Result {
	end := h.DurationNS
	haveRunEnd := false
	var lastT int64
	for _, e := range events {
		lastT = max(lastT, e.T)
		if e.Kind == trace.KindRunEnd {
			end, haveRunEnd = e.T, true
		}
	}
	if !haveRunEnd {
		end = max(end, lastT)
	}
	h.DurationNS = end
	b := NewBuilder(h, opt)
	for _, e := range events {
		b.Apply(e)
	}
	return b.Result()
}

// window returns the loss integrated in window group g (-1: the baseline).
func (fs *flowState) window(g int) Loss {
	if g+1 < len(fs.windows) {
		return fs.windows[g+1]
	}
	return Loss{}
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
		for len(fs.windows) <= g+1 {
			fs.windows = append(grow(fs.windows), Loss{})
		}
		w := &fs.windows[g+1]
		for _, l := range []*Loss{&fs.total, w} {
			l.Offered += fs.offered * dt / bytesPerBitNS
			l.Delivered += fs.deliv * dt / bytesPerBitNS
			lost := (fs.offered - fs.deliv) * dt / bytesPerBitNS
			l.Lost += lost
			attributed := 0.0
			for _, c := range fs.causes {
				v := c.rate * dt / bytesPerBitNS
				if l.ByCause == nil {
					l.ByCause = map[string]float64{}
				}
				l.ByCause[c.key] += v
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
	var a, w int64
	if d := e.Details; e.Layout(updateLayout) {
		if trace.StrValue(d[1].Value) != "tx" {
			return c
		}
		a, w = trace.IntValue(d[2].Value), trace.IntValue(d[3].Value)
	} else {
		if e.Str("dir") != "tx" {
			return c
		}
		a, w = e.Int("announce"), e.Int("withdraw")
	}
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

type segment struct {
	s, e           int64
	offered, deliv float64
}

// failover measures one demand after the fault injected at time at, whose
// last point before the inject is series[pre], whose effect span ends at spanEnd. ok is false when the
// demand is not affected.
func failover(fs *flowState, pre int, at, spanEnd int64, settle int64) (Failover, bool) {
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float32, int32, int16, int8, uint, uint64, uint32, uint16, uint8:
		e := trace.Event{Details: []trace.Field{{Key: "v", Value: v}}}
		return e.Num("v"), true
	}
	return 0, false
}
