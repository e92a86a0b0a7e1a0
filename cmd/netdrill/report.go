package main

import (
	"fmt"
	"github.com/netdrill/netdrill/topology"
	"os"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/spf13/cobra"
)

func newReportCmd() *cobra.Command {
	var scenarioPath, outDir, pngDir string
	cmd := &cobra.Command{
		Use:   "report trace.jsonl",
		Short: "Recompute metrics (and expectations) from a saved trace",
		Long: `Report reads a trace written by 'netdrill run -o' and recomputes every metric
from it, with the same implementation as run and check. With --scenario, the
scenario's expectations are evaluated against the trace too; a warning says
when the trace was written from a different scenario (its sha256 over the
scenario and topology bytes, or its name, differs). With --png DIR every plot
of report.html is written as a PNG.`,
		Example: `  netdrill run examples/scenarios/maintenance-drain.toml -o /tmp/drill
  netdrill report /tmp/drill/trace.jsonl
  netdrill report /tmp/drill/trace.jsonl --scenario examples/scenarios/maintenance-drain.toml -o /tmp/drill/again`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			disp, err := newDisplay(colorFlag, out, errOut, os.Getenv)
			if err != nil {
				return invalid(err)
			}
			if err := checkPNGDir(pngDir); err != nil {
				return err
			}
			f, err := topology.OpenRegular(args[0])
			if err != nil {
				return invalid(err)
			}
			defer f.Close()
			var sc *scenarios.Scenario
			if scenarioPath != "" {
				if sc, err = scenarios.Load(scenarioPath); err != nil {
					return invalid(err)
				}
			}
			res, err := scenarios.FromTrace(f, sc)
			if err != nil {
				return invalid(err)
			}
			if sc != nil {
				if w := scenarioMismatch(res.Header, sc); w != "" {
					fmt.Fprintf(errOut, "netdrill: warning: %s\n", w)
				}
			}
			if err := scenarios.PrintSummaryWith(out, res, scenarios.SummaryOptions{Width: disp.width, Color: disp.color}); err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			if outDir != "" {
				if err := scenarios.WriteOutputs(outDir, res); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
			}
			if err := writePNGs(cmd.OutOrStdout(), pngDir, res); err != nil {
				return err
			}
			if !res.Passed() {
				return &exitError{code: exitFailed, err: nil}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&scenarioPath, "scenario", "", "evaluate this scenario's expectations against the trace")
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write report.json, report.md, junit.xml and report.html here")
	cmd.Flags().StringVar(&pngDir, "png", "", pngUsage)
	return cmd
}

// scenarioMismatch says how a trace's header differs from the scenario
// given with --scenario ("" when it matches or cannot tell).
func scenarioMismatch(h trace.Header, sc *scenarios.Scenario) string {
	switch {
	case h.SHA256 != "" && sc.SHA256 != "" && h.SHA256 != sc.SHA256:
		if h.Scenario != sc.Name {
			return fmt.Sprintf("the trace is from scenario %q, not %q (%s): its expectations may not apply", h.Scenario, sc.Name, sc.File)
		}
		return fmt.Sprintf("%s has changed since the trace was written (sha256 %.12s…, trace %.12s…): the expectations are the file's, the numbers the trace's",
			sc.File, sc.SHA256, h.SHA256)
	case h.Scenario != sc.Name:
		return fmt.Sprintf("the trace is from scenario %q, not %q (%s): its expectations may not apply", h.Scenario, sc.Name, sc.File)
	}
	return ""
}
