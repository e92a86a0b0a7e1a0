package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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
	cmd.AddCommand(newTopologyValidateCmd(), newTopologyExpandCmd(), newTopologyAnalyzeCmd(), newTopologyGraphCmd())
	return cmd
}

// loadTopology loads a file; on invalid input it prints every error on its
// own line to stderr and returns an exit-code-2 error.
func loadTopology(cmd *cobra.Command, path string) (*topology.Topology, error) {
	t, err := topology.Load(path)
	if err == nil {
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
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "analyze FILE",
		Short:   "Static redundancy analysis: disjoint paths, SPOFs, capacity after each loss",
		Example: "  netdrill topology analyze examples/topologies/quad-shared-conduit.toml\n  netdrill topology analyze examples/topologies/aws-gcp-quad.toml --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := loadTopologyArg(cmd, args[0])
			if err != nil {
				return err
			}
			a := topology.Analyze(t)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(a)
			}
			return writeAnalysis(cmd.OutOrStdout(), a)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of tables")
	return cmd
}

func bw(bps float64) string { return topology.Bandwidth(bps).String() }

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

func writeAnalysis(w io.Writer, a *topology.Analysis) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "topology: %s\n\n", a.Topology)
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
		fmt.Fprintln(tw, "DEMAND\tLOSS\tCAPACITY LEFT\tSHORTFALL\tOK")
		for _, d := range a.Demands {
			for _, l := range d.Losses {
				fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\n", d.Name, l.Kind, l.Name, bw(l.CapacityBps), bw(l.ShortfallBps), yesNo(l.OK))
			}
		}
	}
	return tw.Flush()
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}
