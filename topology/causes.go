package topology

import "strings"

// LossCause is why traffic was not delivered. This is the one list of loss
// causes: the data plane (sim/flow) attributes loss to them, the trace
// writes their names as keys of `flow.rate`, and metrics, reports and
// `[[expect]]` cause selectors read those names back. It lives in
// topology because topology is the leaf that both sides may import.
type LossCause uint8

// The loss causes, in the order traces and reports list them.
const (
	// CauseBlackhole: a next hop over a link that is down (a stale route
	// into a dead path: the FIB still points at it).
	CauseBlackhole LossCause = iota
	// CauseNoRoute: a node on the path has no route to the destination.
	CauseNoRoute
	// CauseLoop: the traffic came back to a node it had already crossed.
	CauseLoop
	// CauseCongestion: load above a link's or a pool's capacity
	// (inelastic), or the share of the offered rate that max-min fairness
	// does not grant (elastic mode).
	CauseCongestion
	// CauseSilentLink: lost on a silent or dark link.
	CauseSilentLink
	// NumLossCauses is the number of causes; LossCause values index
	// [NumLossCauses] arrays.
	NumLossCauses
)

var lossCauseNames = [NumLossCauses]string{"blackhole", "no-route", "loop", "congestion", "silent-link"}

// String returns the name used in traces and scenario files: "blackhole",
// "no-route", "loop", "congestion", "silent-link"; "unknown" out of range.
func (c LossCause) String() string {
	if c < NumLossCauses {
		return lossCauseNames[c]
	}
	return "unknown"
}

// LossCauses returns every cause name, in order (a fresh slice).
func LossCauses() []string { return append([]string(nil), lossCauseNames[:]...) }

// ParseLossCause returns the cause named s, or an error that lists them.
func ParseLossCause(s string) (LossCause, error) {
	for c, n := range lossCauseNames {
		if n == s {
			return LossCause(c), nil
		}
	}
	return NumLossCauses, &causeError{s}
}

type causeError struct{ name string }

func (e *causeError) Error() string {
	return "unknown loss cause \"" + e.name + "\"; valid causes: " + strings.Join(lossCauseNames[:], ", ")
}
