package bgp

import (
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

const defaultConnectRetry = 120 * sim.Second

// Speaker is one router's BGP speaker: a deterministic step machine driven by
// the engine's events (Receive, TransportDown/Up, timer callbacks). It never
// blocks and never uses goroutines.
type Speaker struct {
	eng     *sim.Engine
	cfg     Config
	tr      Transport
	l       Listener
	lid     IDListener    // l, when it takes prefix IDs and the table is shared
	lblock  BlockListener // l, when it takes a block's change in one call
	counter sim.Counter   // tracer, when it may only count some kinds
	tracer  sim.Tracer
	cluster uint32

	peers   []*peer
	tab     *attrTab // interned attribute sets of every path, best path and Adj-RIB-Out entry (the prefix table's)
	pfx     *Prefixes
	local   []int32 // per prefix ID: index into dests + 1 (0 = none)
	dests   []dest
	origins []netip.Prefix // the caller's Config.Originate until changed (ownOrigins)
	ownsOrg bool           // origins is the speaker's own copy

	// inbound UPDATE queue, processed in order with delays
	q         []inItem
	qHead     int
	busy      bool // q[qHead] is being processed (procTimer armed)
	procTimer *sim.Timer

	running bool // started and not crashed
	hung    bool
	paused  bool
	backlog []func() // work that arrived while hung, in order
	timers  []*sim.Timer
	saved   []sim.Time

	// graceful restart, restarting side (RFC 4724 §4.1)
	gracefulBoot bool
	deferring    bool
	deferTimer   *sim.Timer

	holdOut  bool // inside an input batch: settle does not flush
	batchN   int
	maxBatch int

	// scratch, reused
	gen     uint32
	touched []int32
	cands   []cand
	base    []cand // per peer: what the decision process knows of its session (cand)
	nh      []int
	order   []int
	// Loc-RIB next-hop sets, interned (nhsets.go): nhSets[0] is the empty set.
	nhSets [][]int
	nhIdx  map[string]int32
	nhLast int32 // the set nhSet returned last
	nhKey  []byte
	nhAny  []any // the trace names of each set ([]string), boxed; nil: not built yet
	// trace without allocating (tracebox.go)
	ab     []sim.Attr
	nameBx box
	annIdx []int32
	// flush's buffers for the UPDATE it builds (copied into the message)
	annBuf  []*attrs
	wdBuf   []netip.Prefix
	wdIDBuf []int32

	kaMsg *Message
	rng   *rand.Rand // MRAI jitter (created on first use)
	// export classes (exportclass.go); shared: those with two peers or more
	classes   []exportClass
	shared    []int32
	noClasses bool // SetExportClasses(false) when created
}

type inItem struct {
	peer  int
	epoch uint32
	m     *Message
}

// peer is the runtime state of one session.
type peer struct {
	cfg      PeerConfig
	idx      int
	ibgp     bool
	state    State
	epoch    uint32 // bumped on every session drop; stale queued UPDATEs are discarded
	linkDown bool   // carrier lost or shut down: no connection attempts until TransportUp
	noAccept bool   // max-prefix penalty: refuse OPENs until connect-retry fires
	hold, ka sim.Time
	grNeg    bool     // GR negotiated on the current/last session
	grTime   sim.Time // peer's advertised restart time
	openSent bool
	openMsg  [2]*Message // the OPENs last sent (Reply unset, set): immutable, sent again while equal
	openAt   sim.Time    // when our last OPEN went out
	// TCP connection attempt (Connect state): synSent once the first SYN
	// of attempt conn went out; synN retransmissions so far.
	synSent bool
	conn    uint32
	synN    int
	export  []Rule
	class   int32 // export class (exportclass.go)

	connTimer, holdTimer, kaTimer, mraiTimer, staleTimer, synTimer *sim.Timer
	expTimer                                                       *sim.Timer // hold expired: teardown after HoldExpiryDelay
	expiring                                                       bool

	adjOutState
	needEoR bool
	waitEoR bool // restarting side waits for this peer's End-of-RIB

	count int // paths from this peer in Adj-RIB-In (stale included)
	stale int

	inject      map[netip.Prefix]Route // route-leak fault (Announce)
	memo        memo                   // the last import from and export to this peer
	lastChanges *importChanges         // the import changes last interned for a route from this peer (attrTab.getChanges)

	// computed keepalives (keepalive.go)
	own      *Speaker
	rs       *Speaker // the speaker at the other end (nil: not wired)
	rp       *peer    // its peer for this session
	pathOK   bool     // the path carries every packet
	lat      sim.Time // one-way latency of the path
	kaV      bool     // my keepalives to rp are computed: kaTimer and rp.holdTimer unarmed
	kaBase   sim.Time // my last transmission: computed keepalives at kaBase + k·ka
	kaFlight []sim.Time
	lastRx   sim.Time // last KEEPALIVE/UPDATE arrival from the peer while my hold timer is computed

	peerBx, linkBx box // names, boxed for the trace
}

// dest is one prefix in the RIBs: its Adj-RIB-In paths (all peers) and its
// Loc-RIB result.
//
// Its prefix is the prefix table's (Speaker.prefixOf): a dest is 56 bytes
// and there is one per router·prefix.
type dest struct {
	gid      int32 // ID in the prefix table
	bestPeer int32 // -2 when !hasBest
	multi    int32 // Loc-RIB next-hop set (sorted; index in nhSets, 0 = none)
	notified int32 // last set given to the Listener
	touch    uint32
	hasBest  bool
	paths    []path    // ordered by peer index, local (-1) first
	best     pathAttrs // zero when !hasBest
}

type path struct {
	a     pathAttrs
	peer  int32 // -1 = locally originated
	stale bool
}

// New returns a speaker for cfg. It does nothing until Start. tracer may be nil.
func New(eng *sim.Engine, cfg Config, tr Transport, l Listener, tracer sim.Tracer) *Speaker {
	s := &Speaker{eng: eng, cfg: cfg, tr: tr, l: l, tracer: tracer, pfx: cfg.Prefixes, gen: 1}
	if lid, ok := l.(IDListener); ok && cfg.Prefixes != nil {
		s.lid = lid
		if bl, ok := l.(BlockListener); ok && bl.Blocks() {
			s.lblock = bl
		}
	}
	s.counter, _ = tracer.(sim.Counter)
	if s.pfx == nil {
		s.pfx = NewPrefixes()
	}
	s.tab = &s.pfx.attrs
	s.initNHSets()
	s.cfg.Peers = slices.Clone(cfg.Peers)
	s.cluster = cfg.ClusterID
	if s.cluster == 0 {
		s.cluster = cfg.RouterID
	}
	s.origins = distinct(cfg.Originate)
	s.noClasses = noExportClasses.Load()
	s.maxBatch = cfg.InputBatch
	if s.maxBatch <= 0 {
		s.maxBatch = defaultInputBatch
	}
	s.kaMsg = &Message{Type: Keepalive}
	s.procTimer = eng.NewTimer(s.procDone)
	s.deferTimer = eng.NewTimer(s.endDeferral)
	s.timers = append(s.timers, s.procTimer, s.deferTimer)
	for i := range s.cfg.Peers {
		pc := s.cfg.Peers[i]
		if pc.ConnectRetry <= 0 {
			pc.ConnectRetry = defaultConnectRetry
		}
		p := &peer{cfg: pc, idx: i, ibgp: pc.PeerASN == cfg.ASN, export: pc.Export, class: -1}
		p.memo.init(pc.Import, pc.Export)
		s.classify(p)
		p.own = s
		p.connTimer = eng.NewTimer(func() { s.onConnTimer(p) })
		p.holdTimer = eng.NewTimer(func() { s.onHoldTimer(p) })
		p.kaTimer = eng.NewTimer(func() { s.onKeepaliveTimer(p) })
		p.mraiTimer = eng.NewTimer(func() { s.flush(p) })
		p.staleTimer = eng.NewTimer(func() { s.sweepStale(p); s.settle() })
		p.synTimer = eng.NewTimer(func() { s.onSynTimer(p) })
		p.expTimer = eng.NewTimer(func() { s.onHoldExpired(p) })
		s.timers = append(s.timers, p.connTimer, p.holdTimer, p.kaTimer, p.mraiTimer, p.staleTimer, p.synTimer, p.expTimer)
		s.peers = append(s.peers, p)
		s.base = append(s.base, cand{ebgp: !p.ibgp, igp: pc.IGPCost, rid: pc.PeerRouterID, addr: pc.PeerAddr, peer: i})
	}
	s.saved = make([]sim.Time, len(s.timers))
	return s
}

// Name returns the router name.
func (s *Speaker) Name() string { return s.cfg.Name }

// Config returns the speaker's configuration (read-only).
func (s *Speaker) Config() *Config { return &s.cfg }

// Running reports whether the speaker is started and not crashed.
func (s *Speaker) Running() bool { return s.running }

// Start originates the configured prefixes and starts connecting every peer
// whose transport is not known to be down (OPEN after EstablishDelay).
func (s *Speaker) Start() {
	if s.running {
		return
	}
	s.running = true
	for _, pfx := range s.origins {
		if id, ok := s.pfx.Lookup(pfx); ok && s.pfx.first(id) != id {
			continue // a block's member: the block is originated with its first
		}
		s.setPath(s.intern(pfx), -1, s.localRoute(pfx))
	}
	s.settle()
	for _, p := range s.peers {
		if !p.linkDown {
			s.startConnect(p, Started)
		}
	}
	s.syncAll()
}

func (s *Speaker) localRoute(pfx netip.Prefix) Route {
	return Route{Prefix: pfx, Origin: IGP, LocalPref: 100, NextHop: s.cfg.Name}
}

// ---- session FSM (RFC 4271 §8) ----

func (s *Speaker) setState(p *peer, st State, why Reason) {
	if p.state == st {
		return
	}
	from := p.state
	p.state = st
	s.syncPeer(p)
	if s.tracer != nil {
		s.ab = append(s.ab[:0], sim.A("router", s.nameBx.of(s.cfg.Name)), sim.A("peer", p.peerBx.of(p.cfg.Peer)),
			sim.A("link", p.linkBx.of(p.cfg.Link)), sim.A("from", stateWord(from)), sim.A("state", stateWord(st)),
			sim.A("reason", reasonWord(why)))
		s.tracer.Trace(s.eng.Now(), "bgp.session", p.cfg.Session, s.ab...)
	}
}

// startConnect begins a connection attempt: the first SYN goes out after
// EstablishDelay (the connect delay).
func (s *Speaker) startConnect(p *peer, why Reason) {
	p.noAccept = false
	p.openSent = false
	p.synSent = false
	p.synTimer.Stop()
	s.setState(p, Connect, why)
	p.connTimer.ResetAfter(p.cfg.EstablishDelay)
}

// synRTO is TCP's initial retransmission timeout (RFC 6298 §2.1).
const synRTO = sim.Second

// defaultSynRetries is Linux's tcp_syn_retries default.
const defaultSynRetries = 6

func (p *peer) synRetries() int {
	switch {
	case p.cfg.SynRetries < 0:
		return 0
	case p.cfg.SynRetries == 0:
		return defaultSynRetries
	}
	return p.cfg.SynRetries
}

// sendSyn opens a new TCP connection attempt: SYN now, retransmitted after
// 1s, 2s, 4s, … (RFC 6298 §5.5 doubling) until it is answered or the
// retries are used up.
func (s *Speaker) sendSyn(p *peer) {
	p.conn++
	p.synSent = true
	p.synN = 0
	s.tr.Send(s, p.idx, &Message{Type: Syn, Conn: p.conn})
	p.synTimer.ResetAfter(synRTO)
}

func (s *Speaker) onSynTimer(p *peer) {
	if p.state != Connect || !p.synSent {
		return
	}
	if p.synN < p.synRetries() {
		p.synN++
		s.tr.Send(s, p.idx, &Message{Type: Syn, Conn: p.conn})
		p.synTimer.ResetAfter(synRTO << p.synN)
		return
	}
	// Connection timed out: Active, connect-retry (still armed) tries again.
	p.synSent = false
	s.setState(p, Active, ConnectFailed)
	if !p.connTimer.Armed() {
		p.connTimer.ResetAfter(p.cfg.ConnectRetry)
	}
}

// onSyn: the kernel answers a SYN while the process exists (also when it
// is hung: the handshake is the kernel's), unless the session refuses
// connections (max-prefix penalty).
func (s *Speaker) onSyn(p *peer, m *Message) {
	if p.noAccept && p.state == Idle {
		return
	}
	s.tr.Send(s, p.idx, &Message{Type: SynAck, Conn: m.Conn})
}

// onSynAck: the connection is up; OPEN goes out (OpenSent).
func (s *Speaker) onSynAck(p *peer, m *Message) {
	if p.state != Connect || !p.synSent || m.Conn != p.conn {
		return // an attempt given up, or a late duplicate
	}
	p.synTimer.Stop()
	p.synSent = false
	s.sendOpen(p, false)
	s.setState(p, OpenSent, Connected)
	// No OPEN back within connect-retry: try again.
	p.connTimer.ResetAfter(p.cfg.ConnectRetry)
}

func (s *Speaker) onConnTimer(p *peer) {
	switch p.state {
	case Idle, Active:
		if p.linkDown {
			return
		}
		s.startConnect(p, ConnectRetryExpired)
	case Connect:
		// The connect delay is over (first SYN), or connect-retry expired
		// with the SYN unanswered: a new connection (RFC 4271 §8.2.2).
		s.sendSyn(p)
		p.connTimer.ResetAfter(p.cfg.ConnectRetry)
	case OpenSent:
		if p.linkDown {
			s.setState(p, Idle, ConnectRetryExpired)
			return
		}
		s.startConnect(p, ConnectRetryExpired)
	}
}

func (s *Speaker) sendOpen(p *peer, reply bool) {
	p.openSent = true
	p.openAt = s.eng.Now()
	m := Message{Type: Open, Hold: p.cfg.Hold, ASN: s.cfg.ASN, RouterID: s.cfg.RouterID, Reply: reply}
	if p.cfg.GracefulRestart > 0 {
		m.GR = true
		m.RestartTime = p.cfg.GracefulRestart
	}
	// Messages are never modified once sent, so an OPEN equal to the last
	// one is that one again.
	k := 0
	if reply {
		k = 1
	}
	if c := p.openMsg[k]; c == nil || !sameOpen(c, &m) {
		nm := new(Message)
		*nm = m
		p.openMsg[k] = nm
	}
	s.tr.Send(s, p.idx, p.openMsg[k])
}

// sameOpen reports whether two OPENs carry the same fields.
func sameOpen(a, b *Message) bool {
	return a.Type == b.Type && a.Hold == b.Hold && a.ASN == b.ASN && a.RouterID == b.RouterID &&
		a.Reply == b.Reply && a.GR == b.GR && a.RestartTime == b.RestartTime
}

// onOpen handles a received OPEN. There is no TCP in the model: an OPEN
// with Reply unset opens a connection, and the receiver answers with its own
// OPEN (Reply set) and a KEEPALIVE; a Reply OPEN answers ours. Crossing
// OPENs (both sides connecting at once, RFC 4271 §6.8) end up as one
// connection: each side answers the other's and ignores the late replies.
func (s *Speaker) onOpen(p *peer, m *Message) {
	if m.Reply {
		if p.state != OpenSent {
			return // answer to an attempt we gave up, or to a crossing OPEN
		}
	} else {
		switch p.state {
		case Idle:
			if p.noAccept {
				return // refused: the peer retries later
			}
		case Established:
			// A new connection while established: the peer restarted
			// without us noticing (RFC 4724 §4.2: treat as a restart).
			s.drop(p, PeerRestart, false)
		}
		s.sendOpen(p, true)
	}
	// negotiate (RFC 4271 §4.2, §10; RFC 4724)
	if p.kaV {
		p.materialize() // the keepalive interval may change
	}
	h := min(p.cfg.Hold, m.Hold)
	if p.cfg.Hold == 0 || m.Hold == 0 {
		h = 0
	}
	p.hold = h
	p.ka = h / 3
	if p.cfg.Keepalive > 0 && p.cfg.Keepalive < p.ka {
		p.ka = p.cfg.Keepalive
	}
	p.grNeg = p.cfg.GracefulRestart > 0 && m.GR
	p.grTime = m.RestartTime
	p.connTimer.Stop()
	s.tr.Send(s, p.idx, s.kaMsg)
	s.setState(p, OpenConfirm, OpenReceived)
	s.armHold(p)
	if p.ka > 0 {
		s.armKA(p)
	}
	s.syncPeer(p)
}

// armHold re-arms the hold timer on an arrival (or records the arrival
// when the peer's keepalives are computed).
func (s *Speaker) armHold(p *peer) {
	if p.hold > 0 {
		if p.rp != nil && p.rp.kaV {
			p.lastRx = s.eng.Now()
			return
		}
		p.holdTimer.ResetAfter(p.hold)
		if p.rp != nil && p.rp.regular() {
			p.rp.virtualize()
		}
	}
}

func (s *Speaker) onKeepalive(p *peer) {
	switch p.state {
	case OpenConfirm:
		s.armHold(p)
		s.setState(p, Established, KeepaliveReceived)
		s.established(p)
	case Established:
		s.armHold(p)
	}
}

func (s *Speaker) onHoldTimer(p *peer) {
	if p.expiring || (p.state != OpenConfirm && p.state != Established) {
		return
	}
	if p.cfg.HoldExpiryDelay > 0 {
		// the expiry is processed after a delay; arrivals meanwhile are too late
		p.expiring = true
		p.expTimer.ResetAfter(p.cfg.HoldExpiryDelay)
		return
	}
	s.onHoldExpired(p)
}

func (s *Speaker) onHoldExpired(p *peer) {
	p.expiring = false
	if p.state == OpenConfirm || p.state == Established {
		s.drop(p, HoldTimerExpired, true)
		s.settle()
	}
}

func (s *Speaker) onKeepaliveTimer(p *peer) {
	if (p.state == OpenConfirm || p.state == Established) && p.ka > 0 {
		s.tr.Send(s, p.idx, s.kaMsg)
		p.kaTimer.ResetAfter(p.ka)
	}
}

// established runs when a session reaches Established: the initial table
// dump (ending with End-of-RIB) and graceful-restart bookkeeping.
func (s *Speaker) established(p *peer) {
	if p.stale > 0 && !p.grNeg {
		// the peer came back without GR: stale routes go now (RFC 4724 §4.2)
		s.sweepStale(p)
	}
	p.needEoR = true
	p.grow(len(s.dests))
	for i := range s.dests {
		s.markDirty(p, int32(i))
	}
	s.settle()
}

// drop tears the session down to Idle. With notify, a NOTIFICATION carrying
// why is sent first. Adj-RIB-In is cleared (or kept stale when the peer
// restarts gracefully), Adj-RIB-Out is forgotten, and connect-retry is armed
// unless the link is down. The caller calls settle.
func (s *Speaker) drop(p *peer, why Reason, notify bool) {
	from := p.state
	if notify && from >= OpenSent {
		s.tr.Send(s, p.idx, &Message{Type: Notification, Code: why, Reason: why.String()})
	}
	p.epoch++
	p.openSent = false
	p.synSent = false
	p.synTimer.Stop()
	p.expiring = false
	p.expTimer.Stop()
	p.holdTimer.Stop()
	p.kaTimer.Stop()
	p.mraiTimer.Stop()
	p.resetOut(s.tab)
	p.needEoR = false
	if from == Established {
		if why == PeerRestart && p.grNeg {
			s.markStale(p)
		} else {
			s.removePeerPaths(p)
		}
	}
	s.setState(p, Idle, why)
	if p.linkDown {
		p.connTimer.Stop()
	} else {
		p.connTimer.ResetAfter(p.cfg.ConnectRetry)
	}
}

// ---- inputs from the fabric ----

// Receive takes a message that arrived from the wire on session peer. OPEN,
// KEEPALIVE and NOTIFICATION act at once; UPDATEs re-arm the hold timer at
// arrival and join the inbound queue.
func (s *Speaker) Receive(peer int, m *Message) {
	if !s.running {
		return
	}
	switch m.Type {
	case Syn:
		s.onSyn(s.peers[peer], m)
		return
	case SynAck:
		if s.hung {
			// the kernel completes the handshake; the process sends OPEN when it runs again
			s.backlog = append(s.backlog, func() { s.Receive(peer, m) })
			return
		}
		s.onSynAck(s.peers[peer], m)
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.Receive(peer, m) })
		return
	}
	p := s.peers[peer]
	switch m.Type {
	case Open:
		s.onOpen(p, m)
		s.settle()
	case Keepalive:
		s.onKeepalive(p)
	case Notification:
		if p.state != Idle {
			s.drop(p, NotificationReceived, false)
			s.settle()
		}
	case Update:
		if p.state != Established {
			return
		}
		s.armHold(p)
		s.q = append(s.q, inItem{peer: peer, epoch: p.epoch, m: m})
		s.startNext()
	}
}

