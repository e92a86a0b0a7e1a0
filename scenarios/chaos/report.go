package chaos

import (
	"bytes"
	"encoding/json"
	"fmt"
	junit "github.com/netdrill/netdrill/scenarios/report"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

func dur(ns int64) string { return metrics.FormatDuration(ns) }

func ivPercent(iv Interval) string {
	return formatPercent(iv.Est) + " [" + formatPercent(iv.Lo) + ", " + formatPercent(iv.Hi) + "]"
}

func ivDuration(iv Interval) string {
	return dur(int64(iv.Est)) + " [" + dur(int64(iv.Lo)) + ", " + dur(int64(iv.Hi)) + "]"
}

func ivBytes(iv Interval) string {
	return metrics.FormatBytes(iv.Est) + " [" + metrics.FormatBytes(max(0, iv.Lo)) + ", " + metrics.FormatBytes(iv.Hi) + "]"
}

func ivMinutes(iv Interval) string {
	return formatMinutes(iv.Est) + " [" + formatMinutes(iv.Lo) + ", " + formatMinutes(iv.Hi) + "]"
}

// Headline is the campaign in one line.
func (m Meta) Headline() string {
	return fmt.Sprintf("%s: %d trials × %s (campaign seed %d), %s", m.Scenario, m.Trials, horizonString(m.HorizonNS), m.Seed, filepath.Base(m.File))
}

func horizonString(ns int64) string {
	switch {
	case ns%int64(Year) == 0:
		return fmt.Sprintf("%dy", ns/int64(Year))
	case ns%int64(24*3600e9) == 0:
		return fmt.Sprintf("%dd", ns/int64(24*3600e9))
	}
	return dur(ns)
}

// PartialNote says what a partial campaign holds ("" when complete).
func (r *Report) PartialNote() string {
	if !r.Partial {
		return ""
	}
	return fmt.Sprintf("PARTIAL: %d of %d trials done (stopped by --max-wall); every figure is over the trials done", r.Done, r.Meta.Trials)
}

// Passed reports whether every campaign expectation held.
func (r *Report) Passed() bool {
	for _, o := range r.Outcomes {
		if !o.Passed {
			return false
		}
	}
	return true
}

// Text is the terminal summary.
func (r *Report) Text() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "campaign %s\n", r.Meta.Headline())
	if n := r.PartialNote(); n != "" {
		fmt.Fprintf(&b, "%s\n", n)
	}
	fmt.Fprintf(&b, "%d trials done, %d failed; faults per trial %.1f [%.1f, %.1f]; 95%% intervals\n",
		r.Done, len(r.Errors), r.Faults.Est, r.Faults.Lo, r.Faults.Hi)
	tw := tabwriter.NewWriter(&b, 2, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "\nAvailability (time fully delivered)\n  DEMAND\tAVAILABILITY\tDOWNTIME/YEAR\tLOSS RATIO\n")
	for _, d := range r.Demands {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.Name, ivPercent(d.Availability), ivMinutes(d.Downtime), ivPercent(d.LossRatio))
	}
	fo := r.Failover
	fmt.Fprintf(tw, "\nFailover (%d affected demand × fault, %d restored, %d not restored)\n", fo.Count, fo.Restored, fo.Unrestored)
	if fo.Restored > 0 {
		fmt.Fprintf(tw, "  p50\t%s\n  p90\t%s\n  p99\t%s\n  max\t%s\n", ivDuration(fo.P50), ivDuration(fo.P90), ivDuration(fo.P99), dur(fo.MaxNS))
	}
	for _, o := range fo.Over {
		fmt.Fprintf(tw, "  P(failover > %s)\t%s\n", dur(o.OverNS), ivPercent(o.P))
	}
	fmt.Fprintf(tw, "\nLoss by cause (per trial; all causes %s)\n", ivBytes(r.Lost))
	if len(r.Causes) > 0 {
		fmt.Fprintf(tw, "  CAUSE\tBYTES/TRIAL\tSHARE\n")
	}
	for _, c := range r.Causes {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Cause, ivBytes(c.Bytes), ivPercent(c.Share))
	}
	if len(r.Hurts) > 0 {
		fmt.Fprintf(tw, "\nWhat hurts most (share of lost bytes)\n  COMPONENT\tSHARE\n")
		for _, h := range r.Hurts {
			fmt.Fprintf(tw, "  %s\t%s\n", h.Name, ivPercent(h.Share))
		}
		fmt.Fprintf(tw, "  CLASS\tSHARE\n")
		for _, h := range r.Classes {
			fmt.Fprintf(tw, "  %s\t%s\n", h.Name, ivPercent(h.Share))
		}
	}
	if len(r.Worst) > 0 {
		fmt.Fprintf(tw, "\nWorst trials\n  TRIAL\tSEED\tLOST\tMIN AVAILABILITY\tFAULTS\n")
		for _, w := range r.Worst {
			fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%d\n", w.Trial, w.Seed, metrics.FormatBytes(w.Lost), formatPercent(w.MinAvailability), w.Faults)
		}
	}
	tw.Flush()
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "\nERROR trial %d (seed %d): %s\n", e.Trial, e.Seed, e.Err)
	}
	if len(r.Outcomes) > 0 {
		fmt.Fprintf(&b, "\nCampaign expectations\n")
		for _, o := range r.Outcomes {
			v := "ok  "
			if !o.Passed {
				v = "FAIL"
			}
			fmt.Fprintf(&b, "  %s  %s\n", v, o.Message)
		}
	}
	return b.Bytes()
}

