package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	junit "github.com/netdrill/netdrill/scenarios/report"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

// Meta describes a sweep; it is the same in every shard of one sweep.
type Meta struct {
	Scenario     string   `json:"scenario"`
	File         string   `json:"file"`
	Topology     string   `json:"topology"`
	Seed         uint64   `json:"seed"`
	DurationNS   int64    `json:"duration_ns"`
	Depth        int      `json:"depth"`
	Classes      []string `json:"kinds"`
	AtNS         int64    `json:"at_ns"`
	RepairNS     int64    `json:"repair_ns"`
	Candidates   int      `json:"candidates"`
	FailureSets  int      `json:"failure_sets"`
	Simulated    int      `json:"simulated"`
	Expectations int      `json:"expectations"`
	Traffic      []string `json:"traffic"`
	Netdrill     string   `json:"netdrill"`
}

// MetaOf describes a plan.
func MetaOf(p *Plan, version string) Meta {
	sc := p.Original
	m := Meta{Scenario: sc.Name, File: sc.File, Topology: sc.Topology.Name, Seed: sc.Seed, DurationNS: int64(sc.Duration),
		Depth: p.Options.Depth, Classes: p.Options.Classes, AtNS: int64(p.Options.At), RepairNS: int64(p.Options.Repair),
		Candidates: len(p.Candidates), FailureSets: p.Total, Simulated: len(p.Cases), Expectations: len(sc.Expect), Netdrill: version}
	for _, t := range sc.Traffic {
		m.Traffic = append(m.Traffic, fmt.Sprintf("%s: %s → %s %s", t.Name, t.From, t.To, metrics.FormatRate(t.Rate)))
	}
	return m
}

// Report is a whole sweep: its rows in job order and their ranking.
type Report struct {
	Meta Meta  `json:"meta"`
	Rows []Row `json:"rows"`
	// Ranking lists job indices, worst first.
	Ranking []int `json:"ranking"`
	// Survived counts failure sets (symmetric members included) under
	// which every expectation held.
	Survived int `json:"survived"`
}

// NewReport ranks rows (in job order, one per job).
func NewReport(m Meta, rows []Row) *Report {
	r := &Report{Meta: m, Rows: rows, Ranking: Rank(rows)}
	for _, row := range rows {
		if row.Survived() {
			r.Survived += row.Cases
		}
	}
	return r
}

func dur(ns int64) string { return metrics.FormatDuration(ns) }

func (r Row) failover() string {
	if !r.FailoverKnown {
		return "-"
	}
	return dur(r.FailoverNS)
}

