package chaos

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/netdrill/netdrill/scenarios/metrics"
	runreport "github.com/netdrill/netdrill/scenarios/report"
)

// intervalBars are points with asymmetric error bars, for gonum/plot.
type intervalBars struct {
	xy   plotter.XYs
	errs [][2]float64 // low, high offsets
}

func (b intervalBars) Len() int                        { return len(b.xy) }
func (b intervalBars) XY(i int) (float64, float64)     { return b.xy[i].X, b.xy[i].Y }
func (b intervalBars) XError(i int) (float64, float64) { return b.errs[i][0], b.errs[i][1] }
func (b intervalBars) YError(i int) (float64, float64) { return b.errs[i][0], b.errs[i][1] }

// cdfPlot is the empirical CDF of the pooled restored failovers (bucket
// tops), in seconds.
func (r *Report) cdfPlot() (*runreport.Figure, error) {
	if r.Failover.Restored == 0 {
		return nil, nil
	}
	p := newPlot()
	p.Title.Text = "Failover CDF (restored failovers, every trial)"
	p.Y.Label.Text = "fraction ≤ x"
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Scale = plot.LogScale{}
	p.Add(plotter.NewGrid())
	var xys plotter.XYs
	var seen int64
	for _, b := range r.Histogram {
		seen += b[1]
		// A log axis has no 0: failovers under 1ns (none in practice) at 1ns.
		x := float64(max(bucketTop(b[0]), 1)) / 1e9
		xys = append(xys, plotter.XY{X: x, Y: float64(seen) / float64(r.Failover.Restored)})
	}
	xys = append(plotter.XYs{{X: xys[0].X, Y: 0}}, xys...) // the step up from 0
	if len(xys) == 2 {
		xys = append(xys, plotter.XY{X: xys[0].X * 10, Y: 1})
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	// Whole decades around the data, at least two, labelled as durations
	// ("100µs", "1ms"): one tick on a log axis says nothing.
	lo, hi := decade(xys[0].X, math.Floor), decade(xys[len(xys)-1].X, math.Ceil)
	for _, q := range []Interval{r.Failover.P50, r.Failover.P90, r.Failover.P99} {
		lo, hi = min(lo, decade(max(q.Est, 1)/1e9, math.Floor)), max(hi, decade(max(q.Est, 1)/1e9, math.Ceil))
	}
	if xys[0].X < lo*1.5 { // the first step (and the quantile marks) off the axis line
		lo /= 10
	}
	for hi/lo < 100 {
		hi *= 10
	}
	p.X.Min, p.X.Max = lo, hi
	p.X.Tick.Marker = plot.TickerFunc(func(a, b float64) []plot.Tick {
		var ts []plot.Tick
		for v := lo; v <= hi*1.0001; v *= 10 {
			ts = append(ts, plot.Tick{Value: v, Label: dur(int64(math.Round(v * 1e9)))})
		}
		return ts
	})
	p.X.Label.Text = "failover (log scale)"
	l.StepStyle = plotter.PostStep
	l.Color = colCDF
	l.Width = vg.Points(1.5)
	p.Add(l)
	for _, q := range []struct {
		name string
		iv   Interval
	}{{"p50", r.Failover.P50}, {"p90", r.Failover.P90}, {"p99", r.Failover.P99}} {
		x := max(q.iv.Est, 1) / 1e9
		m, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 1}})
		if err != nil {
			return nil, err
		}
		m.Color = color.RGBA{R: 200, G: 30, B: 30, A: 255}
		m.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(m)
	}
	return &runreport.Figure{Name: "chaos-failover-cdf", Plot: p, W: figureW, H: 3.5 * vg.Inch,
		Caption: "Empirical CDF of every restored failover of every trial; dashed: p50, p90, p99.",
		Shows:   []string{"cdf", "p50", "p90", "p99"}}, nil
}

// availabilityPlot is each demand's downtime per year with its interval
// (availability = 1 − downtime / year: on a [0, 1] axis every interval
// would be invisible).
func (r *Report) availabilityPlot() (*runreport.Figure, error) {
	if len(r.Demands) == 0 {
		return nil, nil
	}
	p := newPlot()
	// The unit of the largest upper bound: a few ms of downtime a year
	// reads as ms, not as 6e-05 minutes.
	top := 0.0
	for _, d := range r.Demands {
		top = max(top, d.Downtime.Hi)
	}
	unit, uname := 1.0, "minutes"
	switch {
	case top < 1.0/60e3:
		unit, uname = 1.0/60e6, "µs"
	case top < 1.0/60:
		unit, uname = 1.0/60e3, "ms"
	case top < 1:
		unit, uname = 1.0/60, "s"
	}
	p.Title.Text = "Downtime per year (" + uname + "), 95% interval"
	p.Y.Label.Text = uname + " / year"
	p.Y.Tick.Marker = plot.TickerFunc(func(a, b float64) []plot.Tick { return runreport.NiceTicks(a, b, 5) })
	p.Add(plotter.NewGrid())
	var b intervalBars
	var names []string
	for i, d := range r.Demands {
		b.xy = append(b.xy, plotter.XY{X: float64(i), Y: d.Downtime.Est / unit})
		b.errs = append(b.errs, [2]float64{(d.Downtime.Est - d.Downtime.Lo) / unit, (d.Downtime.Hi - d.Downtime.Est) / unit})
		names = append(names, d.Name+" ("+formatPercent(d.Availability.Est)+")")
	}
	vals := make(plotter.Values, len(b.xy))
	for i, xy := range b.xy {
		vals[i] = xy.Y
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(28))
	if err != nil {
		return nil, err
	}
	bars.Color = plotutil.Color(0)
	eb, err := plotter.NewYErrorBars(b)
	if err != nil {
		return nil, err
	}
	p.Add(bars, eb)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Y.Min = 0
	return &runreport.Figure{Name: "chaos-availability", Plot: p, W: figureW, H: 3 * vg.Inch,
		Caption: "Downtime per year of each demand (its availability in brackets), with the 95% interval.",
		Shows:   []string{"bars", "interval"}}, nil
}

