package bgp

import (
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// ---- Adj-RIB-In / Loc-RIB ----

// intern returns the dest of pfx, creating it (dests are in first-seen
// order, which decides the order of table dumps).
func (s *Speaker) intern(pfx netip.Prefix) int32 {
	id := s.pfx.ID(pfx)
	if f := s.pfx.first(id); f != id {
		return s.internID(f, s.pfx.Prefix(f))
	}
	return s.internID(id, pfx)
}

// internID is intern for a prefix whose ID is known (the first of its
// block). s.local is indexed by destination number (Prefixes.dest): one
// entry per block, not per prefix.
func (s *Speaker) internID(gid int32, pfx netip.Prefix) int32 {
	u := s.pfx.dest(gid)
	if int(u) < len(s.local) {
		if x := s.local[u]; x > 0 {
			return x - 1
		}
	} else {
		n := max(int(u)+1, s.pfx.dests())
		s.local = append(s.local, make([]int32, n-len(s.local))...)
	}
	di := int32(len(s.dests))
	if n := s.pfx.dests(); len(s.dests) == cap(s.dests) && len(s.dests) < n {
		// room for every prefix (or block) known so far: no doubling slack
		s.dests = slices.Grow(s.dests, n-len(s.dests))
	}
	s.dests = append(s.dests, dest{gid: gid, bestPeer: -2})
	s.local[u] = di + 1
	return di
}

// lookup returns the dest of pfx if there is one.
func (s *Speaker) lookup(pfx netip.Prefix) (int32, bool) {
	gid, ok := s.pfx.Lookup(pfx)
	if !ok {
		return 0, false
	}
	return s.lookupID(s.pfx.first(gid)) // a block's member: the block
}

func (s *Speaker) lookupID(gid int32) (int32, bool) {
	if u := s.pfx.dest(gid); int(u) < len(s.local) {
		if x := s.local[u]; x > 0 {
			return x - 1, true
		}
	}
	return 0, false
}

func (d *dest) find(peer int) *path {
	for i := range d.paths {
		if int(d.paths[i].peer) == peer {
			return &d.paths[i]
		}
	}
	return nil
}

func (s *Speaker) touch(di int32) {
	d := &s.dests[di]
	if d.touch != s.gen {
		d.touch = s.gen
		s.touched = append(s.touched, di)
	}
}

// setPath installs r as peer's path for dest di (replacing any earlier one,
// stale or not) and marks the dest for a new decision.
func (s *Speaker) setPath(di int32, peer int, r Route) {
	s.setPathAttrs(di, peer, pathAttrs{a: s.tab.get(&r)})
}

// setPathAttrs is setPath for attributes a whose set's reference it takes.
func (s *Speaker) setPathAttrs(di int32, peer int, a pathAttrs) {
	d := &s.dests[di]
	s.touch(di)
	for i := range d.paths {
		pt := &d.paths[i]
		if int(pt.peer) == peer {
			if pt.stale {
				s.peers[peer].stale--
			}
			s.tab.put(pt.a.a)
			pt.a, pt.stale = a, false
			return
		}
		if int(pt.peer) > peer {
			d.paths = slices.Insert(d.paths, i, path{peer: int32(peer), a: a})
			s.countPath(peer, int(s.pfx.size(d.gid)))
			return
		}
	}
	d.paths = append(d.paths, path{peer: int32(peer), a: a})
	s.countPath(peer, int(s.pfx.size(d.gid)))
}

func (s *Speaker) countPath(peer, n int) {
	if peer >= 0 {
		s.peers[peer].count += n
	}
}

// removePath removes peer's path for dest di, reporting whether it existed.
func (s *Speaker) removePath(di int32, peer int) bool {
	d := &s.dests[di]
	for i := range d.paths {
		if int(d.paths[i].peer) == peer {
			if d.paths[i].stale {
				s.peers[peer].stale--
			}
			s.tab.put(d.paths[i].a.a)
			d.paths = slices.Delete(d.paths, i, i+1)
			s.countPath(peer, -int(s.pfx.size(d.gid)))
			s.touch(di)
			return true
		}
	}
	return false
}

func (s *Speaker) removePeerPaths(p *peer) {
	if p.count == 0 {
		return
	}
	for i := range s.dests {
		s.removePath(int32(i), p.idx)
	}
	p.staleTimer.Stop()
}

// markStale keeps p's routes as stale for its restart time (RFC 4724 §4.2).
func (s *Speaker) markStale(p *peer) {
	if p.count == 0 {
		return
	}
	for i := range s.dests {
		if pt := s.dests[i].find(p.idx); pt != nil && !pt.stale {
			pt.stale = true
			p.stale++
		}
	}
	rt := p.grTime
	if rt <= 0 {
		rt = p.cfg.GracefulRestart
	}
	p.staleTimer.ResetAfter(rt)
}

// sweepStale removes p's stale routes (End-of-RIB received or restart time
// over). The caller calls settle.
func (s *Speaker) sweepStale(p *peer) {
	p.staleTimer.Stop()
	if p.stale == 0 {
		return
	}
	for i := range s.dests {
		if pt := s.dests[i].find(p.idx); pt != nil && pt.stale {
			s.removePath(int32(i), p.idx)
		}
	}
}

// apply processes one received UPDATE (its processing delay has elapsed).
func (s *Speaker) apply(p *peer, m *Message) {
	if s.tracer != nil {
		s.ab = append(s.ab[:0], sim.A("peer", p.peerBx.of(p.cfg.Peer)), sim.A("dir", "rx"),
			sim.A("announce", m.prefixesAnnounced()), sim.A("withdraw", m.prefixesWithdrawn()))
		s.tracer.Trace(s.eng.Now(), "bgp.update", s.cfg.Name, s.ab...)
	}
	ids := m.pt == s.pfx // the sender shares my prefix table
	for i, pfx := range m.Withdraw {
		var (
			di int32
			ok bool
		)
		if ids {
			di, ok = s.lookupID(m.wdIDs[i])
		} else {
			di, ok = s.lookup(pfx)
		}
		if ok {
			s.removePath(di, p.idx)
		}
	}
	for i, n := 0, m.announced(); i < n; i++ {
		var r Route
		if m.annA != nil {
			r = m.annA[i].route(m.pt.Prefix(m.annIDs[i]))
		} else {
			r = m.Announce[i]
		}
		var di int32
		if ids {
			di = s.internID(m.annIDs[i], r.Prefix)
		} else {
			di = s.intern(r.Prefix)
		}
		if a, ok := p.memo.imported(m, i); ok {
			// the same attributes as the route before: the same outcome
			if a.a != nil {
				s.tab.ref(a.a)
				s.setPathAttrs(di, p.idx, a)
			} else {
				s.removePath(di, p.idx)
			}
			continue
		}
		if s.importRoute(p, &r) {
			a := s.importSet(p, m, i, &r)
			p.memo.setImport(s.tab, m, i, a)
			s.setPathAttrs(di, p.idx, a)
		} else {
			p.memo.setImport(s.tab, m, i, pathAttrs{})
			s.removePath(di, p.idx) // treat-as-withdraw
		}
	}
	if m.EndOfRIB {
		s.sweepStale(p)
		if p.waitEoR {
			p.waitEoR = false
			if s.deferring && !slices.ContainsFunc(s.peers, func(q *peer) bool { return q.waitEoR }) {
				s.deferTimer.Stop()
				s.deferring = false
				s.reconcile()
			}
		}
	}
	if p.cfg.MaxPrefix > 0 && p.count > p.cfg.MaxPrefix {
		s.drop(p, MaxPrefixExceeded, true)
		p.noAccept = true
	}
	s.settle()
}

// settle runs the decision process for every touched dest and sends what
// changed to every peer.
func (s *Speaker) settle() {
	for _, di := range s.touched {
		s.decide(di)
	}
	s.touched = shrink(s.touched)
	s.gen++
	if !s.holdOut {
		s.flushAll()
	}
}

// flushAll sends every peer what is pending for it.
func (s *Speaker) flushAll() {
	if s.deferring {
		return
	}
	for _, p := range s.peers {
		if p.state == Established && (len(p.pending) > 0 || p.needEoR) {
			s.flush(p)
		}
	}
}

// decide runs the decision process for dest di and propagates a change to
// the trace, the Listener and the Adj-RIBs-Out.
func (s *Speaker) decide(di int32) {
	d := &s.dests[di]
	var (
		bp   *path
		rule = ruleNoneK
	)
	s.nh = s.nh[:0]
	if len(d.paths) > 0 {
		s.cands = s.cands[:0]
		for i := range d.paths {
			s.cands = append(s.cands, s.cand(&d.paths[i]))
		}
		var b int
		b, rule = selectBest(s.cands)
		bp = &d.paths[b]
		s.nh, s.order = selectMulti(s.cands, b, s.cfg.MaxPaths, s.nh, s.order)
	}
	// Paths are compared by content (pathAttrs.same): the same attributes
	// held another way are no change.
	bestChanged := (bp != nil) != d.hasBest || (bp != nil && (bp.peer != d.bestPeer || !bp.a.same(d.best)))
	multi := s.nhSet(s.nh, d.multi)
	if !bestChanged && multi == d.multi {
		if bp != nil && bp.a != d.best { // the same attributes held another way: hold the path's
			s.tab.ref(bp.a.a)
			s.tab.put(d.best.a)
			d.best = bp.a
		}
		return
	}
	d.multi = multi
	if bestChanged {
		s.forgetExports(di)
	}
	if bp != nil {
		if bp.a != d.best {
			s.tab.ref(bp.a.a)
			s.tab.put(d.best.a)
		}
		d.hasBest, d.bestPeer, d.best = true, bp.peer, bp.a
	} else {
		s.tab.put(d.best.a)
		d.hasBest, d.bestPeer, d.best = false, -2, pathAttrs{}
	}
	s.bestOut(d, rule)
	if s.deferring {
		return
	}
	if bestChanged {
		for _, p := range s.peers {
			if p.state == Established {
				s.markDirty(p, di)
			}
		}
	}
}

// bestOut writes d's new best path to the trace and, unless deferring
// (graceful restart) or told already, tells the Listener: member by member
// for a block, as if each were a dest of its own.
func (s *Speaker) bestOut(d *dest, rule int) {
	tell := !s.deferring && d.multi != d.notified
	if tell {
		d.notified = d.multi
	}
	s.bestOutAll(d, rule, tell, s.nhSets[d.multi])
}

// bestOutAll writes d's best path for each member and, if tell, tells the
// Listener nh: after each member's record, unless the Listener takes a
// block in one call (then once, after all of them).
func (s *Speaker) bestOutAll(d *dest, rule int, tell bool, nh []int) {
	end := d.gid + s.pfx.size(d.gid)
	if tell && end-d.gid > 1 && s.lblock == nil {
		for id := d.gid; id < end; id++ {
			s.traceBest(d, id, rule)
			s.tellBest(id, nh)
		}
		return
	}
	if s.tracer != nil && s.counter != nil && s.counter.CountsOnly("bgp.best") {
		s.tracer.Trace(s.eng.Now(), "bgp.best", s.cfg.Name) // one for the block (sim.Counter)
	} else {
		for id := d.gid; id < end; id++ {
			s.traceBest(d, id, rule)
		}
	}
	if tell {
		s.tellAll(d, nh)
	}
}

// notify tells the Listener d's best next hops if it was not told them.
func (s *Speaker) notify(d *dest) {
	if d.multi == d.notified {
		return
	}
	d.notified = d.multi
	s.tellAll(d, s.nhSets[d.multi])
}

// tellAll tells the Listener nh for every member of d: in one call to a
// BlockListener, else member by member.
func (s *Speaker) tellAll(d *dest, nh []int) {
	n := s.pfx.size(d.gid)
	if n > 1 && s.lblock != nil {
		s.lblock.BestChangedBlock(d.gid, n, nh)
		return
	}
	for id := d.gid; id < d.gid+n; id++ {
		s.tellBest(id, nh)
	}
}

// tellBest tells the Listener the best next hops of prefix id.
func (s *Speaker) tellBest(id int32, nh []int) {
	switch {
	case s.lid != nil:
		s.lid.BestChangedID(id, s.pfx.Prefix(id), nh)
	case s.l != nil:
		s.l.BestChanged(s.pfx.Prefix(id), nh)
	}
}

// traceBest writes d's best path for prefix id (d's, or a member of d's
// block).
func (s *Speaker) traceBest(d *dest, id int32, rule int) {
	if s.tracer == nil {
		return
	}
	if s.counter != nil && s.counter.CountsOnly("bgp.best") {
		s.tracer.Trace(s.eng.Now(), "bgp.best", s.cfg.Name)
		return
	}
	nh := s.nhAny[d.multi]
	if nh == nil {
		set := s.nhSets[d.multi]
		names := make([]string, len(set))
		for i, x := range set {
			if x < 0 {
				names[i] = "local"
			} else {
				names[i] = s.peers[x].cfg.Peer
			}
		}
		nh = names
		s.nhAny[d.multi] = nh
	}
	s.ab = append(s.ab[:0], sim.A("prefix", s.pfx.boxed(id)), sim.A("nexthops", nh), sim.A("rule", ruleBoxes[rule]))
	s.tracer.Trace(s.eng.Now(), "bgp.best", s.cfg.Name, s.ab...)
}

func (s *Speaker) cand(pt *path) cand {
	if pt.peer < 0 {
		return cand{r: pt.a.a, x: pt.a.x, peer: int(pt.peer), stale: pt.stale, local: true, rid: s.cfg.RouterID}
	}
	c := s.base[pt.peer]
	c.r, c.x, c.stale = pt.a.a, pt.a.x, pt.stale
	if o := pt.a.originatorID(); o != 0 {
		c.rid = o
	}
	return c
}

// endDeferral: the restarting speaker's selection-deferral time is over.
func (s *Speaker) endDeferral() {
	if !s.deferring {
		return
	}
	s.deferring = false
	for _, p := range s.peers {
		p.waitEoR = false
	}
	s.reconcile()
}

// reconcile tells the Listener every difference between the Loc-RIB and what
// it was last told (after a graceful restart) and re-advertises everything.
func (s *Speaker) reconcile() {
	for i := range s.dests {
		s.notify(&s.dests[i])
	}
	for _, p := range s.peers {
		if p.state == Established {
			p.needEoR = true
			p.grow(len(s.dests))
			for i := range s.dests {
				s.markDirty(p, int32(i))
			}
		}
	}
	s.settle()
}

// exportRoute computes what to advertise to p for dest di, if anything.
func (s *Speaker) exportRoute(p *peer, di int32) (Route, bool) {
	d := &s.dests[di]
	if len(p.inject) > 0 { // a route leak toward p
		if r, ok := p.inject[s.prefixOf(d)]; ok {
			return s.wireRoute(p, r), true
		}
	}
	if !d.hasBest || (int(d.bestPeer) == p.idx && p.ibgp) {
		// Nothing, or back to the iBGP peer it came from. Over eBGP the
		// route does go back to its source (Cisco IOS and FRR do; the
		// peer's AS-path check discards it and drops its own path, an
		// implicit withdrawal that MRAI paces, as the path-exploration
		// literature assumes).
		return Route{}, false
	}
	src := d.bestPeer
	r := d.best.route(s.prefixOf(d))
	if slices.Contains(r.Communities, NoExport) && !p.ibgp {
		return Route{}, false
	}
	if p.cfg.NoSendBack && !p.ibgp && slices.Contains(r.ASPath, p.cfg.PeerASN) {
		return Route{}, false // sender-side loop detection
	}
	reflect := false
	if src >= 0 && s.peers[src].ibgp && p.ibgp {
		// RFC 4456 §6: from a client to everyone; from a non-client to
		// clients only; never iBGP to iBGP without reflection.
		if !s.peers[src].cfg.RRClient && !p.cfg.RRClient {
			return Route{}, false
		}
		reflect = true
	}
	if reflect {
		if r.OriginatorID == 0 {
			r.OriginatorID = s.peers[src].cfg.PeerRouterID
		}
		r.ClusterList = prepend(&s.tab.clusterBuf, s.cluster, 1, r.ClusterList)
	}
	ebgpLearned := src >= 0 && !s.peers[src].ibgp
	if !p.ibgp {
		// my ASN prepended in the table's scratch: copied only by a new
		// set (attrTab.kept)
		r.ASPath = prepend(&s.tab.pathBuf, s.cfg.ASN, 1, r.ASPath)
		r.LocalPref, r.MED, r.OriginatorID, r.ClusterList, r.NextHop = 0, 0, 0, nil, s.cfg.Name
	} else {
		r = s.wireRoute(p, r)
	}
	if p.ibgp && p.cfg.NextHopSelf && ebgpLearned {
		r.NextHop = s.cfg.Name
	}
	return applyExport(p.export, r, s.cfg.ASN, &s.tab.commBuf)
}

// wireRoute applies the session-type rules to r: over eBGP my ASN is
// prepended, LOCAL_PREF, MED and the reflection attributes are not sent, and
// the next hop is me; over iBGP the route goes as it is (the next hop stays
// the eBGP border router unless next-hop-self).
func (s *Speaker) wireRoute(p *peer, r Route) Route {
	if !p.ibgp {
		r.ASPath = prependN(s.cfg.ASN, 1, r.ASPath)
		r.LocalPref = 0
		r.MED = 0
		r.OriginatorID = 0
		r.ClusterList = nil
		r.NextHop = s.cfg.Name
	}
	return r
}

// importRoute applies loop checks, session-type rules, the import policy and
// graceful shutdown to r; false = reject.
func (s *Speaker) importRoute(p *peer, r *Route) bool {
	if !p.ibgp {
		if slices.Contains(r.ASPath, s.cfg.ASN) {
			return false // RFC 4271 §9.1.2: AS loop
		}
		r.LocalPref = 100
		r.OriginatorID = 0
		r.ClusterList = nil
	} else {
		if r.OriginatorID == s.cfg.RouterID && r.OriginatorID != 0 {
			return false // RFC 4456 §8
		}
		if slices.Contains(r.ClusterList, s.cluster) {
			return false // RFC 4456 §8
		}
	}
	if !applyImport(p.cfg.Import, r, p.cfg.PeerASN, &s.tab.commBuf) {
		return false
	}
	if slices.Contains(r.Communities, GracefulShutdown) {
		r.LocalPref = 0 // RFC 8326 §4
	}
	return true
}

// importSet returns the attributes of route i of m as imported (r), with
// one reference to their set: the sender's set when the import changed
// nothing (an iBGP route reflected as it is); the sender's set and the
// import's changes when it changed only what pathAttrs overlays (an eBGP
// route given a preference and a tag); else a set of the speaker's own.
func (s *Speaker) importSet(p *peer, m *Message, i int, r *Route) pathAttrs {
	if m.annA == nil {
		return pathAttrs{a: s.tab.get(r)}
	}
	e := m.annA[i]
	if e.inTable && e.matches(r) {
		s.tab.ref(e)
		return pathAttrs{a: e}
	}
	if e.Origin == r.Origin && e.NextHop == r.NextHop && slices.Equal(e.ASPath, r.ASPath) {
		s.tab.ref(e)
		return pathAttrs{a: e, x: s.tab.getChanges(r, e, &p.lastChanges)}
	}
	return pathAttrs{a: s.tab.ownSet(r, e)}
}

func routeEqual(a, b *Route) bool {
	return a.Prefix == b.Prefix && a.Origin == b.Origin && a.MED == b.MED && a.LocalPref == b.LocalPref &&
		a.OriginatorID == b.OriginatorID && a.NextHop == b.NextHop && slices.Equal(a.ASPath, b.ASPath) &&
		slices.Equal(a.Communities, b.Communities) && slices.Equal(a.ClusterList, b.ClusterList)
}

func prependN(asn uint32, n int, tail []uint32) []uint32 {
	out := make([]uint32, n+len(tail))
	for i := 0; i < n; i++ {
		out[i] = asn
	}
	copy(out[n:], tail)
	return out
}

// ---- operator actions and faults ----

// Originate starts announcing p from this router.
func (s *Speaker) Originate(p netip.Prefix) {
	if !slices.Contains(s.origins, p) {
		s.ownOrigins()
		s.origins = append(s.origins, p)
	}
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.Originate(p) })
		return
	}
	s.setPath(s.intern(p), -1, s.localRoute(p))
	s.settle()
}

