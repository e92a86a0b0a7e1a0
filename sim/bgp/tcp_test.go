package bgp_test

import (
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
)

// A silent path, then a repair: a's hold timer drops the session, a waits
// connect-retry (20s), enters Connect and after its connect delay (1s)
// sends a SYN at S; unanswered, it is retransmitted at S+1, S+3, S+7,
// S+15, S+31, S+63 (RFC 6298: RTO 1s, doubling; 6 retries). b never
// connects (connect-retry 1h), so the session comes back exactly when the
// first SYN sent after the repair arrives: Established at that SYN +
// 4 × latency (SYN, SYN-ACK, OPEN, KEEPALIVE). Over the dead path the
// session never leaves Connect. Repairs at 25 instants spread over the
// retransmission schedule, each checked against the hand-computed SYN.
func TestSynRetransmissionAfterRepair(t *testing.T) {
	retrans := []sim.Time{0, 1, 3, 7, 15, 31, 63} // seconds after S
	for k := 0; k < 25; k++ {
		pa := timers30x90()
		pa.Keepalive, pa.Hold, pa.ConnectRetry = 3*s1, 9*s1, 200*s1
		pb := pa
		pb.ConnectRetry = 3600 * s1
		n, sess := pair(t, pa, pb)
		n.Start()
		n.Run(10 * s1)
		n.Silence(sess, true) // t = 10s
		n.Run(30 * s1)        // a's hold expired in (16s, 19s]
		idle := sessionLines(n, "a", "idle")
		if len(idle) != 1 {
			t.Fatalf("a idle: %v", idle)
		}
		S := parseAt(t, idle[0]) + 200*s1 + s1 // connect-retry, then the connect delay
		repair := S + sim.Time(k)*(2600*ms)    // 0 … 62.4s after S
		n.RunUntil(repair)
		if got := n.Grep("bgp.session", "router=a", "state=opensent"); len(got) != 1 {
			t.Fatalf("repair %d: a reached OpenSent over a dead path: %v", k, got)
		}
		n.Silence(sess, false)
		n.Run(100 * s1)
		var first sim.Time
		for _, r := range retrans {
			if S+r*s1 > repair { // one sent at the repair instant went before it
				first = S + r*s1
				break
			}
		}
		got := sessionLines(n, "a", "established")
		if len(got) != 2 || parseAt(t, got[1]) != first+40*ms {
			t.Fatalf("repair at S+%v: established %v, want %v", repair-S, got, first+40*ms)
		}
	}
}

// All retransmissions unanswered: after the last one (S+63s) the attempt
// times out after one more RTO (64s) at S+127s: Active, reason
// connect-failed; connect-retry, armed when the SYN went out, starts the
// next attempt at S+200s.
func TestSynGivesUp(t *testing.T) {
	pa := timers30x90()
	pa.ConnectRetry = 200 * s1
	pb := pa
	pb.ConnectRetry = 3600 * s1
	n, sess := pair(t, pa, pb)
	n.Build()
	n.Silence(sess, true)
	n.Speaker("a").Start() // S = 1s
	n.Run(250 * s1)
	if got := n.Grep("bgp.session", "router=a", "state=active", "reason=connect-failed"); len(got) != 1 || parseAt(t, got[0]) != 128*s1 {
		t.Fatalf("timeout: %v", n.Lines)
	}
	if got := n.Grep("bgp.session", "router=a", "state=connect"); len(got) != 2 || parseAt(t, got[1]) != 201*s1 {
		t.Fatalf("next attempt: %v", got)
	}
	if st := n.Speaker("a").SessionState(0); st != bgp.Connect {
		t.Fatalf("a: %v", st)
	}
}

// TransportUp while SYNs are unanswered (BFD up, where the profile
// connects on it): a new SYN goes out at once, so the session is back 4 ×
// latency after it, not at the next retransmission. Silence from 0, a
// starts at 0: SYNs at 1s, 2s, 4s; TransportUp at 5.5s ⇒ SYN at 5.5s,
// Established at 5.54s (the retransmission would have been at 8s).
func TestTransportUpSendsSyn(t *testing.T) {
	pa := timers30x90()
	pa.ConnectRetry = 200 * s1
	pb := pa
	pb.ConnectRetry = 3600 * s1
	n, sess := pair(t, pa, pb)
	n.Build()
	n.Speaker("b").Start()
	n.Run(0)
	n.Silence(sess, true)
	n.Speaker("a").Start()
	n.RunUntil(5500 * ms)
	n.Silence(sess, false)
	n.Speaker("a").TransportUp(0)
	n.Run(10 * s1)
	if got := sessionLines(n, "a", "established"); len(got) != 1 || parseAt(t, got[0]) != 5540*ms {
		t.Fatalf("a established %v, want at 5.54s", got)
	}
}
