package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// HTML returns report.html: one self-contained page (no scripts, no
// external resources) with the summary tables and inline SVG plots made
// with gonum.org/v1/plot — delivered throughput per demand over time and
// the utilisation of the busiest links and pools, with a dashed vertical
// marker at each fault. It is deterministic.
func HTML(res *metrics.Result, outcomes []metrics.Outcome) ([]byte, error) {
	v := htmlView{Title: res.Scenario, Verdict: summary(outcomes, "✅", "❌"),
		Meta: fmt.Sprintf("seed %d · %s simulated · netdrill %s", res.Seed, dur(res.End), res.Netdrill)}
	failed, invalid := counts(outcomes)
	v.OK = failed == 0 && invalid == 0
	for _, o := range outcomes {
		r := htmlOutcome{Name: o.Name, Measured: o.Measured, Where: where(o), Mark: "✅", Class: "ok"}
		switch {
		case o.Err != nil:
			r.Mark, r.Class, r.Measured = "⚠️", "bad", "invalid: "+o.Err.Error()
		case !o.Passed:
			r.Mark, r.Class = "❌", "bad"
		}
		v.Outcomes = append(v.Outcomes, r)
	}
	for _, f := range res.Faults {
		at := dur(f.At)
		if f.Repaired {
			at += ", repaired " + dur(f.RepairAt)
		}
		v.Faults = append(v.Faults, []string{f.ID + " " + f.Kind + " " + f.Target, at, detection(f), convergence(f),
			fmt.Sprintf("%d / %d / %d", f.Churn.Updates, f.Churn.Withdrawals, f.Churn.BestChanges), bytesStr(f.Loss.Lost), headroom(f)})
		for _, fo := range f.Failovers {
			v.Failovers = append(v.Failovers, []string{f.ID, fo.Demand, failover(fo), rate(fo.Before), rate(fo.Lowest), rate(fo.Target)})
		}
	}
	v.Causes = causeColumns(res)
	for _, d := range res.Demands {
		r := []string{d.Name, bytesStr(d.Loss.Offered), bytesStr(d.Loss.Delivered), bytesStr(d.Loss.Lost)}
		for _, c := range v.Causes {
			r = append(r, bytesStr(d.Loss.Cause(c)))
		}
		v.Demands = append(v.Demands, r)
	}
	caps, more := capacityRows(res, capacityLimit)
	for _, c := range caps {
		v.Capacity = append(v.Capacity, []string{c.Kind + " " + c.Name, pct(c.Peak), dur(c.PeakAt), dur(c.Over), bytesStr(c.Dropped)})
	}
	v.MoreCapacity = more
	for _, o := range res.Oscillations {
		v.Oscillations = append(v.Oscillations, []string{o.Router, o.Prefix, fmt.Sprint(o.Changes), dur(o.First), dur(o.Last), strings.Join(o.States, " → ")})
	}

	if len(res.Demands) > 0 {
		svg, err := throughputPlot(res)
		if err != nil {
			return nil, err
		}
		v.Throughput = svg
	}
	if len(caps) > 0 {
		svg, err := utilisationPlot(res, caps[:min(len(caps), 5)])
		if err != nil {
			return nil, err
		}
		v.Utilisation = svg
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type htmlOutcome struct{ Mark, Class, Name, Measured, Where string }

type htmlView struct {
	Title, Verdict, Meta    string
	OK                      bool
	Outcomes                []htmlOutcome
	Faults, Failovers       [][]string
	Causes                  []string
	Demands, Capacity       [][]string
	MoreCapacity            int
	Oscillations            [][]string
	Throughput, Utilisation template.HTML
}

// seconds converts ns to s for plot axes.
func seconds(ns int64) float64 { return float64(ns) / 1e9 }

// stepXYs turns piecewise-constant points into a step line ending at end.
func stepXYs(ts []int64, ys []float64, end int64) plotter.XYs {
	var xys plotter.XYs
	for i, t := range ts {
		if n := len(xys); n > 0 && xys[n-1].X == seconds(t) {
			xys[n-1].Y = ys[i] // the last record at an instant wins
			continue
		}
		xys = append(xys, plotter.XY{X: seconds(t), Y: ys[i]})
	}
	if n := len(xys); n > 0 && seconds(end) > xys[n-1].X {
		xys = append(xys, plotter.XY{X: seconds(end), Y: xys[n-1].Y})
	}
	return xys
}

func throughputPlot(res *metrics.Result) (template.HTML, error) {
	p := newPlot("Delivered throughput per demand", "Gbps")
	ymax := 0.0
	for i, d := range res.Demands {
		ts := make([]int64, len(d.Series))
		ys := make([]float64, len(d.Series))
		for k, pt := range d.Series {
			ts[k], ys[k] = pt.T, pt.Delivered/1e9
			ymax = max(ymax, pt.Offered/1e9, ys[k])
		}
		if err := addStep(p, d.Name, stepXYs(ts, ys, res.End), i); err != nil {
			return "", err
		}
	}
	if err := faultMarkers(p, res, ymax); err != nil {
		return "", err
	}
	return render(p)
}

func utilisationPlot(res *metrics.Result, caps []metrics.Capacity) (template.HTML, error) {
	p := newPlot("Utilisation of the busiest links and pools", "load / capacity (%)")
	ymax := 100.0
	for i, c := range caps {
		ts := make([]int64, len(c.Series))
		ys := make([]float64, len(c.Series))
		for k, pt := range c.Series {
			ts[k] = pt.T
			if pt.Capacity > 0 {
				ys[k] = 100 * pt.Load / pt.Capacity
			}
			ymax = max(ymax, ys[k])
		}
		if err := addStep(p, c.Kind+" "+c.Name, stepXYs(ts, ys, res.End), i); err != nil {
			return "", err
		}
	}
	if err := faultMarkers(p, res, ymax); err != nil {
		return "", err
	}
	return render(p)
}

func newPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "simulated time (s)"
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = false
	p.Add(plotter.NewGrid())
	return p
}

func addStep(p *plot.Plot, name string, xys plotter.XYs, i int) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("plot %s: %w", name, err)
	}
	l.StepStyle = plotter.PostStep
	l.Color = plotutil.Color(i)
	l.Width = vg.Points(1.5)
	p.Add(l)
	p.Legend.Add(name, l)
	return nil
}

