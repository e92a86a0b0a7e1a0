package main

import (
	"fmt"
	"github.com/netdrill/netdrill/topology"

	"github.com/netdrill/netdrill/tui"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/spf13/cobra"
)

func newReplayCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "replay out/trace.jsonl",
		Short: "Replay a recorded trace in the terminal (fabric, timeline, events, throughput, details)",
		Long: `Replay reads a trace written by 'netdrill run -o DIR' and replays it in the
terminal: the fabric from the trace header with links coloured by state and
load, a timeline with fault and repair markers, the event log at the cursor
(each line says why), per-demand throughput, and a detail pane for the
selected router or link. Press ? for the keys.

The whole trace is read and checked (its run.end count and hash) before the
screen opens: a missing, truncated, corrupt or foreign file is reported on
one line with exit code 2 and the terminal is left alone.`,
		Example: `  netdrill run examples/scenarios/facility-loss-at-peak.toml -o out/facility
  netdrill replay out/facility/trace.jsonl
  netdrill run --tui            # the embedded example, replayed when it ends`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f, err := topology.OpenRegular(args[0]); err != nil {
				return invalid(err)
			} else {
				f.Close()
			}
			r, err := model.Load(args[0])
			if err != nil {
				return invalid(err)
			}
			return replay(r)
		},
	}
}

// replay runs the terminal UI on a loaded trace.
func replay(r *model.Replay) error {
	if err := tui.Run(r, tui.Options{}); err != nil {
		return &exitError{code: exitInternal, err: fmt.Errorf("replay: %w", err)}
	}
	return nil
}
