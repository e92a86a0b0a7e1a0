package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The plot helpers here are shared by every figure netdrill draws (run
// reports now; sweeps, comparisons and campaigns later): a Figure that
// renders to SVG and PNG, a time axis in human units, piecewise-constant
// series reduced to at most one min/max pair per pixel column, stacked
// bands and vertical spans.

// Figure is one plot of a report.
type Figure struct {
	Name    string // file stem for --png: "throughput-replication"
	Caption string
	Plot    *plot.Plot
	W, H    vg.Length
	// LegendW is the least width of the legend column, so that small
	// multiples line their plot areas up (0: as wide as the legend).
	LegendW vg.Length
	// Shows lists what the figure draws ("offered", "delivered",
	// "loss:blackhole", "fault:f1", "100%", "state:down", …), for tests and
	// for the page to describe it.
	Shows []string
}

// Has reports whether the figure draws element s.
func (f Figure) Has(s string) bool {
	for _, x := range f.Shows {
		if x == s {
			return true
		}
	}
	return false
}

// draw draws the plot with its legend in a column to the right of it, so
// that the legend never hides data.
func (f Figure) draw(c draw.Canvas) {
	p := *f.Plot
	leg := p.Legend
	p.Legend = plot.NewLegend()
	r := leg.Rectangle(c)
	w := r.Max.X - r.Min.X
	if w == 0 {
		p.Draw(c)
		return
	}
	w = max(w+vg.Points(10), f.LegendW)
	p.Draw(draw.Crop(c, 0, -w, 0, 0))
	leg.Top, leg.Left = true, true
	leg.Draw(draw.Crop(c, c.Max.X-c.Min.X-w+vg.Points(6), 0, 0, -vg.Points(22)))
}

// SVG renders the figure as a standalone SVG document.
func (f Figure) SVG() ([]byte, error) {
	c := vgsvg.New(f.W, f.H)
	f.draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	// Let browsers without the Liberation fonts fall back to a metric-compatible sans.
	return bytes.ReplaceAll(b.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;")), nil
}

// InlineSVG is SVG without the XML declaration and comments before <svg,
// for embedding in HTML.
func (f Figure) InlineSVG() (string, error) { return f.inlineSVG() }

func (f Figure) inlineSVG() (string, error) {
	b, err := f.SVG()
	if err != nil {
		return "", err
	}
	s := string(b)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return s, nil
}

// pngDPI is the resolution of PNG figures (slides want more than 96).
const pngDPI = 144

// PNG renders the figure as a PNG image.
func (f Figure) PNG() ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	f.draw(draw.New(c))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Colours, fixed so that a reader learns them once.
var (
	colOffered   = color.RGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
	colDelivered = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colFault     = color.RGBA{R: 0xc0, G: 0x1c, B: 0x1c, A: 0xff}
	colFaultSpan = color.NRGBA{R: 0xc0, G: 0x1c, B: 0x1c, A: 0x1a}
	colFaultRug  = color.NRGBA{R: 0xc0, G: 0x1c, B: 0x1c, A: 0xa0}
	colRepair    = color.RGBA{R: 0x1a, G: 0x8a, B: 0x3a, A: 0xff}
	colDetect    = color.RGBA{R: 0x6a, G: 0x3d, B: 0x9a, A: 0xff}
	colLimit     = color.RGBA{R: 0xb0, G: 0x00, B: 0x00, A: 0xff}
	colBG        = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0x55}
	colUtil      = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colEnvelope  = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0x48}
)

// causeColours are the loss causes' fills (translucent, stacked above the
// delivered line).
var causeColours = map[string]color.NRGBA{
	"blackhole":    {R: 0xd6, G: 0x27, B: 0x28, A: 0xb0},
	"no-route":     {R: 0x94, G: 0x67, B: 0xbd, A: 0xb0},
	"loop":         {R: 0x8c, G: 0x56, B: 0x4b, A: 0xb0},
	"congestion":   {R: 0xff, G: 0x7f, B: 0x0e, A: 0xb0},
	"silent-link":  {R: 0xe3, G: 0x77, B: 0xc2, A: 0xb0},
	"unattributed": {R: 0x7f, G: 0x7f, B: 0x7f, A: 0xb0},
	"lost":         {R: 0xd6, G: 0x27, B: 0x28, A: 0xb0},
}

func causeColour(c string) color.Color {
	if col, ok := causeColours[c]; ok {
		return col
	}
	return causeColours["unattributed"]
}