// faultMarkers draws a dashed vertical line and the fault's id at each
// inject time.
func faultMarkers(p *plot.Plot, res *metrics.Result, ymax float64) error {
	if len(res.Faults) == 0 {
		return nil
	}
	top := ymax * 1.08
	if top == 0 {
		top = 1
	}
	var lbl plotter.XYLabels
	for _, f := range res.Faults {
		x := seconds(f.At)
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
		if err != nil {
			return err
		}
		l.Color = color.RGBA{R: 200, G: 30, B: 30, A: 255}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		lbl.XYs = append(lbl.XYs, plotter.XY{X: x, Y: top})
		lbl.Labels = append(lbl.Labels, " "+f.ID)
	}
	labels, err := plotter.NewLabels(lbl)
	if err != nil {
		return err
	}
	p.Add(labels)
	p.Y.Max = top * 1.05
	return nil
}

func render(p *plot.Plot) (template.HTML, error) {
	c := vgsvg.New(9*vg.Inch, 3.5*vg.Inch)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	svg := b.String()
	// Inline: drop the XML declaration and generator comment.
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	return template.HTML(svg), nil //nolint:gosec // generated by vgsvg from escaped text
}

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>netdrill: {{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.meta { color: #666; }
.verdict { font-size: 1.2em; font-weight: bold; padding: .4em .8em; border-radius: .3em; display: inline-block; }
.verdict.ok { background: #e6f4ea; } .verdict.bad { background: #fce8e6; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
tr.bad td { background: #fff5f4; }
.plot svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>netdrill: {{.Title}}</h1>
<p class="meta">{{.Meta}}</p>
<p class="verdict {{if .OK}}ok{{else}}bad{{end}}">{{.Verdict}}</p>
{{if .Outcomes}}<h2>Expectations</h2>
<table><tr><th></th><th>expectation</th><th>measured</th><th>where</th></tr>
{{range .Outcomes}}<tr class="{{.Class}}"><td>{{.Mark}}</td><td><code>{{.Name}}</code></td><td>{{.Measured}}</td><td>{{.Where}}</td></tr>
{{end}}</table>{{end}}
{{if .Throughput}}<h2>Throughput</h2>
<div class="plot">{{.Throughput}}</div>{{end}}
{{if .Faults}}<h2>Faults</h2>
<table><tr><th>fault</th><th>at</th><th>detection</th><th>BGP convergence</th><th>updates / withdrawals / best changes</th><th>loss in window</th><th>headroom</th></tr>
{{range .Faults}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
<h2>Failover</h2>
{{if .Failovers}}<table><tr><th>fault</th><th>demand</th><th>failover</th><th>before</th><th>lowest</th><th>settled at</th></tr>
{{range .Failovers}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{else}}<p>No demand was affected.</p>{{end}}{{end}}
{{if .Demands}}<h2>Loss by demand</h2>
<table><tr><th>demand</th><th>offered</th><th>delivered</th><th>lost</th>{{range .Causes}}<th>{{.}}</th>{{end}}</tr>
{{range .Demands}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if .Capacity}}<h2>Capacity</h2>
{{if .Utilisation}}<div class="plot">{{.Utilisation}}</div>{{end}}
<table><tr><th>link / pool</th><th>peak</th><th>at</th><th>time above 100%</th><th>dropped</th></tr>
{{range .Capacity}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{if .MoreCapacity}}<p>…and {{.MoreCapacity}} more (report.json lists all).</p>{{end}}{{end}}
{{if .Oscillations}}<h2>⚠️ Not converged</h2>
<table><tr><th>router</th><th>prefix</th><th>changes</th><th>from</th><th>to</th><th>next hops seen</th></tr>
{{range .Oscillations}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
</body>
</html>
`))
