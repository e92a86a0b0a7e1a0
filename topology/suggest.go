package topology

import (
	"slices"
	"strconv"
	"strings"
)

// Closest returns up to max candidates closest to name by edit distance
// (Levenshtein, case-insensitive), nearest first, ties in candidate order.
// Only plausible ones count: a distance of at most a third of the longer
// name (at least 1), or a candidate that contains name or is contained in
// it. A candidate differing only in case is returned alone.
func Closest(name string, candidates []string, max int) []string {
	type scored struct {
		s string
		d int
		i int
	}
	ln := strings.ToLower(name)
	var out []scored
	seen := map[string]bool{}
	for i, c := range candidates {
		if c == "" || c == name || seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		d := levenshtein(ln, lc)
		limit := max2(1, max2(len([]rune(ln)), len([]rune(lc)))/3)
		if d <= limit || (len(ln) >= 3 && (strings.Contains(lc, ln) || strings.Contains(ln, lc))) {
			out = append(out, scored{c, d, i})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return a.d - b.d })
	if len(out) > 0 && out[0].d == 0 { // differs only in case
		out = out[:1]
	}
	if len(out) > max {
		out = out[:max]
	}
	s := make([]string, len(out))
	for i, o := range out {
		s[i] = o.s
	}
	return s
}

// DidYouMean returns ` (did you mean "x"?)` or ` (did you mean "x", "y" or
// "z"?)` for the closest candidates to name, or "" when none is close.
// Append it to an "unknown …" message.
func DidYouMean(name string, candidates []string) string {
	c := Closest(name, candidates, 3)
	if len(c) == 0 {
		return ""
	}
	q := make([]string, len(c))
	for i, s := range c {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return " (did you mean " + q[0] + "?)"
	}
	return " (did you mean " + strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1] + "?)"
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func max2(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func namesOf[T any](xs []T, name func(*T) string) []string {
	out := make([]string, len(xs))
	for i := range xs {
		out[i] = name(&xs[i])
	}
	return out
}

// SiteNames lists the sites' names (for DidYouMean).
func (t *Topology) SiteNames() []string {
	return namesOf(t.Sites, func(s *Site) string { return s.Name })
}

// FacilityNames lists the facilities' names.
func (t *Topology) FacilityNames() []string {
	return namesOf(t.Facilities, func(f *Facility) string { return f.Name })
}

// RouterNames lists the routers' names.
func (t *Topology) RouterNames() []string {
	return namesOf(t.Routers, func(r *Router) string { return r.Name })
}

// LinkNames lists the links' and then the LAGs' names.
func (t *Topology) LinkNames() []string {
	return append(namesOf(t.Links, func(l *Link) string { return l.Name }),
		namesOf(t.LAGs, func(g *LAG) string { return g.Name })...)
}

// SessionNames lists the sessions' names.
func (t *Topology) SessionNames() []string {
	return namesOf(t.Sessions, func(s *Session) string { return s.Name })
}

// PoolNames lists the pools' names.
func (t *Topology) PoolNames() []string {
	return namesOf(t.Pools, func(p *Pool) string { return p.Name })
}

// TenantNames lists the tenants' names.
func (t *Topology) TenantNames() []string {
	return namesOf(t.Tenants, func(x *Tenant) string { return x.Name })
}
