package faults

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/sim"
)

// ClassSpec describes the random failures of one class of components.
type ClassSpec struct {
	Class      string   `toml:"class"`      // e.g. "link", "router", "facility", "srlg", "control-plane"; no "/"
	Kind       string   `toml:"kind"`       // the fault kind injected, e.g. "link-down", "facility-down"
	Components []string `toml:"components"` // targets, in a fixed order; each fails independently
	MTBF       Dist     `toml:"mtbf"`       // time from start or repair to the next failure
	MTTR       Dist     `toml:"mttr"`       // time from a failure to its repair
}

// Occurrence is one drawn failure: Component of Class fails with Kind at At
// and is repaired Repair later (Repair ≥ 1ns; the repair may fall after the
// schedule's horizon).
type Occurrence struct {
	At        sim.Time
	Repair    sim.Time // duration after At
	Class     string
	Kind      string
	Component string
}

func (o Occurrence) String() string {
	return fmt.Sprintf("%v %s %s (class %s), repaired after %v", o.At, o.Kind, o.Component, o.Class, o.Repair)
}

// ValidateClassSpecs returns every problem with specs, each naming the class
// by position and name and the offending key, for example
//
//	class 2 ("router"): mttr: no distribution given; want exp(MEAN), …
//
// The fault kind is not checked against the catalogue here (the caller
// knows which kinds fit which targets). NewSchedule panics on specs that do
// not pass.
func ValidateClassSpecs(specs []ClassSpec) []error {
	var errs []error
	seen := make(map[string]int, len(specs))
	for i, c := range specs {
		where := fmt.Sprintf("class %d (%q)", i+1, c.Class)
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("%s: %s", where, fmt.Sprintf(format, a...)))
		}
		switch {
		case c.Class == "":
			bad("class: missing name")
		case strings.Contains(c.Class, "/"):
			bad("class: name may not contain \"/\" (it names a random stream)")
		default:
			if j, dup := seen[c.Class]; dup {
				bad("class: duplicate of class %d; give each class once, with all its components", j+1)
			} else {
				seen[c.Class] = i
			}
		}
		if c.Kind == "" {
			bad("kind: missing fault kind")
		}
		comps := make(map[string]bool, len(c.Components))
		for j, n := range c.Components {
			switch {
			case n == "":
				bad("components[%d]: empty name", j)
			case comps[n]:
				bad("components[%d]: %q listed twice", j, n)
			}
			comps[n] = true
		}
		if err := c.MTBF.Check(); err != nil {
			bad("mtbf: %v", err)
		}
		if err := c.MTTR.Check(); err != nil {
			bad("mttr: %v", err)
		}
	}
	return errs
}

// StochasticSchedule is a lazily generated, time-ordered stream of
// Occurrences over every component of every class, up to a horizon.
//
// It holds one pending failure per component in a binary heap ordered by
// (time, class order, component order), so ties are broken by the order of
// the specs and then of their components. Memory is O(components) whatever
// the horizon: a 100-year schedule costs only the occurrences pulled. Next is
// O(log components) and does not allocate.
//
// A ClassSpec gives, for one class of components (links, routers,
// facilities, SRLGs, control planes, …), the fault kind a failure injects
// and two distributions: MTBF, the time a component stays up, and MTTR, the
// time it stays down. Each component is an alternating renewal process: it
// starts up at time 0, fails after an MTBF draw, is repaired after an MTTR
// draw, fails again an MTBF draw after its repair, and so on. A component
// never fails again while it is down. Components do not start "in steady
// state": with a non-exponential MTBF every component is new at time 0.
//
// Correlated failures are not drawn here: they come from classes whose
// components are themselves shared-risk groups. A class "facility" with kind
// "facility-down" over the facilities, or "srlg" with "srlg-down" over the
// SRLGs, fails a whole building or conduit at once, and the fault catalogue
// expands that one occurrence into everything inside it. The same component
// may also appear in several classes (a router in class "router" and, through
// its facility, in class "facility"); occurrences of different classes may
// overlap in time, and the catalogue decides what a fault on something
// already down means.
//
// # Random streams
//
// Every component draws from its own named stream of the engine's
// sim.Streams, "faults/<class>/<component>" (for example
// "faults/link/xc-1"), alternating MTBF and MTTR draws in the order of its
// own renewals. So the same seed gives the same schedule; adding, removing
// or reordering a class leaves every other class's occurrences unchanged;
// and adding or removing a component leaves every other component's
// occurrences unchanged — two designs that share a component see it fail at
// the same times (common random numbers), which keeps `compare` fair. Class
// names may not contain "/", so stream names never collide.
//
// A StochasticSchedule is not safe for concurrent use; like the engine whose
// streams it draws from, it belongs to one run.
type StochasticSchedule struct {
	horizon sim.Time
	classes []stochClass
	comps   []stochComp  // every component, in (class, component) order
	heap    []stochEntry // pending failures, at most one per component
}

