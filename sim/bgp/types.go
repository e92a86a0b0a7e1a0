package bgp

import (
	"net/netip"

	"github.com/netdrill/netdrill/sim"
)

// Config is one router's BGP configuration. It is read once by New; the
// speaker keeps its own copy (SetExport, Originate and WithdrawOrigin change
// the copy, not the caller's value).
type Config struct {
	Name      string // router name (trace subject)
	ASN       uint32
	RouterID  uint32 // BGP identifier, tie-break
	ClusterID uint32 // for route reflection (0 = RouterID)
	Originate []netip.Prefix
	// MaxPaths is the multipath limit: up to MaxPaths equal-best paths are
	// installed. Two paths are equal when every comparison step up to and
	// including the IGP-cost step ties AND their AS_PATHs are identical (the
	// Cisco/Junos default without "multipath relax"); since the eBGP-over-iBGP
	// step ties too, a multipath set is all eBGP or all iBGP. 0 or 1 = no ECMP.
	MaxPaths int
	// UpdateDelay and PrefixDelay are the processing cost of one received
	// UPDATE and of each prefix (announced or withdrawn) in it. The inbound
	// queue is processed in arrival order, one message at a time, so a burst
	// takes time; a message's effect applies when its processing completes.
	UpdateDelay, PrefixDelay sim.Time
	// InputBatch: while more UPDATEs wait in the inbound queue, the router
	// processes up to InputBatch of them before it generates its own
	// UPDATEs (input batching, as real implementations' work queues do; it
	// tames path exploration with MRAI 0). 0 = 64; 1 = generate output after
	// every UPDATE (the classic per-message model of the path-exploration
	// literature).
	InputBatch int
	Peers      []PeerConfig
	// Prefixes is the prefix table shared by every speaker of the
	// simulation (nil: the speaker has its own).
	Prefixes *Prefixes
}

// PeerConfig is one BGP session as seen from this router.
type PeerConfig struct {
	Session      string // session name (trace subject of bgp.session)
	Link         string // link/LAG name the session runs over ("" for site-internal)
	Peer         string // peer router name
	PeerASN      uint32 // == Config.ASN means iBGP
	PeerRouterID uint32
	PeerAddr     netip.Addr
	// Keepalive and Hold: Hold 0 disables keepalives and the hold timer; the
	// negotiated hold is the smaller of both OPENs (0 if either is 0), the
	// keepalive interval is negotiated hold / 3, or Keepalive if it is set and
	// smaller.
	Keepalive, Hold sim.Time
	// ConnectRetry is the connect-retry time (0 = 120s, RFC 4271 §10).
	ConnectRetry sim.Time
	// EstablishDelay is the connect delay: from deciding to connect to the
	// first TCP SYN. The handshake itself (SYN, SYN-ACK, then OPEN) takes
	// the path's round trips on top.
	EstablishDelay sim.Time
	// SynRetries is how many times an unanswered SYN is retransmitted
	// (RFC 6298: initial RTO 1s, doubling; Linux tcp_syn_retries 6) before
	// the attempt fails and the session waits in Active for connect-retry.
	// 0 = 6; a negative value = none.
	SynRetries int
	// ConnectOnBFDUp: a BFD session coming up starts a connection attempt
	// at once (otherwise the session waits for its next SYN retransmission
	// or connect-retry). The fabric reads it; TransportUp always connects.
	ConnectOnBFDUp bool
	// MRAI is the minimum route advertisement interval toward this peer
	// (0 = send at once). It paces announcements, never withdrawals.
	MRAI sim.Time
	// GracefulRestart is the restart time advertised in OPEN (RFC 4724);
	// 0 = graceful restart off for this session (both ends must set it).
	GracefulRestart sim.Time
	// MaxPrefix: more accepted prefixes than this from the peer ⇒
	// NOTIFICATION (Cease) and the session stays idle until connect-retry.
	// 0 = unlimited.
	MaxPrefix int
	// Implementation behaviour (DESIGN.md "Vendor behaviour"); the zero
	// value is the classic model.
	//
	// NoSendBack: never advertise to an eBGP peer a route whose AS path
	// already holds the peer's ASN (sender-side loop detection: Junos
	// without advertise-peer-as, IOS-XR as-path-loopcheck, BIRD); the
	// default sends it and the peer drops it for the AS loop.
	NoSendBack bool
	// SeparateEoR: End-of-RIB (RFC 4724) goes as its own empty UPDATE
	// after the initial dump instead of riding on its last UPDATE.
	SeparateEoR bool
	// MRAIJitter: each MRAI interval is MRAI × a random factor in
	// [0.75, 1.0] (RFC 4271 §9.2.1.1).
	MRAIJitter bool
	// PaceWithdrawals: withdrawals wait for MRAI like announcements
	// (some implementations; RFC 4271 §9.2.1.1 exempts them).
	PaceWithdrawals bool
	// HoldExpiryDelay is the processing time from the hold timer's expiry
	// to the session's teardown and withdrawals.
	HoldExpiryDelay sim.Time

	RRClient    bool   // this peer is my route-reflector client (RFC 4456)
	NextHopSelf bool   // set NEXT_HOP to myself on iBGP export of eBGP-learned routes
	IGPCost     uint32 // IGP cost to this peer's next hop (tie-break step)
	Import      []Rule
	Export      []Rule
}

