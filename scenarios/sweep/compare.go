package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

// Design is one design of a comparison: a scenario (its topology, traffic
// and faults) and a short name for its column.
type Design struct {
	Name     string
	Scenario *scenarios.Scenario
}

// CheckComparable returns why designs cannot be compared side by side:
// they must carry the same traffic (names and rates; endpoints may be
// named differently, since designs name their sites differently), last as
// long, and suffer the same faults (kinds and times; targets are each
// design's own).
func CheckComparable(ds []Design) error {
	if len(ds) < 2 {
		return fmt.Errorf("compare needs at least two designs, got %d", len(ds))
	}
	a := ds[0]
	for _, b := range ds[1:] {
		sa, sb := a.Scenario, b.Scenario
		if sa.Duration != sb.Duration {
			return fmt.Errorf("%s lasts %v, %s %v: compare runs the same duration", a.Name, sa.Duration, b.Name, sb.Duration)
		}
		if len(sa.Traffic) != len(sb.Traffic) {
			return fmt.Errorf("%s has %d demands, %s %d: compare needs the same traffic", a.Name, len(sa.Traffic), b.Name, len(sb.Traffic))
		}
		for i := range sa.Traffic {
			x, y := sa.Traffic[i], sb.Traffic[i]
			if x.Name != y.Name || x.Rate != y.Rate || len(x.Profile) != len(y.Profile) {
				return fmt.Errorf("demand %d: %s has %s at %s, %s has %s at %s: compare needs the same traffic",
					i+1, a.Name, x.Name, metrics.FormatRate(x.Rate), b.Name, y.Name, metrics.FormatRate(y.Rate))
			}
		}
		if len(sa.Faults) != len(sb.Faults) {
			return fmt.Errorf("%s has %d faults, %s %d: compare needs the same fault set", a.Name, len(sa.Faults), b.Name, len(sb.Faults))
		}
		for i := range sa.Faults {
			x, y := sa.Faults[i], sb.Faults[i]
			if x.Kind != y.Kind || x.At != y.At || x.Repair != y.Repair {
				return fmt.Errorf("fault %d: %s has %v, %s has %v: compare needs the same kinds at the same times", i+1, a.Name, x, b.Name, y)
			}
		}
	}
	return nil
}

// Better says which way a metric improves.
type Better int

const (
	Lower Better = iota
	Higher
)

// Cell is one design's value of one metric.
type Cell struct {
	Text  string  `json:"text"`
	Value float64 `json:"value"`
	Known bool    `json:"known"` // false: not applicable (no fault, nothing measured)
	Best  bool    `json:"best"`
	unit  unit    // how the chart scales Value (not in report.json)
}

// MetricRow is one metric across the designs.
type MetricRow struct {
	Metric string `json:"metric"`
	Better string `json:"better"` // "lower" or "higher"
	Cells  []Cell `json:"cells"`
}

// Comparison is designs side by side.
type Comparison struct {
	Designs []string    `json:"designs"`
	Files   []string    `json:"files"`
	Notes   []string    `json:"notes,omitempty"`
	Rows    []MetricRow `json:"rows"`
	// Wins counts, per design, the metrics it is best at.
	Wins []int `json:"wins"`
}

// CompareOptions tune Compare.
type CompareOptions struct {
	Workers int
	Run     scenarios.Options
	// SweepDepth > 0 also sweeps every design at that depth (default
	// kinds) and adds the worst failure set's numbers.
	SweepDepth int
}

