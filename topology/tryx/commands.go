package main

import "github.com/spf13/cobra"

func addCommands(root *cobra.Command) { root.AddCommand(newTopologyCmd()) }
