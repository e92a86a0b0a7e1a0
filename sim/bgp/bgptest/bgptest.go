// Package bgptest wires bgp speakers together with fixed-latency sessions for
// tests and benchmarks: a tiny stand-in for sim/fabric. Sessions can be
// silenced (messages lost, no carrier event), cut (carrier lost at both ends)
// and restored; routers can be crashed and booted.
package bgptest

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
)

// Session is one wired BGP session between two routers.
type Session struct {
	Name    string
	A, B    string
	Latency sim.Time
	Silent  bool // messages are lost, nobody is told
	Down    bool // carrier lost
	a, b    int  // router indexes
	ap, bp  int  // peer index of the session at each end
}

type end struct {
	s    *Session
	to   int // router index
	toPI int // peer index at the receiver
}

// Net is a set of speakers wired by sessions.
type Net struct {
	Eng      *sim.Engine
	Speakers []*bgp.Speaker
	Sessions []*Session
	FIB      []map[netip.Prefix][]int // per router: what the Listener was told

	// Counters from the trace.
	UpdatesTx, UpdatesRx   int // UPDATE messages
	AnnounceTx, WithdrawTx int // prefixes
	BestChanges            int
	LastBest               sim.Time // time of the latest bgp.best
	FIBChanges             int      // Listener calls
	LastFIB                sim.Time // time of the latest Listener call
	Record                 bool     // keep every trace line in Lines
	Lines                  []string
	Extra                  sim.Tracer // optional: also receives every record
	NoTrace                bool       // build the speakers with a nil tracer (benchmarks)

	cfgs    []bgp.Config
	byName  map[string]int
	bySpk   map[*bgp.Speaker]int
	ends    [][]end
	built   bool
	byLabel map[string]*Session
}

// New returns an empty net on a fresh engine.
func New(seed uint64) *Net {
	return &Net{Eng: sim.New(seed), byName: map[string]int{}, bySpk: map[*bgp.Speaker]int{}, byLabel: map[string]*Session{}}
}

// AddRouter adds a router. RouterID defaults to its index + 1.
func (n *Net) AddRouter(cfg bgp.Config) {
	if n.built {
		panic("bgptest: AddRouter after Build")
	}
	if _, dup := n.byName[cfg.Name]; dup {
		panic("bgptest: duplicate router " + cfg.Name)
	}
	if cfg.RouterID == 0 {
		cfg.RouterID = uint32(len(n.cfgs) + 1)
	}
	n.byName[cfg.Name] = len(n.cfgs)
	n.cfgs = append(n.cfgs, cfg)
	n.ends = append(n.ends, nil)
}

// Addr is router i's address (10.x.y.1).
func Addr(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 1}) }

// Connect wires a session between routers a and b with the given one-way
// latency. pa is a's view (its peer is b), pb is b's. Session, Link, Peer,
// PeerASN, PeerRouterID and PeerAddr are filled in.
func (n *Net) Connect(a, b string, latency sim.Time, pa, pb bgp.PeerConfig) *Session {
	ai, bi := n.byName[a], n.byName[b]
	s := &Session{Name: a + "--" + b, A: a, B: b, Latency: latency, a: ai, b: bi}
	fill := func(pc *bgp.PeerConfig, other int) {
		pc.Session = s.Name
		pc.Link = s.Name
		pc.Peer = n.cfgs[other].Name
		pc.PeerASN = n.cfgs[other].ASN
		pc.PeerRouterID = n.cfgs[other].RouterID
		pc.PeerAddr = Addr(other)
	}
	fill(&pa, bi)
	fill(&pb, ai)
	s.ap = len(n.cfgs[ai].Peers)
	n.cfgs[ai].Peers = append(n.cfgs[ai].Peers, pa)
	s.bp = len(n.cfgs[bi].Peers)
	n.cfgs[bi].Peers = append(n.cfgs[bi].Peers, pb)
	n.ends[ai] = append(n.ends[ai], end{s: s, to: bi, toPI: s.bp})
	n.ends[bi] = append(n.ends[bi], end{s: s, to: ai, toPI: s.ap})
	n.Sessions = append(n.Sessions, s)
	n.byLabel[s.Name] = s
	return s
}

// Build creates the speakers (Start calls it).
func (n *Net) Build() {
	if n.built {
		return
	}
	n.built = true
	prefixes := bgp.NewPrefixes()
	for i, cfg := range n.cfgs {
		if cfg.Prefixes == nil {
			cfg.Prefixes = prefixes
		}
		fib := map[netip.Prefix][]int{}
		n.FIB = append(n.FIB, fib)
		var tr sim.Tracer = n
		if n.NoTrace {
			tr = nil
		}
		sp := bgp.New(n.Eng, cfg, n, listener{n, fib}, tr)
		n.Speakers = append(n.Speakers, sp)
		n.bySpk[sp] = i
	}
}

// Start builds and starts every speaker.
func (n *Net) Start() {
	n.Build()
	for _, s := range n.Speakers {
		s.Start()
	}
}

