package metrics

import (
	"slices"
	"sort"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// Timeline is what a run did over time, for plots: each demand's rates
// with its loss split by cause, and the periods each link spent in a state
// other than up. Compute keeps totals; a Timeline keeps the shape.
type Timeline struct {
	End     int64
	Demands []DemandTimeline // sorted by name
	Links   []LinkTimeline   // sorted by name; links that were ever not up
}

// DemandTimeline is one demand's flow.rate records in trace order.
type DemandTimeline struct {
	Name   string
	Points []RatePoint
}

// RatePoint is a demand's rates from T on (bits/s). Causes holds the
// non-zero loss rates in report order (Causes first, then others sorted).
type RatePoint struct {
	T                  int64
	Offered, Delivered float64
	Causes             []CauseRate
}

// Lost returns the loss rate of cause c at p (0 when absent).
func (p RatePoint) Lost(c string) float64 {
	for _, r := range p.Causes {
		if r.Cause == c {
			return r.Rate
		}
	}
	return 0
}

// CauseRate is a loss rate (bits/s) attributed to one cause.
type CauseRate struct {
	Cause string
	Rate  float64
}

// LinkTimeline lists the periods a link was not up.
type LinkTimeline struct {
	Name    string
	Periods []StatePeriod
}

// StatePeriod is a link state other than up from From to To (To is the end
// of the run when the link never came back).
type StatePeriod struct {
	From, To int64
	State    string // down, silent, degraded, dark, …
	Reason   string
}

// At returns the state of the link at t ("up" outside every period).
func (l LinkTimeline) At(t int64) string {
	i := sort.Search(len(l.Periods), func(k int) bool { return l.Periods[k].To > t })
	if i < len(l.Periods) && l.Periods[i].From <= t {
		return l.Periods[i].State
	}
	return "up"
}

// TimelineBuilder builds a Timeline one event at a time (the metrics
// Builder feeds one, so a run's timeline needs no event list).
type TimelineBuilder struct {
	end     int64
	demands map[string]*DemandTimeline
	links   map[string]*LinkTimeline
	open    map[string]int // link → index of its open period, if any
}

// NewTimelineBuilder starts the timeline of a run that ends at end.
func NewTimelineBuilder(end int64) *TimelineBuilder {
	return &TimelineBuilder{end: end, demands: map[string]*DemandTimeline{},
		links: map[string]*LinkTimeline{}, open: map[string]int{}}
}

// Begin opens the periods a run starts in, from its header: a link the
// fabric declares admin_down (a cold backup a link-up action brings up) is
// down from time 0, reason admin-down, as trace.NewState has it. Call it
// before the first Apply.
func (b *TimelineBuilder) Begin(h trace.Header) {
	if h.Fabric == nil {
		return
	}
	for _, l := range h.Fabric.Links {
		if !l.AdminDown || b.links[l.Name] != nil {
			continue
		}
		b.links[l.Name] = &LinkTimeline{Name: l.Name,
			Periods: []StatePeriod{{From: 0, To: b.end, State: "down", Reason: "admin-down"}}}
		b.open[l.Name] = 0
	}
}

// NewTimeline builds the timeline of a run from its events (in trace order)
// up to end. It is O(events) and keeps one record per flow.rate event and
// per link state change.
func NewTimeline(events []trace.Event, end int64) *Timeline {
	b := NewTimelineBuilder(end)
	for _, e := range events {
		b.Apply(e)
	}
	return b.Timeline()
}

// Apply adds one event (events after the end are ignored).
func (b *TimelineBuilder) Apply(e trace.Event) {
	if e.T > b.end {
		return
	}
	switch e.Kind {
	case trace.KindFlowRate:
		d := b.demands[e.Subject]
		if d == nil {
			d = &DemandTimeline{Name: e.Subject}
			b.demands[e.Subject] = d
		}
		p := RatePoint{T: e.T, Offered: e.Num("offered"), Delivered: e.Num("delivered")}
		for _, f := range e.Details {
			if f.Key == "offered" || f.Key == "delivered" {
				continue
			}
			if v := e.Num(f.Key); v != 0 {
				p.Causes = append(p.Causes, CauseRate{Cause: f.Key, Rate: v})
			}
		}
		slices.SortStableFunc(p.Causes, func(a, b CauseRate) int { return causeCmp(a.Cause, b.Cause) })
		d.Points = append(grow(d.Points), p)
	case trace.KindLinkState:
		l := b.links[e.Subject]
		state := e.Str("state")
		if i, ok := b.open[e.Subject]; ok {
			if l.Periods[i].State == state {
				return
			}
			l.Periods[i].To = e.T
			delete(b.open, e.Subject)
		}
		if state == "up" || state == "" {
			return
		}
		if l == nil {
			l = &LinkTimeline{Name: e.Subject}
			b.links[e.Subject] = l
		}
		l.Periods = append(grow(l.Periods), StatePeriod{From: e.T, To: b.end, State: state, Reason: e.Str("reason")})
		b.open[e.Subject] = len(l.Periods) - 1
	}
}

// Timeline returns the timeline of the events applied so far.
func (b *TimelineBuilder) Timeline() *Timeline {
	tl := &Timeline{End: b.end}
	for _, name := range timelineKeys(b.demands) {
		tl.Demands = append(tl.Demands, *b.demands[name])
	}
	for _, name := range timelineKeys(b.links) {
		l := *b.links[name]
		// Drop empty periods (a state left at the instant it was entered).
		var ps []StatePeriod
		for _, p := range l.Periods {
			if p.To > p.From {
				ps = append(ps, p)
			}
		}
		if len(ps) > 0 {
			l.Periods = ps
			tl.Links = append(tl.Links, l)
		}
	}
	return tl
}

// Demand returns the timeline of the named demand, or nil.
func (tl *Timeline) Demand(name string) *DemandTimeline {
	for i := range tl.Demands {
		if tl.Demands[i].Name == name {
			return &tl.Demands[i]
		}
	}
	return nil
}

// Link returns the timeline of the named link, or nil when it was always up.
func (tl *Timeline) Link(name string) *LinkTimeline {
	for i := range tl.Links {
		if tl.Links[i].Name == name {
			return &tl.Links[i]
		}
	}
	return nil
}

// causeLess orders causes as reports list them: Causes first, then the
// others by name.
// causeCmp orders causes as causeLess does, for slices' sorts.
func causeCmp(a, b string) int {
	switch {
	case causeLess(a, b):
		return -1
	case causeLess(b, a):
		return 1
	}
	return 0
}

func causeLess(a, b string) bool {
	ia, ib := causeIndex(a), causeIndex(b)
	if ia != ib {
		return ia < ib
	}
	return a < b
}

func causeIndex(c string) int {
	for i, k := range Causes {
		if k == c {
			return i
		}
	}
	return len(Causes)
}

// timelineKeys returns m's keys sorted (kept apart from compute.go's helpers).
func timelineKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
