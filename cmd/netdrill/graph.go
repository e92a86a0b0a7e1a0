package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/topology"
	"github.com/spf13/cobra"
)

// loadTopologyArg loads a topology file, or the topology of a scenario
// file (a path or an inline [topology] table).
func loadTopologyArg(cmd *cobra.Command, path string) (*topology.Topology, error) {
	if !isScenarioFile(path) {
		return loadTopology(cmd, path)
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		printErrors(cmd.ErrOrStderr(), err)
		return nil, invalid(fmt.Errorf("%s: invalid scenario", path))
	}
	return sc.Topology, nil
}

func newTopologyGraphCmd() *cobra.Command {
	var format, outFile string
	cmd := &cobra.Command{
		Use:   "graph FILE",
		Short: "Draw the topology: Graphviz DOT or a Mermaid flowchart",
		Long: `Graph prints the expanded topology as a diagram: sites (ellipses), routers
grouped by facility, links labelled with name, capacity and MACsec, and each
site's attachment to its edge routers (dotted). FILE is a topology or a
scenario (its topology). The format is --format, or -o's extension
(.dot/.gv: DOT; .mmd/.mermaid/.md: Mermaid).`,
		Example: `  netdrill topology graph examples/topologies/aws-gcp-quad.toml | dot -Tsvg > quad.svg
  netdrill topology graph examples/topologies/aws-gcp-quad.toml --format mermaid
  netdrill topology graph examples/scenarios/silent-midspan-no-bfd.toml -o /tmp/standby.mmd`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := loadTopologyArg(cmd, args[0])
			if err != nil {
				return err
			}
			if format == "" {
				switch strings.ToLower(filepath.Ext(outFile)) {
				case ".mmd", ".mermaid", ".md":
					format = "mermaid"
				default:
					format = "dot"
				}
			}
			var b bytes.Buffer
			switch format {
			case "dot":
				writeDOT(&b, t)
			case "mermaid":
				writeMermaid(&b, t)
			default:
				return invalid(fmt.Errorf("--format %q: want dot or mermaid", format))
			}
			if outFile == "" {
				_, err := cmd.OutOrStdout().Write(b.Bytes())
				return err
			}
			if err := os.MkdirAll(filepath.Dir(outFile), 0o755); err != nil {
				return invalid(fmt.Errorf("-o %s: %w", outFile, err))
			}
			if err := trace.WriteFileAtomic(outFile, b.Bytes()); err != nil {
				return invalid(fmt.Errorf("-o %s: %w", outFile, err))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", filepath.Clean(outFile))
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "dot or mermaid (default: from -o's extension, else dot)")
	cmd.Flags().StringVarP(&outFile, "out", "o", "", "write to this file instead of stdout")
	return cmd
}

func linkLabel(l topology.Link) string {
	s := l.Name + " " + l.Capacity.String()
	if l.MACsec {
		s += " MACsec"
	}
	if l.LAG != "" {
		s += " (LAG " + l.LAG + ")"
	}
	return s
}

// edgeRouters lists, per site, its routers that have a link (the ones a
// site hub reaches over the backbone), in topology order.
func siteRouters(t *topology.Topology, site string) []string {
	var out []string
	for _, r := range t.Routers {
		if r.Site == site {
			out = append(out, r.Name)
		}
	}
	return out
}

func writeDOT(w io.Writer, t *topology.Topology) {
	q := strconv.Quote
	fmt.Fprintf(w, "graph %s {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n", q(t.Name))
	for _, s := range t.Sites {
		fmt.Fprintf(w, "  %s [shape=ellipse, label=%s];\n", q("site:"+s.Name), q(fmt.Sprintf("%s\n%s AS%d", s.Name, s.Provider, s.ASN)))
	}
	inFac := map[string]bool{}
	for i, f := range t.Facilities {
		label := "facility " + f.Name
		if f.Metro != "" {
			label += " (" + f.Metro + ")"
		}
		fmt.Fprintf(w, "  subgraph cluster_%d {\n    label=%s;\n    style=rounded;\n", i, q(label))
		for _, r := range t.Routers {
			if r.Facility == f.Name {
				fmt.Fprintf(w, "    %s;\n", q(r.Name))
				inFac[r.Name] = true
			}
		}
		fmt.Fprintln(w, "  }")
	}
	for _, r := range t.Routers {
		if !inFac[r.Name] {
			fmt.Fprintf(w, "  %s;\n", q(r.Name))
		}
	}
	for _, s := range t.Sites {
		for _, r := range siteRouters(t, s.Name) {
			fmt.Fprintf(w, "  %s -- %s [style=dotted];\n", q("site:"+s.Name), q(r))
		}
	}
	for _, l := range t.Links {
		fmt.Fprintf(w, "  %s -- %s [label=%s];\n", q(l.A), q(l.B), q(linkLabel(l)))
	}
	fmt.Fprintln(w, "}")
}

func writeMermaid(w io.Writer, t *topology.Topology) {
	ids := map[string]string{}
	id := func(kind, name string) string {
		k := kind + ":" + name
		if v, ok := ids[k]; ok {
			return v
		}
		v := fmt.Sprintf("n%d", len(ids))
		ids[k] = v
		return v
	}
	esc := func(s string) string { return strings.ReplaceAll(s, `"`, "#quot;") }
	fmt.Fprintf(w, "---\ntitle: %s\n---\nflowchart LR\n", esc(t.Name))
	for _, s := range t.Sites {
		fmt.Fprintf(w, "  %s([\"%s<br/>%s AS%d\"])\n", id("site", s.Name), esc(s.Name), esc(s.Provider), s.ASN)
	}
	inFac := map[string]bool{}
	for i, f := range t.Facilities {
		label := "facility " + f.Name
		if f.Metro != "" {
			label += " (" + f.Metro + ")"
		}
		fmt.Fprintf(w, "  subgraph f%d[\"%s\"]\n", i, esc(label))
		for _, r := range t.Routers {
			if r.Facility == f.Name {
				fmt.Fprintf(w, "    %s[\"%s\"]\n", id("router", r.Name), esc(r.Name))
				inFac[r.Name] = true
			}
		}
		fmt.Fprintln(w, "  end")
	}
	for _, r := range t.Routers {
		if !inFac[r.Name] {
			fmt.Fprintf(w, "  %s[\"%s\"]\n", id("router", r.Name), esc(r.Name))
		}
	}
	for _, s := range t.Sites {
		for _, r := range siteRouters(t, s.Name) {
			fmt.Fprintf(w, "  %s -.- %s\n", id("site", s.Name), id("router", r))
		}
	}
	for _, l := range t.Links {
		fmt.Fprintf(w, "  %s ---|\"%s\"| %s\n", id("router", l.A), esc(linkLabel(l)), id("router", l.B))
	}
}