// hurtsPlot is the what-hurts bar chart: the components with the largest
// share of lost bytes, with their intervals.
func (r *Report) hurtsPlot() (*runreport.Figure, error) {
	n := min(len(r.Hurts), 12)
	if n == 0 {
		return nil, nil
	}
	p := newPlot()
	p.Title.Text = "What hurts most: share of lost bytes (%)"
	p.X.Label.Text = "% of lost bytes"
	p.Add(plotter.NewGrid())
	vals := make(plotter.Values, n)
	var b intervalBars
	names := make([]string, n)
	for i := 0; i < n; i++ {
		h := r.Hurts[n-1-i] // largest at the top
		vals[i] = 100 * h.Share.Est
		names[i] = h.Name
		b.xy = append(b.xy, plotter.XY{X: 100 * h.Share.Est, Y: float64(i)})
		b.errs = append(b.errs, [2]float64{100 * (h.Share.Est - h.Share.Lo), 100 * (h.Share.Hi - h.Share.Est)})
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = colLost
	eb, err := plotter.NewXErrorBars(b)
	if err != nil {
		return nil, err
	}
	p.Add(bars, eb)
	p.NominalY(names...)
	p.X.Min = 0
	return &runreport.Figure{Name: "chaos-what-hurts", Plot: p, W: figureW, H: vg.Length(1.2+0.3*float64(n)) * vg.Inch,
		Caption: fmt.Sprintf("The %d components with the largest share of lost bytes, with the 95%% interval.", n),
		Shows:   []string{"bars", "interval"}}, nil
}

// Plot colours: the CDF in the run report's delivered blue, the lost-bytes
// share in the sweep's lost red; the quantile marks are dashed red.
var (
	colCDF  = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colLost = color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
)

// decade rounds x > 0 to a power of ten with round (math.Floor or math.Ceil).
func decade(x float64, round func(float64) float64) float64 {
	return math.Pow(10, round(math.Log10(x)))
}

// figureW is the width of every campaign plot (as in the page and the PNGs).
const figureW = 9 * vg.Inch

// newPlot is a plot in the reports' sans fonts.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, f := range []struct {
		font *font.Font
		size vg.Length
	}{{&p.Title.TextStyle.Font, 11}, {&p.X.Label.TextStyle.Font, 9}, {&p.Y.Label.TextStyle.Font, 9},
		{&p.X.Tick.Label.Font, 8}, {&p.Y.Tick.Label.Font, 8}, {&p.Legend.TextStyle.Font, 8}} {
		f.font.Typeface, f.font.Variant, f.font.Size = "Liberation", "Sans", f.size
	}
	p.Title.Padding = vg.Points(4)
	return p
}

// Figures are the plots of report.html in page order: availability, the
// failover CDF and what hurts (each only when it has data).
func (r *Report) Figures() ([]runreport.Figure, error) {
	var figs []runreport.Figure
	for _, mk := range []func() (*runreport.Figure, error){r.availabilityPlot, r.cdfPlot, r.hurtsPlot} {
		f, err := mk()
		if err != nil {
			return nil, err
		}
		if f != nil {
			figs = append(figs, *f)
		}
	}
	return figs, nil
}

// figureHTML is one plot in the page: framed (the frame is what the
// browser check finds), with its caption.
type figureHTML struct {
	Name, Caption string
	SVG           template.HTML
}

func inline(f *runreport.Figure) (*figureHTML, error) {
	if f == nil {
		return nil, nil
	}
	s, err := f.InlineSVG()
	if err != nil {
		return nil, err
	}
	return &figureHTML{Name: f.Name, Caption: f.Caption, SVG: template.HTML(s)}, nil //nolint:gosec // generated by vgsvg from escaped text
}

