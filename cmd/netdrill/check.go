package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/spf13/cobra"
)

func newCheckCmd() *cobra.Command {
	var junitPath, outDir string
	var workers int
	cmd := &cobra.Command{
		Use:   "check scenario.toml...",
		Short: "Run many scenarios as CI checks: one line each, a total, JUnit XML",
		Long: `Check runs every scenario given (in parallel; results do not depend on the
worker count), prints one line per scenario and a total, and optionally writes
one JUnit XML file with a test case per expectation.

Exit codes: 0 every expectation of every scenario holds, 1 one failed,
2 invalid input (every error of every file listed), 3 internal error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			// Load everything first: invalid input is reported for all files at once.
			scs := make([]*scenarios.Scenario, len(args))
			bad := false
			for i, a := range args {
				sc, err := scenarios.Load(a)
				if err != nil {
					printErrors(errOut, err)
					bad = true
					continue
				}
				scs[i] = sc
			}
			if bad {
				return &exitError{code: exitInvalid, err: errors.New("invalid input")}
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			jobs := make([]scenarios.Job, len(scs))
			for i, sc := range scs {
				jobs[i] = scenarios.JobFor(sc)
			}
			// Output sets are checked before anything runs; each trace
			// streams into its set, committed when its scenario is done.
			var sets []*scenarios.OutputSet
			if outDir != "" {
				sets = make([]*scenarios.OutputSet, len(scs))
				for i, sc := range scs {
					dir := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(sc.File), filepath.Ext(sc.File)))
					set, err := scenarios.CreateOutputSet(dir)
					if err != nil {
						return invalid(err)
					}
					defer set.Abort()
					sets[i] = set
				}
			}
			code := exitOK
			var passed, failed int
			var writeErr error
			// Each scenario's line is printed as soon as it and every one
			// before it are done: streaming, in argument order.
			results := scenarios.RunAll(cmd.Context(), jobs, scenarios.RunAllOptions{
				Workers: workers,
				Run:     scenarios.Options{Version: version, MaxWall: maxWall, SkipTrace: true},
				Keep:    junitPath != "",
				TraceFor: func(i int, _ scenarios.Job) (io.WriteCloser, error) {
					if sets == nil {
						return nil, nil
					}
					return sets[i].Create("trace.jsonl")
				},
				Done: func(i int, jr scenarios.JobResult) {
					sc := scs[i]
					if jr.Err != nil {
						msg := jr.Err.Error()
						if !strings.HasPrefix(msg, sc.File) {
							msg = sc.File + ": " + msg
						}
						fmt.Fprintf(out, "ERROR %s\n", msg)
						err := runError(sc, jr.Err)
						var ee *exitError
						if errors.As(err, &ee) && ee.code > code {
							code = ee.code
						}
						return
					}
					r := jr.Result
					n, ok := 0, 0
					var failedNames []string
					for _, o := range r.Outcomes {
						n++
						if o.Passed {
							ok++
						} else {
							failedNames = append(failedNames, o.Message)
						}
					}
					status := "PASS"
					if ok < n {
						status = "FAIL"
						if code < exitFailed {
							code = exitFailed
						}
					}
					passed += ok
					failed += n - ok
					fmt.Fprintf(out, "%s %s — %s (%d/%d expectations)\n", status, sc.File, sc.Name, ok, n)
					for _, m := range failedNames {
						fmt.Fprintf(out, "    ✗ %s\n", m)
					}
					if sets != nil && writeErr == nil {
						if writeErr = sets[i].WriteReports(r); writeErr == nil {
							writeErr = sets[i].Commit()
						}
					}
				},
			})
			if writeErr != nil {
				return &exitError{code: exitInternal, err: writeErr}
			}
			fmt.Fprintf(out, "total: %d scenarios, %d expectations passed, %d failed\n", len(scs), passed, failed)
			if junitPath != "" {
				runs := make([]scenarios.JUnitRun, len(scs))
				for i, sc := range scs {
					runs[i] = scenarios.JUnitRun{File: sc.File, Result: results[i].Result, Err: results[i].Err}
				}
				if err := scenarios.WriteJUnit(junitPath, runs); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
			}
			if code != exitOK {
				return &exitError{code: code, err: errors.New("")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&junitPath, "junit", "", "write JUnit XML (one test case per expectation) to this file")
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write each scenario's trace and reports into DIR/<scenario>/")
	cmd.Flags().IntVar(&workers, "workers", 0, "scenarios run in parallel (default: number of CPUs)")
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	return cmd
}
