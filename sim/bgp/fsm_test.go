package bgp_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

const (
	ms = sim.Millisecond
	s1 = sim.Second
)

var (
	pfxA = netip.MustParsePrefix("10.1.0.0/16")
	pfxB = netip.MustParsePrefix("10.2.0.0/16")
)

// timers30x90 is the classic 30s keepalive / 90s hold with a 1s establishment
// delay and 10s connect-retry.
func timers30x90() bgp.PeerConfig {
	return bgp.PeerConfig{Keepalive: 30 * s1, Hold: 90 * s1, ConnectRetry: 10 * s1, EstablishDelay: s1}
}

// pair builds two eBGP routers a (AS 65001, originates 10.1/16) and b
// (AS 65002, originates 10.2/16) over one session with 10ms latency.
func pair(t *testing.T, pa, pb bgp.PeerConfig) (*bgptest.Net, *bgptest.Session) {
	t.Helper()
	n := bgptest.New(1)
	n.Record = true
	n.AddRouter(bgp.Config{Name: "a", ASN: 65001, Originate: []netip.Prefix{pfxA}})
	n.AddRouter(bgp.Config{Name: "b", ASN: 65002, Originate: []netip.Prefix{pfxB}})
	sess := n.Connect("a", "b", 10*ms, pa, pb)
	return n, sess
}

func sessionLines(n *bgptest.Net, router, state string) []string {
	return n.Grep("bgp.session", "router="+router, "state="+state)
}

// RFC 4271 §8.2.2: Idle → Connect → OpenSent → OpenConfirm → Established.
// Both sides start at 0: each sends a SYN after EstablishDelay (1s), the
// SYN-ACKs come back at 1.020s and each sends OPEN (OpenSent); the OPENs
// cross and arrive at 1.030s (OpenConfirm, KEEPALIVE sent); the KEEPALIVEs
// arrive at 1.040s: Established on both sides at 1s + 4×10ms.
func TestRFC4271_8_EstablishTiming(t *testing.T) {
	n, _ := pair(t, timers30x90(), timers30x90())
	n.Start()
	n.Run(5 * s1)
	for _, r := range []string{"a", "b"} {
		got := sessionLines(n, r, "established")
		if len(got) != 1 || got[0][:len("1.04s")] != "1.04s" {
			t.Fatalf("%s established: %v\n%v", r, got, n.Lines)
		}
		for _, st := range []string{"connect", "opensent", "openconfirm"} {
			if len(sessionLines(n, r, st)) != 1 {
				t.Errorf("%s: want one transition to %s", r, st)
			}
		}
	}
	// routes: a learns 10.2/16 from b (peer 0)
	r, nh, ok := n.Speaker("a").Best(pfxB)
	if !ok || !slices.Equal(nh, []int{0}) || !slices.Equal(r.ASPath, []uint32{65002}) || r.LocalPref != 100 || r.NextHop != "b" {
		t.Fatalf("a best 10.2/16 = %+v %v %v", r, nh, ok)
	}
	if got := n.FIB[n.Index("b")][pfxA]; !slices.Equal(got, []int{0}) {
		t.Fatalf("b FIB 10.1/16 = %v", got)
	}
	if got := n.FIB[n.Index("a")][pfxA]; !slices.Equal(got, []int{-1}) {
		t.Fatalf("a FIB own prefix = %v", got)
	}
}

// One side starts late: a's first SYN (t=1s) and its retransmissions at 2s
// and 4s are lost (b is not running). b starts at 5s and sends its SYN at
// 6s; a answers it, b gets the SYN-ACK at 6.020s and sends OPEN; a answers
// at 6.030s with its OPEN and a KEEPALIVE (a's own attempt is abandoned);
// b gets them at 6.040s (OpenConfirm, sends KEEPALIVE) and a's KEEPALIVE: b
// Established at 6.040s, a at 6.050s.
func TestRFC4271_8_PassiveAnswer(t *testing.T) {
	n, _ := pair(t, timers30x90(), timers30x90())
	n.Build()
	n.Speaker("a").Start()
	n.Run(5 * s1)
	n.Speaker("b").Start()
	n.Run(5 * s1)
	a := sessionLines(n, "a", "established")
	b := sessionLines(n, "b", "established")
	if len(a) != 1 || len(b) != 1 || a[0][:6] != "6.05s " || b[0][:6] != "6.04s " {
		t.Fatalf("a=%v b=%v\n%v", a, b, n.Lines)
	}
}

