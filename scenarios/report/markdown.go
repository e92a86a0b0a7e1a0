package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// capacityLimit is how many links and pools the summaries list.
const capacityLimit = 10

// Markdown returns report.md: a verdict, then tables for faults, failover,
// loss by demand and cause, capacity peaks, oscillations and expectations
// (PASS/FAIL/INVALID words, no emoji: they render as empty boxes without an emoji font). It reads well as a GitHub Actions step summary.
func Markdown(res *metrics.Result, outcomes []metrics.Outcome) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "## netdrill: %s\n\n", mdText(res.Scenario))
	fmt.Fprintf(&b, "**%s** · seed %d · %s simulated", summary(outcomes, "PASS:", "FAIL:"), res.Seed, dur(res.End))
	if res.Netdrill != "" {
		fmt.Fprintf(&b, " · netdrill %s", mdText(res.Netdrill))
	}
	b.WriteString("\n\n")

	if len(outcomes) > 0 {
		b.WriteString("### Expectations\n\n| | expectation | measured | where |\n|---|---|---|---|\n")
		for _, o := range outcomes {
			mark, measured := "PASS", o.Measured
			switch {
			case o.Err != nil:
				mark, measured = "INVALID", "invalid: "+o.Err.Error()
			case !o.Passed:
				mark = "**FAIL**"
			}
			row(&b, mark, "`"+strings.ReplaceAll(o.Name, "`", "'")+"`", measured, where(o))
		}
		b.WriteString("\n")
	}

	if len(res.Faults) > 0 {
		b.WriteString("### Faults\n\n| fault | at | detection | BGP convergence | updates / withdrawals / best changes | loss in window | headroom |\n|---|---|---|---|---|---|---|\n")
		for _, f := range res.Faults {
			at := dur(f.At)
			if f.Repaired {
				at += ", repaired " + dur(f.RepairAt)
			}
			row(&b, "`"+f.ID+"` "+f.Kind+" "+f.Target, at, detection(f), convergence(f),
				fmt.Sprintf("%d / %d / %d", f.Churn.Updates, f.Churn.Withdrawals, f.Churn.BestChanges),
				bytesStr(f.Loss.Lost), headroom(f))
		}
		b.WriteString("\n### Failover\n\n")
		any := false
		for _, f := range res.Faults {
			for _, fo := range f.Failovers {
				if !any {
					b.WriteString("| fault | demand | failover | before | lowest | settled at |\n|---|---|---|---|---|---|\n")
					any = true
				}
				fv := dur(fo.Failover)
				if !fo.Restored {
					fv = "FAIL: not restored (" + fo.Reason + ")"
				}
				row(&b, "`"+f.ID+"`", fo.Demand, fv, rate(fo.Before), rate(fo.Lowest), rate(fo.Target))
			}
		}
		if !any {
			b.WriteString("No demand was affected.\n")
		}
		b.WriteString("\n")
	}

	if len(res.Demands) > 0 {
		causes := causeColumns(res)
		b.WriteString("### Loss by demand\n\n| demand | offered | delivered | lost |")
		for _, c := range causes {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n|---|---|---|---|" + strings.Repeat("---|", len(causes)) + "\n")
		for _, d := range res.Demands {
			cells := []string{d.Name, bytesStr(d.Loss.Offered), bytesStr(d.Loss.Delivered), bytesStr(d.Loss.Lost)}
			for _, c := range causes {
				cells = append(cells, bytesStr(d.Loss.Cause(c)))
			}
			row(&b, cells...)
		}
		b.WriteString("\n")
	}

	if caps, more := capacityRows(res, capacityLimit); len(caps) > 0 {
		b.WriteString("### Capacity\n\n| link / pool | peak | at | time above 100% | dropped |\n|---|---|---|---|---|\n")
		for _, c := range caps {
			row(&b, c.Kind+" "+c.Name, pct(c.Peak), dur(c.PeakAt), dur(c.Over), bytesStr(c.Dropped))
		}
		if more > 0 {
			fmt.Fprintf(&b, "\n…and %d more (report.json lists all).\n", more)
		}
		b.WriteString("\n")
	}

	if len(res.Oscillations) > 0 {
		b.WriteString("### Warning: not converged\n\nThese best paths were still cycling at the end of the run:\n\n| router | prefix | changes | from | to | next hops seen |\n|---|---|---|---|---|---|\n")
		for _, o := range res.Oscillations {
			row(&b, o.Router, o.Prefix, fmt.Sprint(o.Changes), dur(o.First), dur(o.Last), strings.Join(o.States, " → "))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func row(b *bytes.Buffer, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + mdCell(c) + " |")
	}
	b.WriteString("\n")
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func mdText(s string) string {
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "\n", " ")
	return r.Replace(s)
}