// Compare runs every design's scenario (and, with SweepDepth, its sweep)
// and tabulates the metrics, marking the best design per metric.
func Compare(ctx context.Context, ds []Design, opt CompareOptions) (*Comparison, []scenarios.JobResult, error) {
	jobs := make([]scenarios.Job, len(ds))
	for i, d := range ds {
		jobs[i] = scenarios.JobFor(d.Scenario)
	}
	ro := opt.Run
	ro.SkipTrace = true
	results := scenarios.RunAll(ctx, jobs, scenarios.RunAllOptions{Workers: opt.Workers, Run: ro, Keep: true})
	for i, r := range results {
		if r.Err != nil {
			return nil, results, fmt.Errorf("%s: %w", ds[i].Scenario.File, r.Err)
		}
	}
	c := &Comparison{}
	for _, d := range ds {
		c.Designs = append(c.Designs, d.Name)
		c.Files = append(c.Files, d.Scenario.File)
	}
	for i := range ds[0].Scenario.Traffic {
		var ends []string
		for _, d := range ds {
			t := d.Scenario.Traffic[i]
			ends = append(ends, t.From+" → "+t.To)
		}
		if strings.Join(ends, "") != strings.Repeat(ends[0], len(ends)) {
			c.Notes = append(c.Notes, fmt.Sprintf("demand %s runs %s", ds[0].Scenario.Traffic[i].Name, strings.Join(ends, " vs ")))
		}
	}
	for i := range ds[0].Scenario.Faults {
		var ts []string
		for _, d := range ds {
			ts = append(ts, d.Scenario.Faults[i].Target)
		}
		f := ds[0].Scenario.Faults[i]
		c.Notes = append(c.Notes, fmt.Sprintf("fault %d: %s at %v on %s", i+1, f.Kind, f.At, strings.Join(ts, " vs ")))
	}
	res := make([]*metrics.Result, len(ds))
	outs := make([][]metrics.Outcome, len(ds))
	for i, r := range results {
		res[i], outs[i] = r.Result.Metrics, r.Result.Outcomes
	}
	c.addRunRows(res, outs)
	if opt.SweepDepth > 0 {
		var per [][]Row
		for _, d := range ds {
			// The same timing as the designs' own faults.
			o := Options{Depth: opt.SweepDepth}
			if fs := d.Scenario.Faults; len(fs) > 0 {
				o.Repair = fs[0].Repair
			}
			p, err := NewPlan(d.Scenario, o)
			if err != nil {
				return nil, results, fmt.Errorf("%s: %w", d.Scenario.File, err)
			}
			rows := Run(ctx, p, RunOptions{Workers: opt.Workers, Run: opt.Run})
			per = append(per, rows)
			for _, r := range rows {
				if r.Err != "" {
					return nil, results, fmt.Errorf("%s: sweep %s: %s", d.Scenario.File, r.Label, r.Err)
				}
			}
		}
		c.addSweepRows(opt.SweepDepth, per)
	}
	c.Wins = make([]int, len(ds))
	for _, r := range c.Rows {
		for j, cell := range r.Cells {
			if cell.Best {
				c.Wins[j]++
			}
		}
	}
	return c, results, nil
}

func (c *Comparison) add(name string, better Better, cells []Cell) {
	r := MetricRow{Metric: name, Better: map[Better]string{Lower: "lower", Higher: "higher"}[better], Cells: cells}
	// Best: the best known value, when not every design has it.
	best, have, known := 0.0, false, 0
	for _, cl := range cells {
		if !cl.Known {
			continue
		}
		known++
		if !have || (better == Lower && cl.Value < best) || (better == Higher && cl.Value > best) {
			best, have = cl.Value, true
		}
	}
	nBest := 0
	for i := range r.Cells {
		if r.Cells[i].Known && equalish(r.Cells[i].Value, best) {
			r.Cells[i].Best = true
			nBest++
		}
	}
	if nBest == len(cells) || known == 0 { // all equal: nobody is better
		for i := range r.Cells {
			r.Cells[i].Best = false
		}
	}
	c.Rows = append(c.Rows, r)
}

func equalish(a, b float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) { // "not restored" equals nothing finite
		return a == b
	}
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func durCell(ns int64, known bool) Cell {
	if !known {
		return Cell{Text: "-"}
	}
	return Cell{Text: dur(ns), Value: float64(ns), Known: true, unit: unitDuration}
}

