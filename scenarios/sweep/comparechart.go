package sweep

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	runreport "github.com/netdrill/netdrill/scenarios/report"
)

// unit is how a metric's values are scaled on a chart's axis.
type unit int

const (
	unitCount    unit = iota
	unitDuration      // ns
	unitBytes
	unitRatio // 1 = 100%
)

// scale picks the divisor and the axis name for values up to m (≥ 0).
func (u unit) scale(m float64) (float64, string) {
	switch u {
	case unitDuration:
		if m == 0 {
			return 1e9, "s"
		}
		for _, s := range []struct{ ns, below float64 }{{1e3, 1e6}, {1e6, 2e9}, {1e9, 180e9}, {60e9, 180 * 60e9}, {3600e9, 72 * 3600e9}} {
			if m < s.below {
				return s.ns, map[float64]string{1e3: "µs", 1e6: "ms", 1e9: "s", 60e9: "min", 3600e9: "h"}[s.ns]
			}
		}
		return 86400e9, "days"
	case unitBytes:
		units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
		d, i := 1.0, 0
		for i < len(units)-1 && m >= d*1000 {
			d *= 1000
			i++
		}
		return d, units[i]
	case unitRatio:
		return 0.01, "%"
	}
	return 1, ""
}

// chartGroup is one group of bars: a metric row, one bar per design.
type chartGroup struct {
	label string // on the x axis when the chart has several groups
	row   MetricRow
}

// chart is one metric's figure: the row and, when the metric splits (bytes
// lost by cause), its indented sub-rows as further groups.
type chart struct {
	metric, better string
	groups         []chartGroup
}

// charts groups the rows: an indented row ("  lost to congestion") is a
// part of the row above it and joins its chart.
func (c *Comparison) charts() []chart {
	var out []chart
	for _, r := range c.Rows {
		if strings.HasPrefix(r.Metric, " ") && len(out) > 0 {
			ch := &out[len(out)-1]
			if len(ch.groups) == 1 {
				ch.groups[0].label = "total"
			}
			ch.groups = append(ch.groups, chartGroup{label: strings.TrimPrefix(strings.TrimSpace(r.Metric), "lost to "), row: r})
			continue
		}
		out = append(out, chart{metric: strings.TrimSpace(r.Metric), better: r.Better, groups: []chartGroup{{row: r}}})
	}
	return out
}

// Design colours, fixed per column so that a reader learns them once
// (Tableau 10, without its red, which says "not restored").
var designColours = []color.RGBA{
	{R: 0x4e, G: 0x79, B: 0xa7, A: 0xff},
	{R: 0xf2, G: 0x8e, B: 0x2b, A: 0xff},
	{R: 0x76, G: 0xb7, B: 0xb2, A: 0xff},
	{R: 0x59, G: 0xa1, B: 0x4f, A: 0xff},
	{R: 0xed, G: 0xc9, B: 0x48, A: 0xff},
	{R: 0xb0, G: 0x7a, B: 0xa1, A: 0xff},
	{R: 0x9c, G: 0x75, B: 0x5f, A: 0xff},
	{R: 0xba, G: 0xb0, B: 0xac, A: 0xff},
}

func designColour(i int) color.RGBA { return designColours[i%len(designColours)] }

var (
	colBest        = color.RGBA{R: 0x11, G: 0x60, B: 0x2a, A: 0xff} // outline and label of the best bar
	colNotRestored = color.RGBA{R: 0xa5, G: 0x0e, B: 0x0e, A: 0xff}
	colText        = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
	colNA          = color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
)

// Chart geometry, in points.
const (
	chartH      = 190
	chartPlotH  = chartH - 58 // the plot area, less title, ticks and axis label
	chartTopPad = 28          // room above the highest bar for its labels
	chartBotPad = 14          // room below a negative bar for its label
)

// Figures draws a grouped bar chart per metric: a bar per design (per
// cause too where the metric splits by cause), the value above each bar,
// the best design's bar outlined and labelled "best", the axis in human
// units. A design that never restored draws a full-height bar marked "not
// restored"; one with no value draws "n/a". Deterministic.
func (c *Comparison) Figures() ([]runreport.Figure, error) {
	var figs []runreport.Figure
	for _, ch := range c.charts() {
		f, err := c.figure(ch)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", ch.metric, err)
		}
		figs = append(figs, f)
	}
	return figs, nil
}

func sans(f *font.Font, size vg.Length) { f.Typeface, f.Variant, f.Size = "Liberation", "Sans", size }

