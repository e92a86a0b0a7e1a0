package sweep

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/netdrill/netdrill/scenarios/metrics"
	runreport "github.com/netdrill/netdrill/scenarios/report"
)

// impactRows bounds the impact chart: the worst rows, in rank order.
const impactRows = 20

// colLost is the impact chart's bar, the colour of the table's bar.
var colLost = color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}

// Figures are the plots of report.html: the impact chart, bytes lost per
// failure set (the worst impactRows, worst at the top) on a log axis, so
// that a few kB of black hole show beside hundreds of GB of congestion.
// None when no failure set lost a byte. Deterministic.
func (rep *Report) Figures() ([]runreport.Figure, error) {
	var rows []Row
	var lo, hi float64 // over the positive losses
	for _, i := range rep.Ranking {
		if len(rows) == impactRows {
			break
		}
		r := rep.Rows[i]
		rows = append(rows, r)
		if r.Err == "" && r.LostBytes > 0 {
			if lo == 0 || r.LostBytes < lo {
				lo = r.LostBytes
			}
			hi = max(hi, r.LostBytes)
		}
	}
	if hi == 0 {
		return nil, nil
	}
	n := len(rows)
	// Whole decades around the losses; a value is written past its bar's
	// end, or inside it when the bar reaches far right.
	floor := math.Pow(10, math.Floor(math.Log10(lo)))
	ceil := math.Pow(10, math.Ceil(math.Log10(hi)))
	if ceil/floor < 100 {
		ceil = floor * 100
	}
	inside := func(v float64) bool { return math.Log10(v/floor)/math.Log10(ceil/floor) > 0.72 }

	p := plot.New()
	for _, f := range []struct {
		st   *text.Style
		size vg.Length
	}{{&p.Title.TextStyle, 11}, {&p.X.Label.TextStyle, 9}, {&p.X.Tick.Label, 8}, {&p.Y.Tick.Label, 8}} {
		sans(&f.st.Font, f.size)
	}
	p.Title.Text = "Bytes lost per failure set (log scale), worst first"
	p.Title.Padding = vg.Points(4)
	p.X.Label.Text = "bytes lost after the failure"
	p.X.Scale = plot.LogScale{}
	p.X.Min, p.X.Max = floor, ceil
	p.X.Tick.Marker = plot.TickerFunc(func(a, b float64) []plot.Tick {
		var ts []plot.Tick
		for v := floor; v <= b*1.0001; v *= 10 {
			ts = append(ts, plot.Tick{Value: v, Label: metrics.FormatBytes(v)})
		}
		return ts
	})
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical.Color = color.Gray{Y: 0xe4}
	p.Add(grid)

	var ticks []plot.Tick
	var lbl plotter.XYLabels
	var in []bool
	shows := []string{"bars"}
	for k, r := range rows {
		y := float64(n - 1 - k) // rank 1 at the top
		name := fmt.Sprintf("%d. %s", k+1, r.Label)
		if r.Cases > 1 {
			name += fmt.Sprintf(" (×%d)", r.Cases)
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: name})
		val := metrics.FormatBytes(r.LostBytes)
		switch {
		case r.Err != "":
			val = "error"
		case r.LostBytes > 0:
			ring := plotter.XYs{{X: floor, Y: y - 0.3}, {X: r.LostBytes, Y: y - 0.3}, {X: r.LostBytes, Y: y + 0.3}, {X: floor, Y: y + 0.3}}
			bar, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, err
			}
			bar.Color = colLost
			bar.LineStyle.Width = 0
			p.Add(bar)
		}
		if len(r.NotRestored) > 0 {
			val += fmt.Sprintf(", %d not restored", len(r.NotRestored))
			shows = append(shows, "not-restored")
		}
		x := max(r.LostBytes, floor)
		in = append(in, r.Err == "" && r.LostBytes > 0 && inside(r.LostBytes))
		if in[k] {
			x /= 1.15
		} else {
			x *= 1.15
		}
		lbl.XYs = append(lbl.XYs, plotter.XY{X: x, Y: y})
		lbl.Labels = append(lbl.Labels, val)
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
	labels, err := plotter.NewLabels(lbl)
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		st := &labels.TextStyle[i]
		sans(&st.Font, 8)
		st.Color, st.XAlign, st.YAlign = colText, draw.XLeft, draw.YCenter
		if in[i] {
			st.Color, st.XAlign = color.White, draw.XRight
		}
	}
	p.Add(labels)
	caption := fmt.Sprintf("The %d worst of %d simulated failure sets by rank; ×N: the row stands for N symmetric failure sets.", n, len(rep.Rows))
	return []runreport.Figure{{Name: "sweep-impact", Caption: caption, Plot: p, W: 9 * vg.Inch,
		H: vg.Length(1.1+0.28*float64(n)) * vg.Inch, Shows: shows}}, nil
}
