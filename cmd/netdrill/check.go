package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/fatih/color"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/spf13/cobra"
)

func newCheckCmd() *cobra.Command {
	var junitPath, outDir string
	var workers int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check (scenario.toml | DIR)...",
		Short: "Run many scenarios as CI checks: one line each as it finishes, a total, JUnit XML",
		Long: `Check runs every scenario given (in parallel; results do not depend on the
worker count) and prints one line per scenario as soon as it and every one
before it are done, then a total; optionally one JUnit XML file with a test
case per expectation. A directory stands for every *.toml scenario under it
(recursively, sorted; topology files, which have no "duration", are skipped).

Exit codes: 0 every expectation of every scenario holds, 1 one failed,
2 invalid input (every error of every file listed) or a limit you set,
3 internal error.`,
		Example: `  netdrill check examples/scenarios/
  netdrill check --junit junit.xml -o out examples/scenarios/*.toml
  netdrill check --json examples/scenarios/ | jq -c 'select(.type == "scenario") | [.file, .status]'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			disp, err := newDisplay(colorFlag, out, errOut, os.Getenv)
			if err != nil {
				return invalid(err)
			}
			files, err := expandScenarioArgs(args)
			if err != nil {
				return invalid(err)
			}
			// Load everything first: invalid input is reported for all files at once.
			scs := make([]*scenarios.Scenario, len(files))
			bad := false
			for i, a := range files {
				sc, err := scenarios.Load(a)
				if err != nil {
					printErrors(errOut, err)
					bad = true
					continue
				}
				if err := warn(errOut, sc.File, sc.Warnings); err != nil {
					printErrors(errOut, err)
					bad = true
					continue
				}
				scs[i] = sc
			}
			if bad {
				return &exitError{code: exitInvalid, err: errors.New("invalid input")}
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
						return invalid(fmt.Errorf("-o: %w", err))
					}
					defer set.Abort()
					sets[i] = set
				}
			}
			if junitPath != "" {
				if st, err := os.Stat(junitPath); err == nil && st.IsDir() {
					return invalid(fmt.Errorf("--junit %s: is a directory (name the XML file, e.g. %s)", junitPath, filepath.Join(junitPath, "junit.xml")))
				}
				if err := checkWritable(filepath.Dir(junitPath)); err != nil {
					return invalid(fmt.Errorf("--junit %s: %w", junitPath, err))
				}
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			jobs := make([]scenarios.Job, len(scs))
			for i, sc := range scs {
				jobs[i] = scenarios.JobFor(sc)
			}
			st := newCheckStyles(disp.color)
			prog := newProgressLine(errOut, disp.progress && !asJSON)
			prog.show(fmt.Sprintf("0/%d scenarios done", len(scs)))
			code := exitOK
			var passed, failed, errored, finished int
			var writeErr error
			enc := json.NewEncoder(out)
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
					prog.clear()
					finished++
					defer prog.show(fmt.Sprintf("%d/%d scenarios done", finished, len(scs)))
					sc := scs[i]
					line := CheckLineJSON{Schema: "netdrill-check/1", Type: "scenario", File: sc.File, Name: sc.Name}
					if jr.Err != nil {
						err := runError(sc, jr.Err)
						var ee *exitError
						if errors.As(err, &ee) && ee.code > code {
							code = ee.code
						}
						errored++
						line.Status, line.Error, line.ExitCode = "error", errorWithoutFile(err, sc.File), ee.code
						if asJSON {
							_ = enc.Encode(line)
							return
						}
						fmt.Fprintf(out, "%s %s — %s\n", st.bad("ERROR"), sc.File, line.Error)
						return
					}
					r := jr.Result
					n, ok := 0, 0
					var failedMsgs []string
					for _, o := range r.Outcomes {
						n++
						if o.Passed {
							ok++
						} else {
							failedMsgs = append(failedMsgs, o.Message)
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
					if sets != nil && writeErr == nil {
						if writeErr = sets[i].WriteReports(r); writeErr == nil {
							writeErr = sets[i].Commit()
						}
					}
					if asJSON {
						line.Status, line.Passed, line.Failed = strings.ToLower(status), ok, n-ok
						line.Converged = r.Metrics.Converged()
						line.Expectations = report.Build(r.Metrics, r.Outcomes).Expectations
						if status == "FAIL" {
							line.ExitCode = exitFailed
						}
						_ = enc.Encode(line)
						return
					}
					word := st.good(status)
					if status == "FAIL" {
						word = st.bad(status)
					}
					fmt.Fprintf(out, "%s %s — %s (%d/%d expectations)\n", word, sc.File, sc.Name, ok, n)
					for _, m := range failedMsgs {
						fmt.Fprintf(out, "    ✗ %s\n", m)
					}
					if !r.Metrics.Converged() {
						fmt.Fprintf(out, "    %s\n", st.warn(fmt.Sprintf("BGP had not converged at the end of the run (%d best paths cycling)", len(r.Metrics.Oscillations))))
					}
				},
			})
			prog.clear()
			if writeErr != nil {
				return &exitError{code: exitInternal, err: writeErr}
			}
			if asJSON {
				_ = enc.Encode(CheckTotalJSON{Schema: "netdrill-check/1", Type: "total", Scenarios: len(scs),
					Errors: errored, Passed: passed, Failed: failed, ExitCode: code})
			} else {
				fmt.Fprintf(out, "total: %d scenarios, %d expectations passed, %d failed", len(scs), passed, failed)
				if errored > 0 {
					fmt.Fprintf(out, ", %d scenarios could not run", errored)
				}
				fmt.Fprintln(out)
			}
			if junitPath != "" {
				runs := make([]scenarios.JUnitRun, len(scs))
				for i, sc := range scs {
					runs[i] = scenarios.JUnitRun{File: sc.File, Name: sc.Name, Result: results[i].Result, Err: results[i].Err}
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
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON Lines on stdout: one object per scenario as it finishes, then a total (schema netdrill-check/1; see README)")
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	return cmd
}

// CheckLineJSON is one scenario's line of `check --json` (schema
// netdrill-check/1, "type": "scenario").
type CheckLineJSON struct {
	Schema       string               `json:"schema"`
	Type         string               `json:"type"`
	File         string               `json:"file"`
	Name         string               `json:"name"`
	Status       string               `json:"status"` // pass, fail or error
	Passed       int                  `json:"passed"`
	Failed       int                  `json:"failed"`
	Converged    bool                 `json:"converged"`
	ExitCode     int                  `json:"exit_code"`
	Error        string               `json:"error,omitempty"`
	Expectations []report.JSONOutcome `json:"expectations"`
}

// CheckTotalJSON is the last line of `check --json` ("type": "total").
type CheckTotalJSON struct {
	Schema    string `json:"schema"`
	Type      string `json:"type"`
	Scenarios int    `json:"scenarios"`
	Errors    int    `json:"errors"`
	Passed    int    `json:"passed"`
	Failed    int    `json:"failed"`
	ExitCode  int    `json:"exit_code"`
}

// errorWithoutFile is err's message without a leading "file: " (the line
// names the file once).
func errorWithoutFile(err error, file string) string {
	msg := err.Error()
	for strings.HasPrefix(msg, file+": ") {
		msg = strings.TrimPrefix(msg, file+": ")
	}
	return strings.ReplaceAll(msg, "\n", " ")
}

// expandScenarioArgs replaces each directory by the scenario files under it
// (recursively, sorted): *.toml files with a top-level duration. Files
// named explicitly are kept as given.
func expandScenarioArgs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil || !info.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != a && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".toml") && isScenarioFile(p) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no scenario (*.toml with a duration) under this directory", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// textStyle colours words on a terminal.
type textStyle struct{ good, bad, warn func(a ...any) string }

func newCheckStyles(on bool) textStyle {
	mk := func(a ...color.Attribute) func(a ...any) string {
		c := color.New(a...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.Sprint
	}
	return textStyle{good: mk(color.FgGreen), bad: mk(color.FgRed, color.Bold), warn: mk(color.FgYellow)}
}
