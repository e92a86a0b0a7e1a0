package report

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// Text returns the readable summary `netdrill run` prints: what failed,
// how fast it was detected and routed around, what was lost, how full the
// links got, and the expectations.
func Text(res *metrics.Result, outcomes []metrics.Outcome) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (seed %d, %s simulated)\n", res.Scenario, res.Seed, dur(res.End))

	tw := func() *tabwriter.Writer { return tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0) }
	if len(res.Faults) > 0 {
		b.WriteString("\nFaults\n")
		w := tw()
		fmt.Fprintln(w, "  FAULT\tAT\tKIND\tTARGET\tDETECTED\tBGP CONVERGED\tUPDATES\tHEADROOM\t")
		for _, f := range res.Faults {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t\n", f.ID, dur(f.At), f.Kind, f.Target,
				detection(f), convergence(f), f.Churn.Updates, headroom(f))
		}
		_ = w.Flush()

		b.WriteString("\nFailover\n")
		w = tw()
		any := false
		for _, f := range res.Faults {
			for _, fo := range f.Failovers {
				if !any {
					fmt.Fprintln(w, "  FAULT\tDEMAND\tFAILOVER\tBEFORE\tLOWEST\tSETTLED AT\t")
					any = true
				}
				fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t\n", f.ID, fo.Demand, failover(fo), rate(fo.Before), rate(fo.Lowest), rate(fo.Target))
			}
		}
		if !any {
			fmt.Fprintln(w, "  no demand was affected")
		}
		_ = w.Flush()
	}

	if len(res.Demands) > 0 {
		causes := causeColumns(res)
		b.WriteString("\nTraffic\n")
		w := tw()
		fmt.Fprint(w, "  DEMAND\tOFFERED\tLOST")
		for _, c := range causes {
			fmt.Fprint(w, "\t"+strings.ToUpper(c))
		}
		fmt.Fprintln(w, "\t")
		for _, d := range res.Demands {
			fmt.Fprintf(w, "  %s\t%s\t%s", d.Name, bytesStr(d.Loss.Offered), bytesStr(d.Loss.Lost))
			for _, c := range causes {
				fmt.Fprint(w, "\t"+bytesStr(d.Loss.Cause(c)))
			}
			fmt.Fprintln(w, "\t")
		}
		_ = w.Flush()
	}

	if caps, more := capacityRows(res, 5); len(caps) > 0 {
		b.WriteString("\nBusiest links and pools\n")
		w := tw()
		fmt.Fprintln(w, "  LINK/POOL\tPEAK\tABOVE 100%\tDROPPED\t")
		for _, c := range caps {
			fmt.Fprintf(w, "  %s %s\t%s\t%s\t%s\t\n", c.Kind, c.Name, pct(c.Peak), dur(c.Over), bytesStr(c.Dropped))
		}
		if more > 0 {
			fmt.Fprintf(w, "  (%d more)\t\t\t\t\n", more)
		}
		_ = w.Flush()
	}

	if len(res.Oscillations) > 0 {
		fmt.Fprintf(&b, "\nNOT CONVERGED: %d best paths still cycling at the end of the run\n", len(res.Oscillations))
		for _, o := range res.Oscillations {
			fmt.Fprintf(&b, "  %s %s: %d changes from %s to %s (%s)\n", o.Router, o.Prefix, o.Changes, dur(o.First), dur(o.Last), strings.Join(o.States, " → "))
		}
	}

	if len(outcomes) > 0 {
		b.WriteString("\nExpectations\n")
		for _, o := range outcomes {
			switch {
			case o.Err != nil:
				fmt.Fprintf(&b, "  INVALID %s: %v\n", o.Name, o.Err)
			case o.Passed:
				fmt.Fprintf(&b, "  ok      %s  (measured %s)\n", o.Name, o.Measured)
			default:
				fmt.Fprintf(&b, "  FAIL    %s\n          %s\n", o.Name, o.Message)
			}
		}
	}
	fmt.Fprintf(&b, "\n%s\n", summary(outcomes, "PASS:", "FAIL:"))
	// tabwriter pads the last cell; terminals do not need it.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return []byte(strings.Join(lines, "\n"))
}
