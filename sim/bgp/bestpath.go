package bgp

import (
	"net/netip"
	"slices"
)

// cand is one candidate path as the decision process sees it: the route's
// attributes plus what the speaker knows about the session it came over.
type cand struct {
	r     *attrs
	x     *importChanges // the import's changes over r (nil: none; pathAttrs)
	local bool           // locally originated
	ebgp  bool           // learned over eBGP
	igp   uint32         // IGP cost to the next hop
	rid   uint32         // ORIGINATOR_ID if set, else the peer's BGP identifier (RFC 4456 §9)
	addr  netip.Addr
	peer  int // peer index, -1 = local
	stale bool
	// k is the step that decided between this candidate and the best
	// (selectBest sets it): > stepIGP means every step up to the IGP cost
	// tied, the multipath condition.
	k int
}

// step is one comparison of the decision process. cmp returns < 0 when a is
// better, > 0 when b is better, 0 when this step does not decide.
type step struct {
	name string
	cmp  func(a, b *cand) int
}

// steps is the decision process (RFC 4271 §9.1.2.2, with the common vendor
// insertion "locally originated before AS_PATH" and RFC 4456's ORIGINATOR_ID
// and CLUSTER_LIST steps), in order. Its names are the `rule` of bgp.best.
var steps = [...]step{
	{"local-pref", cmpLocalPref},
	{"local", cmpLocal},
	{"as-path", cmpASPath},
	{"origin", cmpOrigin},
	{"med", cmpMED},
	{"ebgp", cmpEBGP},
	{"igp-cost", cmpIGPCost},
	{"router-id", cmpRouterID},
	{"cluster-list", cmpClusterList},
	{"peer-addr", cmpPeerAddr},
}

// stepIGP is the index of the last step that must tie for multipath.
const stepIGP = 6

// Rule names used when no comparison was needed.
const (
	ruleOnly    = "only-path"
	ruleNone    = "none"
	rulePeerIdx = "peer-index"
)

// cmpLocalPref: highest LOCAL_PREF wins.
func cmpLocalPref(a, b *cand) int { return cmpU32Desc(a.attrs().localPref(), b.attrs().localPref()) }

func (c *cand) attrs() pathAttrs { return pathAttrs{c.r, c.x} }

// cmpLocal: a locally originated path wins (Cisco weight / Junos / FRR).
func cmpLocal(a, b *cand) int {
	switch {
	case a.local == b.local:
		return 0
	case a.local:
		return -1
	}
	return 1
}

// cmpASPath: shortest AS_PATH wins.
func cmpASPath(a, b *cand) int { return len(a.r.ASPath) - len(b.r.ASPath) }

// cmpOrigin: lowest ORIGIN wins (IGP < EGP < INCOMPLETE).
func cmpOrigin(a, b *cand) int { return int(a.r.Origin) - int(b.r.Origin) }

// neighborAS is the leftmost AS of the path (0 for a path inside my AS).
func neighborAS(r *attrs) uint32 {
	if len(r.ASPath) == 0 {
		return 0
	}
	return r.ASPath[0]
}

// cmpMED: lowest MED wins, only between paths from the same neighbour AS
// (RFC 4271 §9.1.2.2 c; no always-compare-med, no deterministic-med: the
// candidates are compared in peer-index order, so the outcome is deterministic).
func cmpMED(a, b *cand) int {
	if neighborAS(a.r) != neighborAS(b.r) {
		return 0
	}
	return cmpU32Asc(a.attrs().med(), b.attrs().med())
}

// cmpEBGP: a path learned over eBGP wins over one learned over iBGP.
func cmpEBGP(a, b *cand) int {
	switch {
	case a.ebgp == b.ebgp:
		return 0
	case a.ebgp:
		return -1
	}
	return 1
}

// cmpIGPCost: lowest IGP cost to the next hop wins.
func cmpIGPCost(a, b *cand) int { return cmpU32Asc(a.igp, b.igp) }

// cmpRouterID: lowest BGP identifier (ORIGINATOR_ID when reflected) wins.
func cmpRouterID(a, b *cand) int { return cmpU32Asc(a.rid, b.rid) }

// cmpClusterList: shorter CLUSTER_LIST wins (RFC 4456 §9).
func cmpClusterList(a, b *cand) int {
	return len(a.attrs().clusterList()) - len(b.attrs().clusterList())
}

// cmpPeerAddr: lowest peer address wins.
func cmpPeerAddr(a, b *cand) int { return a.addr.Compare(b.addr) }