type stochClass struct {
	name, kind string
	mtbf, mttr stochSampler
}

type stochComp struct {
	name  string
	class int32
	src   *rand.PCG
}

// stochEntry is a component's next failure; comps order is (class,
// component) order, so (at, comp) is the total order of the schedule.
type stochEntry struct {
	at   sim.Time
	comp int32
}

func (a stochEntry) less(b stochEntry) bool {
	return a.at < b.at || (a.at == b.at && a.comp < b.comp)
}

// NewSchedule draws the first failure of every component (in class order,
// then component order) and returns the schedule of failures that start
// before horizon: occurrences have 0 < At < horizon. Streams are named as
// described at StochasticSchedule ("faults/<class>/<component>").
//
// Cost: O(components) time and memory. It panics if streams is nil or specs
// do not pass ValidateClassSpecs (check user input with it first).
func NewSchedule(streams *sim.Streams, specs []ClassSpec, horizon sim.Time) *StochasticSchedule {
	if streams == nil {
		panic("faults: NewSchedule with nil streams")
	}
	if errs := ValidateClassSpecs(specs); len(errs) > 0 {
		panic("faults: NewSchedule: " + errors.Join(errs...).Error())
	}
	n := 0
	for _, c := range specs {
		n += len(c.Components)
	}
	s := &StochasticSchedule{
		horizon: horizon,
		classes: make([]stochClass, len(specs)),
		comps:   make([]stochComp, 0, n),
		heap:    make([]stochEntry, 0, n),
	}
	for i, c := range specs {
		s.classes[i] = stochClass{name: c.Class, kind: c.Kind, mtbf: stochSamplerOf(c.MTBF), mttr: stochSamplerOf(c.MTTR)}
		for _, name := range c.Components {
			src := streams.Source("faults/" + c.Class + "/" + name)
			idx := int32(len(s.comps))
			s.comps = append(s.comps, stochComp{name: name, class: int32(i), src: src})
			if at := s.classes[i].mtbf.draw(src); at < horizon {
				s.heap = append(s.heap, stochEntry{at: at, comp: idx})
			}
		}
	}
	for i := len(s.heap)/2 - 1; i >= 0; i-- {
		s.down(i)
	}
	return s
}

// Horizon returns the schedule's horizon: every occurrence starts before it.
func (s *StochasticSchedule) Horizon() sim.Time { return s.horizon }

// Next returns the next occurrence in time order, or false when none is left
// before the horizon. It draws the occurrence's repair time and the
// component's following failure. O(log components), no allocation.
func (s *StochasticSchedule) Next() (Occurrence, bool) {
	if len(s.heap) == 0 {
		return Occurrence{}, false
	}
	top := s.heap[0]
	comp := &s.comps[top.comp]
	cl := &s.classes[comp.class]
	repair := cl.mttr.draw(comp.src)
	occ := Occurrence{At: top.at, Repair: repair, Class: cl.name, Kind: cl.kind, Component: comp.name}

	next := stochAdd(stochAdd(top.at, repair), cl.mtbf.draw(comp.src))
	if next < s.horizon {
		s.heap[0].at = next
	} else {
		last := len(s.heap) - 1
		s.heap[0] = s.heap[last]
		s.heap = s.heap[:last]
	}
	if len(s.heap) > 0 {
		s.down(0)
	}
	return occ, true
}

// All drains the schedule: it returns, in order, every remaining occurrence
// that starts before until (and before the horizon), leaving later ones for
// Next. Memory is O(occurrences returned): use it for small runs and tests,
// and Next for long horizons.
func (s *StochasticSchedule) All(until sim.Time) []Occurrence {
	var out []Occurrence
	for len(s.heap) > 0 && s.heap[0].at < until {
		o, _ := s.Next()
		if len(out) == cap(out) {
			out = slices.Grow(out, max(len(out), 8)) // doubling: a year's schedule is thousands
		}
		out = append(out, o)
	}
	return out
}

// down restores the heap property below i.
func (s *StochasticSchedule) down(i int) {
	h := s.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r].less(h[l]) {
			m = r
		}
		if !h[m].less(h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// stochAdd adds two non-negative times, saturating at sim.Never.
func stochAdd(a, b sim.Time) sim.Time {
	if a > sim.Never-b {
		return sim.Never
	}
	return a + b
}
