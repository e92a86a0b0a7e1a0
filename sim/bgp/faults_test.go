package bgp_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

func grPeer() bgp.PeerConfig {
	p := fast()
	p.GracefulRestart = 120 * s1
	return p
}

// RFC 4724 §4.2 helper: b restarts its control plane gracefully at 10s; the
// fabric tells a (TransportDown PeerRestart). a keeps b's route, stale, and
// its FIB never changes; b boots at 40s, reconnects at 41.02s and re-sends
// its table with End-of-RIB: the stale mark is cleared, nothing moved. b's
// own FIB (the restarting side) is kept through the restart too: after its
// selection deferral ends (End-of-RIB from a) nothing needs to change.
func TestRFC4724_GracefulRestartKeepsRoutes(t *testing.T) {
	n, _ := pair(t, grPeer(), grPeer())
	n.Start()
	n.Run(10 * s1)
	n.ResetCounters()
	n.Speaker("b").Restart(true)
	n.Speaker("a").TransportDown(0, bgp.PeerRestart)
	n.Run(30 * s1)
	if nh := n.FIB[n.Index("a")][pfxB]; !slices.Equal(nh, []int{0}) {
		t.Fatalf("a lost b's route during the restart: %v", nh)
	}
	if nh := n.FIB[n.Index("b")][pfxA]; !slices.Equal(nh, []int{0}) {
		t.Fatalf("b's FIB was flushed by a graceful restart: %v", nh)
	}
	n.Speaker("b").Boot()
	n.Run(30 * s1)
	if st := n.Speaker("a").SessionState(0); st != bgp.Established {
		t.Fatalf("a: %v", st)
	}
	if got := n.Grep("bgp.best a", "nexthops=[]"); len(got) != 0 {
		t.Fatalf("a's route flapped: %v", got)
	}
	if got := n.Grep("bgp.best b", "nexthops=[]"); len(got) != 0 {
		t.Fatalf("b's route flapped: %v", got)
	}
	// b re-sent the same route: a's best path is the same path with the
	// same attributes (in another set: an import's own), no change
	if got := n.Grep("bgp.best a"); len(got) != 0 {
		t.Fatalf("a's unchanged best path was recorded again: %v", got)
	}
	if nh := n.FIB[n.Index("a")][pfxB]; !slices.Equal(nh, []int{0}) {
		t.Fatalf("a after restart: %v", nh)
	}
	if nh := n.FIB[n.Index("b")][pfxA]; !slices.Equal(nh, []int{0}) {
		t.Fatalf("b after restart: %v", nh)
	}
}

// RFC 4724 §4.2: if the restarting peer does not come back within its restart
// time (120s), the stale routes are removed: restart at 10s ⇒ gone at 130s.
func TestRFC4724_StaleRoutesExpire(t *testing.T) {
	n, _ := pair(t, grPeer(), grPeer())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("b").Restart(true)
	n.Speaker("a").TransportDown(0, bgp.PeerRestart)
	n.Run(200 * s1)
	got := n.Grep("bgp.best a", "prefix=10.2.0.0/16", "nexthops=[]")
	if len(got) != 1 || parseAt(t, got[0]) != 130*s1 {
		t.Fatalf("stale expiry: %v", got)
	}
}

// Restarting side: a prefix that disappeared while b was restarting is
// removed from b's FIB when its deferral ends (End-of-RIB from a). a stops
// originating 10.1/16 during b's restart and originates 10.3/16 instead.
func TestRFC4724_RestartingSideReconciles(t *testing.T) {
	pfxC := netip.MustParsePrefix("10.3.0.0/16")
	n, _ := pair(t, grPeer(), grPeer())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("b").Restart(true)
	n.Speaker("a").TransportDown(0, bgp.PeerRestart)
	n.Speaker("a").WithdrawOrigin(pfxA)
	n.Speaker("a").Originate(pfxC)
	n.Run(10 * s1)
	if _, ok := n.FIB[n.Index("b")][pfxA]; !ok {
		t.Fatal("b's FIB should still hold 10.1/16 while restarting")
	}
	n.Speaker("b").Boot() // t = 20s; established 21.02s; a's dump + EoR processed 21.03s
	n.Run(10 * s1)
	if _, ok := n.FIB[n.Index("b")][pfxA]; ok {
		t.Fatal("stale 10.1/16 still in b's FIB after re-sync")
	}
	if _, ok := n.FIB[n.Index("b")][pfxC]; !ok {
		t.Fatal("b did not learn 10.3/16")
	}
}