// TransportDown: carrier loss, BFD down or the peer's TCP closed. The session
// drops at once. With reason PeerRestart and graceful restart negotiated the
// peer's routes are kept, stale, for its restart time (RFC 4724 helper).
// After CarrierLost or AdminShutdown (the session shut down by an operator
// or a provider's failover test, the link up) no connection is attempted
// until TransportUp.
func (s *Speaker) TransportDown(peer int, reason Reason) {
	p := s.peers[peer]
	if reason == CarrierLost || reason == AdminShutdown {
		p.linkDown = true
	}
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.TransportDown(peer, reason) })
		return
	}
	if p.state == Idle {
		if p.linkDown {
			p.connTimer.Stop()
		}
		return
	}
	s.drop(p, reason, false)
	s.settle()
}

// TransportUp: the path is known good again (carrier, or BFD where the
// session's ConnectOnBFDUp says so). An idle session connects at once
// (SYN after EstablishDelay) instead of waiting for connect-retry; one
// whose SYNs went unanswered sends a new SYN now.
// openRetransmit is how long an unanswered OPEN may be in flight before a
// restored path restarts the connection attempt (a TCP RTO is about 1s).
const openRetransmit = sim.Second

func (s *Speaker) TransportUp(peer int) {
	p := s.peers[peer]
	p.linkDown = false
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.TransportUp(peer) })
		return
	}
	switch p.state {
	case Idle, Active:
		s.startConnect(p, TransportRestored)
	case Connect:
		if p.synSent {
			// SYNs went into the dead path: connect again now rather
			// than wait for the next retransmission.
			s.sendSyn(p)
		}
	case OpenSent:
		// An OPEN sent more than a second ago with no answer went into the
		// dead path; the TCP retransmission gets through now that the path
		// is back, so start the attempt again rather than wait out
		// connect-retry. A recent OPEN is still in flight: leave it.
		if s.eng.Now()-p.openAt > openRetransmit {
			s.startConnect(p, TransportRestored)
		}
	}
}