func (c *Comparison) figure(ch chart) (runreport.Figure, error) {
	nd, ng := len(c.Designs), len(ch.groups)
	// The unit and range over every finite value.
	u, lo, hi := unitCount, 0.0, 0.0
	uSet := false
	for _, g := range ch.groups {
		for _, cl := range g.row.Cells {
			if !cl.Known {
				continue
			}
			if !uSet {
				u, uSet = cl.unit, true
			}
			if !math.IsInf(cl.Value, 0) {
				lo, hi = min(lo, cl.Value), max(hi, cl.Value)
			}
		}
	}
	div, uname := u.scale(max(hi, -lo))
	lo, hi = lo/div, hi/div
	if hi-lo == 0 {
		hi = 1
	}
	top := hi // an infinite bar reaches the top of the data
	// Room for the labels: the padding is a fixed number of points.
	bot := 0.0
	if lo < 0 {
		bot = chartBotPad
	}
	rng := (hi - lo) / (1 - (chartTopPad+bot)/chartPlotH)
	perPt := rng / chartPlotH

	p := plot.New()
	sans(&p.Title.TextStyle.Font, 10)
	sans(&p.X.Label.TextStyle.Font, 9)
	sans(&p.Y.Label.TextStyle.Font, 9)
	sans(&p.X.Tick.Label.Font, 8)
	sans(&p.Y.Tick.Label.Font, 8)
	sans(&p.Legend.TextStyle.Font, 8)
	p.Title.Text = ch.metric + " (" + ch.better + " is better)"
	p.Title.Padding = vg.Points(4)
	p.Y.Label.Text = uname
	if u == unitCount {
		p.Y.Label.Text = "count"
	}
	p.Y.Min, p.Y.Max = lo-bot*perPt, lo+rng-bot*perPt
	p.Y.Tick.Marker = plot.TickerFunc(func(a, b float64) []plot.Tick {
		ts := runreport.NiceTicks(a, b, 4)
		if u == unitCount { // no half updates
			for i := range ts {
				if ts[i].Value != math.Trunc(ts[i].Value) {
					ts[i].Label = ""
				}
			}
		}
		return ts
	})
	p.X.Min, p.X.Max = -0.5, float64(ng)-0.5
	p.X.Tick.Length = vg.Points(3)
	p.X.Padding = 0
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(grid)
	if lo < 0 {
		zero, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(ng) - 0.5, Y: 0}})
		if err != nil {
			return runreport.Figure{}, err
		}
		zero.Color, zero.Width = colText, vg.Points(0.6)
		p.Add(zero)
	}

	var ticks []plot.Tick
	var lbl plotter.XYLabels
	var lblStyle []text.Style
	label := func(x, y float64, s string, col color.Color, above bool) {
		st := text.Style{Color: col, XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: p.Title.TextStyle.Handler}
		sans(&st.Font, 7)
		if !above {
			st.YAlign = draw.YTop
		}
		lbl.XYs = append(lbl.XYs, plotter.XY{X: x, Y: y})
		lbl.Labels = append(lbl.Labels, s)
		lblStyle = append(lblStyle, st)
	}
	var shows, caption []string
	bw := 0.8 / float64(nd) // each design's slot in a group
	for gi, g := range ch.groups {
		var parts []string
		for di, cl := range g.row.Cells {
			id := c.Designs[di]
			if ng > 1 {
				id = g.label + ":" + id
			}
			x0 := float64(gi) - 0.4 + float64(di)*bw + bw*0.1
			x1 := x0 + bw*0.8
			xc := (x0 + x1) / 2
			if ng == 1 {
				ticks = append(ticks, plot.Tick{Value: xc, Label: c.Designs[di]})
			}
			text := cl.Text
			if cl.Best {
				text += " (best)"
			}
			parts = append(parts, c.Designs[di]+" "+text)
			if !cl.Known {
				shows = append(shows, "n/a:"+id)
				label(xc, 2*perPt, "n/a", colNA, true)
				continue
			}
			v := cl.Value / div
			fill := color.Color(designColour(di))
			inf := math.IsInf(cl.Value, 1)
			if inf {
				v = top
				fill = pale(designColour(di))
				shows = append(shows, "not-restored:"+id)
			}
			if math.Abs(v) < 3*perPt { // a zero still shows as a stub, its colour inside the outline
				v = math.Copysign(3*perPt, v)
			}
			ring := plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: v}, {X: x0, Y: v}}
			bar, err := plotter.NewPolygon(ring)
			if err != nil {
				return runreport.Figure{}, err
			}
			bar.Color = fill
			bar.LineStyle.Width = 0
			if inf {
				bar.LineStyle = draw.LineStyle{Color: colNotRestored, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
			}
			if cl.Best {
				bar.LineStyle = draw.LineStyle{Color: colBest, Width: vg.Points(1.8)}
			}
			p.Add(bar)
			shows = append(shows, "bar:"+id)
			col := color.Color(colText)
			if inf {
				col = colNotRestored
			}
			if v >= 0 {
				label(xc, v+2*perPt, cl.Text, col, true)
				if cl.Best {
					label(xc, v+11*perPt, "best", colBest, true)
				}
			} else {
				label(xc, v-2*perPt, cl.Text, col, false)
				if cl.Best {
					label(xc, 2*perPt, "best", colBest, true)
				}
			}
			if cl.Best {
				shows = append(shows, "best:"+id)
			}
		}
		if ng > 1 {
			ticks = append(ticks, plot.Tick{Value: float64(gi), Label: g.label})
			caption = append(caption, g.label+": "+strings.Join(parts, ", "))
		} else {
			caption = append(caption, strings.Join(parts, ", "))
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	if len(lbl.Labels) > 0 {
		labels, err := plotter.NewLabels(lbl)
		if err != nil {
			return runreport.Figure{}, err
		}
		labels.TextStyle = lblStyle
		p.Add(labels)
	}
	if ng > 1 {
		p.X.Label.Text = "cause"
		p.Legend.Padding = vg.Points(3)
		p.Legend.ThumbnailWidth = vg.Points(10)
		for di, d := range c.Designs {
			p.Legend.Add(d, swatch{designColour(di)})
		}
	}
	w := max(300, 70+float64(ng*nd)*58)
	f := runreport.Figure{Name: "compare-" + slug(ch.metric), Caption: strings.Join(caption, "; "), Plot: p,
		W: vg.Points(w), H: vg.Points(chartH), Shows: shows}
	if ng > 1 {
		f.W += vg.Points(90) // the legend's column
	}
	return f, nil
}

// pale is c mixed 40:60 with white: a bar that has no true height.
func pale(c color.RGBA) color.RGBA {
	m := func(v uint8) uint8 { return uint8((int(v)*2 + 255*3) / 5) }
	return color.RGBA{R: m(c.R), G: m(c.G), B: m(c.B), A: 0xff}
}

// swatch is a legend thumbnail: a filled square.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(s.c, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// slug is a metric's name as an id: "headroom (least, after faults)" →
// "headroom-least-after-faults".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
