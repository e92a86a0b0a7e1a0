// Command netdrill simulates private network fabrics under faults.
//
// This file holds only wiring: the root command, exit codes, panic
// recovery and the list of subcommands. Each subcommand lives in its own
// file.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

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

// strict turns warnings into errors (flag --strict, on every command).
var strict bool

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "netdrill",
		Short:         "Discrete-event simulator and chaos harness for private network fabrics",
		Long:          "netdrill simulates interconnects between clouds and POPs (BGP, BFD, links, capacity pools),\ninjects faults, and reports failover time, loss and convergence.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Flags that only make sense as non-negative are refused here, once
		// for every command that has them.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return checkFlags(cmd) },
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
	root.PersistentFlags().BoolVar(&strict, "strict", false, "treat warnings (input that is legal but probably a mistake) as errors")
	// Subcommands: one line each.
	addCommands(root)
	return root
}

// nonNegative lists the flags, on any command, that must not be negative.
var nonNegative = []string{"workers", "trials", "max-wall"}

// checkFlags refuses negative worker counts and negative durations.
func checkFlags(cmd *cobra.Command) error {
	var errs []error
	fs := cmd.Flags()
	for _, name := range nonNegative {
		f := fs.Lookup(name)
		if f == nil || !f.Changed {
			continue
		}
		switch f.Value.Type() {
		case "int":
			if v, err := fs.GetInt(name); err == nil && v < 0 {
				errs = append(errs, fmt.Errorf("--%s %d: must be ≥ 0 (0: the default)", name, v))
			}
		case "duration":
			if v, err := fs.GetDuration(name); err == nil && v < 0 {
				errs = append(errs, fmt.Errorf("--%s %v: must be ≥ 0 (0: no limit)", name, v))
			}
		}
	}
	if len(errs) > 0 {
		return invalid(errors.Join(errs...))
	}
	return nil
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// testPanicEnv, set to 1, makes every command panic before it starts: the
// end-to-end tests use it to prove that a panic exits 3 with its stack in
// a file. It is not documented for users.
const testPanicEnv = "NETDRILL_TEST_PANIC"

func run(args []string) int { return runWith(args, os.Stdout, os.Stderr) }

// runWith runs the command line; every panic on this goroutine is
// recovered here and turned into exit 3 (see recovered).
func runWith(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			code = reportPanic(stderr, p, debug.Stack())
		}
	}()
	if os.Getenv(testPanicEnv) == "1" {
		panic("netdrill: forced panic (" + testPanicEnv + "=1)")
	}
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
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
			fmt.Fprintln(stderr, ee.err)
		default:
			fmt.Fprintln(stderr, "netdrill:", ee.err)
		}
		return ee.code
	}
	// Errors from flag parsing and unknown commands are usage errors.
	fmt.Fprintln(stderr, "netdrill:", err)
	return exitInvalid
}

// reportPanic writes the panic and its stack to a file in os.TempDir() and
// one line naming it to stderr. It returns exit code 3.
func reportPanic(stderr io.Writer, p any, stack []byte) int {
	where := "(stack not saved)"
	if f, err := os.CreateTemp("", "netdrill-panic-*.txt"); err == nil {
		fmt.Fprintf(f, "netdrill %s: panic: %v\n\n%s", version, p, stack)
		if f.Close() == nil {
			where = f.Name()
		}
	}
	fmt.Fprintf(stderr, "netdrill: internal error (a bug, not your input): %v; stack in %s\n", oneLine(p), where)
	return exitInternal
}

// internalError turns a panic recovered on another goroutine (a worker
// running one scenario) into an exit-3 error carrying the same report.
func internalError(p any, stack []byte) error {
	where := "(stack not saved)"
	if f, err := os.CreateTemp("", "netdrill-panic-*.txt"); err == nil {
		fmt.Fprintf(f, "netdrill %s: panic: %v\n\n%s", version, p, stack)
		if f.Close() == nil {
			where = f.Name()
		}
	}
	return &exitError{code: exitInternal, err: fmt.Errorf("internal error (a bug, not your input): %v; stack in %s", oneLine(p), where)}
}

func oneLine(p any) string {
	s := fmt.Sprint(p)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i] + " …"
		}
	}
	return s
}
