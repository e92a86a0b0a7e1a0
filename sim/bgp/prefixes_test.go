package bgp

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// Blocks get consecutive IDs and one destination number; destination
// numbers are dense (0 … dests()−1), one per prefix alone and per block,
// including prefixes that get an ID after the blocks.
//
// By hand: IDs 0, 1 alone (dests 0, 1); block 2–4 (dest 2); 5 alone
// (dest 3); block 6–7 (dest 4); 8 alone, given last (dest 5): 6 dests,
// 2 blocks holding 3 + 2 = 5 prefixes; IDs 2, 6 and 8 stand for
// 3 + 2 + 1 = 6 prefixes; dest 5's first ID is 8 = 5 + the 3 IDs that
// are not the first of their block (3, 4, 7).
func TestPrefixesBlocksAndDests(t *testing.T) {
	p := func(i int) netip.Prefix { return netip.MustParsePrefix(fmt.Sprintf("10.0.%d.0/24", i)) }
	tab := NewPrefixes()
	tab.ID(p(0))
	tab.ID(p(1))
	b1 := tab.Block([]netip.Prefix{p(2), p(3), p(4)})
	tab.ID(p(5))
	b2 := tab.Block([]netip.Prefix{p(6), p(7)})
	late := tab.ID(p(8)) // after every block (a leaked prefix, say)
	want := []struct {
		id          int32
		first, size int32
		dest        int32
	}{
		{0, 0, 1, 0}, {1, 1, 1, 1},
		{2, 2, 3, 2}, {3, 2, 1, 2}, {4, 2, 1, 2},
		{5, 5, 1, 3},
		{6, 6, 2, 4}, {7, 6, 1, 4},
		{8, 8, 1, 5},
	}
	if b1 != 2 || b2 != 6 || late != 8 {
		t.Fatalf("IDs: blocks at %d and %d, late %d; want 2, 6, 8", b1, b2, late)
	}
	for _, w := range want {
		size := tab.size(w.id)
		if tab.first(w.id) != w.first {
			t.Errorf("first(%d) = %d, want %d", w.id, tab.first(w.id), w.first)
		}
		if w.id == w.first && size != w.size {
			t.Errorf("size(%d) = %d, want %d", w.id, size, w.size)
		}
		if d := tab.dest(w.id); d != w.dest {
			t.Errorf("dest(%d) = %d, want %d", w.id, d, w.dest)
		}
	}
	if tab.dests() != 6 {
		t.Errorf("dests() = %d, want 6", tab.dests())
	}
	if b, n := tab.Blocks(); b != 2 || n != 5 {
		t.Errorf("Blocks() = %d, %d; want 2 blocks of 5 prefixes", b, n)
	}
	for u := int32(0); u < int32(tab.NumUnits()); u++ {
		first, n := tab.UnitOf(u)
		if gu, gf, gn := tab.Unit(first); gu != u || gf != first || gn != n {
			t.Errorf("UnitOf(%d) = %d, %d but Unit(%d) = %d, %d, %d", u, first, n, first, gu, gf, gn)
		}
	}
	if first, n := tab.UnitOf(5); first != 8 || n != 1 {
		t.Errorf("UnitOf(5) = %d, %d; want 8, 1", first, n)
	}
	if got := tab.count([]int32{2, 6, 8}); got != 6 {
		t.Errorf("count = %d, want 6", got)
	}
}

// A speaker never changes its caller's Config.Originate (it shares the list
// until it changes it), and repeats in the list are originated once.
func TestOriginateLeavesConfigAlone(t *testing.T) {
	p1, p2, p3, p4 := netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("10.2.0.0/16"), netip.MustParsePrefix("10.3.0.0/16"), netip.MustParsePrefix("10.4.0.0/16")
	long := make([]netip.Prefix, 0, 80)
	for k := range 40 {
		long = append(long, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 9, byte(k), 0}), 24))
	}
	long = append(long, p1, p2, long[3], p3)
	for _, list := range [][]netip.Prefix{{p1, p2, p3}, {p1, p2, p1, p3, p2}, long} {
		orig := slices.Clone(list)
		s := New(sim.New(1), Config{Name: "a", ASN: 65001, RouterID: 1, Originate: list}, nil, nil, nil)
		want := slices.Clone(orig)
		for i := 0; i < len(want); i++ {
			if slices.Contains(want[:i], want[i]) {
				want = slices.Delete(want, i, i+1)
				i--
			}
		}
		if !slices.Equal(s.origins, want) {
			t.Fatalf("originates %v, want %v", s.origins, want)
		}
		s.WithdrawOrigin(p1)
		s.Originate(p4)
		s.WithdrawOrigin(p3)
		if !slices.Equal(list, orig) {
			t.Fatalf("the caller's list became %v, was %v", list, orig)
		}
		want = slices.DeleteFunc(append(want, p4), func(p netip.Prefix) bool { return p == p1 || p == p3 })
		if !slices.Equal(s.origins, want) {
			t.Fatalf("after changes originates %v, want %v", s.origins, want)
		}
	}
}