func bytesCell(b float64) Cell {
	return Cell{Text: metrics.FormatBytes(b), Value: b, Known: true, unit: unitBytes}
}

func (c *Comparison) addRunRows(res []*metrics.Result, outs [][]metrics.Outcome) {
	n := len(res)
	cells := func(f func(r *metrics.Result, o []metrics.Outcome) Cell) []Cell {
		out := make([]Cell, n)
		for i := range res {
			out[i] = f(res[i], outs[i])
		}
		return out
	}
	c.add("detection (slowest fault)", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		var worst int64
		known := false
		for _, f := range r.Faults {
			if f.Detected {
				worst, known = max(worst, f.Detection), true
			}
		}
		return durCell(worst, known)
	}))
	c.add("failover (worst demand)", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		var worst int64
		known, never := false, false
		for _, f := range r.Faults {
			for _, fo := range f.Failovers {
				if !fo.Restored {
					never = true
				} else {
					worst, known = max(worst, fo.Failover), true
				}
			}
		}
		if never {
			return Cell{Text: "not restored", Value: math.Inf(1), Known: true, unit: unitDuration}
		}
		return durCell(worst, known)
	}))
	c.add("demands not restored", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		m := map[string]bool{}
		for _, f := range r.Faults {
			for _, fo := range f.Failovers {
				if !fo.Restored {
					m[fo.Demand] = true
				}
			}
		}
		return Cell{Text: fmt.Sprint(len(m)), Value: float64(len(m)), Known: true}
	}))
	c.add("bytes lost", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell { return bytesCell(r.Loss.Lost) }))
	causes := map[string]bool{}
	for _, r := range res {
		for _, cs := range r.Loss.CauseNames() {
			causes[cs] = true
		}
	}
	for _, cause := range append(metrics.Causes, metrics.Unattributed) {
		if !causes[cause] {
			continue
		}
		c.add("  lost to "+cause, Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell { return bytesCell(r.Loss.Cause(cause)) }))
	}
	c.add("time in congestion (longest link/pool)", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		var worst int64
		for _, cs := range [][]metrics.Capacity{r.Pools, r.Links} {
			for _, x := range cs {
				worst = max(worst, x.Over)
			}
		}
		return durCell(worst, true)
	}))
	c.add("headroom (least, after faults)", Higher, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		known, h := false, 0.0
		for _, f := range r.Faults {
			if f.HeadroomKnown && (!known || f.Headroom < h) {
				known, h = true, f.Headroom
			}
		}
		if !known {
			return Cell{Text: "-"}
		}
		return Cell{Text: metrics.FormatRatio(h), Value: h, Known: true, unit: unitRatio}
	}))
	c.add("BGP convergence (slowest fault)", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		var worst int64
		for _, f := range r.Faults {
			worst = max(worst, f.Convergence)
		}
		return durCell(worst, len(r.Faults) > 0)
	}))
	c.add("BGP updates", Lower, cells(func(r *metrics.Result, _ []metrics.Outcome) Cell {
		return Cell{Text: fmt.Sprint(r.Churn.Updates), Value: float64(r.Churn.Updates), Known: true}
	}))
	c.add("expectations held", Higher, cells(func(_ *metrics.Result, o []metrics.Outcome) Cell {
		if len(o) == 0 {
			return Cell{Text: "-"}
		}
		ok := 0
		for _, x := range o {
			if x.Passed {
				ok++
			}
		}
		return Cell{Text: fmt.Sprintf("%d/%d", ok, len(o)), Value: float64(ok) / float64(len(o)), Known: true, unit: unitRatio}
	}))
}