// WithdrawOrigin stops announcing p from this router (the prefix-withdraw fault).
func (s *Speaker) WithdrawOrigin(p netip.Prefix) {
	if i := slices.Index(s.origins, p); i >= 0 {
		s.ownOrigins()
		s.origins = slices.Delete(s.origins, i, i+1)
	}
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.WithdrawOrigin(p) })
		return
	}
	if di, ok := s.lookup(p); ok && s.removePath(di, -1) {
		s.settle()
	}
}

// Announce injects announcements toward peer that the Loc-RIB does not
// justify: the route-leak fault. Each route is sent as given (its AS path is
// what this router claims to have heard), with the session-type rules applied
// (over eBGP my ASN is prepended and I am the next hop) but no export policy
// (a leak is a policy failure). An injected route overrides the normal
// advertisement of its prefix to that peer until WithdrawAnnounced. The
// injections are lost on Crash and Restart.
func (s *Speaker) Announce(peer int, routes []Route) {
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.Announce(peer, routes) })
		return
	}
	p := s.peers[peer]
	if p.inject == nil {
		p.inject = make(map[netip.Prefix]Route)
	}
	for _, r := range routes {
		if r.LocalPref == 0 {
			r.LocalPref = 100
		}
		if r.NextHop == "" {
			r.NextHop = s.cfg.Name
		}
		p.inject[r.Prefix] = r
		di := s.intern(r.Prefix)
		if p.state == Established {
			s.markDirty(p, di)
		}
	}
	s.settle()
}