// Restart without graceful restart: b's FIB is flushed at once, a drops b's
// routes at once (no GR negotiated).
func TestRestartNonGraceful(t *testing.T) {
	n, _ := pair(t, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("b").Restart(false)
	n.Speaker("a").TransportDown(0, bgp.PeerRestart)
	if _, ok := n.FIB[n.Index("b")][pfxA]; ok {
		t.Fatal("b kept its FIB")
	}
	if _, ok := n.FIB[n.Index("a")][pfxB]; ok {
		t.Fatal("a kept b's route without GR")
	}
	n.Speaker("b").Boot()
	n.Run(10 * s1)
	if _, ok := n.FIB[n.Index("a")][pfxB]; !ok {
		t.Fatal("not re-learned")
	}
}

// Max-prefix: a accepts at most 2 prefixes from b; b originates 3 ⇒ a sends
// NOTIFICATION and the session drops (a: max-prefix-exceeded, b:
// notification-received); b's retry is refused while a waits out its
// connect-retry (10s), then a reconnects and it happens again.
func TestMaxPrefixTeardown(t *testing.T) {
	pa := fast()
	pa.MaxPrefix = 2
	n := bgptest.New(1)
	n.Record = true
	var pfx []netip.Prefix
	for i := range 3 {
		pfx = append(pfx, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16))
	}
	n.AddRouter(bgp.Config{Name: "a", ASN: 1})
	n.AddRouter(bgp.Config{Name: "b", ASN: 2, Originate: pfx})
	n.Connect("a", "b", 10*ms, pa, fast())
	n.Start()
	n.Run(15 * s1)
	a := n.Grep("bgp.session", "router=a", "reason=max-prefix-exceeded")
	b := n.Grep("bgp.session", "router=b", "reason=notification-received")
	// Established 1.04s, b's dump arrives 1.05s ⇒ teardown 1.05s, b told at
	// 1.06s. Both retry after 10s: a enters Connect at 11.05s and sends its
	// SYN at 12.05s; b (Connect at 11.06s) sends its own at 12.06s and
	// answers a's. a gets the SYN-ACK at 12.07s (OPEN out), b at 12.08s
	// (OPEN out, and a's OPEN answered); a answers b's OPEN and is
	// Established at 12.09s, b at 12.10s, and b's dump reaches a at 12.11s:
	// torn down again.
	if len(a) != 2 || parseAt(t, a[0]) != 1050*ms || parseAt(t, a[1]) != 12110*ms {
		t.Fatalf("a: %v\n%v", a, n.Lines)
	}
	if len(b) != 2 || parseAt(t, b[0]) != 1060*ms {
		t.Fatalf("b: %v", b)
	}
	if len(n.FIB[n.Index("a")]) != 0 {
		t.Fatalf("a kept routes: %v", n.FIB[n.Index("a")])
	}
}

