package bgp

import (
	"reflect"
	"sync/atomic"
)

// Export classes. Peers whose configuration makes export the same function
// of the best path — same session type, route-reflector client or not,
// next-hop-self or not, the same export rules and (with no-send-back) the
// same peer ASN — are one class: what one of them is sent for a dest, all
// of them are sent, except the iBGP peer the best path came from and a
// peer a route leak is injected toward. A route reflector with a thousand
// clients, or an AS exporting to all its customers, builds and interns each
// exported route once instead of once per peer.
//
// A class with more than one peer remembers, per dest, what it was last
// sent (out[di]: nil = not computed since the best path changed,
// exportNone = nothing), holding a reference so that "same attributes ⇔
// same set" keeps holding. A new best path (or none) forgets the dest in
// every class. The memory never changes what is sent: it only skips
// recomputing a pure function of the best path and the class.
type exportClass struct {
	ibgp, rrClient, nhSelf bool
	sendBackASN            uint32 // the peer ASN when no-send-back applies, else 0
	export                 []Rule
	peers                  int
	listed                 bool     // in Speaker.shared
	out                    []*attrs // per dest, once the class has two peers
}

// noExportClasses turns the classes' memory off (SetExportClasses).
var noExportClasses atomic.Bool

// SetExportClasses switches the export classes' memory off (on = false)
// for speakers created after the call. It exists for the test that proves
// the memory changes nothing; the returned function restores the previous
// setting.
func SetExportClasses(on bool) (restore func()) {
	old := noExportClasses.Swap(!on)
	return func() { noExportClasses.Store(old) }
}

// exportNone marks "computed: nothing is exported" in exportClass.out.
var exportNone = &attrs{}

func (c *exportClass) same(p *peer) bool {
	return c.ibgp == p.ibgp && c.rrClient == p.cfg.RRClient && c.nhSelf == p.cfg.NextHopSelf &&
		c.sendBackASN == sendBackASN(p) && sameRules(c.export, p.export)
}

func sendBackASN(p *peer) uint32 {
	if p.cfg.NoSendBack && !p.ibgp {
		return p.cfg.PeerASN
	}
	return 0
}

func sameRules(a, b []Rule) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	return reflect.DeepEqual(a, b)
}

// classify puts p in its export class (on creation and when its export
// policy changes).
func (s *Speaker) classify(p *peer) {
	if p.class >= 0 {
		s.classes[p.class].peers--
	}
	p.class = -1
	for i := range s.classes {
		if s.classes[i].same(p) {
			p.class = int32(i)
			break
		}
	}
	if p.class < 0 {
		p.class = int32(len(s.classes))
		s.classes = append(s.classes, exportClass{ibgp: p.ibgp, rrClient: p.cfg.RRClient, nhSelf: p.cfg.NextHopSelf,
			sendBackASN: sendBackASN(p), export: p.export})
	}
	c := &s.classes[p.class]
	c.peers++
	if c.peers > 1 && !c.listed {
		// once listed, always: its memory is kept up to date even while
		// the class has one peer again
		c.listed = true
		s.shared = append(s.shared, p.class)
	}
}

// classExport returns what exportRoute gives p for dest di, interned (the
// reference returned is the caller's): from its class's memory when the
// class remembers it, else computed (and remembered).
func (s *Speaker) classExport(p *peer, di int32) (*attrs, bool) {
	d := &s.dests[di]
	c := &s.classes[p.class]
	if c.peers < 2 || s.noClasses || !d.hasBest || len(p.inject) > 0 || (p.ibgp && int(d.bestPeer) == p.idx) {
		r, ok := s.exportRoute(p, di)
		if !ok {
			return nil, false
		}
		return s.tab.get(&r), true
	}
	if int(di) >= len(c.out) {
		c.out = growTo(c.out, max(len(s.dests), min(cap(s.dests), s.pfx.dests())))
	}
	switch a := c.out[di]; a {
	case exportNone:
		return nil, false
	case nil:
	default:
		s.tab.ref(a)
		return a, true
	}
	r, ok := s.exportRoute(p, di)
	if !ok {
		c.out[di] = exportNone
		return nil, false
	}
	a := s.tab.get(&r)
	s.tab.ref(a)
	c.out[di] = a
	return a, true
}

// forgetExports forgets dest di in every class (its best path changed).
func (s *Speaker) forgetExports(di int32) {
	for _, ci := range s.shared {
		c := &s.classes[ci]
		if int(di) < len(c.out) {
			if a := c.out[di]; a != nil {
				if a != exportNone {
					s.tab.put(a)
				}
				c.out[di] = nil
			}
		}
	}
}
