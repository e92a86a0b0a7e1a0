package bgp

import (
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// ---- Adj-RIB-Out ----
//
// Per peer and dest, the Adj-RIB-Out keeps a reference to the interned
// attribute set last advertised (nil = nothing), never the route or the
// message it went in: a sent UPDATE is garbage once the peer has processed
// it, and a thousand prefixes sent with the same attributes share one set.
//
// What changed since the last flush waits in pending (each dest once). A
// flush examines only those: withdrawals go at once; while MRAI runs,
// announcements are remembered in held (not built: the route is computed
// again, once, when it is sent). Every dest entering the queue gets a
// position, kept while it waits, so what goes out — withdrawals now,
// announcements when MRAI expires — is in the order the dests first
// changed, as one ordered queue would have it.
type adjOutState struct {
	adjOut  []*attrs // per dest: what was last advertised (nil = nothing)
	changed []bool   // per dest: in pending
	inHeld  []bool   // per dest: an announcement waits for MRAI
	pos     []uint32 // per dest: queue position while changed or held
	seq     uint32   // next position (restarts when the queue is empty)
	pending []int32  // dests changed since the last flush
	held    []heldAnn
}

type heldAnn struct {
	di  int32
	pos uint32 // live while inHeld[di] and pos[di] == pos
}

func (p *peer) grow(n int) {
	if len(p.changed) < n {
		p.changed = growTo(p.changed, n)
		p.inHeld = growTo(p.inHeld, n)
		p.pos = growTo(p.pos, n)
		p.adjOut = growTo(p.adjOut, n)
	}
}

// resetOut forgets the Adj-RIB-Out and everything queued (session down).
func (p *peer) resetOut(tab *attrTab) {
	p.memo.forget(tab)
	for i, a := range p.adjOut {
		if a != nil {
			tab.put(a)
			p.adjOut[i] = nil
		}
	}
	clear(p.changed)
	clear(p.inHeld)
	p.pending = p.pending[:0]
	p.held = p.held[:0]
	p.seq = 0
}

func (s *Speaker) markDirty(p *peer, di int32) {
	if int(di) >= len(p.changed) {
		p.grow(max(len(s.dests), min(cap(s.dests), s.pfx.dests())))
	}
	if !p.changed[di] {
		p.changed[di] = true
		if !p.inHeld[di] {
			p.pos[di] = p.seq
			p.seq++
		}
		p.pending = append(p.pending, di)
	}
}

// unhold drops di's held announcement.
func (p *peer) unhold(di int32) { p.inHeld[di] = false }

// flush sends p what changed: withdrawals at once, announcements only when
// the MRAI timer is not running (RFC 4271 §9.2.1.1); announcements held back
// wait until it expires. The first UPDATE after establishment carries
// End-of-RIB.
func (s *Speaker) flush(p *peer) {
	if p.state != Established || s.deferring {
		return
	}
	canAnnounce := !p.mraiTimer.Armed()
	pending := p.pending
	if len(pending) > 1 {
		slices.SortFunc(pending, func(a, b int32) int { return int(p.pos[a]) - int(p.pos[b]) })
	}
	// The UPDATE is gathered in the speaker's buffers: one route or
	// withdrawal is copied into the message, more go with it (keepBufs).
	ann, wd, wdIDs := s.annBuf[:0], s.wdBuf[:0], s.wdIDBuf[:0]
	s.annIdx = s.annIdx[:0]
	// examine visits one dest: withdraw, drop or (if it may) announce it.
	examine := func(di int32) {
		a, ok := s.exportAttrs(p, di)
		if !ok {
			if p.adjOut[di] != nil && !canAnnounce && p.cfg.PaceWithdrawals {
				p.holdBack(di) // withdrawn when MRAI expires
				return
			}
			if p.adjOut[di] != nil {
				wd = append(wd, s.prefixOf(&s.dests[di]))
				wdIDs = append(wdIDs, s.dests[di].gid)
				s.tab.put(p.adjOut[di])
				p.adjOut[di] = nil
			}
			p.unhold(di)
			return
		}
		if p.adjOut[di] == a { // interned and both referenced: equal ⇔ same set
			p.unhold(di)
			return
		}
		if !canAnnounce {
			p.holdBack(di)
			return
		}
		if need := len(pending) + len(p.held); len(ann) == 0 && cap(ann) < need {
			ann = make([]*attrs, 0, need)
		}
		s.tab.ref(a)
		ann = append(ann, a)
		s.annIdx = append(s.annIdx, di)
		s.tab.put(p.adjOut[di])
		p.adjOut[di] = a
		p.inHeld[di] = false
	}
	if canAnnounce {
		// held (unchanged since examined) and pending, merged by position
		i := 0
		for _, h := range p.held {
			if !p.inHeld[h.di] || p.pos[h.di] != h.pos || p.changed[h.di] {
				continue // gone, re-queued later, or changed again (in pending)
			}
			for ; i < len(pending) && p.pos[pending[i]] < h.pos; i++ {
				p.changed[pending[i]] = false
				examine(pending[i])
			}
			examine(h.di)
		}
		for ; i < len(pending); i++ {
			p.changed[pending[i]] = false
			examine(pending[i])
		}
		p.held = p.held[:0]
		p.seq = 0
	} else {
		for _, di := range pending {
			p.changed[di] = false
			examine(di)
		}
	}
	p.pending = shrink(pending)
	defer s.keepBufs(ann, wd, wdIDs)
	eor := p.needEoR && canAnnounce
	if len(ann) == 0 && len(wd) == 0 && !eor {
		return
	}
	if eor {
		p.needEoR = false
	}
	sepEoR := eor && p.cfg.SeparateEoR && (len(ann) > 0 || len(wd) > 0)
	s.sendUpdate(p, ann, wd, wdIDs, eor && !sepEoR)
	if sepEoR {
		s.sendUpdate(p, nil, nil, nil, true)
	}
	if p.cfg.MRAI > 0 && (len(ann) > 0 || len(wd) > 0 && p.cfg.PaceWithdrawals) {
		p.mraiTimer.ResetAfter(s.mrai(p))
	}
}

// keepBufs keeps flush's buffers for the next flush, unless they went with
// the UPDATE (more than one route or withdrawal).
func (s *Speaker) keepBufs(ann []*attrs, wd []netip.Prefix, wdIDs []int32) {
	s.annBuf, s.wdBuf, s.wdIDBuf = nil, nil, nil
	if len(ann) <= 1 {
		clear(ann) // the sets are referenced by the Adj-RIB-Out and the message, not here
		s.annBuf = ann[:0]
	}
	if len(wd) <= 1 {
		s.wdBuf, s.wdIDBuf = wd[:0], wdIDs[:0]
	}
}

// holdBack keeps di for the flush when MRAI expires.
func (p *peer) holdBack(di int32) {
	if !p.inHeld[di] {
		p.inHeld[di] = true
		p.held = append(p.held, heldAnn{di, p.pos[di]})
	}
}

// mrai returns the next MRAI interval towards p: MRAI, or with jitter
// MRAI × [0.75, 1.0] (RFC 4271 §9.2.1.1).
func (s *Speaker) mrai(p *peer) sim.Time {
	if !p.cfg.MRAIJitter {
		return p.cfg.MRAI
	}
	if s.rng == nil {
		s.rng = s.eng.Rand("bgp/" + s.cfg.Name)
	}
	return sim.Time(float64(p.cfg.MRAI) * (0.75 + 0.25*s.rng.Float64()))
}

// sendUpdate sends one UPDATE (eor: it carries End-of-RIB) and traces it.
//
// The announced routes travel as references to the interned attribute
// sets of the Adj-RIB-Out (never modified once interned) with the prefix
// IDs: 12 bytes a route in flight instead of a 144-byte Route.
//
// ann, wd and wdIDs are the caller's buffers: the message gets copies (of
// one route or withdrawal inside the message itself, the common case).
func (s *Speaker) sendUpdate(p *peer, ann []*attrs, wd []netip.Prefix, wdIDs []int32, eor bool) {
	m := &Message{Type: Update, EndOfRIB: eor, pt: s.pfx}
	switch len(ann) {
	case 0:
	case 1:
		m.one.ann[0], m.one.annID[0] = ann[0], s.dests[s.annIdx[0]].gid
		m.annA, m.annIDs = m.one.ann[:], m.one.annID[:]
	default:
		m.annA = ann // the caller's buffer goes with the message (keepBufs)
		m.annIDs = make([]int32, len(s.annIdx))
		for i, di := range s.annIdx {
			m.annIDs[i] = s.dests[di].gid
		}
	}
	switch len(wd) {
	case 0:
	case 1:
		m.one.wd[0], m.one.wdID[0] = wd[0], wdIDs[0]
		m.Withdraw, m.wdIDs = m.one.wd[:], m.one.wdID[:]
	default:
		m.Withdraw, m.wdIDs = wd, wdIDs
	}
	if s.tracer != nil {
		s.ab = append(s.ab[:0], sim.A("peer", p.peerBx.of(p.cfg.Peer)), sim.A("dir", "tx"),
			sim.A("announce", m.prefixesAnnounced()), sim.A("withdraw", m.prefixesWithdrawn()))
		s.tracer.Trace(s.eng.Now(), "bgp.update", s.cfg.Name, s.ab...)
	}
	s.tr.Send(s, p.idx, m)
	if p.ka > 0 {
		s.armKA(p) // RFC 4271 §4.4: an UPDATE also counts
	}
}

// growTo extends s with zero values to length n, allocating exactly n when
// it must reallocate (these slices are per peer·prefix).
func growTo[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n > cap(s) {
		s = slices.Grow(s, n-len(s))
	}
	s, old := s[:n], len(s)
	clear(s[old:])
	return s
}

// shrink empties a work list, dropping its array when a burst (a full
// table at session establishment) made it large: each peer would otherwise
// keep a table-sized array for the rest of the run.
func shrink(l []int32) []int32 {
	if cap(l) > 1024 {
		return nil
	}
	return l[:0]
}
