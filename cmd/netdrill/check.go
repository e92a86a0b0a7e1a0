package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

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
			results := make([]*scenarios.Result, len(scs))
			errs := make([]error, len(scs))
			var wg sync.WaitGroup
			next := make(chan int)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						results[i], errs[i] = runScenario(scs[i])
					}
				}()
			}
			for i := range scs {
				next <- i
			}
			close(next)
			wg.Wait()

			code := exitOK
			var passed, failed int
			for i, sc := range scs {
				if errs[i] != nil {
					fmt.Fprintf(out, "ERROR %s: %v\n", sc.File, errs[i])
					var ee *exitError
					if errors.As(errs[i], &ee) && ee.code > code {
						code = ee.code
					}
					continue
				}
				r := results[i]
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
				if outDir != "" {
					dir := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(sc.File), filepath.Ext(sc.File)))
					if err := scenarios.WriteOutputs(dir, r); err != nil {
						return &exitError{code: exitInternal, err: err}
					}
				}
			}
			fmt.Fprintf(out, "total: %d scenarios, %d expectations passed, %d failed\n", len(scs), passed, failed)
			if junitPath != "" {
				runs := make([]scenarios.JUnitRun, len(scs))
				for i, sc := range scs {
					runs[i] = scenarios.JUnitRun{File: sc.File, Result: results[i], Err: errs[i]}
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
