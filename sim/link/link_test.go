package link

import (
	"math/rand/v2"
	"testing"
)

func TestDownReasonsStack(t *testing.T) {
	l := New("xc-1", "a", "b", 10e9, 0, 0)
	if !l.HoldDown() {
		t.Fatal("first HoldDown should take the link down")
	}
	if l.HoldDown() {
		t.Fatal("second HoldDown should not report a transition")
	}
	if l.Release() {
		t.Fatal("releasing one of two reasons must keep the link down")
	}
	if l.State() != Down || l.Carrier() {
		t.Fatal("link should still be down")
	}
	if !l.Release() || l.State() != Up {
		t.Fatal("releasing the last reason should bring the link up")
	}
}

func TestPasses(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	tests := []struct {
		name string
		set  func(l *Link)
		want float64 // share of packets that cross
	}{
		{"up", func(l *Link) {}, 1},
		{"down", func(l *Link) { l.HoldDown() }, 0},
		{"dark", func(l *Link) { l.SetDark(true) }, 0},
		{"silent total", func(l *Link) { l.SetSilent(1) }, 0},
		{"silent 30%", func(l *Link) { l.SetSilent(0.3) }, 0.7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New("x", "a", "b", 1e9, 0, 0)
			tc.set(l)
			n, ok := 100000, 0
			for i := 0; i < n; i++ {
				if l.Passes(r) {
					ok++
				}
			}
			got := float64(ok) / float64(n)
			if got < tc.want-0.01 || got > tc.want+0.01 {
				t.Fatalf("crossed %.3f, want %.3f", got, tc.want)
			}
		})
	}
}

func TestDegradeRestore(t *testing.T) {
	l := New("x", "a", "b", 10e9, 1000, 0)
	l.Degrade(4e9, 0)
	if l.Capacity != 4e9 || l.Latency != 1000 || !l.Degraded() {
		t.Fatal("degrade")
	}
	l.Restore()
	if l.Capacity != 10e9 || l.Degraded() {
		t.Fatal("restore")
	}
}
