package faults

import (
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// Lasts: how long a fault lasts follows from the fault alone where it can.
func TestLasts(t *testing.T) {
	tests := []struct {
		name string
		f    Fault
		want sim.Time
		ok   bool
	}{
		{"repaired", Fault{Kind: LinkDown, Repair: 30 * sim.Second}, 30 * sim.Second, true},
		{"never repaired", Fault{Kind: LinkDown}, 0, false},
		// down at 0, 20, 40 s and up 10 s after each: the last up at 50 s
		{"flap: the last up", Fault{Kind: LinkFlap, Period: 10 * sim.Second, Count: 3}, 50 * sim.Second, true},
		{"DX test: its duration", Fault{Kind: DXBGPFailoverTest, Minutes: 5}, 5 * sim.Minute, true},
		{"DX test stopped early", Fault{Kind: DXBGPFailoverTest, Minutes: 5, Repair: 2 * sim.Minute}, 2 * sim.Minute, true},
		{"DX test: a later repair does not extend it", Fault{Kind: DXBGPFailoverTest, Minutes: 5, Repair: 9 * sim.Minute}, 5 * sim.Minute, true},
		{"reboot: the fabric's boot time", Fault{Kind: RouterReboot}, 0, false},
		{"a repair step", Fault{Kind: Repair}, 0, false},
	}
	for _, tc := range tests {
		if got, ok := tc.f.Lasts(); got != tc.want || ok != tc.ok {
			t.Errorf("%s: Lasts() = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
