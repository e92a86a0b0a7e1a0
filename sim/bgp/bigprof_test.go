package bgp_test

import (
	"testing"
	"time"
)

func TestBigNetProfile(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	st := time.Now()
	n := bigNet(t, 0)
	t.Logf("initial convergence: %v wall, %d events, now %v", time.Since(st), n.Eng.Processed(), n.Eng.Now())
}