// Rule is one route-map entry. Rules are tried in order; the first rule that
// matches applies; no match = accept unchanged.
type Rule struct {
	// MatchPrefixes matches a route whose prefix equals one of these or is
	// covered by one (more specific: "orlonger"). Empty = any prefix.
	MatchPrefixes     []netip.Prefix
	MatchCommunity    uint32
	HasMatchCommunity bool
	MatchASPath       uint32 // route's AS path contains this ASN; 0 = any
	Deny              bool
	LocalPref         *uint32
	MED               *uint32
	// Prepend adds the ASN this many extra times: on export my own ASN, on
	// import the peer's ASN.
	Prepend        int
	AddCommunities []uint32
}

// Well-known communities.
const (
	// GracefulShutdown (65535:0, RFC 8326): on import the receiver sets
	// LOCAL_PREF 0 (applied after the import rules, so it always wins).
	GracefulShutdown uint32 = 0xFFFF0000
	// NoExport (65535:65281, RFC 1997).
	NoExport uint32 = 0xFFFFFF01
)

// Community builds a community value from its two halves (asn:value).
func Community(asn, value uint16) uint32 { return uint32(asn)<<16 | uint32(value) }

// MsgType is the BGP message type.
type MsgType uint8

// Message types (RFC 4271 §4).
const (
	Open MsgType = iota + 1
	Update
	Keepalive
	Notification
	// Syn and SynAck are the TCP handshake under the session (Message.Conn
	// names the attempt). They are not BGP messages and are never traced.
	Syn
	SynAck
)

func (t MsgType) String() string {
	switch t {
	case Open:
		return "open"
	case Update:
		return "update"
	case Keepalive:
		return "keepalive"
	case Notification:
		return "notification"
	case Syn:
		return "syn"
	case SynAck:
		return "syn-ack"
	}
	return "unknown"
}

// Message is one BGP message on the wire. A message is immutable once handed
// to Transport.Send: the sender may share it (KEEPALIVEs are reused) and the
// receiver keeps references to its Announce routes and their slices.
type Message struct {
	Type     MsgType
	Announce []Route        // UPDATE: NLRI with their attributes (from a speaker: see Routes)
	Withdraw []netip.Prefix // UPDATE: withdrawn routes
	Hold     sim.Time       // OPEN: proposed hold time
	EndOfRIB bool           // UPDATE: End-of-RIB marker (RFC 4724), after the routes in this message
	GR       bool           // OPEN: graceful restart capability
	// RestartTime is the OPEN's graceful-restart time (valid when GR).
	RestartTime sim.Time
	ASN         uint32 // OPEN: sender's ASN
	RouterID    uint32 // OPEN: sender's BGP identifier
	Reply       bool   // OPEN: answers the receiver's OPEN (see Speaker.Receive)
	Reason      string // NOTIFICATION: Code.String()
	Code        Reason // NOTIFICATION: why the sender closed the session
	Conn        uint32 // SYN, SYN-ACK: the connection attempt

	// UPDATE between speakers sharing a prefix table (pt): the IDs of
	// Announce and Withdraw, in order.
	pt            *Prefixes
	annIDs, wdIDs []int32
	// UPDATE sent by a speaker: the announced routes' attribute sets (in
	// the sender's table), with annIDs, instead of Announce.
	annA []*attrs
	// one holds the single route and the single withdrawal of an UPDATE
	// that has one (annA, annIDs, Withdraw, wdIDs then point here): the
	// common one-prefix UPDATE is one allocation.
	one struct {
		ann   [1]*attrs
		annID [1]int32
		wdID  [1]int32
		wd    [1]netip.Prefix
	}
}

// announced returns how many routes an UPDATE announces.
func (m *Message) announced() int { return len(m.Announce) + len(m.annA) }

// prefixesAnnounced returns how many prefixes an UPDATE announces: a route
// for a block (Prefixes.Block) announces each of its members.
func (m *Message) prefixesAnnounced() int {
	if m.annA != nil {
		return len(m.Announce) + m.pt.count(m.annIDs)
	}
	return len(m.Announce)
}

// prefixesWithdrawn returns how many prefixes an UPDATE withdraws.
func (m *Message) prefixesWithdrawn() int {
	if m.wdIDs != nil {
		return m.pt.count(m.wdIDs)
	}
	return len(m.Withdraw)
}

