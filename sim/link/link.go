// Package link models a point-to-point link (or a LAG seen as one logical
// link): its state, capacity, propagation latency and carrier delay, and
// whether a control-plane packet crosses it.
//
// A link is a plain value owned by the fabric; it schedules nothing itself.
// State changes are reported through the tracer as `link.state` records.
package link

import (
	"math/rand/v2"

	"github.com/netdrill/netdrill/sim"
)

// State is what the link does to packets.
type State uint8

const (
	// Up carries everything.
	Up State = iota
	// Down has lost carrier: both ends see the interface go down after the
	// carrier delay, and nothing crosses.
	Down
	// Silent keeps the interface up but drops a share of packets (a
	// mid-span failure behind a provider's layer-2 segment, a gray
	// failure). Only BFD or the BGP hold timer notice it.
	Silent
	// Dark is up at layer 1 but carries nothing: a MACsec key mismatch on a
	// fail-closed link. The interface stays up.
	Dark
)

func (s State) String() string {
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

// Link is one logical link between two nodes.
type Link struct {
	Name         string
	A, B         string
	Capacity     float64 // bits/s, per direction
	Latency      sim.Time
	CarrierDelay sim.Time
	MACsec       bool
	SRLGs        []string
	Internal     bool // a site-internal attachment the simulator adds, not in the topology
	// NoCarrier marks a multi-hop path (a site's backbone) whose far end
	// can die without either end losing carrier: only BFD or the BGP hold
	// timer notice.
	NoCarrier bool

	state State
	loss  float64 // share of packets lost when Silent (0..1]
	// Degradation keeps the nominal values so repair restores them.
	nominalCapacity float64
	nominalLatency  sim.Time
	// downRefs counts independent reasons the link is down (its own
	// fault, a facility, an SRLG, an endpoint router crash) so that
	// repairing one of them does not bring up a link another still holds down.
	downRefs int
}

// New returns an Up link.
func New(name, a, b string, capacity float64, latency, carrierDelay sim.Time) *Link {
	return &Link{Name: name, A: a, B: b, Capacity: capacity, Latency: latency, CarrierDelay: carrierDelay,
		nominalCapacity: capacity, nominalLatency: latency}
}

// State returns the current state.
func (l *Link) State() State { return l.state }

// Loss returns the loss ratio (1 when Down or Dark, 0 when Up).
func (l *Link) Loss() float64 {
	switch l.state {
	case Up:
		return 0
	case Silent:
		return l.loss
	}
	return 1
}

// Carrier reports whether both ends see the interface up.
func (l *Link) Carrier() bool { return l.state != Down }

// Healthy reports whether the link carries all packets.
func (l *Link) Healthy() bool { return l.state == Up }

// Passes reports whether one control packet crosses the link now. A Silent
// link with a partial loss ratio draws from r; r may be nil when the
// outcome does not depend on chance.
func (l *Link) Passes(r *rand.Rand) bool {
	switch l.state {
	case Up:
		return true
	case Silent:
		if l.loss >= 1 {
			return false
		}
		if l.loss <= 0 {
			return true
		}
		if r == nil {
			return false
		}
		return r.Float64() >= l.loss
	}
	return false
}

// Peer returns the other end of the link.
func (l *Link) Peer(node string) string {
	if node == l.A {
		return l.B
	}
	return l.A
}

// HoldDown adds a reason for the link to be down and reports whether the
// link went from carrier-up to down.
func (l *Link) HoldDown() bool {
	l.downRefs++
	if l.downRefs == 1 {
		l.state = Down
		return true
	}
	return false
}

// Release removes one down reason and reports whether the link came back
// (to Up, or to the silent/dark state it had before, which Set restores).
func (l *Link) Release() bool {
	if l.downRefs == 0 {
		return false
	}
	l.downRefs--
	if l.downRefs == 0 {
		l.state = Up
		return true
	}
	return false
}

// DownRefs returns the number of independent reasons holding the link down.
func (l *Link) DownRefs() int { return l.downRefs }

// SetSilent makes a carrier-up link lose a share of packets (loss in (0,1]),
// or with loss 0 heals it.
func (l *Link) SetSilent(loss float64) {
	if l.state == Down {
		return
	}
	if loss <= 0 {
		l.state, l.loss = Up, 0
		return
	}
	if loss > 1 {
		loss = 1
	}
	l.state, l.loss = Silent, loss
}

// SetDark makes a carrier-up link carry nothing (MACsec key mismatch), or
// with dark=false heals it.
func (l *Link) SetDark(dark bool) {
	if l.state == Down {
		return
	}
	if dark {
		l.state = Dark
	} else {
		l.state = Up
	}
}

// Degrade sets a reduced capacity and/or added latency; zero values keep
// the nominal ones.
func (l *Link) Degrade(capacity float64, latency sim.Time) {
	if capacity > 0 {
		l.Capacity = capacity
	}
	if latency > 0 {
		l.Latency = latency
	}
}

// Restore returns capacity and latency to their nominal values.
func (l *Link) Restore() {
	l.Capacity, l.Latency = l.nominalCapacity, l.nominalLatency
}

// Degraded reports whether capacity or latency differ from nominal.
func (l *Link) Degraded() bool {
	return l.Capacity != l.nominalCapacity || l.Latency != l.nominalLatency
}
