// Package bfd models a single-hop BFD session (RFC 5880/5881) between two
// routers in asynchronous mode.
//
// Each end transmits a control packet every Interval at its own phase; an end
// declares the session down when it has received nothing for
// Multiplier × Interval. While the path is healthy and both senders run, no
// per-packet events are simulated: a failure of the path at time t_f (or the
// peer's sender stopping) is detected at
//
//	s + latency + Multiplier × Interval
//
// where s is the peer's last transmission at or before t_f. s lies in
// (t_f − Interval, t_f], so detection comes between (Multiplier − 1) ×
// Interval and Multiplier × Interval after the failure, depending on phase
// (RFC 5880 §6.8.4). With a partial loss ratio the packets are simulated one
// by one and the session goes down after Multiplier consecutive losses.
//
// Jitter and slack (RFC 5880 §6.8.7): an end whose BFD runs in the routing
// process (Config.Soft) reduces each transmit interval by a random 0–25%
// (10–25% with multiplier 1), and its detection timer fires up to
// Config.Slack late (the event loop's timer slack): its detection comes in
// (last packet + Multiplier × Interval, … + Slack]. Its packets no longer
// lie on a fixed grid, so at a failure the time since the peer's last
// transmission is drawn from the renewal process's equilibrium: the gap
// covering the failure is length-biased among [lo, hi]·Interval and the
// failure falls uniformly inside it. An offloaded end (Soft false) keeps
// the exact grid and the exact detection time.
//
// Coming back: the three-way handshake (Down → Init → Up) runs at the slow
// transmit rate of at least one second while not Up (§6.8.3), so the session
// is Up again max(1s, Interval) + latency after the path heals.
package bfd

import (
	"math"
	"math/rand/v2"

	"github.com/netdrill/netdrill/sim"
)

// Config is a session's timers.
type Config struct {
	Interval   sim.Time // desired min tx = required min rx
	Multiplier int      // detect multiplier
	// Soft: end e runs BFD in its routing process (jittered transmissions,
	// detection up to Slack[e] late); false = offloaded, exact timing.
	Soft  [2]bool
	Slack [2]sim.Time
}

// DetectionTime is Multiplier × Interval.
func (c Config) DetectionTime() sim.Time { return sim.Time(c.Multiplier) * c.Interval }

// Notify is called when an end changes state. reason is one of
// "detect-timeout", "neighbor-down", "path-restored".
type Notify func(end int, up bool, reason string)

// Session is one BFD session; ends are indexed 0 and 1.
type Session struct {
	eng     *sim.Engine
	name    string
	routers [2]string
	cfg     Config
	latency sim.Time
	rng     *rand.Rand
	tracer  sim.Tracer
	notify  Notify

	phase   [2]sim.Time // tx phase of each end, in [0, Interval)
	sending [2]bool     // end's BFD is transmitting
	up      [2]bool     // end's view of the session
	loss    float64     // path loss ratio, both directions

	detect  [2]*sim.Timer // end e declares down when this fires
	upTimer *sim.Timer
	tick    [2]*sim.Timer // per-packet simulation of the peer's tx towards end e (partial loss only)
	lastRx  [2]sim.Time
	nextJit [2]sim.Time // a soft peer's next transmission after lastTx (jittered gap)

	// tracing without allocating: the routers, states and reasons boxed
	// once, and one attribute buffer
	box   [2]struct{ router, state, reason sim.String }
	attrs [4]sim.Attr
}

