package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/chaos"
	"github.com/netdrill/netdrill/scenarios/shard"
	"github.com/netdrill/netdrill/scenarios/sweep"
	"github.com/netdrill/netdrill/sim"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newSweepCmd() *cobra.Command {
	var depth, workers, top int
	var kinds, shardFlag, outDir, pngDir string
	var at, repair time.Duration
	var noSymmetry bool
	cmd := &cobra.Command{
		Use:     "sweep scenario.toml",
		Example: "  netdrill sweep examples/scenarios/quad-review.toml --depth 2 -o out/review\n  netdrill sweep examples/scenarios/quad-review.toml --shard 1/4 -o out/shard1",
		Short:   "Simulate every single (--depth 1) or pair (--depth 2) of failures, ranked by impact",
		Long: `Sweep takes a scenario's topology, traffic and duration, drops its own scripted
and random faults, and simulates every single failure (--depth 1) or every
single failure and pair (--depth 2) of the chosen kinds:

  facility       facility-down of each facility
  srlg           srlg-down of each shared-risk group
  router         router-crash of each router
  link           link-down of each link outside a LAG and of each LAG
  lag-member     lag-member-down of each LAG member
  session        session-reset of each BGP session
  control-plane  control-plane-hang of each router
  provider       provider-control-plane-outage of each provider

(default: facility,srlg,router,link,lag-member). Every failure happens at
--at (default: the scenario's first fault time, else 1m) and lasts --repair
(default: to the end of the run). Failure sets that an automorphism of the
fabric maps onto each other (four identical channels) are simulated once;
the CASES column says how many each row stands for. Rows are ranked by
impact: demands not restored, bytes lost, worst failover, time in
congestion, headroom. The scenario's expectations (fault selectors dropped)
are checked under every failure set: -o DIR writes junit.xml with one test
case "survives <failure>" per set, with report.md, report.json, report.html
and shard.json (merge shards with 'netdrill merge'). --png DIR writes the
plot of report.html (bytes lost per failure set) as sweep-impact.png.

Exit codes: 0 every failure set keeps every expectation (or there are
none), 1 one does not (or BGP never converged), 2 invalid input or a
limit reached (--max-wall, max_events), 3 internal error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := scenarios.Load(args[0])
			if err != nil {
				printErrors(cmd.ErrOrStderr(), err)
				return invalid(fmt.Errorf("%s: invalid scenario", args[0]))
			}
			classes, err := sweep.ParseClasses(kinds)
			if err != nil {
				return invalid(err)
			}
			sh, err := scenarios.ParseShard(shardFlag)
			if err != nil {
				return invalid(err)
			}
			plan, err := sweep.NewPlan(sc, sweep.Options{Depth: depth, Classes: classes, At: sim.Time(at), Repair: sim.Time(repair), NoSymmetry: noSymmetry})
			if err != nil {
				return invalid(fmt.Errorf("%s: %w", args[0], err))
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			if err := checkPNGDir(pngDir); err != nil {
				return err
			}
			set, err := openOutputSet(outDir)
			if err != nil {
				return err
			}
			defer set.abort()
			meta := sweep.MetaOf(plan, version)
			bar := newProgress(cmd.ErrOrStderr(), len(sh.Select(len(plan.Cases))), "sweep")
			rows := sweep.Run(cmd.Context(), plan, sweep.RunOptions{Workers: workers, Shard: sh,
				Run: scenarios.Options{Version: version, MaxWall: maxWall}, Done: bar.step})
			bar.finish()
			sf, err := sweep.ShardFile(meta, len(plan.Cases), sh, rows)
			if err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			if !sh.All() {
				// One shard: its rows only; 'netdrill merge' makes the report.
				fmt.Fprintf(cmd.OutOrStdout(), "%s: shard %s: %d of %d jobs\n", args[0], sh, len(rows), len(plan.Cases))
				if pngDir != "" {
					fmt.Fprintln(cmd.ErrOrStderr(), "netdrill: --png: a shard has no report; 'netdrill merge --png DIR' writes the plots")
				}
				return set.save(sf.Write)
			}
			return finishSweep(cmd.OutOrStdout(), sweep.NewReport(meta, rows), sf, set, top, pngDir)
		},
	}
	cmd.Flags().IntVar(&depth, "depth", 1, "1: every single failure; 2: every single failure and every pair")
	cmd.Flags().StringVar(&kinds, "kinds", "", "failure kinds, comma-separated (default facility,srlg,router,link,lag-member)")
	cmd.Flags().DurationVar(&at, "at", 0, "when the failures happen (default: the scenario's first fault time, else 1m)")
	cmd.Flags().DurationVar(&repair, "repair", 0, "how long they last (default: to the end of the run)")
	cmd.Flags().BoolVar(&noSymmetry, "no-symmetry", false, "simulate symmetric failure sets separately")
	cmd.Flags().IntVar(&workers, "workers", 0, "simulations run in parallel (default: number of CPUs); results do not depend on it")
	cmd.Flags().StringVar(&shardFlag, "shard", "", "run shard i/N of the jobs (default: JOB_COMPLETION_INDEX/COUNT, else all)")
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write report.md, report.json, report.html, junit.xml and shard.json into DIR")
	cmd.Flags().IntVar(&top, "top", 20, "rows printed on the terminal (0: all)")
	cmd.Flags().StringVar(&pngDir, "png", "", pngUsage)
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	return cmd
}

// outputSet is an -o directory written as one set (scenarios.OutputSet):
// checked before the work, replaced whole at the end; nil o: no -o.
type outputSet struct{ o *scenarios.OutputSet }

func openOutputSet(dir string) (*outputSet, error) {
	if dir == "" {
		return &outputSet{}, nil
	}
	o, err := scenarios.CreateOutputSet(dir)
	if err != nil {
		var oe *scenarios.OutputError
		if errors.As(err, &oe) {
			return nil, invalid(err)
		}
		return nil, &exitError{code: exitInternal, err: err}
	}
	return &outputSet{o: o}, nil
}

func (s *outputSet) commit() error {
	if s.o == nil {
		return nil
	}
	if err := s.o.Commit(); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	return nil
}

// save writes the set's files with each write (given the set's directory)
// and commits it; nothing without -o.
func (s *outputSet) save(writes ...func(dir string) error) error {
	if s.o == nil {
		return nil
	}
	for _, write := range writes {
		if err := write(s.o.Path("")); err != nil {
			return &exitError{code: exitInternal, err: err}
		}
	}
	return s.commit()
}

// abort drops an uncommitted set (a no-op after commit).
func (s *outputSet) abort() {
	if s.o != nil {
		s.o.Abort()
	}
}

// finishSweep prints the table, writes the outputs and picks the exit code.
// With pngDir, the plots of report.html are written there as PNGs.
func finishSweep(w io.Writer, rep *sweep.Report, sf *shard.File, set *outputSet, top int, pngDir string) error {
	if _, err := w.Write(rep.Text(top)); err != nil {
		return err
	}
	if err := set.save(rep.WriteAll, sf.Write); err != nil {
		return err
	}
	if err := writePlots(w, pngDir, rep.Figures); err != nil {
		return err
	}
	// the worst error decides the exit code (an internal error over a
	// limit reached over a design that does not converge)
	var worst *sweep.Row
	for i, r := range rep.Rows {
		if r.Err != "" && (worst == nil || r.ErrorKind().Worse(worst.ErrorKind())) {
			worst = &rep.Rows[i]
		}
	}
	if worst != nil {
		return kindError(worst.ErrorKind(), fmt.Errorf("%s: %s", worst.Label, worst.Err))
	}
	if rep.Meta.Expectations > 0 && rep.Survived < rep.Meta.FailureSets {
		return &exitError{code: exitFailed, err: errors.New("")}
	}
	return nil
}

// progress is a progress bar with ETA on stderr when stderr is a terminal;
// otherwise it does nothing.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, total int, what string) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total <= 1 {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("cases"), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))}
}

func (p *progress) step(done, total int) {
	if p.bar != nil {
		_ = p.bar.Set(done)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

func newMergeCmd() *cobra.Command {
	var outDir, pngDir string
	var top int
	cmd := &cobra.Command{
		Use:     "merge DIR|FILE...",
		Example: "  netdrill merge out/shard1 out/shard2 out/shard3 out/shard4 -o out/review",
		Short:   "Fold shard outputs (shard.json) back into the whole run's report",
		Long: `Merge reads the shard.json of each directory (or the files given), checks that
they are shards of one run (same kind, job count and description, no job twice,
none missing) and writes what a single machine would have: for a sweep, the
ranked table and report.md, report.json, report.html, junit.xml, shard.json;
for a chaos campaign, its summary and the same files. --png DIR writes the
plots of report.html as PNGs, as the single machine's --png would.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files := make([]*shard.File, len(args))
			for i, a := range args {
				f, err := shard.Read(a)
				if err != nil {
					return invalid(err)
				}
				files[i] = f
			}
			whole, err := shard.Fold(args, files)
			if err != nil {
				return invalid(err)
			}
			if err := checkPNGDir(pngDir); err != nil {
				return err
			}
			set, err := openOutputSet(outDir)
			if err != nil {
				return err
			}
			defer set.abort()
			switch whole.Kind {
			case sweep.Kind:
				rep, err := sweep.FromShard(whole)
				if err != nil {
					return invalid(err)
				}
				return finishSweep(cmd.OutOrStdout(), rep, whole, set, top, pngDir)
			case chaos.Kind:
				return finishChaos(cmd.OutOrStdout(), whole, set, pngDir)
			}
			return invalid(fmt.Errorf("merge: no merge for shards of kind %q", whole.Kind))
		},
	}
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write the merged outputs into DIR")
	cmd.Flags().StringVar(&pngDir, "png", "", pngUsage)
	cmd.Flags().IntVar(&top, "top", 20, "rows printed on the terminal (0: all)")
	return cmd
}
