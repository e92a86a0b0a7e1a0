package flow

import (
	"math"
	"slices"

	"github.com/netdrill/netdrill/sim"
)

// solver holds the flat per-resource arrays of a solve. Resource r = 2·l+dir
// for link l; pool resources are indexed the same way in their own arrays.
type solver struct {
	sL, offL, dropL, silL []float64 // links: survival share, offered, congestion drop, wire loss
	sP, offP, dropP       []float64 // pools (offP and dropP exclude background)
	amt                   []float64 // per walk node
	all                   []float64 // sL and sP are its two halves
	aa                    anderson

	// elastic mode
	coefR   []int32   // resource of each coefficient (links, then pools at 2·len(links)+…)
	coefV   []float64 // share of the demand's sending rate that crosses it
	coefOff []int32   // demand i's coefficients: coefR[coefOff[i]:coefOff[i+1]]
	frac    []float64 // demand i: delivered share, then NumCauses lost shares
	ids     []DemandID
	rate    []float64 // what each participant offers: demands, then pool backgrounds
	bgRes   []int32   // pool resource of each background participant
	active  []bool
	x       []float64
	rem, a  []float64
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func (n *Network) prepareSolver() *solver {
	s := &n.solver
	nl, np := 2*len(n.links), 2*len(n.pools)
	s.all = resize(s.all, nl+np)
	s.sL, s.sP = s.all[:nl:nl], s.all[nl:]
	s.offL, s.dropL, s.silL = resize(s.offL, nl), resize(s.dropL, nl), resize(s.silL, nl)
	s.offP, s.dropP = resize(s.offP, np), resize(s.dropP, np)
	return s
}

// push sends rate through d's walk with the current survival shares,
// adding what it offers and loses to the per-resource arrays, and returns
// what the demand delivers and loses.
func (n *Network) push(d *demand, rate float64, s *solver) (delivered float64, lost [NumCauses]float64) {
	wk := &d.w
	if rate == 0 || len(wk.nodes) == 0 {
		return 0, lost
	}
	if cap(s.amt) < len(wk.nodes) {
		s.amt = make([]float64, len(wk.nodes))
	}
	amt := s.amt[:len(wk.nodes)]
	clear(amt)
	amt[0] = rate
	for i := range wk.nodes {
		a := amt[i]
		if a == 0 {
			continue
		}
		wn := &wk.nodes[i]
		switch wn.term {
		case tDelivered:
			delivered += a
			continue
		case tNoRoute:
			lost[NoRoute] += a
			continue
		case tLoop:
			lost[Loop] += a
			continue
		}
		for _, e := range wk.edges[wn.first : wn.first+wn.n] {
			x := a * e.frac
			l := &n.links[e.link]
			if l.state == Down {
				lost[Blackhole] += x
				continue
			}
			r := 2*int(e.link) + int(e.dir)
			s.offL[r] += x
			if sv := s.sL[r]; sv < 1 {
				y := x * sv
				s.dropL[r] += x - y
				lost[Congestion] += x - y
				x = y
			}
			for _, p := range l.pools {
				rp := 2*int(p) + int(e.dir)
				s.offP[rp] += x
				if sv := s.sP[rp]; sv < 1 {
					y := x * sv
					s.dropP[rp] += x - y
					lost[Congestion] += x - y
					x = y
				}
			}
			if l.loss > 0 {
				y := x * l.loss
				s.silL[r] += y
				lost[SilentLink] += y
				x -= y
			}
			amt[e.to] += x
		}
	}
	return delivered, lost
}

// shareTolerance is when the fixed-point iteration stops: no resource's
// kept share moved by more than this in the last round (0.01 bit/s on a
// 10G link, below the whole-bit rounding of the results).
const shareTolerance = 1e-12

// solveInelastic finds the fixed point of proportional dropping: each
// resource (link direction, pool direction) keeps the share
// min(1, capacity/offered) of what is offered to it, where "offered" is
// what survives upstream resources. Starting from "nothing dropped", the
// iteration is exact after depth+1 rounds when no congested resources feed
// each other in a cycle (the usual case: then the shares of resources at
// path depth k are final after round k). When they do (traffic looping
// over a congested link in both directions, or two demands crossing two
// congested links in opposite orders) it converges geometrically and
// stops when no share moves by more than shareTolerance, or after maxIter
// rounds (counted in Stats.Unconverged). Anderson acceleration (see
// anderson) makes the cyclic case converge in tens of rounds rather than
// hundreds; it changes how fast the fixed point is reached, not which one.
func (n *Network) solveInelastic() {
	s := n.prepareSolver()
	for i := range s.all {
		s.all[i] = 1
	}
	nl := len(s.sL)
	s.aa.reset(len(s.all))
	g := s.aa.g
	for iter := 1; ; iter++ {
		n.stats.Iterations++
		clear(s.offL)
		clear(s.dropL)
		clear(s.silL)
		clear(s.offP)
		clear(s.dropP)
		for i := range n.demands {
			d := &n.demands[i]
			d.delivered, d.lost = n.push(d, d.rate, s)
		}
		// g = F(s): the shares the offered loads call for.
		for r, off := range s.offL {
			g[r] = 1
			if c := n.links[r/2].capacity; off > c {
				g[r] = c / off
			}
		}
		for r, off := range s.offP {
			p := &n.pools[r/2]
			g[nl+r] = 1
			if tot := off + p.background; tot > p.capacity {
				g[nl+r] = p.capacity / tot
			}
		}
		if !s.aa.step(s.all, shareTolerance) {
			break
		}
		if iter >= n.maxIter {
			n.stats.Unconverged++
			break
		}
	}
	for i := range n.links {
		l := &n.links[i]
		for dir := range 2 {
			r := 2*i + dir
			l.off[dir], l.drop[dir], l.silent[dir] = s.offL[r], s.dropL[r], s.silL[r]
		}
	}
	for i := range n.pools {
		p := &n.pools[i]
		for dir := range 2 {
			r := 2*i + dir
			p.off[dir], p.drop[dir] = s.offP[r], s.dropP[r]
			p.bgDrop[dir] = p.background * (1 - s.sP[r])
		}
	}
}

// solveElastic shares bottlenecks max-min fairly by progressive filling.
// Each demand sends x ≤ its offered rate; what it sends splits over its walk
// in fixed shares (ECMP, wire loss), so resource r carries Σ x_d·a_dr. A
// pool's background load takes part as one more sender per direction: it
// crosses only that pool direction and offers the background rate (the
// other tenants are congestion-controlled too; none is served first). All
// unfrozen senders' x rise together until one reaches its offered rate or
// a resource fills; the senders concerned freeze; repeat. Nothing is
// dropped to congestion on the wire; a demand's Congestion loss is
// offered − x, a background's dropped share is background − x.
//
// Cost: O(rounds × nnz) with rounds ≤ senders + resources and nnz the
// total walk size.
func (n *Network) solveElastic() {
	s := n.prepareSolver()
	nl := 2 * len(n.links)
	nr := nl + 2*len(n.pools)
	for i := range s.sL {
		s.sL[i] = 1
	}
	for i := range s.sP {
		s.sP[i] = 1
	}
	clear(s.offL)
	clear(s.dropL)
	clear(s.silL)
	clear(s.offP)
	clear(s.dropP)

	// Unit push per demand to get its coefficients and outcome shares.
	s.coefR, s.coefV, s.coefOff, s.frac, s.ids = s.coefR[:0], s.coefV[:0], s.coefOff[:0], s.frac[:0], s.ids[:0]
	for i := range n.demands {
		d := &n.demands[i]
		d.delivered, d.lost = 0, [NumCauses]float64{}
		if d.rate == 0 || len(d.w.nodes) == 0 {
			continue
		}
		s.ids = append(s.ids, DemandID(i))
		s.coefOff = append(s.coefOff, int32(len(s.coefR)))
		del, lost := n.unitCoefs(d, s, nl)
		s.frac = append(s.frac, del)
		s.frac = append(s.frac, lost[:]...)
	}
	nd := len(s.ids)
	s.rate = s.rate[:0]
	for _, id := range s.ids {
		s.rate = append(s.rate, n.demands[id].rate)
	}
	// Each pool direction's background is one more sender.
	s.bgRes = s.bgRes[:0]
	for i := range n.pools {
		if bg := n.pools[i].background; bg > 0 {
			for dir := range 2 {
				r := nl + 2*i + dir
				s.coefOff = append(s.coefOff, int32(len(s.coefR)))
				s.coefR = append(s.coefR, int32(r))
				s.coefV = append(s.coefV, 1)
				s.rate = append(s.rate, bg)
				s.bgRes = append(s.bgRes, int32(r))
			}
		}
	}
	s.coefOff = append(s.coefOff, int32(len(s.coefR)))
	ns := len(s.rate)

	s.rem = resize(s.rem, nr)
	s.a = resize(s.a, nr)
	s.x = resize(s.x, ns)
	if cap(s.active) < ns {
		s.active = make([]bool, ns)
	}
	s.active = s.active[:ns]
	for r := range nl {
		s.rem[r] = n.links[r/2].capacity
	}
	for r := nl; r < nr; r++ {
		s.rem[r] = n.pools[(r-nl)/2].capacity
	}
	for i := range s.active {
		s.active[i] = true
	}
	clear(s.x)
	level, left := 0.0, ns
	tol := func(v float64) float64 { return 1e-9 * math.Max(v, 1) }
	for left > 0 {
		clear(s.a)
		step, argD, argR := math.Inf(1), -1, -1
		for i, rate := range s.rate {
			if !s.active[i] {
				continue
			}
			for k := s.coefOff[i]; k < s.coefOff[i+1]; k++ {
				s.a[s.coefR[k]] += s.coefV[k]
			}
			if h := rate - level; h < step {
				step, argD = h, i
			}
		}
		for r, a := range s.a {
			if a > 0 {
				if h := math.Max(s.rem[r], 0) / a; h < step {
					step, argD, argR = h, -1, r
				}
			}
		}
		step = math.Max(step, 0)
		level += step
		for r, a := range s.a {
			if a > 0 {
				s.rem[r] -= step * a
			}
		}
		for i, rate := range s.rate {
			if !s.active[i] {
				continue
			}
			freeze := i == argD || rate-level <= tol(rate)
			for k := s.coefOff[i]; !freeze && k < s.coefOff[i+1]; k++ {
				r := int(s.coefR[k])
				freeze = r == argR || s.rem[r] <= tol(n.resCap(r, nl))
			}
			if freeze {
				s.active[i] = false
				s.x[i] = math.Min(level, rate)
				left--
			}
		}
	}

	for i, id := range s.ids {
		d := &n.demands[id]
		x := s.x[i]
		f := s.frac[i*(1+int(NumCauses)):]
		d.delivered = x * f[0]
		for c := range NumCauses {
			d.lost[c] = x * f[1+int(c)]
		}
		d.lost[Congestion] += d.rate - x
		for k := s.coefOff[i]; k < s.coefOff[i+1]; k++ {
			r, v := int(s.coefR[k]), x*s.coefV[k]
			if r < nl {
				s.offL[r] += v
				if l := &n.links[r/2]; l.loss > 0 {
					s.silL[r] += v * l.loss
				}
			} else {
				s.offP[r-nl] += v
			}
		}
	}
	for i := range n.links {
		l := &n.links[i]
		for dir := range 2 {
			r := 2*i + dir
			l.off[dir], l.drop[dir], l.silent[dir] = s.offL[r], 0, s.silL[r]
		}
	}
	for i := range n.pools {
		p := &n.pools[i]
		for dir := range 2 {
			p.off[dir], p.drop[dir], p.bgDrop[dir] = s.offP[2*i+dir], 0, 0
		}
	}
	for k, r := range s.bgRes {
		i := (int(r) - nl) / 2
		p := &n.pools[i]
		p.bgDrop[(int(r)-nl)%2] = math.Max(p.background-s.x[nd+k], 0)
	}
}

func (n *Network) resCap(r, nl int) float64 {
	if r < nl {
		return n.links[r/2].capacity
	}
	return n.pools[(r-nl)/2].capacity
}

// unitCoefs pushes one unit through d's walk with nothing congested and
// appends, per resource crossed, the share of the demand that crosses it.
func (n *Network) unitCoefs(d *demand, s *solver, nl int) (delivered float64, lost [NumCauses]float64) {
	wk := &d.w
	if cap(s.amt) < len(wk.nodes) {
		s.amt = make([]float64, len(wk.nodes))
	}
	amt := s.amt[:len(wk.nodes)]
	clear(amt)
	amt[0] = 1
	for i := range wk.nodes {
		a := amt[i]
		if a == 0 {
			continue
		}
		wn := &wk.nodes[i]
		switch wn.term {
		case tDelivered:
			delivered += a
			continue
		case tNoRoute:
			lost[NoRoute] += a
			continue
		case tLoop:
			lost[Loop] += a
			continue
		}
		for _, e := range wk.edges[wn.first : wn.first+wn.n] {
			x := a * e.frac
			l := &n.links[e.link]
			if l.state == Down {
				lost[Blackhole] += x
				continue
			}
			r := 2*int(e.link) + int(e.dir)
			s.coefR = append(s.coefR, int32(r))
			s.coefV = append(s.coefV, x)
			for _, p := range l.pools {
				s.coefR = append(s.coefR, int32(nl+2*int(p)+int(e.dir)))
				s.coefV = append(s.coefV, x)
			}
			if l.loss > 0 {
				lost[SilentLink] += x * l.loss
				x -= x * l.loss
			}
			amt[e.to] += x
		}
	}
	return delivered, lost
}

// Recompute brings the data plane up to date at time now: it integrates
// bytes at the previous rates up to now, re-walks the demands whose
// forwarding changed, solves for the new rates and traces what changed.
// Call it at the instant of a change (after all changes of that instant).
// A time before the previous Recompute is treated as equal to it.
//
// Cost: O(re-walked walk sizes) Lookups, plus the solve: O(iterations ×
// Σ walk sizes) inelastic, where iterations is the longest chain of
// congested resources + 2 (1 when nothing is congested); nothing beyond
// the clock update when nothing changed.
func (n *Network) Recompute(now sim.Time) {
	if n.started && now < n.last {
		now = n.last
	}
	n.last = now
	if n.started && !n.changed {
		return
	}
	n.started = true
	n.changed = false
	n.stats.Recomputes++

	if n.routesAll {
		n.routesAll = false
		for i := range n.demands {
			n.demands[i].dirty = false
			n.walkDemand(DemandID(i))
		}
	} else {
		slices.Sort(n.rewalk)
		for _, id := range n.rewalk {
			n.demands[id].dirty = false
			n.walkDemand(id)
		}
	}
	n.rewalk = n.rewalk[:0]

	if n.elastic {
		n.solveElastic()
	} else {
		n.solveInelastic()
	}
	n.publish(now)
}