// New returns a session that is Up at the current time with both senders
// running. The phases are drawn from r.
func New(eng *sim.Engine, name string, routers [2]string, cfg Config, latency sim.Time, r *rand.Rand, tracer sim.Tracer, notify Notify) *Session {
	if cfg.Multiplier < 1 {
		cfg.Multiplier = 1
	}
	if cfg.Interval <= 0 {
		cfg.Interval = sim.Second
	}
	s := &Session{eng: eng, name: name, routers: routers, cfg: cfg, latency: latency, rng: r, tracer: tracer, notify: notify}
	for e := 0; e < 2; e++ {
		e := e
		s.phase[e] = sim.Time(r.Int64N(int64(cfg.Interval)))
		s.sending[e] = true
		s.up[e] = true
		s.detect[e] = eng.NewTimer(func() { s.down(e, "detect-timeout") })
		s.tick[e] = eng.NewTimer(func() { s.packet(e) })
	}
	s.upTimer = eng.NewTimer(s.comeUp)
	return s
}

// Name returns the session name.
func (s *Session) Name() string { return s.name }

// Config returns the session timers.
func (s *Session) Config() Config { return s.cfg }

// Up reports whether end e considers the session up.
func (s *Session) Up(e int) bool { return s.up[e] }

// jitterRange is the range of a soft end's transmit interval (RFC 5880
// §6.8.7: reduced by 0–25%, by 10–25% with multiplier 1).
func (s *Session) jitterRange() (lo, hi float64) {
	I := float64(s.cfg.Interval)
	if s.cfg.Multiplier == 1 {
		return 0.75 * I, 0.9 * I
	}
	return 0.75 * I, I
}

// jitteredGap draws one transmit interval of a soft end.
func (s *Session) jitteredGap() sim.Time {
	lo, hi := s.jitterRange()
	return sim.Time(lo + s.rng.Float64()*(hi-lo))
}

// lastTx returns the last transmission time of end o at or before t (for a
// soft end, drawn; nextJit[o] then holds its next transmission).
func (s *Session) lastTx(o int, t sim.Time) sim.Time {
	if s.cfg.Soft[o] {
		lo, hi := s.jitterRange()
		gap := math.Sqrt(lo*lo + s.rng.Float64()*(hi*hi-lo*lo)) // length-biased
		age := sim.Time(s.rng.Float64() * gap)
		s.nextJit[o] = t - age + sim.Time(gap)
		if s.nextJit[o] <= t {
			s.nextJit[o] = t + 1
		}
		return t - age
	}
	I := s.cfg.Interval
	if t < s.phase[o] {
		return s.phase[o] - I
	}
	return t - (t-s.phase[o])%I
}

// detectAt is when end e declares the session down, counting from a packet
// sent at last: the detection time after its arrival, plus end e's timer
// slack when its BFD runs in the routing process.
func (s *Session) detectAt(e int, last sim.Time) sim.Time {
	at := last + s.latency + s.cfg.DetectionTime()
	if s.cfg.Soft[e] && s.cfg.Slack[e] > 0 {
		at += sim.Time((1 - s.rng.Float64()) * float64(s.cfg.Slack[e])) // (0, Slack]
	}
	return at
}

// LastRx returns the transmission time of the last packet end e counts its
// detection from (valid while its detection timer is armed; for tests).
func (s *Session) LastRx(e int) sim.Time { return s.lastRx[e] }

// receiving reports whether end e currently receives the peer's packets reliably.
func (s *Session) receiving(e int) bool { return s.sending[1-e] && s.loss == 0 }

// SetPathLoss sets the loss ratio of the path in both directions: 0 healthy,
// 1 nothing crosses (a dead, silent or dark link), in between a gray failure.
func (s *Session) SetPathLoss(loss float64) {
	if loss < 0 {
		loss = 0
	}
	if loss > 1 {
		loss = 1
	}
	s.loss = loss
	s.reevaluate()
}

// SetSender starts or stops end e's transmissions: a software BFD stops
// when the routing process hangs; any BFD stops when the box crashes.
func (s *Session) SetSender(e int, running bool) {
	if s.sending[e] == running {
		return
	}
	s.sending[e] = running
	if running && !s.up[1-e] && s.up[e] {
		// The peer has declared the session down; its Down packets reach
		// this end as soon as this end listens again.
		s.down(e, "neighbor-down")
	}
	s.reevaluate()
}