// Control-plane hang with 30/90 timers: b hangs at 10s and sends no more
// keepalives (its last went at 1.02s + 0 … 10s, i.e. ≤ 10s). a's hold timer
// expires ≤ 90s after the last keepalive it got, in (70s, 100s]. b resumes at
// 200s: it replays the NOTIFICATION a sent and a's new OPENs, drops and
// re-establishes; routes come back.
func TestControlPlaneHang(t *testing.T) {
	n, _ := pair(t, timers30x90(), timers30x90())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("b").SetHung(true)
	n.Run(190 * s1)
	got := n.Grep("bgp.session", "router=a", "reason=hold-timer-expired")
	if len(got) != 1 || parseAt(t, got[0]) <= 70*s1 || parseAt(t, got[0]) > 100*s1 {
		t.Fatalf("a hold expiry: %v", got)
	}
	if st := n.Speaker("b").SessionState(0); st != bgp.Established {
		t.Fatalf("hung b changed state: %v", st)
	}
	n.Speaker("b").SetHung(false)
	n.Run(20 * s1)
	if st := n.Speaker("a").SessionState(0); st != bgp.Established {
		t.Fatalf("a after resume: %v\n%v", st, n.Lines)
	}
	if _, ok := n.FIB[n.Index("a")][pfxB]; !ok {
		t.Fatal("a did not re-learn b's route")
	}
}

// Provider control-plane outage: b stops processing UPDATEs at 10s; the
// session stays up (keepalives continue); a's new prefix reaches b's RIB only
// when processing resumes at 300s.
func TestUpdatesPaused(t *testing.T) {
	pfxC := netip.MustParsePrefix("10.3.0.0/16")
	n, _ := pair(t, timers30x90(), timers30x90())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("b").SetUpdatesPaused(true)
	n.Speaker("a").Originate(pfxC)
	n.Run(290 * s1)
	if _, _, ok := n.Speaker("b").Best(pfxC); ok || n.Speaker("b").QueueLen() != 1 {
		t.Fatalf("paused b processed the update (queue %d)", n.Speaker("b").QueueLen())
	}
	if st := n.Speaker("a").SessionState(0); st != bgp.Established {
		t.Fatalf("session dropped: %v", st)
	}
	n.Speaker("b").SetUpdatesPaused(false)
	n.Run(s1)
	if _, _, ok := n.Speaker("b").Best(pfxC); !ok {
		t.Fatal("not processed after resume")
	}
}

// Crash and boot: the crashed router's peers drop at once (carrier), routes
// through it go; after Boot everything comes back.
func TestCrashBoot(t *testing.T) {
	n, _ := pair(t, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	n.Crash("b")
	if _, ok := n.FIB[n.Index("a")][pfxB]; ok {
		t.Fatal("a kept route to crashed b")
	}
	n.Run(10 * s1)
	n.Boot("b")
	n.Run(10 * s1)
	if _, ok := n.FIB[n.Index("a")][pfxB]; !ok {
		t.Fatal("a did not re-learn")
	}
	if _, ok := n.FIB[n.Index("b")][pfxA]; !ok {
		t.Fatal("b did not re-learn")
	}
}

// Route leak: b announces 10.9/16 toward a with a forged path [64999]; a
// installs it with path [65002 64999]; withdrawing the leak removes it.
func TestRouteLeakAnnounce(t *testing.T) {
	leak := netip.MustParsePrefix("10.9.0.0/16")
	n, _ := pair(t, fast(), fast())
	n.Start()
	n.Run(10 * s1)
	n.Speaker("b").Announce(0, []bgp.Route{{Prefix: leak, ASPath: []uint32{64999}}})
	n.Run(s1)
	r, _, ok := n.Speaker("a").Best(leak)
	if !ok || !slices.Equal(r.ASPath, []uint32{65002, 64999}) {
		t.Fatalf("leak at a: %+v %v", r, ok)
	}
	n.Speaker("b").WithdrawAnnounced(0, nil)
	n.Run(s1)
	if _, _, ok := n.Speaker("a").Best(leak); ok {
		t.Fatal("leak not withdrawn")
	}
}

// Determinism: the same scenario twice gives the same trace, line for line.
func TestDeterministicTrace(t *testing.T) {
	run := func() []string {
		n := clique(5, 0, 0)
		n.Record = true
		n.Start()
		n.Run(30 * s1)
		n.Speaker("as0").WithdrawOrigin(pfxP)
		n.Run(30 * s1)
		return n.Lines
	}
	a, b := run(), run()
	if !slices.Equal(a, b) || len(a) == 0 {
		t.Fatal("traces differ")
	}
}
