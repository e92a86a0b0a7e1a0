package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/netdrill/netdrill/examples"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/topology"
	"github.com/spf13/cobra"
)

func newRunCmd() *cobra.Command {
	var outDir string
	var withTUI bool
	cmd := &cobra.Command{
		Use:   "run [scenario.toml]",
		Short: "Run one scenario and print its metrics (no argument: the embedded quad AWS↔GCP example)",
		Long: `Run simulates one scenario: the network comes up and BGP converges (warm-up),
then traffic flows and the scenario's faults are injected. It prints a summary
of detection, failover, loss and convergence per fault and checks the
scenario's expectations.

With -o DIR it also writes DIR/trace.jsonl, report.json, report.md,
junit.xml and report.html.

Exit codes: 0 every expectation holds, 1 an expectation failed,
2 invalid input, 3 internal error.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := loadScenario(args)
			if err != nil {
				return err
			}
			res, err := runScenario(sc)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if err := scenarios.PrintSummary(out, res); err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			if outDir != "" {
				if err := scenarios.WriteOutputs(outDir, res); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
				fmt.Fprintf(out, "\nwrote %s/{trace.jsonl,report.json,report.md,junit.xml,report.html}\n", outDir)
			}
			if withTUI {
				if err := replayTrace(res.Trace); err != nil {
					return err
				}
			}
			if !res.Passed() {
				return &exitError{code: exitFailed, err: errors.New("an expectation failed")}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write the trace and reports into this directory")
	cmd.Flags().BoolVar(&withTUI, "tui", false, "replay the run in the terminal UI when it is done")
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	return cmd
}

// loadScenario reads the scenario named in args, or the embedded example.
func loadScenario(args []string) (*scenarios.Scenario, error) {
	var sc *scenarios.Scenario
	var err error
	if len(args) == 0 {
		sc, err = scenarios.LoadFS(examples.FS, examples.Default)
	} else {
		sc, err = scenarios.Load(args[0])
	}
	if err != nil {
		return nil, invalid(err)
	}
	return sc, nil
}

// maxWall is the real-time limit of one run (flag --max-wall).
var maxWall = 10 * time.Minute

// runScenario runs sc, mapping errors to exit codes.
func runScenario(sc *scenarios.Scenario) (*scenarios.Result, error) {
	res, err := scenarios.Run(sc, scenarios.Options{Version: version, MaxWall: maxWall})
	if err != nil {
		return nil, runError(sc, err)
	}
	return res, nil
}

// runError maps the error of a run to its exit code.
func runError(sc *scenarios.Scenario, err error) error {
	var inv *scenarios.InvalidError
	var nc *scenarios.NotConvergedError
	switch {
	case errors.As(err, &inv):
		return invalid(err)
	case errors.As(err, &nc):
		return &exitError{code: exitFailed, err: fmt.Errorf("%s: %w", sc.File, err)}
	default:
		return &exitError{code: exitInternal, err: fmt.Errorf("%s: %w", sc.File, err)}
	}
}

// printErrors lists every error of an error list on its own line.
func printErrors(w io.Writer, err error) {
	var l *topology.ErrorList
	if errors.As(err, &l) {
		for _, e := range l.Errors {
			fmt.Fprintln(w, e)
		}
		return
	}
	fmt.Fprintln(w, err)
}
