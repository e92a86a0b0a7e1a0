package trace

import (
	"slices"
	"sort"
)

// bytesPerBitNS converts bits/s × ns into bytes.
const bytesPerBitNS = 8e9

// Link, session, BFD states a State starts from: the simulator starts a run
// with the fabric converged (links up, sessions established, BFD up where
// configured), and the trace records only changes.
const (
	InitialLinkState = "up"
	InitialBGPState  = "established"
	InitialBFDState  = "up"
)

// LinkState is a link at the time of the last applied event.
type LinkState struct {
	State    string  // up, down, silent, degraded, dark
	Reason   string  // the reason of the last link.state ("" before any)
	Since    int64   // time of the last link.state
	Load     float64 // bits/s, the larger direction (link.load)
	Capacity float64 // bits/s (the header's until a link.load says otherwise)
	Dropped  float64 // bits/s dropped by congestion
}

// PoolState is a capacity pool at the time of the last applied event.
type PoolState struct {
	Load, Capacity, Background, Dropped float64 // bits/s
}

// SessionEnd is one router's end of a BGP session.
type SessionEnd struct {
	Router    string
	Peer      string
	BGP       string // idle … established
	BGPReason string
	BGPSince  int64
	BFD       string // up, down; "" when the session has no BFD
	BFDReason string
	BFDSince  int64
}

// Route is a router's best route to a prefix: the next hops (empty: no
// route) and the best-path rule that chose them.
type Route struct {
	Nexthops []string
	Rule     string
	Since    int64
}

// RouterState holds a router's best routes and FIB, by prefix. Only
// prefixes that a bgp.best or fib.change named are present (the trace
// records changes, not the converged tables at t=0).
type RouterState struct {
	Best map[string]Route
	FIB  map[string][]string
}

// DemandState is a demand's rates at the time of the last applied event and
// its bytes up to that time.
type DemandState struct {
	Offered, Delivered float64   // bits/s
	Loss               []float64 // bits/s by cause (index into State.Causes)
	OfferedBytes       float64
	DeliveredBytes     float64
	LostBytes          []float64 // bytes by cause up to Since (State.Bytes extends to any later time)
	Since              int64     // time of the last flow.rate
	Seen               bool      // a flow.rate has been applied
}

// Fault is a fault that is active (injected, not yet repaired).
type Fault struct {
	ID, Kind, Target string
	Links, Routers   []string
	At               int64
}

// State folds a trace: after Apply of every event up to some point it is the
// network at the time of the last applied event — link and session states
// with their reasons, best routes with their rule, FIBs, demand rates and
// losses, link and pool loads, the active faults.
//
// Items are in the header's order and found by name through dense indexes
// built once, so Apply is O(details) and allocates only for a new route
// prefix, a new loss cause or a fault. Events naming items the header does
// not list are counted in Unknown and otherwise ignored. Clone copies a
// State in O(size of the state) for checkpoints.
type State struct {
	H   *Header
	T   int64 // time of the last applied event
	N   int64 // events applied
	End bool  // run.end applied

	Links    []LinkState
	Pools    []PoolState
	Sessions [][2]SessionEnd // [session][end]: end 0 is the session's a, 1 its b
	Routers  []RouterState
	Demands  []DemandState
	Faults   []Fault  // active, in injection order
	Causes   []string // loss causes seen, in order of first appearance
	Unknown  int      // events naming an item the header does not list

	idx *index // shared by clones: read-only after NewState
}

type index struct {
	links, pools, sessions, routers, demands, sites map[string]int
}

// NewState returns the state at the start of a run described by h: links
// up at their declared capacity, sessions established, BFD up where the
// session has it, no load, no routes known.
func NewState(h Header) *State {
	s := &State{H: &h, idx: &index{
		links: map[string]int{}, pools: map[string]int{}, sessions: map[string]int{},
		routers: map[string]int{}, demands: map[string]int{}, sites: map[string]int{},
	}}
	f := h.Fabric
	if f == nil {
		f = &Fabric{}
	}
	for i, l := range f.Links {
		s.idx.links[l.Name] = i
		s.Links = append(s.Links, LinkState{State: InitialLinkState, Capacity: l.CapacityBPS})
	}
	for i, p := range f.Pools {
		s.idx.pools[p.Name] = i
		s.Pools = append(s.Pools, PoolState{Capacity: p.CapacityBPS})
	}
	for i, r := range f.Routers {
		s.idx.routers[r.Name] = i
		s.Routers = append(s.Routers, RouterState{})
	}
	for i, se := range f.Sessions {
		s.idx.sessions[se.Name] = i
		var ends [2]SessionEnd
		for k, r := range [2]string{se.A, se.B} {
			ends[k] = SessionEnd{Router: r, Peer: [2]string{se.B, se.A}[k], BGP: InitialBGPState}
			if se.BFD != nil {
				ends[k].BFD = InitialBFDState
			}
		}
		s.Sessions = append(s.Sessions, ends)
	}
	for i, d := range f.Demands {
		s.idx.demands[d.Name] = i
		s.Demands = append(s.Demands, DemandState{})
	}
	for i, si := range f.Sites {
		s.idx.sites[si.Name] = i
	}
	return s
}