func cmpU32Asc(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpU32Desc(a, b uint32) int { return -cmpU32Asc(a, b) }

// compare runs the decision process on a and b and returns the outcome and
// the index of the step that decided (len(steps) when only the peer-index
// fallback, which makes the order total, separated them).
//
// It is the steps table written out (direct calls, no loop over function
// values: the decision process is the hottest code of a large run);
// TestBestPathSteps checks that each step decides at its index.
func compare(a, b *cand) (int, int) {
	if c := cmpLocalPref(a, b); c != 0 {
		return c, 0
	}
	if c := cmpLocal(a, b); c != 0 {
		return c, 1
	}
	if c := cmpASPath(a, b); c != 0 {
		return c, 2
	}
	if c := cmpOrigin(a, b); c != 0 {
		return c, 3
	}
	if c := cmpMED(a, b); c != 0 {
		return c, 4
	}
	if c := cmpEBGP(a, b); c != 0 {
		return c, 5
	}
	if c := cmpIGPCost(a, b); c != 0 {
		return c, 6
	}
	if c := cmpRouterID(a, b); c != 0 {
		return c, 7
	}
	if c := cmpClusterList(a, b); c != 0 {
		return c, 8
	}
	if c := cmpPeerAddr(a, b); c != 0 {
		return c, 9
	}
	return a.peer - b.peer, len(steps)
}

// Rules as the decision process reports them: a step's index, or one of
// these past the steps.
const (
	rulePeerIdxK = len(steps) + iota // the peer-index fallback
	ruleOnlyK                        // one candidate
	ruleNoneK                        // no candidate
)

// ruleNames are the rules' names, by rule index.
var ruleNames = func() []string {
	n := make([]string, ruleNoneK+1)
	for i, st := range steps {
		n[i] = st.name
	}
	n[rulePeerIdxK], n[ruleOnlyK], n[ruleNoneK] = rulePeerIdx, ruleOnly, ruleNone
	return n
}()

// ruleBoxes are ruleNames as trace values (boxed once).
var ruleBoxes = func() []any {
	b := make([]any, len(ruleNames))
	for i, n := range ruleNames {
		b[i] = n
	}
	return b
}()

func ruleName(i int) string { return ruleNames[i] }

// multipathEqual reports whether c may share forwarding with best: every
// step up to the IGP cost ties and the AS paths are identical.
func multipathEqual(best, c *cand) bool {
	for i := 0; i <= stepIGP; i++ {
		if steps[i].cmp(best, c) != 0 {
			return false
		}
	}
	return multipathASPath(best, c)
}

// multipathTied is multipathEqual for a candidate whose deciding step
// against best selectBest recorded (c.k): no step to re-run.
func multipathTied(best, c *cand) bool { return c.k > stepIGP && multipathASPath(best, c) }

// multipathASPath is multipathEqual's last condition, for candidates whose
// steps up to the IGP cost tie: neither local, and identical AS paths.
func multipathASPath(best, c *cand) bool {
	return !best.local && !c.local && slices.Equal(best.r.ASPath, c.r.ASPath)
}

// selectBest picks the best of cands (len ≥ 1) by a linear scan in order and
// returns its index and the rule (index) that decided against the strongest
// competitor (the deepest step reached against any other candidate).
func selectBest(cands []cand) (int, int) {
	if len(cands) == 1 {
		return 0, ruleOnlyK
	}
	best := 0
	for i := 1; i < len(cands); i++ {
		if c, _ := compare(&cands[i], &cands[best]); c < 0 {
			best = i
		}
	}
	deepest := -1
	for i := range cands {
		if i == best {
			continue
		}
		_, k := compare(&cands[best], &cands[i])
		cands[i].k = k
		if k > deepest {
			deepest = k
		}
	}
	return best, deepest
}

// selectMulti appends to nh the peer indexes of up to maxPaths paths that are
// multipath-equal to cands[best] (best included), chosen in decision order,
// and returns them sorted. cands are as selectBest left them.
func selectMulti(cands []cand, best, maxPaths int, nh []int, order []int) ([]int, []int) {
	nh = append(nh, cands[best].peer)
	if maxPaths > 1 {
		order = order[:0]
		for i := range cands {
			if i != best && multipathTied(&cands[best], &cands[i]) {
				order = append(order, i)
			}
		}
		if len(order) > maxPaths-1 {
			slices.SortFunc(order, func(x, y int) int {
				c, _ := compare(&cands[x], &cands[y])
				return c
			})
			order = order[:maxPaths-1]
		}
		for _, i := range order {
			nh = append(nh, cands[i].peer)
		}
	}
	slices.Sort(nh)
	return nh, order
}