// stateColours shade the periods a link was not up.
var stateColours = map[string]color.NRGBA{
	"down":     {R: 0x55, G: 0x55, B: 0x55, A: 0x59},
	"dark":     {R: 0x11, G: 0x11, B: 0x11, A: 0x80},
	"silent":   {R: 0xe6, G: 0xa1, B: 0x00, A: 0x59},
	"degraded": {R: 0x17, G: 0xbe, B: 0xcf, A: 0x40},
}

func stateColour(s string) color.Color {
	if c, ok := stateColours[s]; ok {
		return c
	}
	return stateColours["down"]
}

// newPlot is a plot with the report's fonts (sans) and a light grid.
func newPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	sans := func(s *font.Font, size vg.Length) {
		s.Typeface, s.Variant, s.Size = "Liberation", "Sans", size
	}
	sans(&p.Title.TextStyle.Font, 11)
	sans(&p.X.Label.TextStyle.Font, 9)
	sans(&p.Y.Label.TextStyle.Font, 9)
	sans(&p.X.Tick.Label.Font, 8)
	sans(&p.Y.Tick.Label.Font, 8)
	sans(&p.Legend.TextStyle.Font, 8)
	p.Title.Text = title
	p.Title.Padding = vg.Points(4)
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	p.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(lo, hi, 5) })
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(1)
	p.Legend.ThumbnailWidth = vg.Points(14)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe4}
	g.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(g)
	return p
}

// timeAxis maps virtual time (ns) to x values in a human unit.
type timeAxis struct {
	origin int64 // x = 0
	unit   int64 // ns per x unit
	name   string
}

var timeUnits = []struct {
	ns    int64
	name  string
	limit int64 // use this unit for spans up to limit
}{
	{1e6, "ms", 2e9},
	{1e9, "s", 180e9},
	{60e9, "min", 180 * 60e9},
	{3600e9, "h", 72 * 3600e9},
	{86400e9, "days", math.MaxInt64},
}

// newTimeAxis picks the unit for a span of the given length.
func newTimeAxis(origin, span int64) timeAxis {
	for _, u := range timeUnits {
		if span <= u.limit {
			return timeAxis{origin: origin, unit: u.ns, name: u.name}
		}
	}
	u := timeUnits[len(timeUnits)-1]
	return timeAxis{origin: origin, unit: u.ns, name: u.name}
}

func (a timeAxis) x(t int64) float64 { return float64(t-a.origin) / float64(a.unit) }

// apply labels the plot's x axis and fixes its range to [from, to].
func (a timeAxis) apply(p *plot.Plot, label string, from, to int64) {
	p.X.Label.Text = label + " (" + a.name + ")"
	p.X.Min, p.X.Max = a.x(from), a.x(to)
	p.X.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(lo, hi, 8) })
}

// NiceTicks is niceTicks, for figures drawn outside this package.
func NiceTicks(lo, hi float64, n int) []plot.Tick { return niceTicks(lo, hi, n) }