// LinkIndex returns the index of the link named name in Links.
func (s *State) LinkIndex(name string) (int, bool) { i, ok := s.idx.links[name]; return i, ok }

// PoolIndex returns the index of the pool named name in Pools.
func (s *State) PoolIndex(name string) (int, bool) { i, ok := s.idx.pools[name]; return i, ok }

// RouterIndex returns the index of the router named name in Routers.
func (s *State) RouterIndex(name string) (int, bool) { i, ok := s.idx.routers[name]; return i, ok }

// DemandIndex returns the index of the demand named name in Demands.
func (s *State) DemandIndex(name string) (int, bool) { i, ok := s.idx.demands[name]; return i, ok }

// SessionIndex returns the index of the session named name in Sessions.
func (s *State) SessionIndex(name string) (int, bool) { i, ok := s.idx.sessions[name]; return i, ok }

// Session returns router's end of the session named name, or nil.
func (s *State) Session(name, router string) *SessionEnd {
	i, ok := s.idx.sessions[name]
	if !ok {
		return nil
	}
	for k := range s.Sessions[i] {
		if s.Sessions[i][k].Router == router {
			return &s.Sessions[i][k]
		}
	}
	return nil
}

// sessionOrLearn returns the event's end of its session. A trace whose
// header carries no fabric (hand-built, or from a tool that does not write
// one) is learned from its events: a session is added, its states unknown
// (""), the first time it is named. With a fabric, unknown names are not
// added (Apply counts them in Unknown).
func (s *State) sessionOrLearn(e Event) *SessionEnd {
	router := e.Str("router")
	if se := s.Session(e.Subject, router); se != nil || s.H.Fabric != nil {
		return se
	}
	i, ok := s.idx.sessions[e.Subject]
	if !ok {
		i = len(s.Sessions)
		s.idx.sessions[e.Subject] = i
		s.Sessions = append(s.Sessions, [2]SessionEnd{})
	}
	for k := range s.Sessions[i] {
		if s.Sessions[i][k].Router == "" {
			s.Sessions[i][k] = SessionEnd{Router: router, Peer: e.Str("peer")}
			return &s.Sessions[i][k]
		}
	}
	return nil // a third router named on a two-ended session
}

// CauseIndex returns the index of a loss cause in Causes.
func (s *State) CauseIndex(cause string) (int, bool) {
	i := slices.Index(s.Causes, cause)
	return i, i >= 0
}

// FacilityDark reports whether a facility-down fault on the facility named
// name is active.
func (s *State) FacilityDark(name string) bool {
	for _, f := range s.Faults {
		if f.Kind == "facility-down" && f.Target == name {
			return true
		}
	}
	return false
}

// RouterDown reports whether an active fault took the router named name
// down as a box (facility-down, router-crash, router-reboot).
func (s *State) RouterDown(name string) bool {
	for _, f := range s.Faults {
		switch f.Kind {
		case "facility-down", "router-crash", "router-reboot":
			if slices.Contains(f.Routers, name) || f.Target == name {
				return true
			}
		}
	}
	return false
}

// Clone returns a deep copy (route maps included; next-hop slices, which
// Apply never mutates, are shared).
func (s *State) Clone() *State {
	c := *s
	c.Links = slices.Clone(s.Links)
	c.Pools = slices.Clone(s.Pools)
	c.Sessions = slices.Clone(s.Sessions)
	c.Faults = slices.Clone(s.Faults)
	c.Causes = slices.Clone(s.Causes)
	c.Routers = make([]RouterState, len(s.Routers))
	for i, r := range s.Routers {
		if r.Best != nil {
			c.Routers[i].Best = make(map[string]Route, len(r.Best))
			for k, v := range r.Best {
				c.Routers[i].Best[k] = v
			}
		}
		if r.FIB != nil {
			c.Routers[i].FIB = make(map[string][]string, len(r.FIB))
			for k, v := range r.FIB {
				c.Routers[i].FIB[k] = v
			}
		}
	}
	c.Demands = slices.Clone(s.Demands)
	for i := range c.Demands {
		c.Demands[i].Loss = slices.Clone(c.Demands[i].Loss)
		c.Demands[i].LostBytes = slices.Clone(c.Demands[i].LostBytes)
	}
	return &c
}

// Bytes returns demand i's offered, delivered and lost-by-cause bytes up to
// time t ≥ s.T: the integral of its piecewise-constant rates. lost is
// indexed like Causes (a fresh slice).
func (s *State) Bytes(i int, t int64) (offered, delivered float64, lost []float64) {
	d := &s.Demands[i]
	dt := float64(0)
	if d.Seen && t > d.Since {
		dt = float64(t-d.Since) / bytesPerBitNS
	}
	lost = make([]float64, len(s.Causes))
	for c := range lost {
		if c < len(d.LostBytes) {
			lost[c] = d.LostBytes[c]
		}
		if c < len(d.Loss) {
			lost[c] += d.Loss[c] * dt
		}
	}
	return d.OfferedBytes + d.Offered*dt, d.DeliveredBytes + d.Delivered*dt, lost
}

