package metrics

import "github.com/netdrill/netdrill/scenarios/trace"

// sessInfo is what the Builder knows of one session, found by one look-up
// of the event's subject: the link it runs over (from the last bgp.session
// that named one), the (link, router, peer) ends already entered in the
// neighbour sets, and its ends' BGP and BFD states. The states are those
// trace.State folds (Builder used to fold a whole State for them alone):
// from the header when it describes the fabric, else learned from the
// events as trace.State learns them.
type sessInfo struct {
	link  string
	added [][3]string // (link, router, peer) already in linkEnds and neighbours
	known bool        // the state has the session (in the header, or learned)
	ends  [2]sessEnd
}

// sessEnd is one router's end of a session, as trace.SessionEnd.
type sessEnd struct {
	router, peer string
	bgp, bfd     string
}

// newSessions returns the sessions of the header's fabric in their
// initial states (trace.NewState's).
func newSessions(h trace.Header) map[string]*sessInfo {
	m := map[string]*sessInfo{}
	if h.Fabric == nil {
		return m
	}
	for _, se := range h.Fabric.Sessions {
		si := &sessInfo{known: true}
		for k, r := range [2]string{se.A, se.B} {
			si.ends[k] = sessEnd{router: r, peer: [2]string{se.B, se.A}[k], bgp: trace.InitialBGPState}
			if se.BFD != nil {
				si.ends[k].bfd = trace.InitialBFDState
			}
		}
		if m[se.Name] == nil { // trace.NewState: a later duplicate name takes the index, with the same ends
			m[se.Name] = si
		} else {
			*m[se.Name] = *si
		}
	}
	return m
}

// session returns the info of the session named name, made empty (not
// known to the state) the first time.
func (b *Builder) session(name string) *sessInfo {
	si := b.sess[name]
	if si == nil {
		si = &sessInfo{}
		b.sess[name] = si
	}
	return si
}

// end returns router's end of the session (trace.State.Session), or nil.
func (si *sessInfo) end(router string) *sessEnd {
	if !si.known {
		return nil
	}
	for k := range si.ends {
		if si.ends[k].router == router {
			return &si.ends[k]
		}
	}
	return nil
}

// endOrLearn is trace.State's sessionOrLearn: without a fabric in the
// header, a session is learned the first time it is named.
func (b *Builder) endOrLearn(si *sessInfo, router, peer string) *sessEnd {
	if se := si.end(router); se != nil || b.fabric {
		return se
	}
	si.known = true
	for k := range si.ends {
		if si.ends[k].router == "" {
			si.ends[k] = sessEnd{router: router, peer: peer}
			return &si.ends[k]
		}
	}
	return nil
}
