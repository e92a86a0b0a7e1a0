package faults

import (
	"math"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// Medians, hand-computed: exp(12h) → 12h·ln 2 = 29943.47…s; Weibull k=2,
// scale=1h → 3600s·√(ln 2) = 2997.24…s; log-normal and fixed give their
// parameter.
func TestMedian(t *testing.T) {
	for _, c := range []struct {
		d    Dist
		want sim.Time
	}{
		{ExpDist(12 * sim.Hour), sim.Time(math.Round(float64(12*sim.Hour) * math.Ln2))},
		{WeibullDist(2, sim.Hour), sim.Time(math.Round(3600e9 * math.Sqrt(math.Ln2)))},
		{LogNormalDist(20*sim.Minute, 0.8), 20 * sim.Minute},
		{FixedDist(5 * sim.Second), 5 * sim.Second},
		{Dist{}, 0},
	} {
		if got := c.d.Median(); got != c.want {
			t.Errorf("%v: Median = %v, want %v", c.d, got, c.want)
		}
	}
}
