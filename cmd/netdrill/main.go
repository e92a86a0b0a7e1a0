// Command netdrill simulates private network fabrics under faults.
//
// This file holds only wiring: the root command, exit codes and the list of
// subcommands. Each subcommand lives in its own file.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// Flags of every command (persistent on the root).
var (
	verbose   bool
	colorFlag = "auto"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes (DESIGN.md, "Outputs and exit codes").
const (
	exitOK       = 0 // every expectation holds
	exitFailed   = 1 // an expectation failed
	exitInvalid  = 2 // invalid input, every error listed
	exitInternal = 3 // internal error
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// invalid wraps err as invalid input (exit code 2).
func invalid(err error) error { return &exitError{code: exitInvalid, err: err} }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "netdrill",
		Short:         "Discrete-event simulator and chaos harness for private network fabrics",
		Long:          "netdrill simulates interconnects between clouds and POPs (BGP, BFD, links, capacity pools),\ninjects faults, and reports failover time, loss and convergence.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("netdrill {{.Version}}\n")
	// -v is verbose, as users expect; --version (and `netdrill version`)
	// print the version.
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "say what is being done on stderr (files read, warm-up, events, wall time)")
	root.PersistentFlags().StringVar(&colorFlag, "color", "auto", "colour the summary: auto (a terminal, unless NO_COLOR is set), always or never")
	root.Example = `  netdrill run                                    # the embedded example
  netdrill validate examples/scenarios/*.toml     # check files without running them
  netdrill run examples/scenarios/maintenance-drain.toml --dry-run
  netdrill check -o out examples/scenarios/       # every scenario in a directory
  netdrill topology graph examples/topologies/aws-gcp-quad.toml --format mermaid`
	// Subcommands: one line each.
	addCommands(root)
	return root
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		switch {
		case ee.err == nil || ee.err.Error() == "":
		case ee.code == exitInvalid:
			// Every error on its own line, file:line:col first.
			fmt.Fprintln(os.Stderr, ee.err)
		default:
			fmt.Fprintln(os.Stderr, "netdrill:", ee.err)
		}
		return ee.code
	}
	// Errors from flag parsing and unknown commands are usage errors.
	fmt.Fprintln(os.Stderr, "netdrill:", err)
	return exitInvalid
}
