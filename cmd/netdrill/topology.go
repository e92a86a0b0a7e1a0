package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/BurntSushi/toml"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/topology"
	"github.com/spf13/cobra"
)

func newTopologyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "topology",
		Short: "Validate, expand and analyse topology files",
		Long: "Work on topology TOML files without simulating them: check them (every error at once,\n" +
			"exit code 2), print their explicit form with every intent expanded, or run the static\n" +
			"redundancy analysis (disjoint paths, facility diversity, single points of failure,\n" +
			"capacity left after each facility or SRLG loss), or draw it (DOT, Mermaid).",
		Example: "  netdrill topology validate examples/topologies/*.toml\n  netdrill topology graph examples/topologies/aws-gcp-quad.toml --format mermaid",
	}
	cmd.AddCommand(newTopologyValidateCmd(), newTopologyExpandCmd(), newTopologyAnalyzeCmd(), newTopologyLintCmd(), newTopologyGraphCmd())
	return cmd
}

// loadTopology loads a file; on invalid input it prints every error on its
// own line to stderr and returns an exit-code-2 error.
func loadTopology(cmd *cobra.Command, path string) (*topology.Topology, error) {
	t, err := topology.Load(path)
	if err == nil {
		if err := warn(cmd.ErrOrStderr(), path, t.Warnings); err != nil {
			return nil, err
		}
		return t, nil
	}
	var list *topology.ErrorList
	if errors.As(err, &list) {
		for _, e := range list.Errors {
			fmt.Fprintln(cmd.ErrOrStderr(), e.Error())
		}
		n := "1 error"
		if list.Len() != 1 {
			n = fmt.Sprintf("%d errors", list.Len())
		}
		return nil, invalid(fmt.Errorf("%s: %s", path, n))
	}
	return nil, invalid(err)
}

func newTopologyValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "validate FILE...",
		Short:   "Check topology files and list every error",
		Example: "  netdrill topology validate examples/topologies/*.toml",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var bad []string
			for _, path := range args {
				t, err := loadTopology(cmd, path)
				if err != nil {
					bad = append(bad, err.Error())
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%d sites, %d facilities, %d routers, %d links, %d LAGs, %d sessions, %d pools, %d demands)\n",
					path, len(t.Sites), len(t.Facilities), len(t.Routers), len(t.Links), len(t.LAGs), len(t.Sessions), len(t.Pools), len(t.Demands))
			}
			if len(bad) > 0 {
				return invalid(errors.New(strings.Join(bad, "; ")))
			}
			return nil
		},
	}
}

func newTopologyExpandCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "expand FILE",
		Short: "Print the explicit form: every default applied, every intent expanded",
		Long: `Expand prints the explicit form of a topology — or of a scenario's topology,
inline or by path — with every default applied and every intent expanded:
the names of the routers, links, sessions and pools an intent creates, to
use as fault targets and expectation selectors.`,
		Example: `  netdrill topology expand examples/topologies/aws-gcp-quad.toml
  netdrill topology expand examples/scenarios/silent-midspan-no-bfd.toml   # an inline topology
  netdrill topology expand examples/topologies/aws-gcp-quad.toml | grep -A3 '^\[\[link\]\]'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := loadTopologyArg(cmd, args[0])
			if err != nil {
				return err
			}
			return topology.WriteTOML(cmd.OutOrStdout(), t)
		},
	}
}

func newTopologyAnalyzeCmd() *cobra.Command {
	var asJSON, reportOnly bool
	cmd := &cobra.Command{
		Use:   "analyze FILE",
		Short: "Static analysis: disjoint paths, SPOFs, what each single loss leaves to each demand",
		Long: `Analyze is the cheap first check of a design review. FILE is a topology, or a
scenario (its topology, with its [[traffic]] as the demands). It counts pools,
tenants and demands, finds disjoint paths, facility diversity and single points
of failure, and tests every single facility, SRLG, router and link loss: the
raw capacity left between the demand's sites and, for every capacity pool on
the way, whether the surviving capacity carries the tenants' background plus
the demands that fail over into it.