func (c *Comparison) addSweepRows(depth int, per [][]Row) {
	n := len(per)
	sets := "single failures"
	if depth == 2 {
		sets = "single and double failures"
	}
	cells := func(f func(rows []Row) Cell) []Cell {
		out := make([]Cell, n)
		for i := range per {
			out[i] = f(per[i])
		}
		return out
	}
	c.add(sets+": sets not restored", Lower, cells(func(rows []Row) Cell {
		k, all := 0, 0
		for _, r := range rows {
			all += r.Cases
			if len(r.NotRestored) > 0 {
				k += r.Cases
			}
		}
		return Cell{Text: fmt.Sprintf("%d/%d", k, all), Value: float64(k), Known: true}
	}))
	c.add(sets+": sets short of capacity", Lower, cells(func(rows []Row) Cell {
		k, all := 0, 0
		for _, r := range rows {
			all += r.Cases
			if len(r.Short) > 0 {
				k += r.Cases
			}
		}
		return Cell{Text: fmt.Sprintf("%d/%d", k, all), Value: float64(k), Known: true}
	}))
	c.add(sets+": worst bytes lost", Lower, cells(func(rows []Row) Cell {
		w := 0.0
		for _, r := range rows {
			w = max(w, r.LostBytes)
		}
		return bytesCell(w)
	}))
	c.add(sets+": worst failover", Lower, cells(func(rows []Row) Cell {
		var w int64
		known := false
		for _, r := range rows {
			if r.FailoverKnown {
				w, known = max(w, r.FailoverNS), true
			}
		}
		return durCell(w, known)
	}))
}

// Text is the terminal table: a row per metric, a column per design, the
// best marked with ★.
func (c *Comparison) Text() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "compare: %s\n", strings.Join(c.Designs, " vs "))
	for i, f := range c.Files {
		fmt.Fprintf(&b, "  %s: %s\n", c.Designs[i], f)
	}
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "METRIC\tBETTER\t%s\n", strings.ToUpper(strings.Join(c.Designs, "\t")))
	for _, r := range c.Rows {
		cells := make([]string, len(r.Cells))
		for i, cl := range r.Cells {
			cells[i] = cl.Text
			if cl.Best {
				cells[i] += " ★"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Metric, r.Better, strings.Join(cells, "\t"))
	}
	wins := make([]string, len(c.Wins))
	for i, w := range c.Wins {
		wins[i] = fmt.Sprint(w)
	}
	fmt.Fprintf(tw, "best at\t\t%s\n", strings.Join(wins, "\t"))
	tw.Flush()
	b.WriteString("\n★ best design for the metric (none marked when all are equal)\n")
	return b.Bytes()
}

