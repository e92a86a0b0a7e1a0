package sweep

import (
	"bytes"
	"strings"
	"testing"
)

// The impact chart's log axis spans whole decades around the losses (at
// least two), worst rows first; no loss, no chart; and the page frames it.
func TestImpactFigure(t *testing.T) {
	rows := func(lost ...float64) []Row {
		var rs []Row
		for i, l := range lost {
			rs = append(rs, Row{Job: i, Label: "f" + string(rune('a'+i)), Cases: 1, LostBytes: l})
		}
		return rs
	}
	for _, tc := range []struct {
		name     string
		rows     []Row
		min, max float64 // the x axis; 0: no figure
		n        int     // bars labelled
	}{
		{"quad-review", rows(205.718e9, 3.75e6, 37.5e3, 37.5e3), 1e4, 1e12, 4},
		{"one decade widened to two", rows(2e6, 5e6), 1e6, 1e8, 2},
		{"exact decade", rows(1e3, 1e5), 1e3, 1e5, 2},
		{"zero rows drawn as labels", rows(0, 4e3), 1e3, 1e5, 2},
		{"nothing lost", rows(0, 0), 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := NewReport(Meta{Scenario: "s"}, tc.rows)
			figs, err := rep.Figures()
			if err != nil {
				t.Fatal(err)
			}
			if tc.max == 0 {
				if len(figs) != 0 {
					t.Fatalf("%d figures, want none", len(figs))
				}
				return
			}
			if len(figs) != 1 || figs[0].Name != "sweep-impact" {
				t.Fatalf("figures %v, want sweep-impact", figs)
			}
			p := figs[0].Plot
			if !near(p.X.Min, tc.min) || !near(p.X.Max, tc.max) {
				t.Errorf("x axis %g..%g, want %g..%g", p.X.Min, p.X.Max, tc.min, tc.max)
			}
			if got := p.Y.Max - p.Y.Min; !near(got, float64(tc.n)+0.2) {
				t.Errorf("y span %g, want %d rows", got, tc.n)
			}
			svg, err := figs[0].SVG()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(svg, []byte("1. f")) {
				t.Errorf("no rank label in the SVG")
			}
			html, err := rep.HTML()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(html), `<figure id="sweep-impact"><svg`) {
				t.Errorf("report.html does not frame the chart")
			}
		})
	}
}

func near(a, b float64) bool { return a == b || (a-b)/b < 1e-9 && (b-a)/b < 1e-9 }
