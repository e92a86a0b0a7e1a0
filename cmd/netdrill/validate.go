package main

import (
	"fmt"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	var sf scenarioFlags
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario and topology files without running anything",
		Long: `Validate loads every file — a scenario (it has a topology and a duration) or a
topology — with every check a run makes, and lists every error as
file:line:col: key: message. Nothing is simulated: use it in editors and
pre-commit hooks. --set, --seed and --duration are checked too.

Exit codes: 0 every file is valid, 2 one is not.`,
		Example: `  netdrill validate examples/scenarios/*.toml examples/topologies/*.toml
  netdrill validate my-drill.toml --set duration=2h`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			ovs, err := sf.overrides(cmd)
			if err != nil {
				return invalid(err)
			}
			bad := 0
			for _, path := range args {
				if !isScenarioFile(path) {
					t, err := loadTopology(cmd, path)
					if err != nil {
						bad++
						continue
					}
					fmt.Fprintf(out, "%s: ok (topology, %d sites, %d routers, %d links, %d sessions, %d pools)\n",
						path, len(t.Sites), len(t.Routers), len(t.Links), len(t.Sessions), len(t.Pools))
					continue
				}
				sc, err := loadScenarioWith(path, ovs)
				if err == nil {
					// Random faults are drawn here too: a class that cannot
					// apply shows up now, not after a long warm-up.
					_, err = scenarios.FaultSchedule(scenarios.JobFor(sc))
				}
				if err != nil {
					printErrors(errOut, err)
					bad++
					continue
				}
				fmt.Fprintf(out, "%s: ok (scenario, %v, %d demands, %d faults, %d random classes, %d expectations)\n",
					path, sc.Duration, len(sc.Traffic), len(sc.Faults), len(sc.Random), len(sc.Expect))
			}
			if bad > 0 {
				return invalid(fmt.Errorf("%d of %d files invalid", bad, len(args)))
			}
			return nil
		},
	}
	sf.add(cmd)
	return cmd
}