// Markdown is report.md.
func (c *Comparison) Markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Compare: %s\n\n", strings.Join(c.Designs, " vs "))
	for i, f := range c.Files {
		fmt.Fprintf(&b, "- **%s**: `%s`\n", md(c.Designs[i]), f)
	}
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "- %s\n", md(n))
	}
	fmt.Fprintf(&b, "\n| metric | better | %s |\n|---|---|%s\n", md(strings.Join(c.Designs, " | ")), strings.Repeat("---:|", len(c.Designs)))
	for _, r := range c.Rows {
		cells := make([]string, len(r.Cells))
		for i, cl := range r.Cells {
			cells[i] = md(cl.Text)
			if cl.Best {
				cells[i] = "**" + cells[i] + "** ★"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", md(strings.TrimSpace(r.Metric)), r.Better, strings.Join(cells, " | "))
	}
	wins := make([]string, len(c.Wins))
	for i, w := range c.Wins {
		wins[i] = fmt.Sprint(w)
	}
	fmt.Fprintf(&b, "| best at | | %s |\n", strings.Join(wins, " | "))
	return b.Bytes()
}

// JSON is report.json.
func (c *Comparison) JSON() []byte {
	cp := *c // c stays as it is: the charts draw "not restored" as such
	cp.Rows = make([]MetricRow, len(c.Rows))
	for i, r := range c.Rows {
		r.Cells = append([]Cell(nil), r.Cells...)
		for j := range r.Cells { // JSON has no infinity: "not restored" is its text
			if math.IsInf(r.Cells[j].Value, 0) {
				r.Cells[j].Value = -1
			}
		}
		cp.Rows[i] = r
	}
	b, _ := json.MarshalIndent(&cp, "", "  ")
	return append(b, '\n')
}

var compareTmpl = template.Must(template.New("compare").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>Compare: {{.Title}}</title>
<style>
body{font-family:"Liberation Sans",Arimo,Arial,Helvetica,sans-serif;margin:1.5em auto;max-width:76em;padding:0 1em;color:#222}
h2{font-size:1.2em;margin-top:1.4em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 10px}
th{background:#f3f3f3}td.v{text-align:right}
td.best{background:#e8f6ec;font-weight:bold}
.tag{color:#11602a;font-size:.8em;letter-spacing:.03em}
.charts{display:flex;flex-wrap:wrap;gap:.8em 1.2em;align-items:flex-start}
figure{margin:0;border:1px solid #a9bcd0;padding:4px}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:#555;font-size:.8em;max-width:36em}
</style></head><body>
<h1>Compare: {{.Title}}</h1>
<ul>{{range .Files}}<li>{{.}}</li>{{end}}{{range .C.Notes}}<li>{{.}}</li>{{end}}</ul>
<table><tr><th>metric</th><th>better</th>{{range .C.Designs}}<th>{{.}}</th>{{end}}</tr>
{{range .C.Rows}}<tr><td>{{.Metric}}</td><td>{{.Better}}</td>{{range .Cells}}<td class="v{{if .Best}} best{{end}}">{{.Text}}{{if .Best}} <span class="tag">BEST</span>{{end}}</td>{{end}}</tr>
{{end}}<tr><td>best at</td><td></td>{{range .C.Wins}}<td class="v">{{.}}</td>{{end}}</tr></table>
<p>BEST marks the best design for the metric (none is marked when all are equal).</p>
<h2>Per metric</h2>
<p>A bar per design{{if gt (len .C.Designs) 1}} ({{range $i, $d := .C.Designs}}{{if $i}}, {{end}}{{$d}}{{end}}){{end}}; where a metric splits by cause, a group of bars per cause. The best design's bar is outlined in green and labelled best; a dashed full-height bar is a demand never restored.</p>
<div class="charts">
{{range .Figures}}<figure id="{{.Name}}" data-shows="{{.Shows}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>
</body></html>
`))

type compareFigure struct {
	Name, Caption, Shows string
	SVG                  template.HTML
}

// HTML is report.html, self-contained and well-formed as XML: the table
// and a bar chart per metric (inline SVG, see Figures).
func (c *Comparison) HTML() ([]byte, error) {
	var files []string
	for i, f := range c.Files {
		files = append(files, c.Designs[i]+": "+f)
	}
	figs, err := c.Figures()
	if err != nil {
		return nil, err
	}
	var hf []compareFigure
	for _, f := range figs {
		s, err := f.InlineSVG()
		if err != nil {
			return nil, err
		}
		hf = append(hf, compareFigure{Name: f.Name, Caption: f.Caption, Shows: strings.Join(f.Shows, " "),
			SVG: template.HTML(s)}) //nolint:gosec // made by vgsvg, text escaped
	}
	var b bytes.Buffer
	if err := compareTmpl.Execute(&b, struct {
		Title   string
		Files   []string
		C       *Comparison
		Figures []compareFigure
	}{strings.Join(c.Designs, " vs "), files, c, hf}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteAll writes report.md, report.json and report.html into dir
// atomically (junit.xml is written by the caller from the runs).
func (c *Comparison) WriteAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	html, err := c.HTML()
	if err != nil {
		return err
	}
	names := []string{"report.md", "report.json", "report.html"}
	for i, data := range [][]byte{c.Markdown(), c.JSON(), html} {
		if err := trace.WriteFileAtomic(filepath.Join(dir, names[i]), data); err != nil {
			return err
		}
	}
	return nil
}
