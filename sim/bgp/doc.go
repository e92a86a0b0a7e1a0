// Package bgp models one router's BGP speaker (RFC 4271 and friends) as a
// deterministic step machine driven by the sim engine: inputs are method
// calls from the fabric (Receive, TransportDown/Up, Crash, …) and timer
// callbacks; outputs are messages handed to a Transport, Loc-RIB changes
// handed to a Listener, and trace records (bgp.session, bgp.update,
// bgp.best, see docs/contracts.md). No goroutines, no wall clock, no map
// iteration in any decision or output.
//
// # Session FSM (RFC 4271 §8)
//
// Idle → Connect → OpenSent → OpenConfirm → Established. Start (or
// TransportUp, or ResetSession) enters Connect; after EstablishDelay (TCP and
// OPEN preparation) the OPEN goes out (OpenSent). There is no TCP in the
// model: an OPEN opens a connection and the receiver answers with its own
// OPEN (Message.Reply) and a KEEPALIVE; when both sides connect at once the
// OPENs cross and become one connection. With no answer within ConnectRetry
// the attempt is repeated. After a drop the session is Idle with
// connect-retry armed and still accepts OPENs (except after a max-prefix
// teardown, until connect-retry fires); after CarrierLost or AdminShutdown
// nothing is attempted until TransportUp. Negotiated hold = min of both
// OPENs (0 if either is 0: no keepalives, no hold timer); keepalive = hold/3 or the
// configured Keepalive if smaller; the hold timer is re-armed, in place, by
// every KEEPALIVE or UPDATE that arrives; the keepalive timer by every
// KEEPALIVE or UPDATE sent. An OPEN (not a Reply) arriving on an Established
// session means the peer restarted unnoticed: the session drops (reason
// peer-restart) and the new connection is accepted.
//
// # Keepalives cost nothing while healthy
//
// For a session the fabric has wired (Wire, SetPath), nothing is scheduled
// for keepalives while a direction is healthy: the sender runs and is not
// hung, the path carries every packet, the receiver runs, is not hung and
// is not in OpenConfirm. The sender remembers the phase of its keepalives
// (its last UPDATE, or its keepalive timer when the direction became
// healthy); when the direction stops being healthy (the path goes silent,
// dark or down, or changes latency; a speaker hangs, crashes or changes
// state) the receiver's hold timer is armed hold after the last keepalive
// that arrived, keepalives still in flight are delivered, and the sender's
// keepalive timer is armed for its next one — what simulating every
// message gives; from then on the direction is simulated message by
// message until it is healthy again (keepalive.go). SetEventKeepalives(true)
// simulates every keepalive; tests use it to prove byte-identical traces.
//
// # Processing
//
// OPEN, KEEPALIVE and NOTIFICATION act on arrival. UPDATEs join one inbound
// queue per router and are processed in order, each taking
// UpdateDelay + PrefixDelay × (announced + withdrawn); a message's effect
// (and its bgp.update rx record) happens when its processing completes.
// UPDATEs queued from a session that dropped since are discarded.
//
// # RIBs and decision
//
// Adj-RIB-In paths of every peer live per prefix next to the Loc-RIB result;
// Adj-RIB-Out per peer remembers what was last sent so duplicates are never
// re-sent (see Cost for how they are stored). The decision process is an ordered chain of comparison steps
// (highest LOCAL_PREF, locally originated, shortest AS_PATH, lowest ORIGIN,
// lowest MED from the same neighbour AS, eBGP over iBGP, lowest IGP cost,
// lowest ORIGINATOR_ID/router-id, shorter CLUSTER_LIST, lowest peer address,
// then peer index so the order is total); bgp.best records the step that
// decided against the strongest competitor ("only-path" when there was none,
// "none" when the prefix became unreachable). bgp.best is traced on every
// Loc-RIB change (best path attributes or the multipath set); the Listener
// is called only when the next-hop set changes. Multipath: see
// Config.MaxPaths. Only the best path is advertised (no ADD-PATH).
//
// # Propagation
//
// eBGP export prepends my ASN, sets me as next hop and sends neither
// LOCAL_PREF nor MED (nor ORIGINATOR_ID/CLUSTER_LIST); eBGP import drops
// paths containing my ASN and sets LOCAL_PREF 100. A route is never sent back
// back to the iBGP peer it was learned from; over eBGP it is (as Cisco IOS
// and FRR do), and the peer's AS-path check turns it into an implicit
// withdrawal, which MRAI paces like any announcement. iBGP-learned routes go
// to iBGP peers only by reflection (RFC 4456: from a client to all, from a
// non-client to clients; ORIGINATOR_ID and CLUSTER_LIST set and checked).
// NextHopSelf rewrites the next hop of eBGP-learned routes sent over iBGP.
// NO_EXPORT routes stay inside the AS. Policies: see Rule; graceful shutdown
// (65535:0) sets LOCAL_PREF 0 on import after the rules.
//
// MRAI (per peer) paces announcements, never withdrawals (RFC 4271
// §9.2.1.1): the first change goes out at once and starts the timer; changes
// meanwhile are batched and sent, in their latest state, when it expires.
// There is no jitter (deterministic; the 0.75–1.0 factor is not modelled).
//
// # Graceful restart (RFC 4724)
//
// Helper: TransportDown(PeerRestart) on a session that negotiated GR (or a
// new OPEN on an Established one) keeps the peer's routes, marked stale and
// still used, for the peer's restart time; routes re-learned replace them;
// End-of-RIB (sent flagged on the last UPDATE of every initial dump) or the
// timer removes those not re-learned. Restarting side: see Restart.
//
// # Cost
//
// Per received prefix: one map lookup, a set of its own when the import
// policy changed the route (eBGP: the local preference) or the sender's
// set as it is, an ordered insert into the prefix's path list (O(peers)) and
// a decision over its paths (O(paths) comparisons, O(paths log paths) with
// multipath). A session drop touches every prefix (O(prefixes × paths)).
// A flush examines only the prefixes changed since the previous flush
// (O(changed · log changed) to order them); announcements held back by
// MRAI are built once, when they are sent.
//
// Memory is O(prefixes × peers) small entries plus attribute sets (a Route
// without its prefix): an Adj-RIB-Out entry refers to an interned set,
// shared by every prefix and peer that is sent the same attributes; a path
// refers to the sender's set when the import changed nothing, to the
// sender's set plus the import's changes (LOCAL_PREF, MED, ORIGINATOR_ID,
// communities, CLUSTER_LIST: interned, a few per fabric) when it changed
// only those (an eBGP import: it allocates no set), and to a set of its
// own when it changed the AS path (an import prepend); sets are freed
// when the last reference goes. Routes on their way into the table are
// built in scratch lists (the AS path sent over eBGP, a reflected
// CLUSTER_LIST, a rule's communities), copied only by a new set. A sent
// UPDATE is never kept: the Adj-RIB-Out refers to interned sets, not to
// messages.
package bgp
