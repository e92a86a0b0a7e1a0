package topology

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Nonsense checks: input that parses and references correctly but cannot
// be what the user meant. Where a user may mean it, a warning is recorded
// instead of an error (Topology.Warnings; `netdrill --strict` makes them
// errors). Every check is linear in the topology (prefix overlaps look up
// at most 129 shorter prefixes each).
//
// Bounds chosen (and why):
//   - ASN 0 and 23456 (AS_TRANS, RFC 6793 §9) and 65535 and 4294967295
//     (reserved, RFC 7300) are errors; 64496–64511 and 65536–65551
//     (documentation, RFC 5398) are warnings.
//   - BGP hold time: 0 or 3..65535 s (RFC 4271 §4.2: two octets of whole
//     seconds). A fractional hold such as 3.5s cannot be carried in an OPEN
//     message, so it is an error, not rounded.
//   - BFD interval: at least 1ms and whole microseconds (RFC 5880 §4.1
//     carries intervals in µs; no implementation runs below 3.3ms, and 1ms
//     leaves room for the fastest hardware), at most 4294.967295s (32 bits
//     of µs).

// Limits for BGP and BFD timers.
const (
	MaxHold        = 65535 * time.Second
	MinBFDInterval = time.Millisecond
	MaxBFDInterval = 4294967295 * time.Microsecond
)

