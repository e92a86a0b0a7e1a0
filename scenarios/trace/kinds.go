package trace

// Event kinds: the one list. The simulator emits these strings (it cannot
// import this package); the reader rejects any other kind, and a test runs
// every example and checks that each kind it emits is listed here.
const (
	KindFaultInject = "fault.inject" // subject: fault id; fault, target, links, routers
	KindFaultRepair = "fault.repair" // as fault.inject
	KindFaultError  = "fault.error"  // subject: fault id; error (a fault that could not apply)
	KindLinkState   = "link.state"   // subject: link; state, reason
	KindBFDState    = "bfd.state"    // subject: session; router, peer, state, reason
	KindBGPSession  = "bgp.session"  // subject: session; router, peer, link, from, state, reason
	KindBGPUpdate   = "bgp.update"   // subject: router; peer, dir, announce, withdraw
	KindBGPBest     = "bgp.best"     // subject: router; prefix, nexthops, rule
	KindFIBChange   = "fib.change"   // subject: router; prefix, nexthops
	KindFlowRate    = "flow.rate"    // subject: demand; offered, delivered, one key per loss cause
	KindLinkLoad    = "link.load"    // subject: link; load, capacity, dropped
	KindPoolLoad    = "pool.load"    // subject: pool; load, capacity, background, dropped
	KindRunEnd      = "run.end"      // subject: scenario; events, sha256 (the trailer)
	// KindCheckpoint is a drill checkpoint reached, evaluated on the
	// metrics of [0, t): subject: checkpoint id; narrative, passed,
	// measured (one "metric = value (expected …)" per expectation).
	KindCheckpoint = "drill.checkpoint"
)

// Kinds lists every event kind, in the order above.
var Kinds = []string{
	KindFaultInject, KindFaultRepair, KindFaultError, KindLinkState, KindBFDState,
	KindBGPSession, KindBGPUpdate, KindBGPBest, KindFIBChange, KindFlowRate,
	KindLinkLoad, KindPoolLoad, KindRunEnd, KindCheckpoint,
}

// KnownKind reports whether k is an event kind of this format.
func KnownKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}