// ResetSession is an operator reset: NOTIFICATION Cease, then reconnect at
// once (OPEN after EstablishDelay).
func (s *Speaker) ResetSession(peer int) {
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.ResetSession(peer) })
		return
	}
	p := s.peers[peer]
	s.drop(p, AdminReset, true)
	s.settle()
	if !p.linkDown {
		s.startConnect(p, AdminReset)
	}
}

// Crash: the box or process is gone. All state is lost, nothing is sent,
// timers stop. The Listener is not told (the fabric owns the dead router's
// FIB and must treat it as empty after Boot).
func (s *Speaker) Crash() { s.crash(Crashed, false) }

// Restart is a control-plane restart: every session closes (the fabric tells
// the peers with TransportDown(PeerRestart)) and all BGP state is lost. With
// graceful, the FIB is left as it is (the Listener is not told) and after
// Boot route selection and advertisement are deferred until every peer with
// graceful restart configured has sent End-of-RIB (or the largest restart
// time passes); then the Listener is reconciled, so forwarding entries that
// were not re-learned are removed. Without graceful, the Listener is told
// that every prefix is gone.
func (s *Speaker) Restart(graceful bool) { s.crash(ProcessRestart, graceful) }

func (s *Speaker) crash(why Reason, graceful bool) {
	if !s.running {
		return
	}
	for _, t := range s.timers {
		t.Stop()
	}
	s.running = false
	s.hung = false
	s.backlog = nil
	for i := range s.q {
		s.q[i] = inItem{}
	}
	s.q = s.q[:0]
	s.qHead = 0
	s.busy = false
	s.deferring = false
	s.gracefulBoot = why == ProcessRestart && graceful
	defer s.syncAll()
	for _, p := range s.peers {
		p.epoch++
		p.openSent = false
		p.synSent = false
		p.expiring = false
		p.noAccept = false
		p.waitEoR = false
		p.needEoR = false
		p.resetOut(s.tab)
		p.count, p.stale = 0, 0
		p.inject = nil
		s.setState(p, Idle, why)
	}
	for i := range s.dests {
		d := &s.dests[i]
		for _, pt := range d.paths {
			s.tab.put(pt.a.a)
		}
		d.paths = d.paths[:0]
		s.tab.put(d.best.a)
		d.hasBest = false
		d.best = pathAttrs{}
		d.multi = 0
		s.forgetExports(int32(i))
		switch {
		case why == Crashed:
			d.notified = 0
		case !graceful && d.notified != 0:
			d.notified = 0
			s.bestOutAll(d, ruleNoneK, true, nil)
		}
	}
}

