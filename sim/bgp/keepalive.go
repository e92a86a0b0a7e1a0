package bgp

import (
	"slices"
	"sync/atomic"

	"github.com/netdrill/netdrill/sim"
)

// Computed keepalives (DESIGN.md, "Idle time is free").
//
// A KEEPALIVE has one effect: the receiver re-arms its hold timer. While a
// direction of a session is regular — the sender runs, is not hung, is in
// OpenConfirm or Established with a keepalive interval; the path carries
// every packet (no chance involved); the receiver runs, is not hung and is
// not in OpenConfirm (where a KEEPALIVE moves the FSM) — nothing about its
// keepalives is simulated: the sender's keepalive timer and the receiver's
// hold timer are not armed. The sender keeps kaBase, the time of its last
// real transmission (an UPDATE, or the phase of the keepalive timer when the
// direction became regular); its keepalives go out at kaBase + k·ka.
//
// When the direction stops being regular at time t (the path changes, a
// speaker hangs, crashes or changes state), the state event-by-event
// simulation would have is rebuilt from that phase: keepalives sent before t
// count as sent; those that arrived before t re-armed the hold timer, so it
// expires hold after the last of them (or after a real message that arrived
// later); those still in flight are delivered as real messages; the
// sender's keepalive timer is armed for its next transmission. From then on
// the direction is simulated message by message until it is regular again.
//
// Only the fabric knows both ends and the path: it calls Wire once per
// session and SetPath when the path changes. An unwired session (bgptest)
// is always simulated message by message.

// eventKeepalives makes Wire a no-op: every keepalive is simulated.
var eventKeepalives atomic.Bool

// SetEventKeepalives switches computed keepalives off (on = true) for
// sessions wired after the call. It exists for tests that prove the
// computed mode gives byte-identical traces; the returned function restores
// the previous setting.
func SetEventKeepalives(on bool) (restore func()) {
	old := eventKeepalives.Swap(on)
	return func() { eventKeepalives.Store(old) }
}

// Wire tells two speakers that session a.Peers[ai] and b.Peers[bi] are the
// two ends of one session over a path of the given one-way latency that
// currently carries every packet, so that their keepalives can be computed
// instead of simulated while the session is healthy. Without Wire (or under
// SetEventKeepalives(true)) every keepalive is a message.
func Wire(a *Speaker, ai int, b *Speaker, bi int, latency sim.Time) {
	if eventKeepalives.Load() {
		return
	}
	pa, pb := a.peers[ai], b.peers[bi]
	pa.rs, pa.rp = b, pb
	pb.rs, pb.rp = a, pa
	pa.lat, pb.lat = latency, latency
	pa.pathOK, pb.pathOK = true, true
	a.syncPeer(pa)
}

// SetPath tells the speaker that the path under session peer changed: ok
// means every packet crosses (a link that loses some or all packets is not
// ok), latency is the one-way latency from now on. It updates both ends of
// a wired session; on an unwired one it does nothing.
func (s *Speaker) SetPath(peer int, ok bool, latency sim.Time) {
	p := s.peers[peer]
	if p.rp == nil || (p.pathOK == ok && p.lat == latency) {
		return
	}
	// What was sent so far went at the old latency.
	if p.kaV {
		p.materialize()
	}
	if p.rp.kaV {
		p.rp.materialize()
	}
	p.pathOK, p.rp.pathOK = ok, ok
	p.lat, p.rp.lat = latency, latency
	s.syncPeer(p)
}

// regular reports whether p's owner's keepalives towards the peer can be
// computed (see above).
func (p *peer) regular() bool {
	s, r, rs := p.own, p.rp, p.rs
	return rs != nil && p.pathOK && s.running && !s.hung && (p.state == OpenConfirm || p.state == Established) &&
		p.ka > 0 && rs.running && !rs.hung && r.state != OpenConfirm
}

// syncPeer brings both directions of p's session to the mode their
// conditions call for.
func (s *Speaker) syncPeer(p *peer) {
	if p.rp == nil {
		return
	}
	p.sync()
	p.rp.sync()
}

