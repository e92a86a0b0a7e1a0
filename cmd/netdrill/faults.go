package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/spf13/cobra"
)

func newFaultsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "faults [KIND...]",
		Example: "  netdrill faults\n  netdrill faults link-silent drain",
		Short:   "List the fault and action kinds a scenario's [[fault]] can use",
		Long: "Print the catalogue of fault and operator-action kinds from the registry the scenario\n" +
			"loader checks against: each kind's target class, its parameters with types, units and\n" +
			"defaults, a one-line description and an example [[fault]] table. With KIND arguments,\n" +
			"only those kinds.",
		RunE: func(cmd *cobra.Command, args []string) error {
			kinds := catalog.Kinds
			if len(args) > 0 {
				kinds = nil
				for _, a := range args {
					k, ok := catalog.Lookup(a)
					if !ok {
						return invalid(catalog.UnknownKind(a))
					}
					kinds = append(kinds, k)
				}
			}
			if asJSON {
				kinds = slices.Clone(kinds)
				for i := range kinds {
					if kinds[i].Params == nil {
						kinds[i].Params = []catalog.Param{} // [] rather than null
					}
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Common []catalog.Param `json:"common"`
					Kinds  []catalog.Kind  `json:"kinds"`
				}{catalog.Common, kinds})
			}
			writeCatalogue(cmd.OutOrStdout(), kinds, len(args) == 0)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the catalogue as JSON")
	return cmd
}

// writeCatalogue prints kinds as text; common adds the keys every [[fault]] takes.
func writeCatalogue(w io.Writer, kinds []catalog.Kind, common bool) {
	if common {
		fmt.Fprintln(w, "Every [[fault]] takes:")
		for _, p := range catalog.Common {
			fmt.Fprintf(w, "  %-9s %s\n", p.Name, paramLine(p))
		}
		fmt.Fprintln(w, "Durations are Go durations (\"90s\"), bandwidths \"10Gbps\", ratios 0.3 or \"30%\".")
		fmt.Fprintln(w)
	}
	for i, k := range kinds {
		if i > 0 {
			fmt.Fprintln(w)
		}
		what := ""
		if k.Action {
			what = ", operator action"
		}
		fmt.Fprintf(w, "%s [%s%s]\n  %s\n", k.Name, k.Target, what, k.Doc)
		for _, p := range k.Params {
			fmt.Fprintf(w, "  %-9s %s\n", p.Name, paramLine(p))
		}
		if k.NoRepair != "" {
			fmt.Fprintf(w, "  %-9s not taken: %s\n", "repair", k.NoRepair)
		}
		fmt.Fprintf(w, "  example: %s\n", k.Example)
	}
}

// paramLine is "duration (bit/s), required: doc" or "ratio, default 1: doc".
func paramLine(p catalog.Param) string {
	var b strings.Builder
	b.WriteString(string(p.Type))
	if p.Unit != "" {
		b.WriteString(" (" + p.Unit + ")")
	}
	if p.Type == catalog.Int && p.Max > 0 {
		fmt.Fprintf(&b, " %d to %d", p.Min, p.Max)
	}
	switch {
	case p.Required:
		b.WriteString(", required")
	case p.DefaultText() != "":
		b.WriteString(", default " + p.DefaultText())
	}
	return b.String() + ": " + p.Doc
}