Exit codes: 0 every demand is carried intact and after every single loss,
1 a demand is left short (0 with --report-only), 2 invalid input.`,
		Example: "  netdrill topology analyze examples/topologies/quad-shared-conduit.toml\n  netdrill topology analyze examples/scenarios/facility-loss-at-peak.toml --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, opt, err := loadForAnalysis(cmd, args[0])
			if err != nil {
				return err
			}
			a := topology.AnalyzeWith(t, opt)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(a); err != nil {
					return err
				}
			} else if err := writeAnalysis(cmd.OutOrStdout(), a); err != nil {
				return err
			}
			if len(a.Short) > 0 && !reportOnly {
				return &exitError{code: exitFailed, err: fmt.Errorf("%s: demand(s) left short: %s", args[0], strings.Join(a.Short, ", "))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of tables")
	cmd.Flags().BoolVar(&reportOnly, "report-only", false, "exit 0 even when a demand is left short")
	return cmd
}

// isScenarioFile reports whether a TOML file is a scenario (it names a
// topology, has traffic or a duration) rather than a topology.
func isScenarioFile(path string) bool {
	var doc map[string]any
	if _, err := toml.DecodeFile(path, &doc); err != nil {
		return false // let the topology loader report the error with its position
	}
	_, top := doc["topology"]
	_, traffic := doc["traffic"]
	_, dur := doc["duration"]
	return top || traffic || dur
}

// loadForAnalysis loads a topology, or a scenario's topology with its
// traffic as the demands.
func loadForAnalysis(cmd *cobra.Command, path string) (*topology.Topology, topology.AnalyzeOptions, error) {
	if !isScenarioFile(path) {
		t, err := loadTopology(cmd, path)
		return t, topology.AnalyzeOptions{}, err
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		printErrors(cmd.ErrOrStderr(), err)
		return nil, topology.AnalyzeOptions{}, invalid(fmt.Errorf("%s: invalid scenario", path))
	}
	return sc.Topology, scenarioDemands(sc), nil
}

// scenarioDemands turns a scenario's traffic into analysis demands (their
// base rates; profiles are not analysed).
func scenarioDemands(sc *scenarios.Scenario) topology.AnalyzeOptions {
	ds := make([]topology.Demand, 0, len(sc.Traffic))
	for _, tr := range sc.Traffic {
		ds = append(ds, topology.Demand{Name: tr.Name, From: tr.From, To: tr.To, Rate: topology.Bandwidth(tr.Rate)})
	}
	return topology.AnalyzeOptions{Demands: ds, DemandSource: "scenario " + sc.File}
}

// bw prints a bandwidth: exact when it is a whole number of bits/s
// ("20Gbps"), else to 4 significant digits ("8.571 Gbps").
func newTopologyLintCmd() *cobra.Command {
	var asJSON bool
	var failOn string
	cmd := &cobra.Command{
		Use:     "lint FILE",
		Example: "  netdrill topology lint examples/topologies/dx-max-resiliency-vpn.toml --fail-on high",
		Short:   "Design risks with a reason and a fix (BFD, timers, shared facilities and SRLGs, pools, MRAI)",
		Long: `Lint flags design risks that simulation would confirm, each with its severity,
rule, subject, reason and fix:

  no-bfd           (high)    a session carrying a demand without BFD
  default-hold     (low/medium) hold timer at a vendor default, 90 s or 180 s
  shared-facility  (high)    redundant links whose routers are all in one facility
  shared-srlg      (high)    redundant paths that all share an SRLG
  gr-without-bfd   (medium)  graceful restart without BFD
  pool-facility    (high)    a pool that cannot absorb one facility's failover
  mrai-failover    (medium)  MRAI on a session whose failover needs a new announcement

FILE is a topology, or a scenario (its [[traffic]] are the demands).
Exit codes: 0 no finding at or above --fail-on, 1 some, 2 invalid input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			threshold, err := topology.ParseSeverity(failOn)
			if err != nil {
				return invalid(fmt.Errorf("--fail-on: %w", err))
			}
			t, opt, err := loadForAnalysis(cmd, args[0])
			if err != nil {
				return err
			}
			fs := topology.Lint(t, opt)
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				if fs == nil {
					fs = []topology.Finding{}
				}
				if err := enc.Encode(fs); err != nil {
					return err
				}
			} else {
				for _, f := range fs {
					fmt.Fprintf(w, "%-6s %s: %s\n       %s\n       fix: %s\n", strings.ToUpper(f.Severity.String()), f.Rule, f.Subject, f.Reason, f.Fix)
				}
				counts := map[topology.Severity]int{}
				for _, f := range fs {
					counts[f.Severity]++
				}
				fmt.Fprintf(w, "%s: %d findings (%d high, %d medium, %d low)\n", args[0], len(fs), counts[topology.High], counts[topology.Medium], counts[topology.Low])
			}
			n := 0
			for _, f := range fs {
				if f.Severity >= threshold {
					n++
				}
			}
			if n > 0 {
				return &exitError{code: exitFailed, err: fmt.Errorf("%s: %d findings at or above %s", args[0], n, threshold)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&failOn, "fail-on", "high", "exit 1 on findings at or above this severity (info, low, medium, high)")
	return cmd
}

