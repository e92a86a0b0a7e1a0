package bgp_test

import (
	"net/netip"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
)

// UPDATE counts on one eBGP session a–b, each side originating one prefix,
// MRAI 0. Both are Established at 1.04s and send their dump (their own
// prefix, carrying End-of-RIB); at 1.05s each learns the other's prefix
// and, by default, sends it straight back (the peer drops it: AS loop):
// 2 UPDATEs each. Without send-back (sender-side loop detection) 1 each.
// End-of-RIB as its own empty UPDATE adds one each.
func TestUpdateCountsSendBackAndEoR(t *testing.T) {
	for _, c := range []struct {
		noSendBack, sepEoR bool
		want               int // UPDATEs sent by each side
	}{
		{false, false, 2},
		{true, false, 1},
		{false, true, 3},
		{true, true, 2},
	} {
		pc := timers30x90()
		pc.NoSendBack, pc.SeparateEoR = c.noSendBack, c.sepEoR
		n, _ := pair(t, pc, pc)
		n.Start()
		n.Run(10 * s1)
		for _, r := range []string{"a", "b"} {
			if got := n.Grep("bgp.update "+r, "dir=tx"); len(got) != c.want {
				t.Errorf("send-back=%v separate EoR=%v: %s sent %d UPDATEs, want %d\n%v", !c.noSendBack, c.sepEoR, r, len(got), c.want, got)
			}
		}
		if c.sepEoR {
			if got := n.Grep("bgp.update a", "dir=tx", "announce=0 withdraw=0"); len(got) != 1 || parseAt(t, got[0]) != 1040*ms {
				t.Errorf("separate EoR: %v", got)
			}
		}
		// b's routes are the same either way
		if _, _, ok := n.Speaker("b").Best(pfxA); !ok {
			t.Errorf("b has no route to 10.1/16")
		}
	}
}

// MRAI jitter (RFC 4271 §9.2.1.1): a originates a new prefix every second,
// so something always waits and each MRAI expiry sends at once: the gaps
// between a's UPDATEs are the MRAI intervals, each 30s × [0.75, 1.0].
// Without jitter every gap is exactly 30s.
func TestMRAIJitterBounds(t *testing.T) {
	for _, jitter := range []bool{true, false} {
		pa := timers30x90()
		pa.MRAI, pa.MRAIJitter = 30*s1, jitter
		n, _ := pair(t, pa, timers30x90())
		n.Start()
		n.Run(2 * s1)
		a := n.Speaker("a")
		for i := range 900 {
			a.Originate(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 100, byte(i >> 8), byte(i)}), 32))
			n.Run(s1)
		}
		tx := n.Grep("bgp.update a", "dir=tx")
		if len(tx) < 25 {
			t.Fatalf("jitter=%v: %d UPDATEs", jitter, len(tx))
		}
		lo, hi := sim.Never, sim.Time(0)
		for i := 2; i < len(tx); i++ { // after the dump and the first paced one
			g := parseAt(t, tx[i]) - parseAt(t, tx[i-1])
			lo, hi = min(lo, g), max(hi, g)
		}
		switch {
		case jitter && (lo < 22500*ms || hi > 30*s1 || hi-lo < 4*s1):
			t.Errorf("jittered MRAI gaps in [%v, %v], want spread within [22.5s, 30s]", lo, hi)
		case !jitter && (lo != 30*s1 || hi != 30*s1):
			t.Errorf("MRAI gaps in [%v, %v], want 30s", lo, hi)
		}
	}
}

// Withdrawals paced by MRAI or not: a's dump at 1.04s starts MRAI (30s, no
// send-back, so nothing else is paced); a announces 10.9/16 at 40s (sent
// at once, MRAI starts again) and withdraws it at 41s. Unpaced (RFC 4271)
// the withdrawal goes at 41s; paced it waits for the MRAI expiry at 70s.
func TestPaceWithdrawals(t *testing.T) {
	p9 := netip.MustParsePrefix("10.9.0.0/16")
	for _, pace := range []bool{false, true} {
		pa := timers30x90()
		pa.MRAI, pa.PaceWithdrawals, pa.NoSendBack = 30*s1, pace, true
		n, _ := pair(t, pa, timers30x90())
		n.Start()
		n.RunUntil(40 * s1)
		n.Speaker("a").Originate(p9)
		n.RunUntil(41 * s1)
		n.Speaker("a").WithdrawOrigin(p9)
		n.Run(60 * s1)
		got := n.Grep("bgp.update a", "dir=tx", "withdraw=1")
		want := 41 * s1
		if pace {
			want = 70 * s1
		}
		if len(got) != 1 || parseAt(t, got[0]) != want {
			t.Errorf("pace=%v: withdrawal %v, want at %v", pace, got, want)
		}
	}
}

// Hold-expiry-to-withdraw delay: the same silent failure, with a's
// HoldExpiryDelay 500ms, drops a's session exactly 500ms later.
func TestHoldExpiryDelay(t *testing.T) {
	idle := func(delay sim.Time) sim.Time {
		pa := timers30x90()
		pa.Keepalive, pa.Hold, pa.HoldExpiryDelay = 3*s1, 9*s1, delay
		n, sess := pair(t, pa, timers30x90())
		n.Start()
		n.Run(10 * s1)
		n.Silence(sess, true)
		n.Run(30 * s1)
		got := n.Grep("bgp.session", "router=a", "reason=hold-timer-expired")
		if len(got) != 1 {
			t.Fatalf("delay %v: %v", delay, got)
		}
		return parseAt(t, got[0])
	}
	if d := idle(500*ms) - idle(0); d != 500*ms {
		t.Fatalf("hold-expiry delay adds %v, want 500ms", d)
	}
}

var _ = bgp.Established
