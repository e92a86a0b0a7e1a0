package bgp

import (
	"encoding/binary"
	"net/netip"
	"slices"
)

// Loc-RIB next-hop sets are interned per speaker: a dest holds the index of
// its set (a few distinct sets serve every prefix), the Listener receives
// the shared slice, and the trace names of a set are built once.

func (s *Speaker) initNHSets() {
	s.nhSets = [][]int{nil}
	s.nhAny = []any{[]string{}}
	s.nhIdx = map[string]int32{"": 0}
}

// nhSet returns the index of next-hop set nh (0: empty). hint is a set it
// is likely to be (the dest's current one), checked first, then the set
// returned last: most decisions keep the set, or move a run of prefixes to
// the same one.
func (s *Speaker) nhSet(nh []int, hint int32) int32 {
	if len(nh) == 0 {
		return 0
	}
	if slices.Equal(nh, s.nhSets[hint]) {
		return hint
	}
	if slices.Equal(nh, s.nhSets[s.nhLast]) {
		return s.nhLast
	}
	i := s.nhFind(nh)
	s.nhLast = i
	return i
}

func (s *Speaker) nhFind(nh []int) int32 {
	s.nhKey = s.nhKey[:0]
	for _, h := range nh {
		s.nhKey = binary.AppendVarint(s.nhKey, int64(h))
	}
	if i, ok := s.nhIdx[string(s.nhKey)]; ok {
		return i
	}
	i := int32(len(s.nhSets))
	s.nhSets = append(s.nhSets, slices.Clone(nh))
	s.nhAny = append(s.nhAny, nil)
	s.nhIdx[string(s.nhKey)] = i
	return i
}

// prefixOf returns d's prefix.
func (s *Speaker) prefixOf(d *dest) netip.Prefix { return s.pfx.Prefix(d.gid) }
