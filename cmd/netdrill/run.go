package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/spf13/cobra"
)

func newRunCmd() *cobra.Command {
	var outDir, pngDir string
	var dryRun, asJSON, withTUI bool
	maxTrace := topology.Size(scenarios.DefaultMaxTrace)
	var sf scenarioFlags
	cmd := &cobra.Command{
		Use:   "run [scenario.toml]",
		Short: "Run one scenario and print its metrics (no argument: the embedded quad AWS↔GCP example)",
		Long: `Run simulates one scenario: the network comes up and BGP converges (warm-up),
then traffic flows and the scenario's faults are injected. It prints a summary
of detection, failover, loss and convergence per fault and checks the
scenario's expectations.

With -o DIR it also writes DIR/trace.jsonl, report.json, report.md,
junit.xml and report.html (DIR is checked before the run); with --png DIR
every plot of report.html as a PNG. With --dry-run it prints the fault
schedule — random draws included — and a drill's checkpoints without
simulating. --seed, --duration and --set change the scenario for this run
only.

Exit codes: 0 every expectation holds, 1 an expectation failed,
2 invalid input or a limit you set (--max-wall, --max-trace, max_events),
3 internal error.`,
		Example: `  netdrill run
  netdrill run examples/scenarios/silent-midspan-bfd.toml -o out/silent
  netdrill run examples/scenarios/random-channel-failures.toml --dry-run --seed 42
  netdrill run examples/scenarios/facility-loss-at-peak.toml --set traffic.replication.rate=8Gbps
  netdrill run examples/scenarios/pool-exhausted-by-neighbour.toml --set elastic=true --json`,
		Args: cobra.MaximumNArgs(1),
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
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			sc, err := loadScenarioWith(path, ovs)
			if err != nil {
				return invalid(err)
			}
			if verbose {
				fmt.Fprintf(errOut, "netdrill: %s: %q, seed %d, %v; topology %s (%d routers, %d links, %d sessions)\n",
					sc.File, sc.Name, sc.Seed, sc.Duration, topologyName(sc), len(sc.Topology.Routers), len(sc.Topology.Links), len(sc.Topology.Sessions))
			}
			if dryRun {
				return printSchedule(out, sc, asJSON)
			}
			if err := checkPNGDir(pngDir); err != nil {
				return err
			}
			// The output directory is checked before the run; the trace
			// streams into it and the set replaces it whole at the end.
			prog := newProgressLine(errOut, disp.progress && !asJSON)
			opt := scenarios.Options{Version: version, MaxWall: maxWall, SkipTrace: true, Progress: prog.simProgress(sc.Name)}
			sink, err := openTraceSink(outDir, withTUI)
			if err != nil {
				return err
			}
			defer sink.close()
			opt = sink.options(opt)
			opt.MaxTrace = int64(maxTrace)
			if maxTrace == 0 {
				opt.MaxTrace = -1 // no limit
			}
			started := time.Now()
			res, err := runScenarioWith(sc, opt)
			prog.clear()
			if err != nil {
				return err
			}
			if verbose {
				fmt.Fprintf(errOut, "netdrill: warm-up %v, %d kernel events, %v wall time\n",
					sim.Time(res.Warmup), res.SimEvents, time.Since(started).Truncate(time.Millisecond))
			}
			if err := sink.finish(res); err != nil {
				return err
			}
			if asJSON {
				if err := writeRunJSON(out, sc, res); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
			} else {
				if err := scenarios.PrintSummaryWith(out, res, scenarios.SummaryOptions{Width: disp.width, Color: disp.color}); err != nil {
					return &exitError{code: exitInternal, err: err}
				}
				if w := sink.wrote(); w != "" {
					fmt.Fprintf(out, "\n%s\n", w)
				}
			}
			if err := writePNGs(out, pngDir, res); err != nil {
				return err
			}
			if withTUI {
				r, err := model.Load(sink.tracePath())
				if err != nil {
					return &exitError{code: exitInternal, err: fmt.Errorf("replay: %w", err)}
				}
				if err := replay(r); err != nil {
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
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and print the fault schedule (random draws included) and checkpoints without simulating")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON on stdout (schema netdrill-run/1; see README)")
	cmd.Flags().StringVar(&pngDir, "png", "", pngUsage)
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	cmd.Flags().TextVar(&maxTrace, "max-trace", maxTrace, "stop a run whose trace (-o, --tui) passes this size, e.g. 500MB (0: no limit)")
	sf.add(cmd)
	return cmd
}

func topologyName(sc *scenarios.Scenario) string {
	if sc.TopologyPath != "" {
		return sc.TopologyPath
	}
	return "inline"
}

// checkWritable makes sure files can be written into dir before a run
// spends its time: it creates dir and a probe file, then removes the probe.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-o %s: %w (choose a directory you can write to)", dir, err)
	}
	f, err := os.CreateTemp(dir, ".netdrill-probe-*")
	if err != nil {
		return fmt.Errorf("-o %s: cannot write there: %w (choose a directory you can write to)", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// warn prints warnings, one per line; with --strict they are errors
// (exit 2).
func warn(w io.Writer, file string, ws []*topology.Error) error {
	for _, x := range ws {
		fmt.Fprintln(w, x)
	}
	if strict && len(ws) > 0 {
		return invalid(fmt.Errorf("%s: %d warning(s), errors under --strict", file, len(ws)))
	}
	return nil
}

// maxWall is the real-time limit of one run (flag --max-wall).
var maxWall = 10 * time.Minute

// runError maps the error of a run to its exit code. Limits the user set
// (--max-wall, the scenario's max_events) are exit 2 with what to change.
func runError(sc *scenarios.Scenario, err error) error {
	var pe *scenarios.PanicError
	var inv *scenarios.InvalidError
	switch {
	case errors.As(err, &pe):
		return internalError(pe.Value, pe.Stack)
	case errors.As(err, &inv):
		return invalid(err) // names its file and key already
	case errors.Is(err, sim.ErrEventLimit):
		limit := sc.MaxEvents
		if limit == 0 {
			limit = scenarios.DefaultMaxEvents
		}
		err = fmt.Errorf("%w\n(the limit is max_events = %d: raise it in the scenario or with --set max_events=%d, or shorten duration)",
			err, limit, 10*limit)
	}
	return kindError(scenarios.KindOf(err), fmt.Errorf("%s: %w", sc.File, err))
}

// kindError is err with the exit code of its kind (scenarios.KindOf): the
// one mapping from what went wrong in a run to the exit code, for runs
// whose error is at hand and for sweep and chaos rows that keep its kind.
func kindError(k scenarios.ErrorKind, err error) error {
	switch k {
	case scenarios.KindNotConverged:
		return &exitError{code: exitFailed, err: err}
	case scenarios.KindInvalid:
		return invalid(err)
	}
	return &exitError{code: exitInternal, err: err}
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

// RunJSON is what `run --json` prints (schema netdrill-run/1): the run's
// file, exit status and the full report document (netdrill-report/1, the
// same as report.json).
type RunJSON struct {
	Schema    string          `json:"schema"`
	File      string          `json:"file"`
	Status    string          `json:"status"` // "pass" or "fail"
	WarmupNS  int64           `json:"warmup_ns"`
	SimEvents uint64          `json:"sim_events"`
	Report    json.RawMessage `json:"report"`
}

func writeRunJSON(w io.Writer, sc *scenarios.Scenario, res *scenarios.Result) error {
	status := "pass"
	if !res.Passed() {
		status = "fail"
	}
	doc := RunJSON{Schema: "netdrill-run/1", File: sc.File, Status: status, WarmupNS: int64(res.Warmup),
		SimEvents: res.SimEvents, Report: scenarios.ReportJSON(res)}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ScheduleJSON is what `run --dry-run --json` prints (schema
// netdrill-schedule/1).
type ScheduleJSON struct {
	Schema     string          `json:"schema"`
	File       string          `json:"file"`
	Scenario   string          `json:"scenario"`
	Seed       uint64          `json:"seed"`
	DurationNS int64           `json:"duration_ns"`
	Faults     []ScheduleFault `json:"faults"`
	// Checkpoints lists a drill's checkpoint steps in time order (empty
	// for a scenario without them).
	Checkpoints []ScheduleCheckpoint `json:"checkpoints"`
}

// ScheduleCheckpoint is one checkpoint of a drill: when it is reached,
// the facilitator's narrative and the expectations it checks (by name).
type ScheduleCheckpoint struct {
	ID        string   `json:"id"`
	AtNS      int64    `json:"at_ns"`
	Narrative string   `json:"narrative"`
	Expect    []string `json:"expect"`
}

// ScheduleFault is one fault of a schedule. RepairNS is how long after
// at_ns it ends (its repair, a DX failover test's duration, a flap's last
// up), null when it lasts to the end of the run or the fabric decides (a
// reboot's boot time).
type ScheduleFault struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Target   string `json:"target"`
	AtNS     int64  `json:"at_ns"`
	RepairNS *int64 `json:"repair_ns"`
	Random   bool   `json:"random"`
}

func printSchedule(w io.Writer, sc *scenarios.Scenario, asJSON bool) error {
	fs, err := scenarios.FaultSchedule(scenarios.JobFor(sc))
	if err != nil {
		return runError(sc, err)
	}
	random := len(fs) - len(sc.Faults)
	cps := slices.Clone(sc.Checkpoints)
	slices.SortStableFunc(cps, func(a, b scenarios.Checkpoint) int { return cmp.Compare(a.At, b.At) })
	expects := func(c scenarios.Checkpoint) []string {
		out := []string{}
		for _, e := range c.Expect {
			out = append(out, e.Name())
		}
		return out
	}
	if asJSON {
		doc := ScheduleJSON{Schema: "netdrill-schedule/1", File: sc.File, Scenario: sc.Name, Seed: sc.Seed,
			DurationNS: int64(sc.Duration), Faults: []ScheduleFault{}, Checkpoints: []ScheduleCheckpoint{}}
		for _, c := range cps {
			doc.Checkpoints = append(doc.Checkpoints, ScheduleCheckpoint{ID: c.ID, AtNS: int64(c.At), Narrative: c.Narrative, Expect: expects(c)})
		}
		for i, f := range fs {
			sf := ScheduleFault{ID: f.ID, Kind: string(f.Kind), Target: f.Target, AtNS: int64(f.At), Random: i >= len(sc.Faults)}
			if d, ok := f.Lasts(); ok {
				r := int64(d)
				sf.RepairNS = &r
			}
			doc.Faults = append(doc.Faults, sf)
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	fmt.Fprintf(w, "%s: fault schedule (seed %d, %v; nothing simulated)\n", sc.Name, sc.Seed, sc.Duration)
	tw := newTable("FAULT", "AT", "KIND", "TARGET", "ENDS AFTER")
	for _, f := range fs {
		rep := "never"
		if d, ok := f.Lasts(); ok {
			rep = roundMS(d)
		} else if k, ok := catalog.Lookup(string(f.Kind)); ok && k.NoRepair != "" {
			rep = "by itself" // a reboot: after the router's boot time
		}
		tw.row(f.ID, roundMS(f.At), string(f.Kind), f.Target, rep)
	}
	tw.write(w)
	fmt.Fprintf(w, "%d faults: %d scripted, %d drawn from the [[random]] classes with seed %d\n", len(fs), len(sc.Faults), random, sc.Seed)
	if len(cps) > 0 {
		fmt.Fprintf(w, "%d checkpoints:\n", len(cps))
		for _, c := range cps {
			fmt.Fprintf(w, "  %s at %s", c.ID, roundMS(c.At))
			if es := expects(c); len(es) > 0 {
				fmt.Fprintf(w, ": checks %s", strings.Join(es, ", "))
			}
			fmt.Fprintln(w)
			if c.Narrative != "" {
				fmt.Fprintf(w, "      %s\n", c.Narrative)
			}
		}
	}
	return nil
}

// roundMS prints a virtual time to the millisecond (random draws are
// nanosecond-exact; --json keeps every digit).
func roundMS(t sim.Time) string { return time.Duration(t).Round(time.Millisecond).String() }

// runScenarioWith runs sc with opt, mapping errors to exit codes. A panic
// in the run becomes an exit-3 error with its stack in a file.
func runScenarioWith(sc *scenarios.Scenario, opt scenarios.Options) (res *scenarios.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, internalError(p, debug.Stack())
		}
	}()
	if os.Getenv(testPanicEnv) == "run" {
		panic("netdrill: forced panic in a run (" + testPanicEnv + "=run)")
	}
	res, err = scenarios.Run(sc, opt)
	if err != nil {
		return nil, runError(sc, err)
	}
	return res, nil
}

// writePNGs writes the run's plots as PNGs into dir (nothing when dir is "").
func writePNGs(out io.Writer, dir string, res *scenarios.Result) error {
	pg := scenarios.Page(res)
	return writePlots(out, dir, pg.Figures)
}
