package scenarios

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	return report.WriteAll(dir, r.Metrics, r.Outcomes)
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
