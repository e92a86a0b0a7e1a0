package bgp

import (
	"net/netip"
	"slices"
)

// covers reports whether rule prefix p matches route prefix r: r equals p or
// is more specific inside it ("orlonger").
func covers(p, r netip.Prefix) bool {
	return r.Bits() >= p.Bits() && p.Contains(r.Addr())
}

// Matches reports whether the rule's match conditions hold for r.
func (ru *Rule) Matches(r *Route) bool {
	if len(ru.MatchPrefixes) > 0 && !slices.ContainsFunc(ru.MatchPrefixes, func(p netip.Prefix) bool { return covers(p, r.Prefix) }) {
		return false
	}
	if ru.HasMatchCommunity && !slices.Contains(r.Communities, ru.MatchCommunity) {
		return false
	}
	if ru.MatchASPath != 0 && !slices.Contains(r.ASPath, ru.MatchASPath) {
		return false
	}
	return true
}

// first returns the first rule matching r, or nil.
func first(rules []Rule, r *Route) *Rule {
	for i := range rules {
		if rules[i].Matches(r) {
			return &rules[i]
		}
	}
	return nil
}

// set applies the rule's actions to r; prepending asn. The communities
// are built in *buf when buf is not nil (the caller's scratch: r's list is
// then valid until the next use of buf).
func (ru *Rule) set(r *Route, asn uint32, buf *[]uint32) {
	if ru.LocalPref != nil {
		r.LocalPref = *ru.LocalPref
	}
	if ru.MED != nil {
		r.MED = *ru.MED
	}
	if ru.Prepend > 0 {
		r.ASPath = prependN(asn, ru.Prepend, r.ASPath)
	}
	if len(ru.AddCommunities) > 0 {
		var c []uint32
		if buf != nil {
			c = append((*buf)[:0], r.Communities...)
		} else {
			c = make([]uint32, len(r.Communities), len(r.Communities)+len(ru.AddCommunities)) // one allocation
			copy(c, r.Communities)
		}
		for _, x := range ru.AddCommunities {
			if !slices.Contains(c, x) {
				c = append(c, x)
			}
		}
		slices.Sort(c)
		r.Communities = c
		if buf != nil {
			*buf = c
		}
	}
}

// applyImport runs an import policy on r in place; false = denied. Prepend
// adds the peer's ASN; buf is Rule.set's.
func applyImport(rules []Rule, r *Route, peerASN uint32, buf *[]uint32) bool {
	ru := first(rules, r)
	if ru == nil {
		return true
	}
	if ru.Deny {
		return false
	}
	ru.set(r, peerASN, buf)
	return true
}

// applyExport runs an export policy on r; false = denied. Prepend adds my
// ASN; buf is Rule.set's.
func applyExport(rules []Rule, r Route, myASN uint32, buf *[]uint32) (Route, bool) {
	ru := first(rules, &r)
	if ru == nil {
		return r, true
	}
	if ru.Deny {
		return Route{}, false
	}
	ru.set(&r, myASN, buf)
	return r, true
}
