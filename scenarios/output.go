package scenarios

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

// PrintSummary writes the readable summary of a run: per fault detection,
// failover, convergence and loss; capacity; expectations (100 columns,
// plain).
func PrintSummary(w io.Writer, r *Result) error { return PrintSummaryWith(w, r, SummaryOptions{}) }

// SummaryOptions tune PrintSummaryWith: the most columns a line may take
// (0: 100) and ANSI colour.
type SummaryOptions = report.TextOptions

// PrintSummaryWith is PrintSummary for a given width and colour.
func PrintSummaryWith(w io.Writer, r *Result, opt SummaryOptions) error {
	if r.Warmup > 0 {
		line := fmt.Sprintf("warm-up: BGP converged in %v of virtual time (not traced); time 0 = the converged network", sim.Time(r.Warmup))
		if _, err := fmt.Fprint(w, report.Wrap(line, "  ", opt.Width)+"\n"); err != nil {
			return err
		}
	}
	_, err := w.Write(report.TextWith(r.Metrics, r.Outcomes, opt))
	return err
}

// ReportJSON is the run's report.json document (netdrill-report/1).
func ReportJSON(r *Result) []byte { return report.JSON(r.Metrics, r.Outcomes) }

// WriteOutputs writes trace.jsonl (when the run kept its trace), then
// report.json, report.md, junit.xml and report.html into dir, each file
// atomically.
func WriteOutputs(dir string, r *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if len(r.Trace) > 0 {
		if err := trace.WriteFileAtomic(filepath.Join(dir, "trace.jsonl"), r.Trace); err != nil {
			return err
		}
	}
	return report.WriteAll(dir, r.Metrics, r.Outcomes)
}

// JUnitRun is one scenario of a `check` for the combined JUnit file: its
// result, or the error that kept it from running.
type JUnitRun struct {
	File   string
	Name   string // the scenario's name (the suite name when Result is nil)
	Result *Result
	Err    error
}

// WriteJUnit writes one JUnit XML file for several scenarios: a suite per
// scenario, a test case per expectation, an error case for a scenario that
// could not run.
func WriteJUnit(path string, runs []JUnitRun) error {
	rs := make([]report.Run, len(runs))
	for i, r := range runs {
		rs[i] = report.Run{File: r.File, Name: r.Name, Err: r.Err}
		if rs[i].Name == "" && r.Result == nil {
			rs[i].Name = strings.TrimSuffix(filepath.Base(r.File), filepath.Ext(r.File))
		}
		if r.Result != nil {
			rs[i].Name = r.Result.Scenario.Name
			rs[i].Result = r.Result.Metrics
			rs[i].Outcomes = r.Result.Outcomes
		}
	}
	return trace.WriteFileAtomic(path, report.JUnitSuites(rs))
}
