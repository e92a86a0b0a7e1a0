package main

import "github.com/spf13/cobra"

// addCommands registers every subcommand. Keep one line per command.
func addCommands(root *cobra.Command) {
	root.AddCommand(newRunCmd())
	root.AddCommand(newCheckCmd())
	root.AddCommand(newReportCmd())
	root.AddCommand(newTopologyCmd())
	root.AddCommand(newValidateCmd())
	root.AddCommand(newVersionCmd())
	root.AddCommand(newFaultsCmd())
	root.AddCommand(newGenCmd())
	root.AddCommand(newSweepCmd())
	root.AddCommand(newMergeCmd())
	root.AddCommand(newCompareCmd())
	root.AddCommand(newReplayCmd())
	root.AddCommand(newChaosCmd())
}
