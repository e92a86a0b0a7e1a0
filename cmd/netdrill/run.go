package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/netdrill/netdrill/examples"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/topology"
	"github.com/spf13/cobra"
)

func newRunCmd() *cobra.Command {
	var outDir, pngDir string
	cmd := &cobra.Command{
		Use:   "run [scenario.toml]",
		Short: "Run one scenario and print its metrics (no argument: the embedded quad AWS↔GCP example)",
		Long: `Run simulates one scenario: the network comes up and BGP converges (warm-up),
then traffic flows and the scenario's faults are injected. It prints a summary
of detection, failover, loss and convergence per fault and checks the
scenario's expectations.

With -o DIR it also writes DIR/trace.jsonl, report.json, report.md,
junit.xml and report.html; with --png DIR every plot of report.html as a PNG.

Exit codes: 0 every expectation holds, 1 an expectation failed,
2 invalid input, 3 internal error.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := loadScenario(args)
			if err != nil {
				return err
			}
			// The output directory is checked before the run; the trace
			// streams into it and the set replaces it whole at the end.
			var set *scenarios.OutputSet
			opt := scenarios.Options{Version: version, MaxWall: maxWall, SkipTrace: true}
			if outDir != "" {
				if set, err = scenarios.CreateOutputSet(outDir); err != nil {
					return invalid(err)
				}
				defer set.Abort()
				f, err := set.Create("trace.jsonl")
				if err != nil {
					return &exitError{code: exitInternal, err: err}
				}
				defer f.Close()
				opt.Trace = f
			}
			res, err := runScenarioWith(sc, opt)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if err := scenarios.PrintSummary(out, res); err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			if set != nil {
				if err := opt.Trace.(io.Closer).Close(); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
				if err := set.WriteReports(res); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
				if err := set.Commit(); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
				fmt.Fprintf(out, "\nwrote %s\n", strings.Join(outputFiles(set.Dir()), ", "))
			}
			if err := writePNGs(out, pngDir, res); err != nil {
				return err
			}
			if !res.Passed() {
				return &exitError{code: exitFailed, err: errors.New("an expectation failed")}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write the trace and reports into this directory")
	cmd.Flags().StringVar(&pngDir, "png", "", "write every plot of report.html as a PNG into this directory")
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

// outputFiles lists what an output set holds, for the user.
func outputFiles(dir string) []string {
	var out []string
	for _, n := range []string{"trace.jsonl", "report.json", "report.md", "junit.xml", "report.html"} {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// runScenarioWith runs sc with opt, mapping errors to exit codes.
func runScenarioWith(sc *scenarios.Scenario, opt scenarios.Options) (*scenarios.Result, error) {
	res, err := scenarios.Run(sc, opt)
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

// writePNGs writes the run's plots as PNGs into dir (nothing when dir is "").
func writePNGs(out io.Writer, dir string, res *scenarios.Result) error {
	if dir == "" {
		return nil
	}
	names, err := scenarios.WritePNGs(dir, res)
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	fmt.Fprintf(out, "wrote %d plots to %s/\n", len(names), dir)
	return nil
}
