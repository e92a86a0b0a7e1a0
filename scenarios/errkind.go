package scenarios

import (
	"errors"

	"github.com/netdrill/netdrill/sim"
)

// ErrorKind is what a run's error means to the person who ran it, which
// decides the CLI's exit code. Where runs are reduced to rows (sweep and
// chaos shards, merged on other machines), the kind is kept beside the
// error's text.
type ErrorKind string

const (
	// KindNotConverged: BGP never settled during warm-up, a finding about
	// the design (exit 1).
	KindNotConverged ErrorKind = "not-converged"
	// KindInvalid: the input is wrong, or a limit the user set was reached
	// (--max-wall, --max-trace, max_events) (exit 2).
	KindInvalid ErrorKind = "invalid"
	// KindInternal: anything else, a bug (exit 3). A row without a kind
	// (a shard written before kinds were kept) counts as one.
	KindInternal ErrorKind = "internal"
)

// KindOf returns the kind of a run's error (nil: "").
func KindOf(err error) ErrorKind {
	var (
		pe  *PanicError
		inv *InvalidError
		nc  *NotConvergedError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return KindInternal
	case errors.As(err, &inv), errors.Is(err, ErrWallLimit), errors.Is(err, ErrTraceLimit), errors.Is(err, sim.ErrEventLimit):
		return KindInvalid
	case errors.As(err, &nc):
		return KindNotConverged
	}
	return KindInternal
}

// Worse reports whether errors of kind a outrank those of kind b for the
// exit code: an internal error above the user's input, the input above a
// design that does not converge.
func (a ErrorKind) Worse(b ErrorKind) bool { return a.rank() > b.rank() }

func (k ErrorKind) rank() int {
	switch k {
	case "":
		return 0
	case KindNotConverged:
		return 1
	case KindInvalid:
		return 2
	}
	return 3 // KindInternal, or unknown text in a shard
}
