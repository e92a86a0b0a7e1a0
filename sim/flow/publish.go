package flow

import (
	"github.com/netdrill/netdrill/sim"
)

// publish rounds the solved rates to whole bits/s, closes the byte
// integrals of everything whose rounded rates changed, and traces the
// changes: flow.rate for demands, then link.load, then pool.load, each in
// ID order. Comparing rounded rates keeps float noise out of the trace.
func (n *Network) publish(now sim.Time) {
	var parts [1 + NumCauses]float64
	var q [1 + NumCauses]int64
	for i := range n.demands {
		d := &n.demands[i]
		nq := demandQ{offered: quantize(d.rate)}
		parts[0] = d.delivered
		copy(parts[1:], d.lost[:])
		split(nq.offered, parts[:], q[:])
		nq.delivered = q[0]
		copy(nq.lost[:], q[1:])
		if d.traced && nq == d.q {
			continue
		}
		dt := now - d.since
		d.offAcc.add(d.q.offered, dt)
		d.delAcc.add(d.q.delivered, dt)
		for c := range NumCauses {
			d.lostAcc[c].add(d.q.lost[c], dt)
		}
		d.since, d.q = now, nq
		if !d.traced || nq != d.emitted {
			d.traced, d.emitted = true, nq
			n.traceDemand(now, d)
		}
	}
	for i := range n.links {
		l := &n.links[i]
		nq := linkQ{capacity: l.capacity}
		for dir := range 2 {
			nq.off[dir] = quantize(l.off[dir])
			nq.drop[dir] = min(quantize(l.drop[dir]), nq.off[dir])
			nq.silent[dir] = quantize(l.silent[dir])
			nq.dropT += nq.drop[dir]
			nq.silentT += nq.silent[dir]
		}
		nq.load = max(nq.off[0], nq.off[1])
		if l.traced && nq == l.q {
			continue
		}
		dt := now - l.since
		l.dropAcc.add(l.q.dropT, dt)
		l.silAcc.add(l.q.silentT, dt)
		l.since, l.q = now, nq
		if !l.traced || nq.load != l.emitted.load || nq.capacity != l.emitted.capacity || nq.dropT != l.emitted.dropT {
			l.traced, l.emitted = true, nq
			if n.tracer != nil && !l.quiet {
				b := &l.box
				n.attrs = append(n.attrs[:0], sim.A("load", b[0].Of(float64(nq.load))),
					sim.A("capacity", b[1].Of(nq.capacity)), sim.A("dropped", b[2].Of(float64(nq.dropT))))
				n.tracer.Trace(now, "link.load", l.name, n.attrs...)
			}
		}
	}
	for i := range n.pools {
		p := &n.pools[i]
		nq := poolQ{capacity: p.capacity, background: p.background}
		bg := quantize(p.background)
		for dir := range 2 {
			nq.off[dir] = quantize(p.off[dir]) + bg
			bgd := quantize(p.bgDrop[dir])
			nq.drop[dir] = min(quantize(p.drop[dir])+bgd, nq.off[dir])
			nq.dropT += nq.drop[dir]
			nq.bgDropT += bgd
		}
		nq.load = max(nq.off[0], nq.off[1])
		if p.traced && nq == p.q {
			continue
		}
		dt := now - p.since
		p.dropAcc.add(p.q.dropT, dt)
		p.bgAcc.add(p.q.bgDropT, dt)
		p.since, p.q = now, nq
		e := &p.emitted
		if !p.traced || nq.load != e.load || nq.capacity != e.capacity || nq.background != e.background || nq.dropT != e.dropT {
			p.traced, p.emitted = true, nq
			if n.tracer != nil {
				b := &p.box
				n.attrs = append(n.attrs[:0], sim.A("load", b[0].Of(float64(nq.load))),
					sim.A("capacity", b[1].Of(nq.capacity)),
					sim.A("background", b[2].Of(nq.background)), sim.A("dropped", b[3].Of(float64(nq.dropT))))
				n.tracer.Trace(now, "pool.load", p.name, n.attrs...)
			}
		}
	}
}

func (n *Network) traceDemand(now sim.Time, d *demand) {
	if n.tracer == nil {
		return
	}
	b := &d.box
	attrs := append(n.attrs[:0], sim.A("offered", b[0].Of(float64(d.q.offered))),
		sim.A("delivered", b[1].Of(float64(d.q.delivered))))
	for c := range NumCauses {
		if v := d.q.lost[c]; v != 0 {
			attrs = append(attrs, sim.A(c.String(), b[2+c].Of(float64(v))))
		}
	}
	n.attrs = attrs
	n.tracer.Trace(now, "flow.rate", d.name, attrs...)
}