// Boot brings a crashed or restarted speaker back with empty RIBs and starts
// it again.
func (s *Speaker) Boot() {
	if s.running {
		return
	}
	if s.gracefulBoot {
		s.gracefulBoot = false
		var wait sim.Time
		for _, p := range s.peers {
			if p.cfg.GracefulRestart > 0 {
				p.waitEoR = true
				wait = max(wait, p.cfg.GracefulRestart)
			}
		}
		if wait > 0 {
			s.deferring = true
			s.deferTimer.ResetAfter(wait)
		}
	}
	s.Start()
}

// SetHung models a control-plane hang: while hung nothing is processed, no
// keepalive is sent and no timer fires. Messages and events that arrive are
// kept in order. On resume, timers that would have fired while hung fire at
// once (after the backlog is replayed, which re-arms hold timers for peers
// whose keepalives arrived meanwhile).
func (s *Speaker) SetHung(h bool) {
	if !s.running || h == s.hung {
		return
	}
	if h {
		s.hung = true
		s.syncAll() // computed keepalives become timers, saved below
		for i, t := range s.timers {
			s.saved[i] = t.When()
			t.Stop()
		}
		return
	}
	s.hung = false
	now := s.eng.Now()
	for i, t := range s.timers {
		if s.saved[i] != sim.Never {
			_ = t.Reset(max(s.saved[i], now))
		}
	}
	s.syncAll()
	backlog := s.backlog
	s.backlog = nil
	for i, fn := range backlog {
		if !s.running {
			break // a replayed step crashed us: the rest is lost with it
		}
		if s.hung {
			// hung again during the replay: keep the rest, in order
			s.backlog = append(backlog[i:len(backlog):len(backlog)], s.backlog...)
			break
		}
		fn()
	}
	s.startNext()
}

