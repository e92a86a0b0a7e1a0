package chaos

import (
	"strings"
	"testing"
)

// The campaign's figures: names in page order (each only with data), the
// CDF's axis in whole decades around the failovers (the first step off
// the axis line), downtime in the unit of its largest bound.
func TestFigures(t *testing.T) {
	ms := func(v float64) float64 { return v / 60e3 } // ms → minutes
	q := Interval{Est: 1e5, Lo: 1e5, Hi: 1e5}         // 100µs
	for _, tc := range []struct {
		name         string
		r            Report
		want         string // figure names
		cdfMin       float64
		cdfMax       float64
		downtimeUnit string
	}{
		{name: "quad-year, 4 trials of 30d: all failovers in the 100µs bucket",
			r: Report{Histogram: [][2]int64{{99328, 8}}, Failover: FailoverAgg{Count: 8, Restored: 8, P50: q, P90: q, P99: q},
				Demands: []DemandAgg{{Name: "replication", Downtime: Interval{Est: ms(2.4), Lo: ms(0.9), Hi: ms(4)}}},
				Hurts:   []ShareAgg{{Name: "link ch1", Share: Interval{Est: 0.5, Hi: 1}}}},
			want: "chaos-availability chaos-failover-cdf chaos-what-hurts", cdfMin: 1e-5, cdfMax: 1e-2, downtimeUnit: "ms"},
		{name: "slow failovers, minutes of downtime",
			r: Report{Histogram: [][2]int64{{2e9, 1}, {9e9, 1}}, Failover: FailoverAgg{Count: 2, Restored: 2, P50: Interval{Est: 2e9}, P90: Interval{Est: 9e9}, P99: Interval{Est: 9e9}},
				Demands: []DemandAgg{{Name: "d", Downtime: Interval{Est: 3, Hi: 7}}}},
			want: "chaos-availability chaos-failover-cdf", cdfMin: 1, cdfMax: 100, downtimeUnit: "minutes"},
		{name: "nothing restored, nothing lost", r: Report{Demands: []DemandAgg{{Name: "d"}}}, want: "chaos-availability", downtimeUnit: "µs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			figs, err := tc.r.Figures()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range figs {
				names = append(names, f.Name)
				switch f.Name {
				case "chaos-failover-cdf":
					if f.Plot.X.Min != tc.cdfMin || f.Plot.X.Max != tc.cdfMax {
						t.Errorf("CDF axis %g..%g s, want %g..%g", f.Plot.X.Min, f.Plot.X.Max, tc.cdfMin, tc.cdfMax)
					}
				case "chaos-availability":
					if want := tc.downtimeUnit + " / year"; f.Plot.Y.Label.Text != want {
						t.Errorf("downtime axis %q, want %q", f.Plot.Y.Label.Text, want)
					}
				}
			}
			if got := strings.Join(names, " "); got != tc.want {
				t.Errorf("figures %s, want %s", got, tc.want)
			}
			html, err := tc.r.HTML()
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(html), "<figure id="); n != len(figs) {
				t.Errorf("report.html frames %d figures, want %d", n, len(figs))
			}
		})
	}
}