// JSON is report.json.
func (r *Report) JSON() []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return append(b, '\n')
}

func md(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// Markdown is report.md.
func (r *Report) Markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Chaos campaign: %s\n\n", md(r.Meta.Scenario))
	fmt.Fprintf(&b, "%s\n\n", md(r.Meta.Headline()))
	if n := r.PartialNote(); n != "" {
		fmt.Fprintf(&b, "> **%s**\n\n", n)
	}
	for _, c := range r.Meta.Random {
		fmt.Fprintf(&b, "- random class %s\n", md(c))
	}
	fmt.Fprintf(&b, "- %d trials done, %d failed; faults per trial %.1f [%.1f, %.1f]. Intervals are 95%%.\n\n", r.Done, len(r.Errors), r.Faults.Est, r.Faults.Lo, r.Faults.Hi)
	fmt.Fprintf(&b, "## Availability\n\n| demand | availability | downtime/year | loss ratio |\n|---|---|---|---|\n")
	for _, d := range r.Demands {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", md(d.Name), ivPercent(d.Availability), ivMinutes(d.Downtime), ivPercent(d.LossRatio))
	}
	fo := r.Failover
	fmt.Fprintf(&b, "\n## Failover\n\n%d affected demand × fault, %d restored, %d not restored.\n\n| | value |\n|---|---|\n", fo.Count, fo.Restored, fo.Unrestored)
	if fo.Restored > 0 {
		fmt.Fprintf(&b, "| p50 | %s |\n| p90 | %s |\n| p99 | %s |\n| max | %s |\n", ivDuration(fo.P50), ivDuration(fo.P90), ivDuration(fo.P99), dur(fo.MaxNS))
	}
	for _, o := range fo.Over {
		fmt.Fprintf(&b, "| P(failover > %s) | %s |\n", dur(o.OverNS), ivPercent(o.P))
	}
	fmt.Fprintf(&b, "\n## Loss by cause\n\nAll causes: %s per trial.\n\n| cause | bytes/trial | share |\n|---|---|---|\n", ivBytes(r.Lost))
	for _, c := range r.Causes {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Cause, ivBytes(c.Bytes), ivPercent(c.Share))
	}
	fmt.Fprintf(&b, "\n## What hurts most\n\n| component | share of lost bytes |\n|---|---|\n")
	for _, h := range r.Hurts {
		fmt.Fprintf(&b, "| %s | %s |\n", md(h.Name), ivPercent(h.Share))
	}
	fmt.Fprintf(&b, "\n| class | share of lost bytes |\n|---|---|\n")
	for _, h := range r.Classes {
		fmt.Fprintf(&b, "| %s | %s |\n", md(h.Name), ivPercent(h.Share))
	}
	fmt.Fprintf(&b, "\n## Worst trials\n\n| trial | seed | lost | min availability | faults |\n|---|---|---|---|---|\n")
	for _, w := range r.Worst {
		fmt.Fprintf(&b, "| %d | %d | %s | %s | %d |\n", w.Trial, w.Seed, metrics.FormatBytes(w.Lost), formatPercent(w.MinAvailability), w.Faults)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "\n**Error**, trial %d (seed %d): %s\n", e.Trial, e.Seed, md(e.Err))
	}
	if len(r.Outcomes) > 0 {
		fmt.Fprintf(&b, "\n## Campaign expectations\n\n| | expectation | measured |\n|---|---|---|\n")
		for _, o := range r.Outcomes {
			v := "ok"
			if !o.Passed {
				v = "**FAIL**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", v, md(o.Name), md(o.Measured))
		}
	}
	return b.Bytes()
}

// JUnit is junit.xml: one test case per campaign expectation (like
// `check`), and one error case per trial that failed to run.
func (r *Report) JUnit() []byte {
	s := junit.JUnitSuite{Name: "chaos: " + r.Meta.Scenario, File: r.Meta.File}
	note := r.PartialNote()
	for _, o := range r.Outcomes {
		c := junit.JUnitCase{Name: o.Name, Classname: "chaos", SystemOut: o.Message}
		if note != "" {
			c.SystemOut = note + "\n" + o.Message
		}
		if !o.Passed {
			c.Failure = &junit.JUnitProblem{Message: o.Message, Text: o.Message}
		}
		s.Cases = append(s.Cases, c)
	}
	for _, e := range r.Errors {
		s.Cases = append(s.Cases, junit.JUnitCase{Name: fmt.Sprintf("trial %d runs", e.Trial), Classname: "chaos",
			Error: &junit.JUnitProblem{Message: e.Err, Text: fmt.Sprintf("trial %d (seed %d): %s", e.Trial, e.Seed, e.Err)}})
	}
	return junit.JUnitXML(s)
}

// WriteAll writes report.md, report.json, report.html and junit.xml into
// dir (each atomically).
func (r *Report) WriteAll(dir string) error {
	html, err := r.HTML()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"report.md", r.Markdown()}, {"report.json", r.JSON()}, {"report.html", html}, {"junit.xml", r.JUnit()}} {
		if err := trace.WriteFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}