// Run advances virtual time by d.
func (n *Net) Run(d sim.Time) {
	if err := n.Eng.Run(n.Eng.Now() + d); err != nil {
		panic(err)
	}
}

// RunUntil runs to absolute time t.
func (n *Net) RunUntil(t sim.Time) {
	if err := n.Eng.Run(t); err != nil {
		panic(err)
	}
}

// Speaker returns the named router's speaker.
func (n *Net) Speaker(name string) *bgp.Speaker { return n.Speakers[n.byName[name]] }

// Index returns the named router's index.
func (n *Net) Index(name string) int { return n.byName[name] }

// Session returns the session between a and b (named "a--b").
func (n *Net) Session(a, b string) *Session {
	if s, ok := n.byLabel[a+"--"+b]; ok {
		return s
	}
	return n.byLabel[b+"--"+a]
}

// PeerIndex returns the index, in router's Config.Peers, of the session to peer.
func (n *Net) PeerIndex(router, peer string) int {
	s := n.Session(router, peer)
	if s.A == router {
		return s.ap
	}
	return s.bp
}

// Silence makes a session lose every message (or stop losing them), with
// no carrier event: only hold timers notice.
func (n *Net) Silence(s *Session, silent bool) { s.Silent = silent }

// Cut takes the session's carrier down: messages are lost and both ends get
// TransportDown(CarrierLost).
func (n *Net) Cut(s *Session) {
	s.Down = true
	n.Speakers[s.a].TransportDown(s.ap, bgp.CarrierLost)
	n.Speakers[s.b].TransportDown(s.bp, bgp.CarrierLost)
}

// Restore brings the carrier back (TransportUp at both ends).
func (n *Net) Restore(s *Session) {
	s.Down = false
	n.Speakers[s.a].TransportUp(s.ap)
	n.Speakers[s.b].TransportUp(s.bp)
}

// Flip cuts the session if it is up and restores it if it is down.
func (n *Net) Flip(s *Session) {
	if s.Down {
		n.Restore(s)
	} else {
		n.Cut(s)
	}
}

// Crash crashes the router and cuts all its sessions (the box is gone).
func (n *Net) Crash(name string) {
	i := n.byName[name]
	n.Speakers[i].Crash()
	clear(n.FIB[i]) // the box is gone: so is its FIB
	for _, e := range n.ends[i] {
		n.Cut(e.s)
	}
}

// Boot boots the router and restores all its sessions.
func (n *Net) Boot(name string) {
	i := n.byName[name]
	n.Speakers[i].Boot()
	for _, e := range n.ends[i] {
		n.Restore(e.s)
	}
}

// Send implements bgp.Transport.
func (n *Net) Send(from *bgp.Speaker, peer int, m *bgp.Message) {
	e := n.ends[n.bySpk[from]][peer]
	if e.s.Down || e.s.Silent {
		return
	}
	to := n.Speakers[e.to]
	n.Eng.After(e.s.Latency, func() { //nolint:errcheck // latency ≥ 0
		if e.s.Down || e.s.Silent {
			return // lost in flight
		}
		to.Receive(e.toPI, m)
	})
}

// Trace implements sim.Tracer.
func (n *Net) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	switch kind {
	case "bgp.update":
		dir, _ := attrs[1].Value.(string)
		if dir == "tx" {
			n.UpdatesTx++
			n.AnnounceTx += attrs[2].Value.(int)
			n.WithdrawTx += attrs[3].Value.(int)
		} else {
			n.UpdatesRx++
		}
	case "bgp.best":
		n.BestChanges++
		n.LastBest = at
	}
	if n.Record {
		var b strings.Builder
		fmt.Fprintf(&b, "%v %s %s", at, kind, subject)
		for _, a := range attrs {
			fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		}
		n.Lines = append(n.Lines, b.String())
	}
	if n.Extra != nil {
		n.Extra.Trace(at, kind, subject, attrs...)
	}
}

// ResetCounters zeroes the trace counters (call before a fault).
func (n *Net) ResetCounters() {
	n.UpdatesTx, n.UpdatesRx, n.AnnounceTx, n.WithdrawTx, n.BestChanges = 0, 0, 0, 0, 0
	n.LastBest = 0
	n.FIBChanges, n.LastFIB = 0, 0
	n.Lines = n.Lines[:0]
}

// Grep returns the recorded lines containing every one of subs.
func (n *Net) Grep(subs ...string) []string {
	var out []string
	for _, l := range n.Lines {
		ok := true
		for _, s := range subs {
			if !strings.Contains(l, s) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

type listener struct {
	n   *Net
	fib map[netip.Prefix][]int
}

func (l listener) BestChanged(p netip.Prefix, nh []int) {
	l.n.FIBChanges++
	l.n.LastFIB = l.n.Eng.Now()
	if len(nh) == 0 {
		delete(l.fib, p)
		return
	}
	l.fib[p] = slices.Clone(nh)
}