func bw(bps float64) string {
	if bps == math.Trunc(bps) {
		return topology.Bandwidth(bps).String()
	}
	return metrics.FormatRate(bps)
}

func spofList(cs []topology.Component) string {
	if len(cs) == 0 {
		return "none"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.Kind + " " + c.Name
	}
	return strings.Join(s, ", ")
}

func plural(n int, one string) string {
	switch {
	case n == 1:
		return "1 " + one
	case strings.HasSuffix(one, "y"):
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(one, "y"))
	}
	return fmt.Sprintf("%d %ss", n, one)
}

func writeAnalysis(w io.Writer, a *topology.Analysis) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	c := a.Counts
	fmt.Fprintf(tw, "topology: %s\n", a.Topology)
	fmt.Fprintf(tw, "  %s, %s, %s, %s, %s, %s, %s\n", plural(c.Sites, "site"), plural(c.Facilities, "facility"),
		plural(c.Routers, "router"), plural(c.Links, "link"), plural(c.LAGs, "LAG"), plural(c.Sessions, "session"), plural(c.SRLGs, "SRLG"))
	fmt.Fprintf(tw, "  %s (%s), %s (%s of background), %s (%s, from the %s)\n\n", plural(c.Pools, "pool"), bw(c.PoolCapacityBps),
		plural(c.Tenants, "tenant"), bw(c.TenantBps), plural(c.Demands, "demand"), bw(c.DemandBps), a.DemandSource)
	fmt.Fprintln(tw, "SITE PAIR\tLINK-DISJOINT\tNODE-DISJOINT\tFACILITIES\tCAPACITY\tSINGLE POINTS OF FAILURE")
	for _, p := range a.Pairs {
		fmt.Fprintf(tw, "%s ↔ %s\t%d\t%d\t%d (%s)\t%s\t%s\n", p.A, p.B, p.LinkDisjointPaths, p.NodeDisjointPaths,
			p.FacilityDiversity, strings.Join(p.Facilities, ", "), bw(p.CapacityBps), spofList(p.SPOFs))
	}
	if len(a.Demands) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "DEMAND\tFROM → TO\tREQUIRED\tCAPACITY\tDISJOINT (LINK/NODE)\tFACILITIES\tSINGLE POINTS OF FAILURE\tOK")
		for _, d := range a.Demands {
			fmt.Fprintf(tw, "%s\t%s → %s\t%s\t%s\t%d/%d\t%d\t%s\t%s\n", d.Name, d.From, d.To, bw(d.RequiredBps), bw(d.CapacityBps),
				d.LinkDisjointPaths, d.NodeDisjointPaths, d.FacilityDiversity, spofList(d.SPOFs), yesNo(d.OK))
		}
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "DEMAND\tLOSS\tCAPACITY LEFT\tPOOL (LEFT, LOAD)\tDELIVERED\tSHORTFALL\tOK")
		row := func(d topology.DemandReport, what string, l topology.LossReport) {
			pool := "-"
			if l.Pool != "" {
				pool = fmt.Sprintf("%s (%s, %s)", l.Pool, bw(l.PoolCapacityBps), bw(l.PoolLoadBps))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, what, bw(l.CapacityBps), pool, bw(l.DeliveredBps), bw(l.ShortfallBps), yesNo(l.OK))
		}
		for _, d := range a.Demands {
			row(d, "none (intact)", d.Intact)
			hidden, hiddenOK := 0, true
			for _, l := range d.Losses {
				// Every facility and SRLG; routers and links only when short.
				if l.Kind == "router" || l.Kind == "link" {
					hidden++
					if l.OK {
						continue
					}
					hiddenOK = false
				}
				row(d, l.Kind+" "+l.Name, l)
			}
			if hidden > 0 && hiddenOK {
				fmt.Fprintf(tw, "%s\t%d router and link losses\t\t\t\t\tyes (each)\n", d.Name, hidden)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(a.Demands) > 0 {
		if len(a.Short) == 0 {
			_, err := fmt.Fprintln(w, "\nverdict: every demand is carried intact and after every single loss")
			return err
		}
		_, err := fmt.Fprintf(w, "\nverdict: SHORT — %s left short by a single loss (or intact)\n", strings.Join(a.Short, ", "))
		return err
	}
	return nil
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}
