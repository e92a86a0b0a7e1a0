package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print netdrill's version (the same as --version)",
		Example: "  netdrill version\n  netdrill --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "netdrill %s\n", version)
			if verbose {
				fmt.Fprintf(out, "go %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
				if bi, ok := debug.ReadBuildInfo(); ok {
					for _, s := range bi.Settings {
						if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
							fmt.Fprintf(out, "%s %s\n", s.Key, s.Value)
						}
					}
				}
			}
			return nil
		},
	}
}