// HTML is report.html: the summary tables with the failover CDF, the
// availability intervals and the what-hurts chart (inline SVG).
func (r *Report) HTML() ([]byte, error) {
	var plots [3]*figureHTML // availability, CDF, what hurts
	for i, mk := range []func() (*runreport.Figure, error){r.availabilityPlot, r.cdfPlot, r.hurtsPlot} {
		f, err := mk()
		if err == nil {
			plots[i], err = inline(f)
		}
		if err != nil {
			return nil, err
		}
	}
	avail, cdf, hurts := plots[0], plots[1], plots[2]
	type row []string
	data := struct {
		R                 *Report
		Partial           string
		CDF, Avail, Hurts *figureHTML
		Demands, Failover []row
		Causes, Classes   []row
		Worst             []row
		OK                bool
		Verdict           string
	}{R: r, Partial: r.PartialNote(), CDF: cdf, Avail: avail, Hurts: hurts, OK: r.Passed() && len(r.Errors) == 0}
	switch {
	case len(r.Errors) > 0:
		data.Verdict = fmt.Sprintf("%d trials failed to run", len(r.Errors))
	case len(r.Outcomes) == 0:
		data.Verdict = "no campaign expectations"
	case r.Passed():
		data.Verdict = fmt.Sprintf("PASS: all %d campaign expectations hold", len(r.Outcomes))
	default:
		data.Verdict = "FAIL: a campaign expectation does not hold"
	}
	for _, d := range r.Demands {
		data.Demands = append(data.Demands, row{d.Name, ivPercent(d.Availability), ivMinutes(d.Downtime), ivPercent(d.LossRatio)})
	}
	fo := r.Failover
	if fo.Restored > 0 {
		data.Failover = append(data.Failover, row{"p50", ivDuration(fo.P50)}, row{"p90", ivDuration(fo.P90)}, row{"p99", ivDuration(fo.P99)}, row{"max", dur(fo.MaxNS)})
	}
	for _, o := range fo.Over {
		data.Failover = append(data.Failover, row{"P(failover > " + dur(o.OverNS) + ")", ivPercent(o.P)})
	}
	for _, c := range r.Causes {
		data.Causes = append(data.Causes, row{c.Cause, ivBytes(c.Bytes), ivPercent(c.Share)})
	}
	for _, h := range r.Classes {
		data.Classes = append(data.Classes, row{h.Name, ivPercent(h.Share)})
	}
	for _, w := range r.Worst {
		data.Worst = append(data.Worst, row{fmt.Sprint(w.Trial), fmt.Sprint(w.Seed), metrics.FormatBytes(w.Lost), formatPercent(w.MinAvailability), fmt.Sprint(w.Faults)})
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var pageTemplate = template.Must(template.New("chaos").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>netdrill chaos: {{.R.Meta.Scenario}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.meta { color: #666; }
.verdict { font-size: 1.2em; font-weight: bold; padding: .4em .8em; border-radius: .3em; display: inline-block; }
.verdict.ok { background: #e6f4ea; } .verdict.bad { background: #fce8e6; }
.partial { background: #fff4d6; padding: .4em .8em; border-radius: .3em; font-weight: bold; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
figure { margin: .5em 0 1em; border: 1px solid #a9bcd0; padding: 4px; max-width: 864px; }
/* #a9bcd0 frames figures only: the browser test finds them by it. */
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: .85em; }
</style>
</head>
<body>
<h1>netdrill chaos: {{.R.Meta.Scenario}}</h1>
<p class="meta">{{.R.Meta.Headline}}. {{.R.Done}} trials done. Every interval is 95%.</p>
{{if .Partial}}<p class="partial">{{.Partial}}</p>{{end}}
<p class="verdict {{if .OK}}ok{{else}}bad{{end}}">{{.Verdict}}</p>
{{if .R.Outcomes}}<h2>Campaign expectations</h2>
<table><tr><th></th><th>expectation</th><th>measured</th><th>where</th></tr>
{{range .R.Outcomes}}<tr><td>{{if .Passed}}ok{{else}}FAIL{{end}}</td><td><code>{{.Name}}</code></td><td>{{.Measured}}</td><td>{{.Where}}</td></tr>
{{end}}</table>{{end}}
<h2>Availability (time fully delivered)</h2>
<table><tr><th>demand</th><th>availability</th><th>downtime / year</th><th>loss ratio</th></tr>
{{range .Demands}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{with .Avail}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>{{end}}
<h2>Failover</h2>
<p>{{.R.Failover.Count}} affected demand × fault, {{.R.Failover.Restored}} restored, {{.R.Failover.Unrestored}} not restored.</p>
<table>{{range .Failover}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{with .CDF}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>{{end}}
<h2>What hurts most</h2>
{{with .Hurts}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>{{else}}<p>No bytes lost.</p>{{end}}
{{if .Classes}}<table><tr><th>class</th><th>share of lost bytes</th></tr>
{{range .Classes}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if .Causes}}<h2>Loss by cause</h2>
<table><tr><th>cause</th><th>bytes / trial</th><th>share</th></tr>
{{range .Causes}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if .Worst}}<h2>Worst trials</h2>
<table><tr><th>trial</th><th>seed</th><th>lost</th><th>min availability</th><th>faults</th></tr>
{{range .Worst}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{range .R.Errors}}<p class="verdict bad">trial {{.Trial}} (seed {{.Seed}}): {{.Err}}</p>
{{end}}
</body>
</html>
`))
