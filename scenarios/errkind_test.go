package scenarios

import (
	"errors"
	"fmt"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// Every error a run returns has the kind that decides the exit code, seen
// through the wrapping the runner adds.
func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want ErrorKind
	}{
		{nil, ""},
		{&InvalidError{Err: errors.New("no such fault")}, KindInvalid},
		{fmt.Errorf("warm-up: %w", ErrWallLimit), KindInvalid},
		{fmt.Errorf("at t=1m: %w", ErrTraceLimit), KindInvalid},
		{fmt.Errorf("warm-up: %w after 300 events", sim.ErrEventLimit), KindInvalid},
		{fmt.Errorf("x: %w", &NotConvergedError{}), KindNotConverged},
		{&PanicError{Value: "boom"}, KindInternal},
		{errors.New("write: disk full"), KindInternal},
	} {
		if got := KindOf(tc.err); got != tc.want {
			t.Errorf("KindOf(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	order := []ErrorKind{"", KindNotConverged, KindInvalid, KindInternal}
	for i := range order {
		for j := range order {
			if got := order[i].Worse(order[j]); got != (i > j) {
				t.Errorf("%q.Worse(%q) = %v", order[i], order[j], got)
			}
		}
	}
}