// Routes returns the routes an UPDATE announces, however they travel.
func (m *Message) Routes() []Route {
	if m.annA == nil {
		return m.Announce
	}
	out := make([]Route, len(m.annA))
	for i, a := range m.annA {
		out[i] = a.route(m.pt.Prefix(m.annIDs[i]))
	}
	return out
}

// Origin is the ORIGIN attribute; lower is preferred.
type Origin uint8

// ORIGIN values (RFC 4271 §5.1.1).
const (
	IGP Origin = iota
	EGP
	Incomplete
)

func (o Origin) String() string {
	switch o {
	case IGP:
		return "igp"
	case EGP:
		return "egp"
	}
	return "incomplete"
}

// Route is a prefix with its path attributes. Slices are shared between
// speakers and must be treated as read-only; the speaker copies before it
// changes one.
type Route struct {
	Prefix       netip.Prefix
	ASPath       []uint32
	Origin       Origin
	MED          uint32
	LocalPref    uint32 // not carried over eBGP (0 on the wire; 100 on receipt)
	Communities  []uint32
	OriginatorID uint32
	ClusterList  []uint32
	NextHop      string // router name of the next hop
}

// Transport carries messages between speakers.
type Transport interface {
	// Send hands m to the fabric, which delivers it to the peer speaker's
	// Receive after the link latency (or loses it if the path is dead/silent).
	// peer is the index into Config.Peers. Send is called synchronously from
	// the speaker's methods and timer callbacks; it must not call back into
	// the sending speaker synchronously (schedule delivery instead).
	Send(from *Speaker, peer int, m *Message)
}

// Listener learns of Loc-RIB changes that matter for forwarding.
type Listener interface {
	// BestChanged is called when the Loc-RIB best path set for prefix
	// changes (empty nexthops = no route). nexthops are peer indexes into
	// Config.Peers (sorted), or -1 for a locally originated prefix. The
	// slice is owned by the speaker and must not be modified.
	BestChanged(prefix netip.Prefix, nexthops []int)
}

// IDListener is a Listener that also takes the prefix's ID in the
// simulation's prefix table (Config.Prefixes), sparing it a look-up. A
// speaker with a prefix table of its own calls BestChanged only.
type IDListener interface {
	BestChangedID(id int32, prefix netip.Prefix, nexthops []int)
}

// BlockListener is an IDListener that takes a prefix block's change in one
// call, for the n consecutive IDs from first (Prefixes.Block), once its
// members' trace records are written — when it does nothing the trace can
// see during the call (a FIB that programs later). Blocks() says whether
// it does; if not, it is told member by member, each after its record.
type BlockListener interface {
	IDListener
	Blocks() bool
	BestChangedBlock(first, n int32, nexthops []int)
}

// State is a session's FSM state (RFC 4271 §8.2.2).
type State uint8

// Session states.
const (
	Idle State = iota
	Connect
	Active
	OpenSent
	OpenConfirm
	Established
)

var stateNames = [...]string{"idle", "connect", "active", "opensent", "openconfirm", "established"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Reason says why a session changed state (the trace's reason).
type Reason uint8

// Reasons. The fabric passes BFDDown, CarrierLost, PeerRestart and
// AdminShutdown to TransportDown; the rest are the speaker's own.
const (
	NoReason             Reason = iota
	Started                     // Start or Boot
	ConnectRetryExpired         // the connect-retry timer fired
	TransportRestored           // TransportUp
	Connected                   // TCP up, OPEN sent
	OpenReceived                // a valid OPEN arrived
	KeepaliveReceived           // KEEPALIVE in OpenConfirm
	HoldTimerExpired            // RFC 4271 §6.5
	BFDDown                     // BFD declared the path down
	CarrierLost                 // the link lost carrier (fast external fallover)
	AdminReset                  // ResetSession: NOTIFICATION Cease
	PeerRestart                 // the peer's process restarted / TCP closed
	MaxPrefixExceeded           // NOTIFICATION Cease, max prefixes
	NotificationReceived        // the peer sent a NOTIFICATION
	Crashed                     // Crash
	ProcessRestart              // Restart: this speaker's control plane restarts
	ConnectFailed               // every SYN retransmission went unanswered
	AdminShutdown               // NOTIFICATION Cease, Administrative Shutdown (RFC 4486 subcode 2): held down until TransportUp
)

var reasonNames = [...]string{
	"", "start", "connect-retry", "transport-up", "connected", "open-received",
	"keepalive-received", "hold-timer-expired", "bfd-down", "carrier-lost",
	"admin-reset", "peer-restart", "max-prefix-exceeded", "notification-received",
	"crashed", "process-restart", "connect-failed", "admin-shutdown",
}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}
