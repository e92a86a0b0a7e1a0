package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/chaos"
	"github.com/netdrill/netdrill/scenarios/shard"
	"github.com/spf13/cobra"
)

func newChaosCmd() *cobra.Command {
	var trials, workers, keepWorst int
	var horizon, shardFlag, outDir, pngDir string
	var seed uint64
	var wall time.Duration
	cmd := &cobra.Command{
		Use:   "chaos scenario.toml",
		Short: "Run a campaign of random fault histories: availability, failover and what hurts, with 95% intervals",
		Long: `Chaos runs --trials independent trials of the scenario over --horizon of
simulated time each (default: the scenario's duration). Every trial draws its
own fault history from the scenario's [[random]] classes (plus its scripted
[[fault]]s) with the seed derived from (--seed, trial index), and runs it end
to end: BGP, BFD, shared capacity. Per trial only metrics are kept.

It reports, each with a 95% confidence interval: availability per demand
(fraction of time fully delivered) and downtime per year, the failover
distribution (p50/p90/p99/max) and P(failover > X) for the scenario's
failover objectives, loss by cause, and the components, and [[random]]
classes, ranked by their share of lost bytes ("what hurts most"). The
scenario's [[campaign.expect]] tables are checked:

  [[campaign.expect]]
  metric = "availability"      # availability, downtime, failover.p50|p90|p99|max, p_failover_over
  demand = "replication"
  min    = "99.99%"

  [[campaign.expect]]
  metric = "p_failover_over"
  over   = "1s"
  max    = "1%"

-o DIR writes report.md, report.json, report.html, junit.xml and shard.json;
--png DIR writes the plots of report.html as chaos-availability.png,
chaos-failover-cdf.png and chaos-what-hurts.png (those with data);
--keep-worst K re-runs the K worst trials (most bytes lost) and writes their
traces to DIR/worst/ for replay (in a shard: the shard's own worst). --shard i/N (or JOB_COMPLETION_INDEX and
JOB_COMPLETION_COUNT, as a Kubernetes Indexed Job sets them) runs one slice of
the trials; 'netdrill merge DIR...' folds the shards into exactly the
single-machine outputs. --max-wall stops the campaign cleanly and reports the
trials done so far, labelled PARTIAL.

Exit codes: 0 every campaign expectation holds (or there are none), 1 one
does not (or a trial's BGP never converged), 2 invalid input or a trial
reached a limit (max_events), 3 a trial failed to run (internal error).`,
		Example: `  netdrill chaos examples/campaigns/quad-year.toml --trials 1000 --horizon 1y -o out/quad
  netdrill chaos quad-year.toml --trials 10000 --shard 3/8 -o out/shard-3   # one of 8 machines
  netdrill merge out/shard-* -o out/quad`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := scenarios.Load(args[0])
			if err != nil {
				printErrors(cmd.ErrOrStderr(), err)
				return invalid(fmt.Errorf("%s: invalid scenario", args[0]))
			}
			opt := chaos.Options{Trials: trials, Seed: seed}
			if horizon != "" {
				if opt.Horizon, err = chaos.ParseHorizon(horizon); err != nil {
					return invalid(err)
				}
			}
			if !cmd.Flags().Changed("seed") {
				opt.Seed = sc.Seed
			}
			sh, err := scenarios.ParseShard(shardFlag)
			if err != nil {
				return invalid(err)
			}
			if keepWorst < 0 {
				return invalid(fmt.Errorf("--keep-worst %d: want 0 or more", keepWorst))
			}
			plan, err := chaos.NewPlan(sc, opt)
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
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if wall > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, wall)
				defer cancel()
			}
			meta := chaos.MetaOf(plan, version)
			bar := newProgress(cmd.ErrOrStderr(), len(sh.Select(trials)), "chaos")
			ro := chaos.RunOptions{Workers: workers, Shard: sh, Run: scenarios.Options{Version: version}, Done: bar.step}
			rows := chaos.Run(ctx, plan, &meta, ro)
			bar.finish()
			sf, err := chaos.ShardFile(meta, sh, rows)
			if err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			if set.o != nil && keepWorst > 0 && ctx.Err() == nil {
				kept, err := chaos.WriteWorst(ctx, plan, &meta, rows, keepWorst, set.o.Path(""), ro)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "netdrill: keep-worst: %v\n", err)
				} else if len(kept) > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "kept the traces of trials %v in %s/\n", kept, chaos.WorstDir)
				}
			}
			if !sh.All() {
				// One shard: its rows only; 'netdrill merge' makes the report.
				done := 0
				for _, r := range rows {
					if r.Status != chaos.StatusNotRun {
						done++
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: shard %s: %d of its %d trials done (%d in the campaign)\n", args[0], sh, done, len(rows), trials)
				if pngDir != "" {
					fmt.Fprintln(cmd.ErrOrStderr(), "netdrill: --png: a shard has no report; 'netdrill merge --png DIR' writes the plots")
				}
				return set.save(sf.Write)
			}
			return finishChaos(cmd.OutOrStdout(), sf, set, pngDir)
		},
	}
	cmd.Flags().IntVar(&trials, "trials", 100, "number of trials")
	cmd.Flags().StringVar(&horizon, "horizon", "", `simulated time per trial: "1y", "30d", "720h" (default: the scenario's duration)`)
	cmd.Flags().Uint64Var(&seed, "seed", 0, "campaign seed (default: the scenario's seed); trial i runs with a seed derived from (seed, i)")
	cmd.Flags().IntVar(&workers, "workers", 0, "trials run in parallel (default: number of CPUs); results do not depend on it")
	cmd.Flags().StringVar(&shardFlag, "shard", "", "run shard i/N of the trials (default: JOB_COMPLETION_INDEX/COUNT, else all)")
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write report.md, report.json, report.html, junit.xml and shard.json into DIR")
	cmd.Flags().StringVar(&pngDir, "png", "", pngUsage)
	cmd.Flags().IntVar(&keepWorst, "keep-worst", 0, "with -o: re-run the K worst trials and keep their traces in DIR/worst/")
	cmd.Flags().DurationVar(&wall, "max-wall", 0, "stop the campaign after this much real time and report the trials done (0: no limit)")
	return cmd
}

// finishChaos makes the report from the (whole or folded) shard file,
// prints it, writes the outputs and picks the exit code. The report is
// always made from the shard file's rows, so a merge equals a single run.
// With pngDir, the plots of report.html are written there as PNGs.
func finishChaos(w io.Writer, sf *shard.File, set *outputSet, pngDir string) error {
	b, err := sf.Marshal()
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	whole, err := shard.Parse(shard.FileName, b)
	if err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	rep, err := chaos.FromShard(whole)
	if err != nil {
		return invalid(err)
	}
	if _, err := w.Write(rep.Text()); err != nil {
		return err
	}
	if err := set.save(rep.WriteAll, whole.Write); err != nil {
		return err
	}
	if err := writePlots(w, pngDir, rep.Figures); err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		worst := rep.Errors[0] // the worst error decides the exit code, as in sweep
		for _, e := range rep.Errors[1:] {
			if e.Kind.Worse(worst.Kind) {
				worst = e
			}
		}
		return kindError(worst.Kind, fmt.Errorf("trial %d: %s", worst.Trial, worst.Err))
	}
	if !rep.Passed() {
		return &exitError{code: exitFailed, err: errors.New("")}
	}
	return nil
}