// RFC 4271 §4.2/§10: negotiated hold = min of both OPENs; keepalive = hold/3.
// a proposes 90s, b 9s ⇒ 9s hold, 3s keepalives. Silence the session at 10s:
// the last keepalive a received left b at or before 10s, so a's hold expires
// within (10s−3s+9s, 10s+9s] = (16s, 19s].
func TestRFC4271_10_NegotiatedHold(t *testing.T) {
	pb := timers30x90()
	pb.Keepalive, pb.Hold = 0, 9*s1
	n, sess := pair(t, timers30x90(), pb)
	n.Start()
	n.Run(10 * s1)
	n.Silence(sess, true)
	n.Run(20 * s1)
	got := n.Grep("bgp.session", "router=a", "reason=hold-timer-expired")
	if len(got) != 1 {
		t.Fatalf("hold expiry: %v", n.Lines)
	}
	at := parseAt(t, got[0])
	if at <= 16*s1 || at > 19*s1 {
		t.Fatalf("hold expired at %v, want (16s, 19s]", at)
	}
}

// Silent loss without BFD ⇒ outage ≈ hold time (DESIGN "Testing"): with
// 30/90 the keepalive last received before a cut at t=100s left the peer in
// (70s, 100s], so the session drops within (160s, 190s], i.e. 60–90s after
// the cut, and the route is withdrawn from the FIB at that moment.
func TestRFC4271_6_5_HoldExpirySilentLoss(t *testing.T) {
	n, sess := pair(t, timers30x90(), timers30x90())
	n.Start()
	n.Run(100 * s1)
	n.Silence(sess, true)
	n.Run(200 * s1)
	for _, r := range []string{"a", "b"} {
		got := n.Grep("bgp.session", "router="+r, "reason=hold-timer-expired")
		if len(got) != 1 {
			t.Fatalf("%s: %v", r, n.Lines)
		}
		at := parseAt(t, got[0])
		if at <= 160*s1 || at > 190*s1 {
			t.Fatalf("%s hold expired at %v, want (160s, 190s]", r, at)
		}
	}
	if _, ok := n.FIB[n.Index("a")][pfxB]; ok {
		t.Fatal("a still routes 10.2/16 after hold expiry")
	}
}

// Fast external fallover: carrier loss drops the session at once; TransportUp
// reconnects after EstablishDelay (1s) + 4 × latency (SYN, SYN-ACK, OPEN,
// KEEPALIVE).
func TestFastExternalFallover(t *testing.T) {
	n, sess := pair(t, timers30x90(), timers30x90())
	n.Start()
	n.Run(10 * s1)
	n.Cut(sess)
	if st := n.Speaker("a").SessionState(0); st != bgp.Idle {
		t.Fatalf("after cut: %v", st)
	}
	if _, ok := n.FIB[n.Index("a")][pfxB]; ok {
		t.Fatal("route kept after carrier loss")
	}
	n.Run(50 * s1) // link down: no attempts
	if got := n.Grep("bgp.session", "state=connect"); len(got) != 2 {
		t.Fatalf("attempts while carrier down: %v", got)
	}
	n.Restore(sess) // t = 60s
	n.Run(5 * s1)
	got := sessionLines(n, "a", "established")
	if len(got) != 2 || parseAt(t, got[1]) != 61*s1+40*ms {
		t.Fatalf("re-establish: %v", got)
	}
	if _, ok := n.FIB[n.Index("a")][pfxB]; !ok {
		t.Fatal("route not re-learned")
	}
}

// Admin reset: NOTIFICATION Cease, the resetting side reconnects at once;
// the other side, idle after the NOTIFICATION, accepts the new OPEN.
// Reset at 10s: b gets the NOTIFICATION at 10.010s; a sends its SYN at 11s
// (connect delay 1s), the SYN-ACK is back at 11.020s and a sends OPEN; b
// answers at 11.030s, a is Established at 11.040s: connect delay + two
// round trips (one for TCP, one for OPEN/KEEPALIVE).
func TestRFC4271_6_7_AdminReset(t *testing.T) {
	n, _ := pair(t, timers30x90(), timers30x90())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("a").ResetSession(0)
	n.Run(5 * s1)
	if got := n.Grep("router=b", "reason=notification-received"); len(got) != 1 || parseAt(t, got[0]) != 10*s1+10*ms {
		t.Fatalf("b notification: %v", n.Lines)
	}
	got := sessionLines(n, "a", "established")
	if len(got) != 2 || parseAt(t, got[1]) != 11*s1+40*ms {
		t.Fatalf("a re-established: %v", n.Lines)
	}
}

// Hold 0 on either side ⇒ no keepalives and no hold timer (RFC 4271 §4.2):
// a silent session stays Established forever.
func TestRFC4271_4_2_HoldZero(t *testing.T) {
	pa := timers30x90()
	pa.Hold = 0
	n, sess := pair(t, pa, timers30x90())
	n.Start()
	n.Run(10 * s1)
	n.Silence(sess, true)
	n.Run(1000 * s1)
	if st := n.Speaker("b").SessionState(0); st != bgp.Established {
		t.Fatalf("b: %v", st)
	}
}

func parseAt(t *testing.T, line string) sim.Time {
	t.Helper()
	i := 0
	for i < len(line) && line[i] != ' ' {
		i++
	}
	v, err := sim.ParseTime(line[:i])
	if err != nil {
		t.Fatal(err)
	}
	return v
}