// SetUpdatesPaused models a provider control-plane outage: UPDATEs queue
// unprocessed while keepalives (and so the sessions) continue.
func (s *Speaker) SetUpdatesPaused(paused bool) {
	s.paused = paused
	if !paused && s.running && !s.hung {
		s.startNext()
	}
}

// ---- inbound queue ----

func (s *Speaker) startNext() {
	if s.busy || s.paused || s.hung || !s.running {
		return
	}
	for s.qHead < len(s.q) {
		it := &s.q[s.qHead]
		if it.epoch != s.peers[it.peer].epoch {
			*it = inItem{}
			s.qHead++
			continue
		}
		cost := s.cfg.UpdateDelay + s.cfg.PrefixDelay*sim.Time(it.m.prefixesAnnounced()+it.m.prefixesWithdrawn())
		s.busy = true
		s.procTimer.ResetAfter(cost)
		return
	}
	s.q = s.q[:0]
	s.qHead = 0
}

func (s *Speaker) procDone() {
	it := s.q[s.qHead]
	s.q[s.qHead] = inItem{}
	s.qHead++
	s.busy = false
	p := s.peers[it.peer]
	// Input batching: while more UPDATEs wait (and at most maxBatch in a
	// row), outbound UPDATEs are generated only after the batch.
	s.batchN++
	s.holdOut = s.batchN < s.maxBatch && s.moreQueued()
	if it.epoch == p.epoch && p.state == Established {
		s.apply(p, it.m)
	}
	if !s.holdOut {
		s.batchN = 0
		s.flushAll()
	}
	s.holdOut = false
	s.startNext()
}

