package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/topology"
	"github.com/netdrill/netdrill/topology/gen"
	"github.com/spf13/cobra"
)

func newGenCmd() *cobra.Command {
	var (
		o                     gen.Options
		kind, bfd, out, fault string
		mrai, upd, duration   string
		ases                  int
	)
	cmd := &cobra.Command{
		Use:   "gen --kind KIND [flags]",
		Short: "Generate a synthetic topology and a scenario (large fabrics for scale tests and sizing)",
		Long: "Generate a synthetic fabric as ordinary topology TOML, and a scenario that runs one demand\n" +
			"across it and injects one fault, deterministically by --seed. Kinds:\n\n" +
			"  quad-mesh   N sites, every pair joined by the AWS↔GCP quad shape (two facilities, four\n" +
			"              router pairs, four 10G MACsec channels, eBGP per channel); --shape ring joins\n" +
			"              neighbours only. Routers: 4·N·(N−1) (full) or 8·N (ring).\n" +
			"  leaf-spine  a POP over two facilities: spines are the route reflectors, racks (sites with\n" +
			"              their own ASN and prefixes) are dual-homed to a leaf in each facility.\n" +
			"              Routers: spines + 2·racks.\n" +
			"  as-graph    an AS-level Barabási–Albert graph (m = 2) with customer/provider/peer\n" +
			"              relationships and Gao–Rexford export policies. Routers: one per AS.\n\n" +
			"--routers picks the largest size that fits; --sites (or --ases) sets it exactly.\n" +
			"--prefixes is per site (rack, AS): /24s in sequence from 10.0.0.0.\n" +
			"The default fault is the loss of a facility where the kind has facilities (quad-mesh,\n" +
			"leaf-spine), else of a link (as-graph): at 1m, repaired 2m later.\n\n" +
			"With -o DIR, writes DIR/topology.toml and DIR/scenario.toml; without, prints the topology.",
		Example: "  netdrill gen --kind quad-mesh --sites 4 --prefixes 100 -o out/quad\n" +
			"  netdrill run out/quad/scenario.toml\n" +
			"  netdrill gen --kind quad-mesh --routers 1000 --prefixes 625 -o out/big   # 16 sites: 960 routers × 10,000 prefixes\n" +
			"  netdrill gen --kind leaf-spine --routers 1000 --prefixes 20 --bfd 300ms*3 -o out/pop\n" +
			"  netdrill gen --kind as-graph --ases 200 --prefixes 10 --mrai 30s --seed 7 -o out/as\n" +
			"  netdrill gen --kind as-graph --ases 50 --fault router-crash:as3-r | netdrill topology validate /dev/stdin",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Kind = gen.Kind(kind)
			if ases > 0 {
				if o.Sites > 0 && o.Sites != ases {
					return invalid(fmt.Errorf("--sites %d and --ases %d disagree", o.Sites, ases))
				}
				o.Sites = ases
			}
			var errs []string
			var err error
			if o.BFD, err = gen.ParseBFD(bfd); err != nil {
				errs = append(errs, "--"+err.Error())
			}
			for _, d := range []struct {
				flag, s string
				dst     *time.Duration
			}{{"mrai", mrai, &o.MRAI}, {"update-delay", upd, &o.UpdateDelay}, {"duration", duration, &o.Duration}} {
				if d.s == "" {
					continue
				}
				v, err := topology.ParseDuration(d.s)
				if err != nil {
					errs = append(errs, fmt.Sprintf("--%s: %v", d.flag, err))
					continue
				}
				*d.dst = v
			}
			o.Fault = fault
			if len(errs) > 0 {
				return invalid(errors.New(strings.Join(errs, "\n")))
			}
			res, err := gen.Generate(o)
			if err != nil {
				// One line per problem, each naming its flag.
				return invalid(errors.New("--" + strings.ReplaceAll(err.Error(), "\n", "\n--")))
			}
			if out == "" {
				_, err := cmd.OutOrStdout().Write(res.Topology)
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			for _, f := range []struct {
				name string
				data []byte
			}{{"topology.toml", res.Topology}, {"scenario.toml", res.Scenario}} {
				if err := trace.WriteFileAtomic(filepath.Join(out, f.name), f.data); err != nil {
					return err
				}
			}
			st := res.Stats
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d sites, %d facilities, %d routers, %d links, %d sessions, %d prefixes\n",
				filepath.Join(out, "topology.toml"), st.Sites, st.Facilities, st.Routers, st.Links, st.Sessions, st.Prefixes)
			f := st.Fault
			if f == "" {
				f = "no fault"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: demand %s, %s\n", filepath.Join(out, "scenario.toml"), st.Demand, f)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&kind, "kind", "", "what to generate: quad-mesh, leaf-spine or as-graph (required)")
	fl.IntVar(&o.Routers, "routers", 0, "about this many routers (the largest size that fits)")
	fl.IntVar(&o.Sites, "sites", 0, "quad-mesh sites or leaf-spine racks (default 3 sites, 4 racks)")
	fl.IntVar(&ases, "ases", 0, "as-graph ASes (default 10)")
	fl.IntVar(&o.Spines, "spines", 0, "leaf-spine spines (default 2 below 20 routers, 4 below 200, else 8)")
	fl.StringVar(&o.Shape, "shape", "full", "quad-mesh: full (every pair of sites) or ring")
	fl.IntVar(&o.Prefixes, "prefixes", 1, "prefixes originated per site (rack, AS)")
	fl.StringVar(&mrai, "mrai", "0s", "MRAI of eBGP sessions (iBGP: 0)")
	fl.StringVar(&bfd, "bfd", "300ms*3", `BFD on every declared session: INTERVAL*MULTIPLIER or "none"`)
	fl.StringVar(&upd, "update-delay", "", "BGP processing time per UPDATE message (default: the generic profile's 1ms)")
	fl.Uint64Var(&o.Seed, "seed", 1, "seed of the graph (as-graph) and of the scenario")
	fl.StringVar(&fault, "fault", "", `what the scenario injects: KIND or KIND:TARGET (`+strings.Join(gen.FaultKinds(), ", ")+`), or "none"`)
	fl.StringVar(&duration, "duration", "5m", "scenario duration")
	fl.StringVarP(&out, "out", "o", "", "write DIR/topology.toml and DIR/scenario.toml (default: print the topology)")
	_ = cmd.MarkFlagRequired("kind")
	return cmd
}
