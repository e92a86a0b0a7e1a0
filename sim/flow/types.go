package flow

import (
	"net/netip"

	"github.com/netdrill/netdrill/topology"
)

// NodeID, LinkID, PoolID and DemandID are dense indices handed out by
// Network.AddNode, AddLink, AddPool and AddDemand, starting at 0. Passing an
// ID that was not handed out by the same Network panics (index out of range):
// that is a programming error of the caller, never a consequence of user input.
type (
	NodeID   int32
	LinkID   int32
	PoolID   int32
	DemandID int32
)

// LinkState is what a link does to the traffic that a FIB sends over it.
// The values are in the same order as sim/link's State, so a conversion
// flow.LinkState(l.State()) is valid.
type LinkState uint8

const (
	// Up carries everything (subject to capacity).
	Up LinkState = iota
	// Down has lost carrier. Traffic that a (stale) FIB still hashes onto
	// it is lost as Blackhole; the link carries nothing.
	Down
	// Silent keeps the interface up but loses a share (the loss ratio) of
	// what it transmits; the lost part is SilentLink. Loss ratio 1 is a
	// black hole that only BFD or the hold timer notice.
	Silent
	// Dark is up at layer 1 but carries nothing (a MACsec key mismatch on
	// a fail-closed link): like Silent with loss ratio 1, cause SilentLink.
	Dark
)

func (s LinkState) String() string {
	switch s {
	case Up:
		return "up"
	case Down:
		return "down"
	case Silent:
		return "silent"
	case Dark:
		return "dark"
	}
	return "unknown"
}

// Cause is why traffic was not delivered: topology's one list of loss
// causes, whose names the trace writes ("blackhole", "no-route", "loop",
// "congestion", "silent-link").
type Cause = topology.LossCause

// The causes (documented in topology).
const (
	Blackhole  = topology.CauseBlackhole
	NoRoute    = topology.CauseNoRoute
	Loop       = topology.CauseLoop
	Congestion = topology.CauseCongestion
	SilentLink = topology.CauseSilentLink
	// NumCauses is the number of causes; Cause values index [NumCauses] arrays.
	NumCauses = topology.NumLossCauses
)

// Hop is one next hop: leave over Link, arrive at To. Link must connect the
// node being looked up and To (either orientation).
type Hop struct {
	Link LinkID
	To   NodeID
}

// Forwarder is the forwarding state the data plane follows; the fabric
// implements it over its FIBs.
type Forwarder interface {
	// Lookup returns the next hops at node for dst (longest-prefix match is
	// the forwarder's job). ok=false, or no hops, means no route. ECMP
	// splits evenly over the returned hops; a hop listed twice gets two
	// shares. The slice is only read during the call, never kept or
	// modified, so the forwarder may return its internal slice.
	Lookup(node NodeID, dst netip.Addr) (hops []Hop, ok bool)
}

// ForwarderFunc adapts a function to the Forwarder interface.
type ForwarderFunc func(node NodeID, dst netip.Addr) ([]Hop, bool)

// Lookup implements Forwarder.
func (f ForwarderFunc) Lookup(node NodeID, dst netip.Addr) ([]Hop, bool) { return f(node, dst) }

// DemandState is a demand's rates as of the last Recompute (bits/s, whole
// numbers, Delivered + Σ Lost == Offered exactly) and its bytes integrated
// up to the last Recompute.
type DemandState struct {
	Name      string
	Offered   float64
	Delivered float64
	Lost      [NumCauses]float64
	Bytes     Bytes
}

// LostRate returns the total lost rate over all causes.
func (s DemandState) LostRate() float64 {
	var t float64
	for _, v := range s.Lost {
		t += v
	}
	return t
}

// Bytes are integrals of rates over virtual time, in bytes.
type Bytes struct {
	Offered   float64
	Delivered float64
	Lost      [NumCauses]float64
}

// LostTotal returns the lost bytes over all causes.
func (b Bytes) LostTotal() float64 {
	var t float64
	for _, v := range b.Lost {
		t += v
	}
	return t
}

// DirLoad is one direction of a link or pool (bits/s).
type DirLoad struct {
	// Offered is the rate that arrives at the link's (pool's) queue in this
	// direction; for a pool it includes the background load.
	Offered float64
	// Carried is what is transmitted: Offered less Dropped.
	Carried float64
	// Dropped is lost to congestion here.
	Dropped float64
	// Silent is lost on the wire of a Silent or Dark link (links only).
	Silent float64
}

// LinkLoad is a link's load as of the last Recompute. Direction 0 is a→b
// and direction 1 is b→a, where a and b are the nodes given to AddLink;
// capacity applies to each direction on its own (full duplex).
type LinkLoad struct {
	Name      string
	State     LinkState
	LossRatio float64
	Capacity  float64
	// Load is the larger of the two directions' offered rates: the figure
	// that `link.load` reports and utilisation (Load/Capacity) is based on.
	Load float64
	Dir  [2]DirLoad
	// Dropped and Silent are the congestion and wire loss rates summed over
	// both directions.
	Dropped float64
	Silent  float64
	// DroppedBytes and SilentBytes integrate Dropped and Silent up to the
	// last Recompute.
	DroppedBytes float64
	SilentBytes  float64
}

// PoolLoad is a capacity pool's load as of the last Recompute. A pool caps,
// per direction, the sum of what its member links carry in that direction
// (a→b of each member link is the pool's direction 0), plus the background
// tenant load, which is offered in each direction.
type PoolLoad struct {
	Name       string
	Capacity   float64
	Background float64
	// Load is the larger direction's offered rate, background included.
	Load float64
	Dir  [2]DirLoad
	// Dropped is the congestion loss summed over both directions,
	// background included; BackgroundDropped is the background's share.
	Dropped           float64
	BackgroundDropped float64
	// DroppedBytes and BackgroundDroppedBytes integrate the two rates up
	// to the last Recompute.
	DroppedBytes           float64
	BackgroundDroppedBytes float64
}
