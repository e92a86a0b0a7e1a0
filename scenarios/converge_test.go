package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// A policy dispute (BAD GADGET) has no stable routing: the runner must stop
// at max_warmup with an error naming the oscillating prefix at every router
// of the wheel, never hang.
func TestPolicyDisputeReportedNotHung(t *testing.T) {
	sc, err := Load("testdata/bad-gadget.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(sc, Options{})
	var nc *NotConvergedError
	if !errors.As(err, &nc) || !errors.Is(err, ErrNotConverged) {
		t.Fatalf("Run = %v, want NotConvergedError", err)
	}
	for _, r := range []string{"r1", "r2", "r3"} {
		found := false
		for _, o := range nc.Oscillating {
			found = found || strings.HasPrefix(o, r+" 10.0.0.0/16 ")
		}
		if !found {
			t.Errorf("oscillating list %v lacks %s 10.0.0.0/16", nc.Oscillating, r)
		}
	}
}