func (r Row) causes() string {
	var s []string
	for _, c := range append(metrics.Causes, metrics.Unattributed) {
		if v := r.LostByCause[c]; v > 0 {
			s = append(s, c+" "+metrics.FormatBytes(v))
		}
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

func (r Row) notRestored() string {
	if len(r.NotRestored) == 0 {
		return "-"
	}
	return strings.Join(r.NotRestored, ", ")
}

func (r Row) congestion() string {
	if r.CongestionNS == 0 {
		return "-"
	}
	return dur(r.CongestionNS) + " (" + r.CongestedOn + ")"
}

func (r Row) headroom() string {
	if !r.HeadroomKnown {
		return "-"
	}
	return metrics.FormatRatio(r.Headroom) + " (" + r.HeadroomOn + ")"
}

func (r Row) verdict(expectations int) string {
	switch {
	case r.Err != "":
		return "ERROR"
	case expectations == 0:
		return "-"
	case len(r.Failed) == 0:
		return "ok"
	}
	return fmt.Sprintf("FAIL %d/%d", len(r.Failed), r.Expectations)
}

func (m Meta) summary() string {
	at := dur(m.AtNS)
	rep := "lasting to the end"
	if m.RepairNS > 0 {
		rep = "repaired after " + dur(m.RepairNS)
	}
	return fmt.Sprintf("sweep of %s (%s), depth %d, kinds %s: %d candidates, %d failure sets, %d simulated after symmetry; failures at %s, %s, over %s",
		m.Scenario, m.Topology, m.Depth, strings.Join(m.Classes, ","), m.Candidates, m.FailureSets, m.Simulated, at, rep, dur(m.DurationNS))
}

// Text is the terminal table: the top rows by impact (all when top ≤ 0).
func (rep *Report) Text(top int) []byte {
	var b bytes.Buffer
	fmt.Fprintln(&b, rep.Meta.summary())
	fmt.Fprintln(&b)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tFAILURE\tCASES\tLOST\tBY CAUSE\tWORST FAILOVER\tNOT RESTORED\tCONGESTION\tHEADROOM\tEXPECT")
	for k, i := range rep.Ranking {
		if top > 0 && k >= top {
			break
		}
		r := rep.Rows[i]
		if r.Err != "" {
			fmt.Fprintf(tw, "%d\t%s\t%d\tERROR: %s\t\t\t\t\t\t\n", k+1, r.Label, r.Cases, r.Err)
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k+1, r.Label, r.Cases, metrics.FormatBytes(r.LostBytes), r.causes(),
			r.failover(), r.notRestored(), r.congestion(), r.headroom(), r.verdict(rep.Meta.Expectations))
	}
	tw.Flush()
	if top > 0 && len(rep.Ranking) > top {
		fmt.Fprintf(&b, "… %d more rows (--top 0 shows all)\n", len(rep.Ranking)-top)
	}
	if rep.Meta.Expectations > 0 {
		fmt.Fprintf(&b, "\n%d of %d failure sets keep every expectation of the scenario\n", rep.Survived, rep.Meta.FailureSets)
	}
	return b.Bytes()
}

// Markdown is report.md.
func (rep *Report) Markdown() []byte {
	var b bytes.Buffer
	m := rep.Meta
	fmt.Fprintf(&b, "# Sweep: %s\n\n%s.\n\n", m.Scenario, m.summary())
	if len(m.Traffic) > 0 {
		fmt.Fprintf(&b, "Traffic: %s.\n\n", strings.Join(m.Traffic, "; "))
	}
	if m.Expectations > 0 {
		fmt.Fprintf(&b, "**%d of %d failure sets keep every expectation.**\n\n", rep.Survived, m.FailureSets)
	}
	b.WriteString("| rank | failure | cases | lost | by cause | worst failover | not restored | congestion | headroom | expectations |\n")
	b.WriteString("|---:|---|---:|---:|---|---:|---|---|---|---|\n")
	for k, i := range rep.Ranking {
		r := rep.Rows[i]
		if r.Err != "" {
			fmt.Fprintf(&b, "| %d | %s | %d | error: %s | | | | | | |\n", k+1, md(r.Label), r.Cases, md(r.Err))
			continue
		}
		fmt.Fprintf(&b, "| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", k+1, md(r.Label), r.Cases, metrics.FormatBytes(r.LostBytes),
			md(r.causes()), r.failover(), md(r.notRestored()), md(r.congestion()), md(r.headroom()), md(r.verdict(m.Expectations)))
	}
	var sym []Row
	for _, i := range rep.Ranking {
		if rep.Rows[i].Cases > 1 {
			sym = append(sym, rep.Rows[i])
		}
	}
	if len(sym) > 0 {
		b.WriteString("\n## Symmetric failure sets\n\nEach row was simulated once and stands for these failure sets (an automorphism of the fabric maps one onto another):\n\n")
		for _, r := range sym {
			fmt.Fprintf(&b, "- %s: %s\n", md(r.Label), md(strings.Join(r.Members, "; ")))
		}
	}
	var failed []Row
	for _, i := range rep.Ranking {
		if len(rep.Rows[i].Failed) > 0 {
			failed = append(failed, rep.Rows[i])
		}
	}
	if len(failed) > 0 {
		b.WriteString("\n## Expectations not kept\n\n")
		for _, r := range failed {
			fmt.Fprintf(&b, "- %s\n", md(r.Label))
			for _, f := range r.Failed {
				fmt.Fprintf(&b, "  - %s\n", md(f))
			}
		}
	}
	return b.Bytes()
}

func md(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// JSON is report.json.
func (rep *Report) JSON() []byte {
	b, _ := json.MarshalIndent(rep, "", "  ") // plain values: cannot fail
	return append(b, '\n')
}

var htmlTmpl = template.Must(template.New("sweep").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sweep: {{.Meta.Scenario}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.n{text-align:right}
.bar{display:inline-block;height:10px;background:#c0392b}
.bad{color:#c0392b;font-weight:bold}.ok{color:#27ae60}
figure{margin:.5em 0 1em;border:1px solid #a9bcd0;padding:4px;max-width:864px}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:#555;font-size:.85em}
</style></head><body>
<h1>Sweep: {{.Meta.Scenario}}</h1>
<p>{{.Summary}}</p>
{{if .Traffic}}<p>Traffic: {{.Traffic}}</p>{{end}}
{{range .Figures}}<figure id="{{.Name}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{if .Meta.Expectations}}<p><b>{{.Report.Survived}} of {{.Meta.FailureSets}}</b> failure sets keep every expectation.</p>{{end}}
<table><tr><th>rank</th><th>failure</th><th>cases</th><th>lost</th><th></th><th>by cause</th><th>worst failover</th><th>not restored</th><th>congestion</th><th>headroom</th><th>expectations</th></tr>
{{range .Rows}}<tr><td class="n">{{.Rank}}</td><td>{{.Label}}{{if .Members}}<br><small>{{.Members}}</small>{{end}}</td><td class="n">{{.Cases}}</td>
{{if .Err}}<td colspan="8" class="bad">error: {{.Err}}</td>{{else}}<td class="n">{{.Lost}}</td><td><span class="bar" style="width:{{.Width}}px"></span></td><td>{{.Causes}}</td><td class="n">{{.Failover}}</td><td>{{.NotRestored}}</td><td>{{.Congestion}}</td><td>{{.Headroom}}</td>{{end}}
<td class="{{if .Bad}}bad{{else}}ok{{end}}">{{.Verdict}}</td></tr>
{{end}}</table>
</body></html>
`))

type htmlRow struct {
	Rank                                            int
	Label, Members, Err                             string
	Cases                                           int
	Lost, Causes, Failover, NotRestored, Congestion string
	Headroom, Verdict                               string
	Width                                           int
	Bad                                             bool
}

// HTML is report.html: one self-contained page, the impact chart (see
// Figures, inline SVG) and the ranked table with a bar per row for the
// bytes lost.
func (rep *Report) HTML() ([]byte, error) {
	maxLost := 0.0
	for _, r := range rep.Rows {
		maxLost = max(maxLost, r.LostBytes)
	}
	data := struct {
		Meta             Meta
		Report           *Report
		Summary, Traffic string
		Rows             []htmlRow
		Figures          []compareFigure
	}{Meta: rep.Meta, Report: rep, Summary: rep.Meta.summary(), Traffic: strings.Join(rep.Meta.Traffic, "; ")}
	for k, i := range rep.Ranking {
		r := rep.Rows[i]
		h := htmlRow{Rank: k + 1, Label: r.Label, Members: strings.Join(r.Members, "; "), Err: r.Err, Cases: r.Cases,
			Lost: metrics.FormatBytes(r.LostBytes), Causes: r.causes(), Failover: r.failover(), NotRestored: r.notRestored(),
			Congestion: r.congestion(), Headroom: r.headroom(), Verdict: r.verdict(rep.Meta.Expectations), Bad: !r.Survived() && rep.Meta.Expectations > 0 || r.Err != ""}
		if maxLost > 0 {
			h.Width = int(200 * r.LostBytes / maxLost)
		}
		data.Rows = append(data.Rows, h)
	}
	figs, err := rep.Figures()
	if err != nil {
		return nil, err
	}
	for _, f := range figs {
		s, err := f.InlineSVG()
		if err != nil {
			return nil, err
		}
		data.Figures = append(data.Figures, compareFigure{Name: f.Name, Caption: f.Caption, SVG: template.HTML(s)}) //nolint:gosec // made by vgsvg, text escaped
	}
	var b bytes.Buffer
	if err := htmlTmpl.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// JUnit is junit.xml: one test case "survives <failure set>" per failure
// set, symmetric members included (their verdict is their
// representative's, which the case says), in job order.
func (rep *Report) JUnit() []byte {
	s := junit.JUnitSuite{Name: "sweep: " + rep.Meta.Scenario, File: rep.Meta.File}
	for _, r := range rep.Rows {
		members := r.Members
		if len(members) == 0 {
			members = []string{r.Label}
		}
		for _, m := range members {
			c := junit.JUnitCase{Name: "survives " + m, Classname: "sweep"}
			note := ""
			if m != r.Label {
				note = "simulated as the symmetric " + r.Label + "\n"
			}
			switch {
			case r.Err != "":
				c.Error = &junit.JUnitProblem{Message: r.Err, Text: note + r.Err}
			case len(r.Failed) > 0:
				c.Failure = &junit.JUnitProblem{Message: fmt.Sprintf("%d of %d expectations failed", len(r.Failed), r.Expectations), Text: note + strings.Join(r.Failed, "\n")}
			}
			s.Cases = append(s.Cases, c)
		}
	}
	return junit.JUnitXML(s)
}

// WriteAll writes report.md, report.json, report.html and, when the
// scenario has expectations, junit.xml into dir, each atomically.
func (rep *Report) WriteAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	html, err := rep.HTML()
	if err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{{"report.md", rep.Markdown()}, {"report.json", rep.JSON()}, {"report.html", html}}
	if rep.Meta.Expectations > 0 {
		files = append(files, struct {
			name string
			data []byte
		}{"junit.xml", rep.JUnit()})
	}
	for _, f := range files {
		if err := trace.WriteFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}
