package fabric

import (
	"os"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/topology"
)

// RFC 4271 §6.5 with computed keepalives: ch1 goes silent at 21 phases
// spread over two keepalive intervals (30s keepalive, 90s hold, no BFD).
// The session drops hold after the last keepalive that got through, so
// between 60s and 90s (+1ms latency) after the failure, and at exactly the
// instant simulating every keepalive gives.
func TestSilentFailureHoldPhases(t *testing.T) {
	drop := func(event bool, offset sim.Time) sim.Time {
		restore := bgp.SetEventKeepalives(event)
		defer restore()
		e, f, r, t0 := up(t, "testdata/quad-nobfd.toml", 20e9)
		_ = e.Run(t0 + offset)
		if _, err := f.LinkSilent("ch1", 1); err != nil {
			t.Fatal(err)
		}
		_ = e.Run(t0 + offset + 2*sim.Minute)
		down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "a1~g1" && x.get("from") == "established" })
		if !ok {
			t.Fatalf("offset %v: session a1~g1 never left established", offset)
		}
		if down.get("reason") != "hold-timer-expired" {
			t.Fatalf("offset %v: reason %v", offset, down.get("reason"))
		}
		return down.at - (t0 + offset)
	}
	for k := range 21 {
		offset := sim.Time(k) * 2857 * sim.Millisecond
		computed, simulated := drop(false, offset), drop(true, offset)
		if computed != simulated {
			t.Errorf("offset %v: computed keepalives drop the session %v after the failure, simulated ones %v", offset, computed, simulated)
		}
		t.Logf("offset %v: down after %v", offset, computed)
		if computed <= 60*sim.Second || computed > 90*sim.Second+sim.Millisecond {
			t.Errorf("offset %v: session down %v after the failure, want in (60s, 90.001s]", offset, computed)
		}
	}
}

// Hold-expiry-to-withdraw delay with computed keepalives: the same silent
// failure at 21 phases, with hold_expiry_delay 250ms, drops the session
// exactly 250ms after the hold timer expired — and at the instant
// simulating every keepalive gives.
func TestHoldExpiryDelayPhases(t *testing.T) {
	data, err := os.ReadFile("testdata/quad-nobfd.toml")
	if err != nil {
		t.Fatal(err)
	}
	delayed, err := topology.Parse("q.toml", []byte(strings.Replace(string(data), "hold = \"90s\"\n", "hold = \"90s\"\nhold_expiry_delay = \"250ms\"\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := topology.Parse("q.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	drop := func(top *topology.Topology, event bool, offset sim.Time) sim.Time {
		restore := bgp.SetEventKeepalives(event)
		defer restore()
		e, f, r, t0 := upTop(t, top, 1, 20e9)
		_ = e.Run(t0 + offset)
		if _, err := f.LinkSilent("ch1", 1); err != nil {
			t.Fatal(err)
		}
		_ = e.Run(t0 + offset + 2*sim.Minute)
		down, ok := r.first("bgp.session", func(x rec) bool { return x.subject == "a1~g1" && x.get("from") == "established" })
		if !ok || down.get("reason") != "hold-timer-expired" {
			t.Fatalf("offset %v: %+v", offset, down)
		}
		return down.at - (t0 + offset)
	}
	for k := range 21 {
		offset := sim.Time(k) * 2857 * sim.Millisecond
		base := drop(plain, false, offset)
		computed, simulated := drop(delayed, false, offset), drop(delayed, true, offset)
		if computed != simulated || computed != base+250*sim.Millisecond {
			t.Errorf("offset %v: plain %v, delayed computed %v, simulated %v; want both plain + 250ms", offset, base, computed, simulated)
		}
	}
}
