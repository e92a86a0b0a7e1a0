package bgp

// memo remembers, per peer, the last route imported from it and the last
// route exported to it. UPDATEs carry runs of prefixes with the same
// attributes (a site's prefixes, a full table when a session comes up, a
// path change that moves many prefixes at once), and importing or
// exporting the same attribute set over the same session gives the same
// set: remembering it skips building the route and interning it again.
//
// Only what the route's attributes decide is remembered: nothing when a
// policy of the session matches prefixes, or (export) when a route leak is
// injected toward the peer. Every remembered result holds a reference, so
// it stays interned and "same attributes ⇔ same set" keeps holding.
type memo struct {
	importByPrefix bool // the import policy matches prefixes: no import memo
	exportByPrefix bool // the export policy matches prefixes: no export memo

	inSrc *attrs    // the sender's set last imported (nil: none)
	inRes pathAttrs // what it became (zero: rejected)

	outValid bool      // out may be reused for the same (outBest, outPeer)
	outBest  pathAttrs // the best path's attributes it was computed from
	outPeer  int32     // and the peer that best path came from
	out      *attrs    // what was exported (nil: nothing)
	outOK    bool
}

func (m *memo) init(imp, exp []Rule) {
	m.importByPrefix, m.exportByPrefix = byPrefix(imp), byPrefix(exp)
}

// byPrefix reports whether a rule matches prefixes.
func byPrefix(rules []Rule) bool {
	for i := range rules {
		if len(rules[i].MatchPrefixes) > 0 {
			return true
		}
	}
	return false
}

// forget drops what is remembered (session down, policy changed).
func (m *memo) forget(tab *attrTab) {
	tab.put(m.inRes.a)
	tab.put(m.out)
	m.inSrc, m.inRes = nil, pathAttrs{}
	m.outValid, m.outBest, m.out, m.outOK = false, pathAttrs{}, nil, false
}

// imported returns what the i-th route of m became the last time the same
// set arrived over this session (nil: rejected), if it is remembered.
func (mo *memo) imported(m *Message, i int) (pathAttrs, bool) {
	if m.annA == nil || mo.importByPrefix || mo.inSrc == nil || m.annA[i] != mo.inSrc {
		return pathAttrs{}, false
	}
	return mo.inRes, true
}

// setImport remembers that the i-th route of m became a (zero: rejected).
func (mo *memo) setImport(tab *attrTab, m *Message, i int, a pathAttrs) {
	if m.annA == nil || mo.importByPrefix {
		return
	}
	tab.ref(a.a)
	tab.put(mo.inRes.a)
	mo.inSrc, mo.inRes = m.annA[i], a
}

// exportAttrs is exportRoute interned: the set to advertise to p for dest
// di (the reference is the memo's: take one to keep it), or false.
func (s *Speaker) exportAttrs(p *peer, di int32) (*attrs, bool) {
	d := &s.dests[di]
	mo := &p.memo
	keyed := d.hasBest && len(p.inject) == 0 && !mo.exportByPrefix
	if keyed && mo.outValid && mo.outBest == d.best && mo.outPeer == d.bestPeer {
		return mo.out, mo.outOK
	}
	a, ok := s.classExport(p, di)
	s.tab.put(mo.out)
	mo.out, mo.outOK = a, ok
	mo.outValid, mo.outBest, mo.outPeer = keyed, d.best, d.bestPeer
	return a, ok
}
