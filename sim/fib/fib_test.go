package fib

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

func names(i int) string { return fmt.Sprint("nh", i) }

// 1,000 prefixes at 100µs each take 100ms to program: the last one is
// installed at exactly 1000 × 100µs = 100ms.
func TestInstallDelayPerPrefix(t *testing.T) {
	e := sim.New(1)
	var last sim.Time
	n := 0
	f := New(e, "r1", 100*sim.Microsecond, nil, names, func(netip.Prefix) { n++; last = e.Now() }, nil)
	for i := 0; i < 1000; i++ {
		f.Update(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24), []int{1})
	}
	_ = e.Run(sim.Never)
	if n != 1000 || last != 100*sim.Millisecond {
		t.Fatalf("installed %d, last at %v; want 1000 at 100ms", n, last)
	}
}

func TestCoalesceAndLPM(t *testing.T) {
	e := sim.New(1)
	f := New(e, "r1", sim.Millisecond, nil, names, nil, nil)
	wide := netip.MustParsePrefix("10.0.0.0/8")
	narrow := netip.MustParsePrefix("10.1.0.0/16")
	f.Update(wide, []int{1})
	f.Update(narrow, []int{2})
	f.Update(narrow, []int{3}) // coalesced: programmed once, latest value
	_ = e.Run(sim.Never)
	if f.Changes() != 2 || e.Now() != 2*sim.Millisecond {
		t.Fatalf("changes %d at %v, want 2 at 2ms", f.Changes(), e.Now())
	}
	tests := []struct {
		addr string
		want []int
		ok   bool
	}{
		{"10.1.2.3", []int{3}, true},
		{"10.2.0.1", []int{1}, true},
		{"192.168.0.1", nil, false},
	}
	for _, tc := range tests {
		nh, ok := f.Lookup(netip.MustParseAddr(tc.addr))
		if ok != tc.ok || fmt.Sprint(nh) != fmt.Sprint(tc.want) {
			t.Errorf("Lookup(%s) = %v %v, want %v %v", tc.addr, nh, ok, tc.want, tc.ok)
		}
	}
	f.Update(narrow, nil)
	_ = e.Run(sim.Never)
	if nh, _ := f.Lookup(netip.MustParseAddr("10.1.2.3")); fmt.Sprint(nh) != "[1]" {
		t.Fatalf("after removing /16, lookup gives %v, want the /8", nh)
	}
	f.Flush()
	if len(f.Prefixes()) != 0 {
		t.Fatal("flush left entries")
	}
}