// Apply folds one event into the state. Events must come in trace order.
func (s *State) Apply(e Event) {
	s.T = e.T
	s.N++
	switch e.Kind {
	case KindLinkState:
		i, ok := s.idx.links[e.Subject]
		if !ok {
			s.Unknown++
			return
		}
		l := &s.Links[i]
		l.State, l.Reason, l.Since = e.Str("state"), e.Str("reason"), e.T
	case KindLinkLoad:
		i, ok := s.idx.links[e.Subject]
		if !ok {
			s.Unknown++
			return
		}
		l := &s.Links[i]
		l.Load, l.Dropped = e.Num("load"), e.Num("dropped")
		if e.Has("capacity") {
			l.Capacity = e.Num("capacity")
		}
	case KindPoolLoad:
		i, ok := s.idx.pools[e.Subject]
		if !ok {
			s.Unknown++
			return
		}
		s.Pools[i] = PoolState{Load: e.Num("load"), Capacity: e.Num("capacity"), Background: e.Num("background"), Dropped: e.Num("dropped")}
	case KindBGPSession:
		se := s.sessionOrLearn(e)
		if se == nil {
			s.Unknown++
			return
		}
		se.BGP, se.BGPReason, se.BGPSince = e.Str("state"), e.Str("reason"), e.T
	case KindBFDState:
		se := s.sessionOrLearn(e)
		if se == nil {
			s.Unknown++
			return
		}
		se.BFD, se.BFDReason, se.BFDSince = e.Str("state"), e.Str("reason"), e.T
	case KindBGPBest:
		i, ok := s.idx.routers[e.Subject]
		if !ok {
			s.Unknown++
			return
		}
		r := &s.Routers[i]
		if r.Best == nil {
			r.Best = map[string]Route{}
		}
		r.Best[e.Str("prefix")] = Route{Nexthops: e.Strs("nexthops"), Rule: e.Str("rule"), Since: e.T}
	case KindFIBChange:
		i, ok := s.idx.routers[e.Subject]
		if !ok {
			s.Unknown++
			return
		}
		r := &s.Routers[i]
		if r.FIB == nil {
			r.FIB = map[string][]string{}
		}
		r.FIB[e.Str("prefix")] = e.Strs("nexthops")
	case KindFlowRate:
		i, ok := s.idx.demands[e.Subject]
		if !ok {
			s.Unknown++
			return
		}
		s.applyFlow(&s.Demands[i], e)
	case KindFaultInject:
		s.Faults = append(s.Faults, Fault{ID: e.Subject, Kind: e.Str("fault"), Target: e.Str("target"),
			Links: e.Strs("links"), Routers: e.Strs("routers"), At: e.T})
	case KindFaultRepair:
		for i := range s.Faults {
			if s.Faults[i].ID == e.Subject {
				s.Faults = slices.Delete(s.Faults, i, i+1)
				break
			}
		}
	case KindRunEnd:
		s.End = true
		// Close the byte integrals at the end of the run.
		for i := range s.Demands {
			s.integrate(&s.Demands[i], e.T)
		}
	}
}

// integrate adds the bytes of d's current rates from d.Since to t.
func (s *State) integrate(d *DemandState, t int64) {
	if !d.Seen || t <= d.Since {
		return
	}
	dt := float64(t-d.Since) / bytesPerBitNS
	d.OfferedBytes += d.Offered * dt
	d.DeliveredBytes += d.Delivered * dt
	for c, r := range d.Loss {
		d.LostBytes[c] += r * dt
	}
	d.Since = t
}

func (s *State) applyFlow(d *DemandState, e Event) {
	s.integrate(d, e.T)
	d.Seen, d.Since = true, e.T
	for c := range d.Loss {
		d.Loss[c] = 0
	}
	for _, f := range e.Details {
		switch f.Key {
		case "offered":
			d.Offered, _ = toFloat(f.Value)
		case "delivered":
			d.Delivered, _ = toFloat(f.Value)
		default:
			v, ok := toFloat(f.Value)
			if !ok {
				continue
			}
			c := slices.Index(s.Causes, f.Key)
			if c < 0 {
				c = len(s.Causes)
				s.Causes = append(s.Causes, f.Key)
			}
			for len(d.Loss) <= c {
				d.Loss = append(d.Loss, 0)
				d.LostBytes = append(d.LostBytes, 0)
			}
			d.Loss[c] = v
		}
	}
}

// Prefixes returns the prefixes a router has a best route or FIB entry for,
// sorted.
func (r *RouterState) Prefixes() []string {
	var out []string
	for p := range r.Best {
		out = append(out, p)
	}
	for p := range r.FIB {
		if _, ok := r.Best[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