// warnAt records a warning at the value of path.
func (d *decoder) warnAt(path string, format string, args ...any) {
	p := d.lookup(path, false)
	d.warns = append(d.warns, &Error{File: d.file, Line: p.Line, Col: p.Col, Key: path, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

// sortedWarnings returns the warnings recorded, by position.
func (d *decoder) sortedWarnings() []*Error {
	if len(d.warns) == 0 {
		return nil
	}
	l := &ErrorList{Errors: slices.Clone(d.warns)}
	l.sort()
	return l.Errors
}

// checkASN refuses reserved AS numbers and warns about documentation ones.
func (b *builder) checkASN(path string, asn uint32) {
	switch {
	case asn == 23456:
		b.d.errAt(path, false, "ASN 23456 is AS_TRANS (RFC 6793), reserved for 2-byte speakers: use a private ASN (64512–65534 or 4200000000–4294967294)")
	case asn == 65535 || asn == 4294967295:
		b.d.errAt(path, false, "ASN %d is reserved (RFC 7300): use a private ASN (64512–65534 or 4200000000–4294967294)", asn)
	case asn >= 64496 && asn <= 64511 || asn >= 65536 && asn <= 65551:
		b.d.warnAt(path, "ASN %d is reserved for documentation (RFC 5398)", asn)
	}
}

// BFDIntervalProblem says what is wrong with a BFD interval BFD cannot
// carry or no router runs ("" when it is fine). The one rule: the loader
// and netdrill gen both use it.
func BFDIntervalProblem(d time.Duration) string {
	switch {
	case d <= 0:
		return "BFD interval must be > 0"
	case d < MinBFDInterval:
		return fmt.Sprintf("BFD interval %s is below %s (RFC 5880 counts in µs; no implementation runs this fast)", d, MinBFDInterval)
	case d%time.Microsecond != 0:
		return fmt.Sprintf("BFD interval %s is not a whole number of microseconds (RFC 5880 §4.1)", d)
	case d > MaxBFDInterval:
		return fmt.Sprintf("BFD interval %s is above %s (32 bits of µs, RFC 5880 §4.1)", d, MaxBFDInterval)
	}
	return ""
}

// checkBFDInterval refuses intervals BFD cannot carry or no router runs.
func (b *builder) checkBFDInterval(path string, d time.Duration) bool {
	if p := BFDIntervalProblem(d); p != "" {
		b.d.errAt(path, false, "%s", p)
		return false
	}
	return true
}

// holdProblem says what is wrong with a hold time RFC 4271 cannot carry.
func holdProblem(h time.Duration) string {
	switch {
	case h > MaxHold:
		return fmt.Sprintf("above %s (RFC 4271: two octets of seconds)", MaxHold)
	case h%time.Second != 0:
		return "not a whole number of seconds (RFC 4271 carries seconds)"
	}
	return ""
}

// sitePrefixes is one site's prefix list as written, for the duplicate and
// overlap checks (the list is shared with the site, never changed).
type sitePrefixes struct {
	site, path string // path: the list's key path ("site[2].prefixes")
	ps         []netip.Prefix
}

func (b *builder) notePrefixes(sitePath, site string, ps []netip.Prefix) {
	b.prefixes = append(b.prefixes, sitePrefixes{site: site, path: joinKey(sitePath, "prefixes"), ps: ps})
}

// checkPrefixes refuses a prefix given twice (in one site or two) and
// warns when one site's prefix contains another's (a more specific may be
// deliberate, but traffic to it will not reach the covering site). Key
// paths are built only for what it reports: a site may list many
// thousands of prefixes.
func (b *builder) checkPrefixes() {
	n := 0
	for _, l := range b.prefixes {
		n += len(l.ps)
	}
	type at struct{ list, i int32 }
	first := make(map[netip.Prefix]at, n)
	var lens [129]bool // the lengths present: a covering prefix can only have one of them
	for li, l := range b.prefixes {
		for i, p := range l.ps {
			here := indexKey(l.path, i)
			if f, dup := first[p]; dup {
				fl := b.prefixes[f.list]
				pos := b.d.lookup(indexKey(fl.path, int(f.i)), false)
				if fl.site == l.site {
					b.d.errAt(here, false, "prefix %s listed twice in site %q (first at %d:%d)", p, l.site, pos.Line, pos.Col)
				} else {
					b.d.errAt(here, false, "prefix %s is also originated by site %q (at %d:%d): a prefix belongs to one site", p, fl.site, pos.Line, pos.Col)
				}
				continue
			}
			first[p] = at{int32(li), int32(i)}
			lens[p.Bits()] = true
		}
	}
	for _, l := range b.prefixes {
		for i, p := range l.ps {
			for bits := p.Bits() - 1; bits >= 0; bits-- {
				if !lens[bits] {
					continue
				}
				super, _ := p.Addr().Prefix(bits)
				if f, ok := first[super]; ok && b.prefixes[f.list].site != l.site {
					b.d.warnAt(indexKey(l.path, i), "prefix %s of site %q overlaps %s of site %q", p, l.site, super, b.prefixes[f.list].site)
					break
				}
			}
		}
	}
}

// checkEmpty refuses a topology with nothing in it.
func (b *builder) checkEmpty(root *table) {
	if len(b.t.Sites) == 0 && len(root.m) == 0 && len(b.d.errs) == 0 {
		b.d.errAt(root.path, false, "empty topology: no [[site]], [[router]] or [[interconnect]] (the file has nothing but comments or blank lines)")
	} else if len(b.t.Sites) == 0 && len(b.d.errs) == 0 {
		b.d.errAt(root.path, false, "no [[site]]: a topology needs at least one site (with its provider, ASN and prefixes)")
	}
}

// checkSessionPairs refuses two sessions between the same two routers over
// the same link or LAG: they would share the peer addresses, which a BGP
// speaker cannot tell apart (RFC 4271 §6.8 would close one of them).
func (b *builder) checkSessionPairs() {
	first := map[[3]string]string{}
	for _, s := range b.sessions {
		if s.a == "" || s.b == "" || s.a == s.b {
			continue
		}
		over := s.over
		if over == "" {
			if c := b.between[pairKey(s.a, s.b)]; len(c) == 1 {
				over = c[0]
			}
		}
		pk := pairKey(s.a, s.b)
		k := [3]string{pk[0], pk[1], over}
		if at, dup := first[k]; dup {
			p := b.d.lookup(at, true)
			where := "over " + over
			if over == "" {
				where = "within their site"
			}
			b.d.errAt(joinKey(s.path, "b"), false, "a second session between %s and %s %s (the first at %d:%d): one BGP session per router pair and link", s.a, s.b, where, p.Line, p.Col)
			continue
		}
		first[k] = s.path
	}
}

// MaxPlausibleLatency is the one-way latency above which a link is
// probably mistyped ("150s" for "150ms"): the longest terrestrial or
// geostationary path is well under a second.
const MaxPlausibleLatency = time.Second

// checkLatency warns about an implausible one-way latency.
func (b *builder) checkLatency(path string, onLink bool, lat time.Duration) {
	if lat <= MaxPlausibleLatency {
		return
	}
	where := joinKey(path, "latency")
	if !onLink {
		where = "defaults.link.latency"
	}
	b.d.warnAt(where, "one-way latency %s is above %s: did you mean %s?", lat, MaxPlausibleLatency, lat/1000)
}
