package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/tui"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/spf13/cobra"
)

func newDrillCmd() *cobra.Command {
	var outDir, junitPath, whatIf string
	var workers int
	var withTUI bool
	var sf scenarioFlags
	cmd := &cobra.Command{
		Use:   "drill playbook.toml",
		Short: "Rehearse a disaster drill: run its steps and report each checkpoint as it is reached",
		Long: `Drill runs a playbook: a scenario with [[step]]s — injects (any fault kind,
providers' failover tests included), operator actions (drains, local-pref,
bandwidth, a cold backup brought up, repairs) and checkpoints. Each
checkpoint is printed as the simulation reaches it: pass or fail, the
facilitator's narrative, and what was measured over the run so far.

--what-if CHECKPOINT ranks the operator actions that apply to the fabric
(each run as a branch: the drill plus that one action at the checkpoint's
time) by the bytes lost from that moment and the time to recover.
--tui replays the drill afterwards; press c/C to step between checkpoints
and b to branch at the cursor.

Exit codes: 0 every checkpoint and expectation holds, 1 one failed,
2 invalid input or a limit you set, 3 internal error.`,
		Example: `  netdrill drill examples/drills/facility-loss-during-drain.toml
  netdrill drill examples/drills/dx-bgp-failover-test.toml --junit junit.xml -o out/dx-test
  netdrill drill examples/drills/facility-loss-during-drain.toml --what-if during-outage`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			disp, err := newDisplay(colorFlag, out, errOut, os.Getenv)
			if err != nil {
				return invalid(err)
			}
			ovs, err := sf.overrides(cmd)
			if err != nil {
				return invalid(err)
			}
			sc, err := loadScenarioWith(args[0], ovs)
			if err != nil {
				return invalid(err)
			}
			if len(sc.Checkpoints) == 0 {
				return invalid(fmt.Errorf("%s: no checkpoint: a drill has [[step]]s with kind = \"checkpoint\" (use run for a plain scenario)", sc.File))
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			job := scenarios.JobFor(sc)
			if whatIf != "" {
				return drillWhatIf(cmd, out, job, whatIf, workers)
			}
			if junitPath != "" {
				if st, err := os.Stat(junitPath); err == nil && st.IsDir() {
					return invalid(fmt.Errorf("--junit %s: is a directory (name the XML file)", junitPath))
				}
				if err := checkWritable(filepath.Dir(junitPath)); err != nil {
					return invalid(fmt.Errorf("--junit %s: %w", junitPath, err))
				}
			}
			st := newCheckStyles(disp.color)
			prog := newProgressLine(errOut, disp.progress)
			opt := scenarios.Options{Version: version, MaxWall: maxWall, SkipTrace: true, Progress: prog.simProgress(sc.Name)}
			opt.Checkpoint = func(c scenarios.CheckpointResult) {
				prog.clear()
				printCheckpoint(out, st, c)
			}
			sink, err := openTraceSink(outDir, withTUI)
			if err != nil {
				return err
			}
			defer sink.close()
			opt = sink.options(opt)
			fmt.Fprintf(out, "drill: %s (%s, seed %d, %v)\n", sc.Name, sc.File, sc.Seed, sc.Duration)
			res, err := runScenarioWith(sc, opt)
			prog.clear()
			if err != nil {
				return err
			}
			passed := 0
			for _, c := range res.Checkpoints {
				if c.Passed {
					passed++
				}
			}
			fmt.Fprintf(out, "total: %d checkpoints, %d passed, %d failed", len(res.Checkpoints), passed, len(res.Checkpoints)-passed)
			if own := res.Outcomes[:len(sc.Expect)]; len(own) > 0 {
				ok := 0
				for _, o := range own {
					if o.Passed {
						ok++
					}
				}
				fmt.Fprintf(out, "; %d/%d whole-run expectations", ok, len(own))
			}
			fmt.Fprintf(out, "; %s lost over the run\n", metrics.FormatBytes(res.Metrics.Loss.Lost))
			if err := sink.finish(res); err != nil {
				return err
			}
			if w := sink.wrote(); w != "" {
				fmt.Fprintln(out, w)
			}
			if junitPath != "" {
				if err := trace.WriteFileAtomic(junitPath, DrillJUnit(sc, res)); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
			}
			if withTUI {
				r, err := model.Load(sink.tracePath())
				if err != nil {
					return &exitError{code: exitInternal, err: fmt.Errorf("replay: %w", err)}
				}
				if err := tui.Run(r, tui.Options{Branch: BranchFunc(job), BranchChoices: BranchChoices(sc)}); err != nil {
					return &exitError{code: exitInternal, err: fmt.Errorf("replay: %w", err)}
				}
			}
			if passed < len(res.Checkpoints) || !res.Passed() {
				return &exitError{code: exitFailed, err: errors.New("a checkpoint failed")}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write the trace and reports into this directory")
	cmd.Flags().StringVar(&junitPath, "junit", "", "write JUnit XML (one test case per checkpoint) to this file")
	cmd.Flags().StringVar(&whatIf, "what-if", "", "rank the operator actions at this checkpoint (by id) by bytes lost and time to recover")
	cmd.Flags().IntVar(&workers, "workers", 0, "branches run in parallel for --what-if (default: number of CPUs)")
	cmd.Flags().BoolVar(&withTUI, "tui", false, "replay the drill in the terminal UI when it is done (c/C: checkpoints, b: branch here)")
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	sf.add(cmd)
	return cmd
}

// printCheckpoint prints one checkpoint as it is reached.
func printCheckpoint(w io.Writer, st textStyle, c scenarios.CheckpointResult) {
	word := st.good("PASS")
	if !c.Passed {
		word = st.bad("FAIL")
	}
	fmt.Fprintf(w, "%s %s at %v\n", word, c.ID, time.Duration(c.At))
	if c.Narrative != "" {
		fmt.Fprintf(w, "    %s\n", c.Narrative)
	}
	for k, o := range c.Outcomes {
		mark := "✓"
		if !o.Passed {
			mark = "✗"
		}
		fmt.Fprintf(w, "    %s %s\n", mark, c.Measured[k])
	}
	if len(c.Outcomes) == 0 {
		fmt.Fprintf(w, "    (no expectation: %s lost so far)\n", metrics.FormatBytes(c.Metrics.Loss.Lost))
	}
}

// DrillJUnit is the drill's JUnit XML: one test case per checkpoint (its
// narrative as output; a failure lists what was measured), then one per
// whole-run expectation.
func DrillJUnit(sc *scenarios.Scenario, res *scenarios.Result) []byte {
	var outs []metrics.Outcome
	for _, c := range res.Checkpoints {
		msg := c.Narrative
		for _, m := range c.Measured {
			msg += "\n" + m
		}
		o := metrics.Outcome{Name: "checkpoint " + c.ID + " at " + time.Duration(c.At).String(), Passed: c.Passed, Message: msg, At: int64(c.At),
			Expected: "every expectation of the checkpoint", Measured: fmt.Sprint(c.Measured)}
		o.Expect.Where = c.Where
		outs = append(outs, o)
	}
	outs = append(outs, res.Outcomes[:len(sc.Expect)]...)
	return report.JUnitSuites([]report.Run{{Name: sc.Name, File: sc.File, Result: res.Metrics, Outcomes: outs}})
}

func drillWhatIf(cmd *cobra.Command, out io.Writer, job scenarios.Job, cpID string, workers int) error {
	sc := job.Scenario
	ws, err := scenarios.RankWhatIf(cmd.Context(), job, cpID, workers, scenarios.Options{Version: version, MaxWall: maxWall})
	if err != nil {
		return runError(sc, err)
	}
	var at sim.Time
	for _, c := range sc.Checkpoints {
		if c.ID == cpID {
			at = c.At
		}
	}
	fmt.Fprintf(out, "what-if at %s (%v): %d candidate actions, each a branch run from the same seed\n", cpID, time.Duration(at), len(ws)-1)
	fmt.Fprintf(out, "%-4s %-46s %12s  %s\n", "rank", "action at "+time.Duration(at).String(), "lost after", "recovered")
	line := func(rank string, w scenarios.WhatIf) {
		if w.Err != nil {
			fmt.Fprintf(out, "%-4s %-46s %12s  %v\n", rank, w.Label(), "—", w.Err)
			return
		}
		rec := "in " + time.Duration(w.Recover).Round(time.Millisecond).String()
		switch {
		case !w.Recovered:
			rec = "not by the end"
		case w.Recover == 0 && w.Lost == 0:
			rec = "no loss"
		case w.Recover == 0:
			rec = "whole at once (later loss)"
		}
		fmt.Fprintf(out, "%-4s %-46s %12s  %s\n", rank, w.Label(), metrics.FormatBytes(w.Lost), rec)
	}
	line("—", ws[0])
	for k, w := range ws[1:] {
		line(fmt.Sprint(k+1), w)
	}
	return nil
}

// BranchChoices lists what the terminal UI offers to branch with at t:
// the operator actions that apply (as --what-if), then each facility and
// link failing.
func BranchChoices(sc *scenarios.Scenario) func(t int64) []tui.BranchChoice {
	return func(t int64) []tui.BranchChoice {
		var out []tui.BranchChoice
		for _, f := range append(scenarios.Candidates(sc, sim.Time(t)), branchFaults(sc, sim.Time(t))...) {
			out = append(out, tui.BranchChoice{Label: scenarios.StepLabel(f), Value: f})
		}
		return out
	}
}

// branchFaults are the failures offered beside the actions: each facility
// down, each link down (non-member links).
func branchFaults(sc *scenarios.Scenario, at sim.Time) []faults.Fault {
	var out []faults.Fault
	for _, x := range sc.Topology.Facilities {
		out = append(out, faults.Fault{ID: scenarios.BranchID, Kind: faults.FacilityDown, Target: x.Name, At: at})
	}
	for _, l := range sc.Topology.Links {
		if l.LAG == "" && !l.AdminDown {
			out = append(out, faults.Fault{ID: scenarios.BranchID, Kind: faults.LinkDown, Target: l.Name, At: at})
		}
	}
	return out
}

// BranchFunc runs the branch job for a step chosen in the terminal UI and
// returns its trace bytes: the drill plus that step at the cursor time t,
// from the same seed.
func BranchFunc(base scenarios.Job) func(t int64, c tui.BranchChoice) ([]byte, error) {
	return func(t int64, c tui.BranchChoice) ([]byte, error) {
		f, ok := c.Value.(faults.Fault)
		if !ok {
			return nil, fmt.Errorf("branch: not a step: %v", c.Label)
		}
		f.At = sim.Time(t)
		if err := scenarios.ValidateStep(base.Scenario, &f); err != nil {
			return nil, err
		}
		res, err := scenarios.RunJob(scenarios.BranchJob(base, f), scenarios.Options{Version: version, MaxWall: maxWall})
		if err != nil {
			return nil, err
		}
		return res.Trace, nil
	}
}