// reevaluate arms or cancels detection and recovery after any change.
func (s *Session) reevaluate() {
	now := s.eng.Now()
	for e := 0; e < 2; e++ {
		if !s.sending[e] {
			// An end that does not run BFD detects nothing.
			s.detect[e].Stop()
			s.tick[e].Stop()
			continue
		}
		o := 1 - e
		switch {
		case !s.up[e]:
			s.detect[e].Stop()
			s.tick[e].Stop()
		case s.receiving(e):
			s.detect[e].Stop()
			s.tick[e].Stop()
		case !s.sending[o] || s.loss >= 1:
			// Nothing more arrives: down Multiplier×Interval after the
			// last packet that got through.
			// If a partial loss preceded this, the detect timer is already
			// armed from the last packet that got through; keep it.
			s.tick[e].Stop()
			if !s.detect[e].Armed() {
				s.lastRx[e] = s.lastTx(o, now)
				_ = s.detect[e].Reset(maxTime(now, s.detectAt(e, s.lastRx[e])))
			}
		default:
			// Partial loss: simulate the peer's packets one by one.
			if !s.tick[e].Armed() {
				s.lastRx[e] = s.lastTx(o, now)
				next := s.lastRx[e] + s.cfg.Interval
				if s.cfg.Soft[o] {
					next = s.nextJit[o]
				}
				_ = s.detect[e].Reset(maxTime(now, s.detectAt(e, s.lastRx[e])))
				_ = s.tick[e].Reset(next)
			}
		}
	}
	healthy := s.loss == 0 && s.sending[0] && s.sending[1]
	if healthy && (!s.up[0] || !s.up[1]) {
		if !s.upTimer.Armed() {
			slow := s.cfg.Interval
			if slow < sim.Second {
				slow = sim.Second
			}
			s.upTimer.ResetAfter(slow + s.latency)
		}
	} else {
		s.upTimer.Stop()
	}
}

// packet is the arrival (or loss) of one of the peer's packets at end e.
func (s *Session) packet(e int) {
	now := s.eng.Now()
	if s.rng.Float64() >= s.loss {
		s.lastRx[e] = now
		_ = s.detect[e].Reset(s.detectAt(e, now))
	}
	gap := s.cfg.Interval
	if s.cfg.Soft[1-e] {
		gap = s.jitteredGap()
	}
	_ = s.tick[e].Reset(now + gap)
}

func (s *Session) down(e int, reason string) {
	s.detect[e].Stop()
	s.tick[e].Stop()
	if !s.up[e] {
		return
	}
	s.up[e] = false
	s.trace(e, "down", reason)
	if s.notify != nil {
		s.notify(e, false, reason)
	}
	// Once one end is down it sends State=Down; a listening peer follows.
	o := 1 - e
	if s.up[o] && s.sending[o] && s.sending[e] && s.loss < 1 {
		s.down(o, "neighbor-down")
	}
	s.reevaluate()
}

func (s *Session) comeUp() {
	for e := 0; e < 2; e++ {
		if !s.up[e] {
			s.up[e] = true
			s.trace(e, "up", "path-restored")
			if s.notify != nil {
				s.notify(e, true, "path-restored")
			}
		}
	}
}

func (s *Session) trace(e int, state, reason string) {
	if s.tracer == nil {
		return
	}
	b, p := &s.box[e], &s.box[1-e]
	s.attrs = [4]sim.Attr{sim.A("router", b.router.Of(s.routers[e])), sim.A("peer", p.router.Of(s.routers[1-e])),
		sim.A("state", b.state.Of(state)), sim.A("reason", b.reason.Of(reason))}
	s.tracer.Trace(s.eng.Now(), "bfd.state", s.name, s.attrs[:]...)
}

func maxTime(a, b sim.Time) sim.Time {
	if a > b {
		return a
	}
	return b
}
