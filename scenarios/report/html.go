package report

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// HTML returns report.html for a result alone (no timeline, no topology):
// see Page.HTML.
func HTML(res *metrics.Result, outcomes []metrics.Outcome) ([]byte, error) {
	pg := Page{Result: res, Outcomes: outcomes}
	return pg.HTML()
}

// HTML returns report.html: one self-contained page, well-formed as XML
// (XHTML), with no scripts and no external resources, readable without the
// terminal: the scenario and topology, the expectations with PASS/FAIL, the
// highlights (first detection, each failover, worst congestion), inline SVG
// plots made with gonum.org/v1/plot (per demand offered vs delivered with
// the loss shaded by cause and fault spans from inject to repair; a zoom
// around each fault; utilisation per link and pool with the 100% line and
// link outages shaded) and the tables. Long runs are reduced to one
// min/max pair per pixel column, so a simulated year stays small. It is
// deterministic.
func (pg *Page) HTML() ([]byte, error) {
	res, outcomes := pg.Result, pg.Outcomes
	v := htmlView{Title: res.Scenario, Verdict: summary(outcomes, "PASS:", "FAIL:"),
		Meta: fmt.Sprintf("seed %d · %s simulated · netdrill %s", res.Seed, spanStr(res.End), res.Netdrill)}
	if pg.File != "" {
		v.Meta = pg.File + " · " + v.Meta
	}
	v.Topology = pg.Topology
	failed, invalid := counts(outcomes)
	v.OK = failed == 0 && invalid == 0
	for _, o := range outcomes {
		r := htmlOutcome{Name: o.Name, Measured: o.Measured, Where: where(o), Mark: "PASS", Class: "ok"}
		switch {
		case o.Err != nil:
			r.Mark, r.Class, r.Measured = "INVALID", "bad", "invalid: "+o.Err.Error()
		case !o.Passed:
			r.Mark, r.Class = "FAIL", "bad"
		}
		v.Outcomes = append(v.Outcomes, r)
	}
	v.Highlights, v.MoreHighlights = Highlights(res)
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
	if len(v.Faults) > maxFaultRows {
		v.MoreFaults = len(v.Faults) - maxFaultRows
		v.Faults = v.Faults[:maxFaultRows]
	}
	if len(v.Failovers) > maxFaultRows {
		v.MoreFailovers = len(v.Failovers) - maxFaultRows
		v.Failovers = v.Failovers[:maxFaultRows]
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

	figs, err := pg.Figures()
	if err != nil {
		return nil, err
	}
	for _, f := range figs {
		svg, err := f.inlineSVG()
		if err != nil {
			return nil, err
		}
		hf := htmlFigure{Name: f.Name, Caption: f.Caption, SVG: template.HTML(svg)} //nolint:gosec // made by vgsvg, text escaped
		switch {
		case strings.HasPrefix(f.Name, "throughput-"):
			v.Throughput = append(v.Throughput, hf)
		case strings.HasPrefix(f.Name, "zoom-"):
			v.Zooms = append(v.Zooms, hf)
		default:
			v.Utilisation = append(v.Utilisation, hf)
		}
	}
	if n := len(res.Demands); n > len(v.Throughput) {
		v.MoreDemands = n - len(v.Throughput)
	}
	if n := zoomCandidates(res); n > len(v.Zooms) {
		v.MoreZooms = n - len(v.Zooms)
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxFaultRows bounds the fault and failover tables (report.json has all).
const maxFaultRows = 50

// zoomCandidates counts the (fault, affected demand) pairs.
func zoomCandidates(res *metrics.Result) int {
	n := 0
	for _, f := range res.Faults {
		n += len(f.Failovers)
	}
	return n
}

type htmlOutcome struct{ Mark, Class, Name, Measured, Where string }

type htmlFigure struct {
	Name, Caption string
	SVG           template.HTML
}

type htmlView struct {
	Title, Verdict, Meta      string
	OK                        bool
	Topology                  []Fact
	Outcomes                  []htmlOutcome
	Highlights                []Highlight
	MoreHighlights            int
	Faults, Failovers         [][]string
	MoreFaults, MoreFailovers int
	Causes                    []string
	Demands, Capacity         [][]string
	MoreCapacity              int
	Oscillations              [][]string
	Throughput, Zooms         []htmlFigure
	Utilisation               []htmlFigure
	MoreZooms, MoreDemands    int
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"when": when}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>netdrill: {{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arimo, Arial, Helvetica, sans-serif; margin: 1.5em auto; max-width: 70em; padding: 0 1em; color: #222; line-height: 1.35; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
.meta { color: #555; }
.verdict { font-size: 1.15em; font-weight: bold; padding: .35em .8em; border-radius: .3em; display: inline-block; }
.verdict.ok { background: #e6f4ea; color: #11602a; } .verdict.bad { background: #fce8e6; color: #a50e0e; }
.mark { font-weight: bold; font-size: .85em; letter-spacing: .03em; }
tr.ok .mark { color: #11602a; } tr.bad .mark { color: #a50e0e; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
tr.bad td { background: #fff5f4; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; margin: .5em 0; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
figure { margin: .5em 0 1em; border: 1px solid #a9bcd0; padding: 4px; }
/* #a9bcd0 frames figures only: the browser test finds them by it. */
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: .9em; max-width: 60em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(26em, 1fr)); gap: .5em 1.5em; }
.note { color: #555; }
</style>
</head>
<body>
<h1>netdrill: {{.Title}}</h1>
<p class="meta">{{.Meta}}</p>
<p class="verdict {{if .OK}}ok{{else}}bad{{end}}">{{.Verdict}}</p>
{{if .Topology}}<h2>Network</h2>
<dl class="facts">{{range .Topology}}<dt>{{.Label}}</dt><dd>{{.Text}}</dd>{{end}}</dl>{{end}}
{{if .Outcomes}}<h2>Expectations</h2>
<table><tr><th>result</th><th>expectation</th><th>measured</th><th>where</th></tr>
{{range .Outcomes}}<tr class="{{.Class}}"><td class="mark">{{.Mark}}</td><td><code>{{.Name}}</code></td><td>{{.Measured}}</td><td>{{.Where}}</td></tr>
{{end}}</table>{{end}}
{{if .Highlights}}<h2>What happened</h2>
<table><tr><th>at</th><th>event</th></tr>
{{range .Highlights}}<tr{{if .Bad}} class="bad"{{end}}><td>{{when .T}}</td><td>{{.What}}</td></tr>
{{end}}</table>{{if .MoreHighlights}}<p class="note">…and {{.MoreHighlights}} more routine events (injects, repairs, quick failovers; report.json lists every fault).</p>{{end}}{{end}}
{{if .Throughput}}<h2>Throughput</h2>
{{range .Throughput}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{if .MoreDemands}}<p class="note">Plotted the {{len .Throughput}} demands that lost most; {{.MoreDemands}} more in the loss table below.</p>{{end}}{{end}}
{{if .Zooms}}<h2>Around each fault</h2>
<p class="note">Each panel zooms on one fault and one affected demand, so that detection and failover, often well under a second, are visible.</p>
<div class="grid">{{range .Zooms}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>{{if .MoreZooms}}<p class="note">Zoomed on the {{len .Zooms}} that lost most; {{.MoreZooms}} more not shown.</p>{{end}}{{end}}
{{if .Utilisation}}<h2>Utilisation</h2>
<p class="note">Load over capacity per pool and link; the dashed red line is 100%; shading marks the periods a link was down, silent, degraded or dark.</p>
<div class="grid">{{range .Utilisation}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>{{end}}
{{if .Faults}}<h2>Faults</h2>
<table><tr><th>fault</th><th>at</th><th>detection</th><th>BGP convergence</th><th>updates / withdrawals / best changes</th><th>loss in window</th><th>headroom</th></tr>
{{range .Faults}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{if .MoreFaults}}<p class="note">…and {{.MoreFaults}} more (report.json lists all).</p>{{end}}
<h2>Failover</h2>
{{if .Failovers}}<table><tr><th>fault</th><th>demand</th><th>failover</th><th>before</th><th>lowest</th><th>settled at</th></tr>
{{range .Failovers}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{if .MoreFailovers}}<p class="note">…and {{.MoreFailovers}} more (report.json lists all).</p>{{end}}{{else}}<p>No demand was affected.</p>{{end}}{{end}}
{{if .Demands}}<h2>Loss by demand</h2>
<table><tr><th>demand</th><th>offered</th><th>delivered</th><th>lost</th>{{range .Causes}}<th>{{.}}</th>{{end}}</tr>
{{range .Demands}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{if .Capacity}}<h2>Capacity</h2>
<table><tr><th>link / pool</th><th>peak</th><th>at</th><th>time above 100%</th><th>dropped</th></tr>
{{range .Capacity}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{if .MoreCapacity}}<p class="note">…and {{.MoreCapacity}} more (report.json lists all).</p>{{end}}{{end}}
{{if .Oscillations}}<h2>Warning: not converged</h2>
<table><tr><th>router</th><th>prefix</th><th>changes</th><th>from</th><th>to</th><th>next hops seen</th></tr>
{{range .Oscillations}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
</body>
</html>
`))
