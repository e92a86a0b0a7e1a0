package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/sweep"
	"github.com/netdrill/netdrill/topology"
	"github.com/spf13/cobra"
)

func newCompareCmd() *cobra.Command {
	var topologies, profiles, outDir, pngDir string
	var workers, depth int
	cmd := &cobra.Command{
		Use:     "compare a.toml b.toml... | compare scenario.toml --topology x.toml,y.toml | --profiles frr,bird2,junos",
		Example: "  netdrill compare examples/scenarios/compare-quad.toml examples/scenarios/compare-dx-vpn.toml --depth 1",
		Short:   "Run designs side by side on the same traffic and faults: a row per metric, the best marked",
		Long: `Compare runs several designs on the same traffic and fault set and prints one
table: a row per metric (detection, failover, loss by cause, congestion,
headroom, BGP convergence and churn, expectations), a column per design, the
best value of each row marked ★. The designs are scenarios (same demand
names and rates, same duration, the same fault kinds at the same times; the
sites and targets are each design's own, and the table says which), or one
scenario run over alternative topologies (--topology), or with the
customer's routers (sites of provider generic) on alternative router
profiles (--profiles frr,bird2,junos: which implementation behaviour an
objective depends on). --depth 1|2 also
sweeps every design (default failure kinds) and adds the worst failure set.
-o DIR writes report.md, report.json, report.html and junit.xml; --png DIR
writes each chart of report.html as compare-<metric>.png.

Exit codes: 0 every design keeps every expectation, 1 one does not,
2 invalid input or designs that cannot be compared, 3 internal error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ds []sweep.Design
			bad := false
			if profiles != "" {
				if topologies != "" || len(args) != 1 {
					return invalid(errors.New("with --profiles, give one scenario (and no --topology)"))
				}
				data, err := os.ReadFile(args[0])
				if err != nil {
					return invalid(err)
				}
				for _, pn := range strings.Split(profiles, ",") {
					opt := topology.Options{RouterProfile: strings.TrimSpace(pn)}
					if err := opt.Check(); err != nil {
						return invalid(err)
					}
					sc, err := scenarios.Parse(args[0], data, func(rel string) (*topology.Topology, error) {
						p := rel
						if !filepath.IsAbs(p) {
							p = filepath.Join(filepath.Dir(args[0]), rel)
						}
						return topology.LoadWith(p, opt)
					})
					if err != nil {
						printErrors(cmd.ErrOrStderr(), err)
						bad = true
						continue
					}
					if sc.TopologyPath == "" {
						return invalid(fmt.Errorf("%s: --profiles needs a scenario whose topology is a file, not an inline table", args[0]))
					}
					ds = append(ds, sweep.Design{Name: opt.RouterProfile, Scenario: sc})
				}
			} else if topologies != "" {
				if len(args) != 1 {
					return invalid(errors.New("with --topology, give one scenario"))
				}
				data, err := os.ReadFile(args[0])
				if err != nil {
					return invalid(err)
				}
				for _, tp := range strings.Split(topologies, ",") {
					tp = strings.TrimSpace(tp)
					sc, err := scenarios.Parse(args[0], data, func(string) (*topology.Topology, error) { return topology.Load(tp) })
					if err != nil {
						printErrors(cmd.ErrOrStderr(), err)
						bad = true
						continue
					}
					if sc.TopologyPath == "" {
						return invalid(fmt.Errorf("%s: --topology needs a scenario whose topology is a file, not an inline table", args[0]))
					}
					ds = append(ds, sweep.Design{Name: designName(tp), Scenario: sc})
				}
			} else {
				for _, a := range args {
					sc, err := scenarios.Load(a)
					if err != nil {
						printErrors(cmd.ErrOrStderr(), err)
						bad = true
						continue
					}
					ds = append(ds, sweep.Design{Name: designName(a), Scenario: sc})
				}
			}
			if bad {
				return invalid(errors.New("invalid input"))
			}
			if err := sweep.CheckComparable(ds); err != nil {
				return invalid(err)
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
			c, results, err := sweep.Compare(cmd.Context(), ds, sweep.CompareOptions{Workers: workers, SweepDepth: depth,
				Run: scenarios.Options{Version: version, MaxWall: maxWall}})
			if err != nil {
				for _, r := range results {
					if r.Err != nil {
						return runError(r.Job.Scenario, r.Err)
					}
				}
				return invalid(err)
			}
			if _, err := cmd.OutOrStdout().Write(c.Text()); err != nil {
				return err
			}
			passed := true
			runs := make([]scenarios.JUnitRun, len(ds))
			for i, r := range results {
				runs[i] = scenarios.JUnitRun{File: ds[i].Scenario.File, Result: r.Result}
				passed = passed && r.Result.Passed()
			}
			junit := func(dir string) error { return scenarios.WriteJUnit(filepath.Join(dir, "junit.xml"), runs) }
			if err := set.save(c.WriteAll, junit); err != nil {
				return err
			}
			if err := writePlots(cmd.OutOrStdout(), pngDir, c.Figures); err != nil {
				return err
			}
			if !passed {
				return &exitError{code: exitFailed, err: errors.New("")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&topologies, "topology", "", "run the one scenario over these topologies (comma-separated)")
	cmd.Flags().StringVar(&profiles, "profiles", "", "run the one scenario with the customer's routers on each of these router profiles (comma-separated, e.g. frr,bird2,junos)")
	cmd.Flags().IntVar(&depth, "depth", 0, "also sweep every design: 1 single failures, 2 and pairs (0: no sweep)")
	cmd.Flags().IntVar(&workers, "workers", 0, "simulations run in parallel (default: number of CPUs)")
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write report.md, report.json, report.html and junit.xml into DIR")
	cmd.Flags().StringVar(&pngDir, "png", "", pngUsage+" (compare-<metric>.png)")
	cmd.Flags().DurationVar(&maxWall, "max-wall", maxWall, "stop a run that takes longer than this in real time (0: no limit)")
	return cmd
}

// designName is a file's base name without extension.
func designName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}
