package main

import (
	"os"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/spf13/cobra"
)

func newReportCmd() *cobra.Command {
	var scenarioPath, outDir, pngDir string
	cmd := &cobra.Command{
		Use:   "report trace.jsonl",
		Short: "Recompute metrics (and expectations) from a saved trace",
		Long: `Report reads a trace written by 'netdrill run -o' and recomputes every metric
from it, with the same implementation as run and check. With --scenario, the
scenario's expectations are evaluated against the trace too. With --png DIR
every plot of report.html is written as a PNG.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
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
			if err := scenarios.PrintSummary(cmd.OutOrStdout(), res); err != nil {
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
	cmd.Flags().StringVar(&pngDir, "png", "", "write every plot of report.html as a PNG into this directory")
	return cmd
}