func (s *Speaker) syncAll() {
	for _, p := range s.peers {
		s.syncPeer(p)
	}
}

func (p *peer) sync() {
	reg := p.regular()
	switch {
	case p.kaV && !reg:
		p.materialize()
	case !p.kaV && reg:
		p.virtualize()
	}
}

// virtualize stops simulating p's keepalives and the peer's hold timer.
// It declines when the hold timer would fire before the next keepalive
// arrives (a hold timer overdue after a hang): then the direction stays
// simulated and armHold tries again at the next arrival.
func (p *peer) virtualize() {
	now := p.own.eng.Now()
	r := p.rp
	next := now + p.ka
	if p.kaTimer.Armed() {
		next = p.kaTimer.When()
	}
	if r.holdTimer.Armed() && r.holdTimer.When() <= next+p.lat {
		return
	}
	if p.kaTimer.Armed() {
		p.kaBase = p.kaTimer.When() - p.ka
		p.kaTimer.Stop()
	} else {
		p.kaBase = now // OPEN just received: armKA follows at once
	}
	if r.holdTimer.Armed() {
		r.lastRx = r.holdTimer.When() - r.hold
		r.holdTimer.Stop()
	}
	p.kaFlight = p.kaFlight[:0]
	p.kaV = true
}

// fold accounts for the computed keepalives sent before t under the current
// kaBase: those that arrived before t move the receiver's lastRx, those
// still in flight are remembered in kaFlight. A keepalive due exactly at t
// counts as not yet sent, one arriving exactly at t as still in flight (an
// event at t that changes things was, as a rule, scheduled earlier).
func (p *peer) fold(t sim.Time) {
	r := p.rp
	keep := p.kaFlight[:0]
	for _, a := range p.kaFlight {
		if a < t {
			r.lastRx = max(r.lastRx, a)
		} else {
			keep = append(keep, a)
		}
	}
	p.kaFlight = keep
	if t-p.kaBase <= p.ka {
		return // no keepalive sent strictly before t
	}
	// keepalives kaBase + k·ka for k = 1..n went out strictly before t
	n := (t - p.kaBase - 1) / p.ka
	for k := n; k >= 1; k-- {
		a := p.kaBase + k*p.ka + p.lat
		if a < t {
			r.lastRx = max(r.lastRx, a) // and every earlier one arrived too
			break
		}
		p.kaFlight = append(p.kaFlight, a)
	}
}

// rebase records a real transmission (an UPDATE) at now: the keepalive
// timer restarts from it (RFC 4271 §4.4).
func (p *peer) rebase() {
	now := p.own.eng.Now()
	p.fold(now)
	p.kaBase = now
}

// materialize rebuilds the timers and messages that event-by-event
// simulation of p's keepalives would have at this instant.
func (p *peer) materialize() {
	s, r, rs := p.own, p.rp, p.rs
	now := s.eng.Now()
	p.fold(now)
	slices.Sort(p.kaFlight)
	for _, a := range p.kaFlight {
		_ = s.eng.At(a, func() { rs.Receive(r.idx, s.kaMsg) })
	}
	p.kaFlight = p.kaFlight[:0]
	if s.running && (p.state == OpenConfirm || p.state == Established) && p.ka > 0 {
		// next keepalive: the first kaBase + k·ka (k ≥ 1) at or after now
		next := p.kaBase + p.ka
		if next < now {
			next += (now - next + p.ka - 1) / p.ka * p.ka
		}
		_ = p.kaTimer.Reset(next)
	}
	if rs.running && (r.state == OpenConfirm || r.state == Established) && r.hold > 0 {
		_ = r.holdTimer.Reset(max(now, r.lastRx+r.hold))
	}
	p.kaV = false
}

// armKA restarts the keepalive timer after a transmission.
func (s *Speaker) armKA(p *peer) {
	if p.kaV {
		p.rebase()
		return
	}
	p.kaTimer.ResetAfter(p.ka)
}
