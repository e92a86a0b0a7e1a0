package fib

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// nhSets interns a FIB's next-hop sets: set 0 is the empty set (no route).
type nhSets struct {
	sets     [][]int
	setNames []any // trace names of each set ([]string, boxed), built on first use
	setIdx   map[string]int32
	key      []byte
	last     int32 // the set interned last (a run of updates often has one next-hop set)
}

func newNHSets() nhSets {
	return nhSets{sets: [][]int{nil}, setNames: []any{[]string{}}, setIdx: map[string]int32{"": 0}}
}

// intern returns the index of the next-hop set nh.
func (s *nhSets) intern(nh []int) int32 {
	if slices.Equal(nh, s.sets[s.last]) {
		return s.last
	}
	s.key = s.key[:0]
	for _, h := range nh {
		s.key = binary.AppendVarint(s.key, int64(h))
	}
	if i, ok := s.setIdx[string(s.key)]; ok {
		s.last = i
		return i
	}
	i := int32(len(s.sets))
	s.last = i
	s.sets = append(s.sets, slices.Clone(nh))
	s.setNames = append(s.setNames, nil)
	s.setIdx[string(s.key)] = i
	return i
}

// traceNames returns set's next hops as the trace writes them.
func (s *nhSets) traceNames(set int32, names func(nh int) string) any {
	if s.setNames[set] == nil {
		nh := s.sets[set]
		out := make([]string, len(nh))
		for i, h := range nh {
			out[i] = names(h)
		}
		s.setNames[set] = out
	}
	return s.setNames[set]
}

// trail writes a FIB's fib.change records.
type trail struct {
	eng       *sim.Engine
	router    string
	tracer    sim.Tracer
	countOnly bool // the tracer only counts fib.change records (SetCountOnly)
	names     func(nh int) string
	ab        []sim.Attr // reused for every record (tracers copy what they keep)
}

// change records that prefix id now forwards to set (its text is looked
// up only for a record that carries it).
func (t *trail) change(ids IDs, id, set int32, s *nhSets) {
	switch {
	case t.tracer == nil:
	case t.countOnly: // counted by the FIB (Changes)
	default:
		t.ab = append(t.ab[:0], sim.A("prefix", ids.Boxed(id)), sim.A("nexthops", s.traceNames(set, t.names)))
		t.tracer.Trace(t.eng.Now(), "fib.change", t.router, t.ab...)
	}
}

// SetCountOnly says whether the tracer only counts fib.change records
// (sim.Counter): they are then not sent at all (the count is the FIB's
// Changes).
func (t *trail) SetCountOnly(on bool) { t.countOnly = on }

// longestMatch returns the next hops get gives for the longest prefix of
// addr among the lengths lens counts (one look-up per length present).
func longestMatch(lens *[129]int, addr netip.Addr, get func(netip.Prefix) ([]int, bool)) ([]int, bool) {
	top := 32
	if addr.Is6() {
		top = 128
	}
	for l := top; l >= 0; l-- {
		if lens[l] == 0 {
			continue
		}
		p, _ := addr.Prefix(l)
		if nh, ok := get(p); ok {
			return nh, true
		}
	}
	return nil, false
}
