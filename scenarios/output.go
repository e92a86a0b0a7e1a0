package scenarios

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

// PrintSummary writes the readable summary of a run: per fault detection,
// failover, convergence and loss; capacity; expectations.
func PrintSummary(w io.Writer, r *Result) error {
	if r.Warmup > 0 {
		if _, err := fmt.Fprintf(w, "warm-up: BGP converged after %v of virtual time (not traced); scenario time 0 is the converged network\n\n", sim.Time(r.Warmup)); err != nil {
			return err
		}
	}
	_, err := w.Write(report.Text(r.Metrics, r.Outcomes))
	return err
}

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
	return report.WritePage(dir, Page(r))
}

// Page is what report.html shows of a run: its metrics, expectations,
// timeline (loss by cause over time, link states) and topology.
func Page(r *Result) report.Page {
	pg := report.Page{Result: r.Metrics, Outcomes: r.Outcomes,
		Timeline: metrics.NewTimeline(r.Events, r.Metrics.End)}
	if r.Scenario != nil {
		pg.File = filepath.Base(r.Scenario.File)
		if r.Scenario.File == "" {
			pg.File = ""
		}
		pg.Topology = report.TopologyFacts(r.Scenario.Topology)
	}
	return pg
}

// WritePNGs writes every plot of the run's report as a PNG into dir and
// returns the file names.
func WritePNGs(dir string, r *Result) ([]string, error) {
	return report.WritePNGs(dir, Page(r))
}

// JUnitRun is one scenario of a `check` for the combined JUnit file: its
// result, or the error that kept it from running.
type JUnitRun struct {
	File   string
	Result *Result
	Err    error
}

// WriteJUnit writes one JUnit XML file for several scenarios: a suite per
// scenario, a test case per expectation, an error case for a scenario that
// could not run.
func WriteJUnit(path string, runs []JUnitRun) error {
	rs := make([]report.Run, len(runs))
	for i, r := range runs {
		rs[i] = report.Run{File: r.File, Err: r.Err}
		if r.Result != nil {
			rs[i].Name = r.Result.Scenario.Name
			rs[i].Result = r.Result.Metrics
			rs[i].Outcomes = r.Result.Outcomes
		}
	}
	return trace.WriteFileAtomic(path, report.JUnitSuites(rs))
}
