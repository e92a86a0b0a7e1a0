package fib

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// blockIDs is a prefix table with blocks (what bgp.Prefixes is to a
// simulation): units of 1–6 prefixes with consecutive IDs.
type blockIDs struct {
	ownIDs
	unitOf []int32 // by prefix ID
	firsts []int32 // by unit
	sizes  []int32 // by unit
}

func newBlockIDs(r *rand.Rand, units int) *blockIDs {
	t := &blockIDs{ownIDs: ownIDs{m: map[netip.Prefix]int32{}}}
	k := 0
	for u := range units {
		n := 1
		if r.IntN(3) > 0 {
			n = 2 + r.IntN(5)
		}
		t.firsts = append(t.firsts, int32(k))
		t.sizes = append(t.sizes, int32(n))
		for range n {
			t.ID(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k >> 8), byte(k), 0}), 24))
			t.unitOf = append(t.unitOf, int32(u))
			k++
		}
	}
	return t
}

func (t *blockIDs) Unit(id int32) (u, first, n int32) {
	u = t.unitOf[id]
	return u, t.firsts[u], t.sizes[u]
}
func (t *blockIDs) UnitOf(u int32) (first, n int32) { return t.firsts[u], t.sizes[u] }
func (t *blockIDs) NumUnits() int                   { return len(t.firsts) }
func (t *blockIDs) Bits(id int32) int               { return t.Prefix(id).Bits() }

// The FIB with units programs, traces, tells and answers exactly as the
// FIB with one state per prefix (refFIB, the FIB before blocks): random
// requests of whole units (as BGP makes them), of single members (as the
// stale sweep does), sequences cut short by another request, flushes and
// reads, at random instants and at the very instants members are
// programmed, over many seeds.
func TestBlocksMatchReference(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		got, want := unitsWorkload(seed, units), unitsWorkload(seed, reference)
		if len(want) < 200 {
			t.Fatalf("seed %d: only %d lines", seed, len(want))
		}
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("seed %d: line %d:\nunits:     %s\nreference: %s\n(before: %s)", seed, i, got[i], want[i], strings.Join(want[max(0, i-12):i], "\n  "))
			}
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d lines with units, %d with the reference", seed, len(got), len(want))
		}
	}
}

type fibAPI interface {
	UpdateID(id int32, nh []int)
	Flush()
	Get(p netip.Prefix) ([]int, bool)
	Lookup(a netip.Addr) ([]int, bool)
	Prefixes() []netip.Prefix
	Pending() int
	Changes() uint64
}

// A lazy FIB (SetLazy: no timer, members programmed by arithmetic when the
// FIB is next called) answers exactly as one with its timer, whatever the
// reads' instants, switched lazy and back at random moments. Only what it
// answers is compared: a lazy FIB traces and tells nothing.
func TestLazyMatchesTimer(t *testing.T) {
	quiet := func(lines []string) []string {
		return slices.DeleteFunc(lines, func(l string) bool {
			return strings.Contains(l, " fib.change ") || strings.Contains(l, " changed ")
		})
	}
	lazyRuns := 0
	for seed := uint64(1); seed <= 200; seed++ {
		got, want := quiet(unitsWorkload(seed, lazyUnits)), quiet(unitsWorkload(seed, units))
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("seed %d: line %d:\nlazy:  %s\ntimer: %s\n(before: %s)", seed, i, got[i], want[i], strings.Join(want[max(0, i-12):i], "\n  "))
			}
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d lines lazy, %d with the timer", seed, len(got), len(want))
		}
		for _, l := range got {
			if strings.Contains(l, "lazy true") {
				lazyRuns++
				break
			}
		}
	}
	if lazyRuns < 150 {
		t.Fatalf("only %d workloads ran lazy", lazyRuns)
	}
}

// What unitsWorkload runs: the FIB, the FIB switched lazy and back at
// random, or the reference.
const (
	units = iota
	lazyUnits
	reference
)

func unitsWorkload(seed uint64, mode int) []string {
	r := rand.New(rand.NewPCG(seed, 99))
	ids := newBlockIDs(r, 3+r.IntN(8))
	e := sim.New(seed)
	var out []string
	tr := sim.TraceFunc(func(at sim.Time, kind, subject string, attrs ...sim.Attr) {
		out = append(out, fmt.Sprintf("%v %s %v", at, kind, attrs))
	})
	onChange := func(p netip.Prefix) { out = append(out, fmt.Sprintf("%v changed %v", e.Now(), p)) }
	delay := 100 * sim.Microsecond
	var f fibAPI
	var lz *FIB // the lazy one
	lazy := true
	switch mode {
	case reference:
		f = newRef(e, "r", delay, tr, names, onChange, ids)
	case lazyUnits:
		lz = New(e, "r", delay, tr, names, onChange, ids)
		lz.SetLazy(true)
		f = lz
	default:
		f = New(e, "r", delay, tr, names, onChange, ids)
	}
	sets := [][]int{nil, {1}, {2}, {1, 2}}
	units := ids.NumUnits()
	for range 300 {
		// the next operation: at a random instant, often one at which a
		// member is being programmed
		d := sim.Time(r.IntN(8)) * delay
		if r.IntN(3) == 0 {
			d += sim.Time(r.IntN(100)) * sim.Microsecond
		}
		_ = e.Run(e.Now() + d)
		u := int32(r.IntN(units))
		first, n := ids.UnitOf(u)
		nh := sets[r.IntN(len(sets))]
		op := r.IntN(20)
		out = append(out, fmt.Sprintf("%v op %d unit %d (%d+%d) nh %v", e.Now(), op, u, first, n, nh))
		if r.IntN(12) == 0 { // the lazy FIB is switched (the others note it alike)
			lazy = !lazy
			if lz != nil {
				lz.SetLazy(lazy)
			}
			out = append(out, fmt.Sprintf("lazy %v", lazy))
		}
		switch {
		case op < 10: // a whole unit, as BGP tells it
			for k := range n {
				f.UpdateID(first+k, nh)
			}
		case op < 13: // one member
			f.UpdateID(first+int32(r.IntN(int(n))), nh)
		case op < 15: // a sequence cut short by another unit
			j := int32(r.IntN(int(n)))
			for k := range j {
				f.UpdateID(first+k, nh)
			}
			v := int32(r.IntN(units))
			vf, _ := ids.UnitOf(v)
			vs := sets[r.IntN(len(sets))]
			out = append(out, fmt.Sprintf("  cut after %d, then unit %d first %d nh %v", j, v, vf, vs))
			f.UpdateID(vf, vs)
		case op < 16:
			if r.IntN(4) == 0 {
				f.Flush()
			}
		default:
			p := ids.Prefix(first + int32(r.IntN(int(n))))
			nh, ok := f.Get(p)
			lh, lok := f.Lookup(p.Addr())
			out = append(out, fmt.Sprintf("%v read %v %v %v %v %v pending %d changes %d installed %v",
				e.Now(), p, nh, ok, lh, lok, f.Pending(), f.Changes(), slices.Clone(f.Prefixes())))
		}
	}
	_ = e.Run(e.Now() + sim.Second) // a lazy FIB has no event to run: the clock must move
	out = append(out, fmt.Sprintf("end %v pending %d changes %d installed %v", e.Now(), f.Pending(), f.Changes(), f.Prefixes()))
	return out
}