// defaultInputBatch is Config.InputBatch's default.
const defaultInputBatch = 64

// moreQueued reports whether an UPDATE from a live session waits to be
// processed next (and processing is not paused).
func (s *Speaker) moreQueued() bool {
	if s.paused {
		return false
	}
	for i := s.qHead; i < len(s.q); i++ {
		if s.q[i].epoch == s.peers[s.q[i].peer].epoch {
			return true
		}
	}
	return false
}

// QueueLen returns the number of UPDATEs waiting (or being processed).
func (s *Speaker) QueueLen() int { return len(s.q) - s.qHead }

// ---- state for tests and the UI ----

// SessionState returns the FSM state of session peer.
func (s *Speaker) SessionState(peer int) State { return s.peers[peer].state }

// Best returns the Loc-RIB best route for p and its next-hop set (peer
// indexes, -1 = local).
func (s *Speaker) Best(p netip.Prefix) (Route, []int, bool) {
	di, ok := s.lookup(p)
	if !ok || !s.dests[di].hasBest {
		return Route{}, nil, false
	}
	d := &s.dests[di]
	return d.best.route(p), slices.Clone(s.nhSets[d.multi]), true
}

// Paths returns the routes of the multipath set for p, in the order of the
// next-hop set Best returns (the fabric needs each path's NextHop when it is
// not the peer itself, e.g. reflected routes).
func (s *Speaker) Paths(p netip.Prefix) []Route {
	di, ok := s.lookup(p)
	if !ok {
		return nil
	}
	d := &s.dests[di]
	out := make([]Route, 0, len(s.nhSets[d.multi]))
	for _, nh := range s.nhSets[d.multi] {
		if pt := d.find(nh); pt != nil {
			out = append(out, pt.a.route(p))
		}
	}
	return out
}

// AdjRIBInCount returns how many prefixes the speaker holds from peer
// (stale ones included).
func (s *Speaker) AdjRIBInCount(peer int) int { return s.peers[peer].count }

// Prefixes returns every prefix with a Loc-RIB route, in first-seen order.
func (s *Speaker) Prefixes() []netip.Prefix {
	var out []netip.Prefix
	for i := range s.dests {
		if d := &s.dests[i]; d.hasBest {
			for id, end := d.gid, d.gid+s.pfx.size(d.gid); id < end; id++ {
				out = append(out, s.pfx.Prefix(id))
			}
		}
	}
	return out
}