// WithdrawAnnounced ends injected announcements toward peer (nil = all):
// the normal advertisement (or a withdrawal) takes their place.
func (s *Speaker) WithdrawAnnounced(peer int, prefixes []netip.Prefix) {
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.WithdrawAnnounced(peer, prefixes) })
		return
	}
	p := s.peers[peer]
	if prefixes == nil {
		for pfx := range p.inject {
			prefixes = append(prefixes, pfx)
		}
		slices.SortFunc(prefixes, comparePrefix)
	}
	for _, pfx := range prefixes {
		if _, ok := p.inject[pfx]; !ok {
			continue
		}
		delete(p.inject, pfx)
		if p.state == Established {
			di, _ := s.lookup(pfx)
			s.markDirty(p, di)
		}
	}
	s.settle()
}

// SetExport replaces the export policy toward peer (an operator action: drain
// by prepend or graceful-shutdown community) and re-advertises everything to
// it under the new policy (announcements paced by MRAI).
func (s *Speaker) SetExport(peer int, rules []Rule) {
	p := s.peers[peer]
	p.export = rules
	s.classify(p)
	p.memo.forget(s.tab)
	p.memo.exportByPrefix = byPrefix(rules)
	if !s.running {
		return
	}
	if s.hung {
		s.backlog = append(s.backlog, func() { s.SetExport(peer, rules) })
		return
	}
	if p.state == Established {
		p.grow(len(s.dests))
		for i := range s.dests {
			s.markDirty(p, int32(i))
		}
		s.settle()
	}
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// ownOrigins makes origins the speaker's own copy before it changes (it
// starts as the configuration's list: a site's thousands of prefixes are
// not copied per router).
func (s *Speaker) ownOrigins() {
	if !s.ownsOrg {
		s.origins, s.ownsOrg = slices.Clone(s.origins), true
	}
}

// distinct returns ps without repeats, in order: ps itself when it has
// none.
func distinct(ps []netip.Prefix) []netip.Prefix {
	if len(ps) <= 32 { // a few: compared pairwise, nothing allocated
		for i, p := range ps {
			if slices.Contains(ps[:i], p) {
				out := slices.Clone(ps[:i])
				for _, q := range ps[i:] {
					if !slices.Contains(out, q) {
						out = append(out, q)
					}
				}
				return out
			}
		}
		return slices.Clip(ps)
	}
	seen := make(map[netip.Prefix]struct{}, len(ps))
	for i, p := range ps {
		if _, dup := seen[p]; dup {
			out := slices.Clone(ps[:i])
			for _, q := range ps[i:] {
				if _, dup := seen[q]; !dup {
					seen[q] = struct{}{}
					out = append(out, q)
				}
			}
			return out
		}
		seen[p] = struct{}{}
	}
	return slices.Clip(ps)
}