// niceTicks labels about n ticks at 1, 2 or 5 × 10^k steps, with one
// unlabelled minor tick between labels.
func niceTicks(lo, hi float64, n int) []plot.Tick {
	if !(hi > lo) || n < 2 {
		return []plot.Tick{{Value: lo, Label: trimTick(lo)}}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ts []plot.Tick
	for k := math.Ceil(lo/step*2) / 2; k*step <= hi+step*1e-9; k += 0.5 {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if k == math.Trunc(k) {
			t.Label = trimTick(v)
		}
		ts = append(ts, t)
	}
	return ts
}

// trimTick formats a tick value without float noise: 0.30000000000000004 → 0.3.
func trimTick(v float64) string {
	s := fmt.Sprintf("%.6g", v)
	if strings.ContainsAny(s, "e") {
		return s
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// valueUnit picks a rate unit for values up to max bits/s.
func valueUnit(max float64) (float64, string) {
	switch {
	case max >= 1e12:
		return 1e12, "Tbps"
	case max >= 1e9:
		return 1e9, "Gbps"
	case max >= 1e6:
		return 1e6, "Mbps"
	case max >= 1e3:
		return 1e3, "kbps"
	}
	return 1, "bps"
}

// span is a stretch of time [t0, t1) and, per series, the lowest and the
// highest value the series takes in it and its time-weighted mean. Exact
// spans have lo == hi == mean.
type span struct {
	t0, t1       int64
	lo, hi, mean []float64
}

// series is piecewise-constant data: n records at times ts (non-decreasing;
// of records at one instant the last wins), each with k values written by
// vals(i, out).
type series struct {
	ts   []int64
	k    int
	vals func(i int, out []float64)
}

// spans reduces s over [from, to) to spans: one per record when there are
// at most cols/3 records in range (each is then a few pixels wide at
// least, on average), else one per column of width (to−from)/cols holding
// each value's min, max and time-weighted mean there. So a year of records draws as at
// most ~2·cols points per line, and a spike shorter than a pixel still
// shows. The series starts at its first record; it is O(records + cols).
func (s series) spans(from, to int64, cols int) []span {
	n := len(s.ts)
	if n == 0 || to <= from {
		return nil
	}
	i0 := 0 // last record at or before from (or the first record)
	for i0+1 < n && s.ts[i0+1] <= from {
		i0++
	}
	i1 := i0 // first record at or after to
	for i1 < n && s.ts[i1] < to {
		i1++
	}
	start := max(from, s.ts[i0])
	if start >= to {
		return nil
	}
	cur := make([]float64, s.k)
	if i1-i0 <= cols/3 {
		var out []span
		for i := i0; i < i1; i++ {
			t0 := max(s.ts[i], start)
			t1 := to
			if i+1 < n {
				t1 = min(s.ts[i+1], to)
			}
			if t1 <= t0 {
				continue
			}
			s.vals(i, cur)
			v := append([]float64(nil), cur...)
			out = append(out, span{t0: t0, t1: t1, lo: v, hi: v, mean: v})
		}
		return out
	}
	w := float64(to-start) / float64(cols)
	out := make([]span, 0, cols)
	i := i0
	s.vals(i, cur)
	for c := 0; c < cols; c++ {
		a := start + int64(float64(c)*w)
		b := start + int64(float64(c+1)*w)
		if c == cols-1 {
			b = to
		}
		if b <= a {
			continue
		}
		sp := span{t0: a, t1: b, lo: append([]float64(nil), cur...), hi: append([]float64(nil), cur...), mean: make([]float64, s.k)}
		from := a
		for i+1 < n && s.ts[i+1] < b {
			for k, v := range cur {
				sp.mean[k] += v * float64(s.ts[i+1]-from)
			}
			from = max(from, s.ts[i+1])
			i++
			s.vals(i, cur)
			for k, v := range cur {
				sp.lo[k] = min(sp.lo[k], v)
				sp.hi[k] = max(sp.hi[k], v)
			}
		}
		for k, v := range cur {
			sp.mean[k] = (sp.mean[k] + v*float64(b-from)) / float64(b-a)
		}
		out = append(out, sp)
	}
	return out
}

// lineXYs draws value k of spans as a step line through each span's mean
// (its value when exact).
func lineXYs(sps []span, k int, ax timeAxis, scale float64) plotter.XYs {
	var xys plotter.XYs
	add := func(x, y float64) {
		n := len(xys)
		if n > 0 && xys[n-1].X == x && xys[n-1].Y == y {
			return
		}
		if n > 1 && xys[n-1].Y == y && xys[n-2].Y == y {
			xys[n-1].X = x // extend a flat run
			return
		}
		xys = append(xys, plotter.XY{X: x, Y: y})
	}
	for _, s := range sps {
		v := s.mean[k] / scale
		add(ax.x(s.t0), v)
		add(ax.x(s.t1), v)
	}
	return xys
}

// envelopeRings outlines, for reduced columns, the range from the lowest
// to the highest value of series k: the min/max per pixel column, so that
// a dip shorter than a pixel still shows.
func envelopeRings(sps []span, k int, ax timeAxis, scale float64) []plotter.XYs {
	return bandRings(sps, ax, func(s span) (float64, float64) {
		if s.lo[k] == s.hi[k] {
			return 0, 0
		}
		return s.lo[k] / scale, s.hi[k] / scale
	})
}

// bandRings outlines the region between bottom and top of each span, as one
// ring per run of spans with top > bottom.
func bandRings(sps []span, ax timeAxis, bounds func(s span) (bottom, top float64)) []plotter.XYs {
	var rings []plotter.XYs
	var upper, lower plotter.XYs
	flush := func() {
		if len(upper) > 0 {
			ring := append(plotter.XYs(nil), upper...)
			for i := len(lower) - 1; i >= 0; i-- {
				ring = append(ring, lower[i])
			}
			rings = append(rings, ring)
		}
		upper, lower = nil, nil
	}
	add := func(xys *plotter.XYs, x, y float64) {
		n := len(*xys)
		if n > 1 && (*xys)[n-1].Y == y && (*xys)[n-2].Y == y {
			(*xys)[n-1].X = x
			return
		}
		*xys = append(*xys, plotter.XY{X: x, Y: y})
	}
	lastX := math.NaN()
	for _, s := range sps {
		b, t := bounds(s)
		x0, x1 := ax.x(s.t0), ax.x(s.t1)
		if t <= b || x0 != lastX {
			flush()
		}
		lastX = x1
		if t <= b {
			continue
		}
		add(&upper, x0, t)
		add(&upper, x1, t)
		add(&lower, x0, b)
		add(&lower, x1, b)
	}
	flush()
	return rings
}

// ringsPerPolygon bounds the rings of one polygon: the PNG rasteriser
// scans a row's cells linearly, so one path with hundreds of rings (a year
// of fault spans) is quadratic; small polygons keep it linear.
const ringsPerPolygon = 8

// addRings fills rings (nothing when there are none) and returns the first
// polygon, for the legend.
func addRings(p *plot.Plot, rings []plotter.XYs, fill color.Color) (*plotter.Polygon, error) {
	var first *plotter.Polygon
	for len(rings) > 0 {
		n := min(len(rings), ringsPerPolygon)
		xys := make([]plotter.XYer, n)
		for i := range xys {
			xys[i] = rings[i]
		}
		rings = rings[n:]
		pg, err := plotter.NewPolygon(xys...)
		if err != nil {
			return nil, err
		}
		pg.Color = fill
		pg.LineStyle.Width = 0
		p.Add(pg)
		if first == nil {
			first = pg
		}
	}
	return first, nil
}

// addLine adds a line (nothing when xys is empty) and returns it.
func addLine(p *plot.Plot, xys plotter.XYs, c color.Color, width float64, dashed bool) (*plotter.Line, error) {
	if len(xys) == 0 {
		return nil, nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.Color = c
	l.Width = vg.Points(width)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	return l, nil
}

// vspan is a time interval drawn across the whole height of a plot.
type vspan struct {
	from, to int64
	fill     color.Color
}

// addVSpans shades each span from y = lo to hi, at least minWidth x units
// wide so that a span shorter than a pixel still shows.
func addVSpans(p *plot.Plot, spans []vspan, ax timeAxis, lo, hi, minWidth float64) error {
	byFill := map[color.Color][]plotter.XYs{}
	var order []color.Color
	for _, s := range spans {
		x0, x1 := ax.x(s.from), ax.x(s.to)
		if x1-x0 < minWidth {
			x1 = x0 + minWidth
		}
		if _, ok := byFill[s.fill]; !ok {
			order = append(order, s.fill)
		}
		byFill[s.fill] = append(byFill[s.fill], plotter.XYs{{X: x0, Y: lo}, {X: x1, Y: lo}, {X: x1, Y: hi}, {X: x0, Y: hi}})
	}
	for _, c := range order {
		if _, err := addRings(p, byFill[c], c); err != nil {
			return err
		}
	}
	return nil
}

// marker is a vertical line at one instant with an optional label at its
// top; with no colour, only the label (in the fault colour).
type marker struct {
	t      int64
	colour color.Color
	label  string
	dashed bool
}

// addMarkers draws vertical lines from 0 to top and their labels at y0;
// a label that would run into the one before it goes up a row (dy), up to
// rows rows, else it is left out. charW is the width of a character in x
// units.
func addMarkers(p *plot.Plot, ms []marker, ax timeAxis, top, y0, dy, charW float64, rows int) error {
	var lbl plotter.XYLabels
	var colours []color.Color
	free := make([]float64, rows) // x where each row is free again
	for i := range free {
		free[i] = math.Inf(-1)
	}
	for _, m := range ms {
		x := ax.x(m.t)
		if m.colour == nil {
			m.colour = colFault
		} else if _, err := addLine(p, plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}}, m.colour, 0.8, m.dashed); err != nil {
			return err
		}
		if m.label == "" {
			continue
		}
		for r := 0; r < rows; r++ {
			if x >= free[r] {
				lbl.XYs = append(lbl.XYs, plotter.XY{X: x, Y: y0 + float64(r)*dy})
				lbl.Labels = append(lbl.Labels, " "+m.label)
				colours = append(colours, m.colour)
				free[r] = x + float64(len(m.label)+2)*charW
				break
			}
		}
	}
	return addLabels(p, lbl, colours)
}

func addLabels(p *plot.Plot, lbl plotter.XYLabels, colours []color.Color) error {
	if len(lbl.Labels) == 0 {
		return nil
	}
	labels, err := plotter.NewLabels(lbl)
	if err != nil {
		return err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font.Typeface = "Liberation"
		labels.TextStyle[i].Font.Variant = "Sans"
		labels.TextStyle[i].Font.Size = vg.Points(8)
		labels.TextStyle[i].Color = colours[i]
	}
	p.Add(labels)
	return nil
}

// legendSwatch is a legend thumbnail: a filled square.
type legendSwatch struct{ c color.Color }

func (s legendSwatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(s.c, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}
