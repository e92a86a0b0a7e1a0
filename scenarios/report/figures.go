package report

import (
	"fmt"
	"image/color"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// Limits that keep a report readable and small whatever the run.
const (
	plotColumns     = 700 // pixel columns of a full-width plot; series are reduced to these
	panelColumns    = 350 // of a small panel
	maxZooms        = 8   // zoom panels (the faults that lost most)
	maxDemandPlots  = 12  // throughput plots (the demands that lost most)
	maxUtilPanels   = 12  // link/pool panels (pools, then the busiest links)
	maxFaultMarkers = 24  // beyond this, fault spans are drawn without inject/repair lines
)

var (
	wideW, wideH   = 9 * vg.Inch, 3.2 * vg.Inch
	panelW, panelH = 4.4 * vg.Inch, 2.3 * vg.Inch
	panelLegendW   = 1.2 * vg.Inch // lines up the small multiples' plot areas
)

// Figures builds every plot of the page, in page order: throughput per
// demand, a zoom around each fault (the maxZooms that lost most), and
// utilisation per link or pool.
func (pg *Page) Figures() ([]Figure, error) {
	tl := pg.timeline()
	res := pg.Result
	var figs []Figure
	for _, d := range demandTargets(res, tl) {
		f, err := throughputFigure(res, d)
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", d.Name, err)
		}
		figs = append(figs, f)
	}
	for _, z := range zoomTargets(res) {
		d := tl.Demand(z.demand)
		if d == nil {
			continue
		}
		f, err := zoomFigure(res, tl, res.Faults[z.fault], *d)
		if err != nil {
			return nil, fmt.Errorf("plot %s around %s: %w", z.demand, res.Faults[z.fault].ID, err)
		}
		figs = append(figs, f)
	}
	for _, c := range utilTargets(res, tl) {
		f, err := utilFigure(res, tl, c)
		if err != nil {
			return nil, fmt.Errorf("plot %s %s: %w", c.Kind, c.Name, err)
		}
		figs = append(figs, f)
	}
	names := map[string]int{}
	for i := range figs {
		base := fileStem(figs[i].Name)
		names[base]++
		if n := names[base]; n > 1 {
			base = fmt.Sprintf("%s-%d", base, n)
		}
		figs[i].Name = base
	}
	return figs, nil
}

// timeline is the page's timeline, or one made from the result's series
// (loss not split by cause, no link states) when the page has none.
func (pg *Page) timeline() *metrics.Timeline {
	if pg.Timeline != nil {
		return pg.Timeline
	}
	tl := &metrics.Timeline{End: pg.Result.End}
	for _, d := range pg.Result.Demands {
		dt := metrics.DemandTimeline{Name: d.Name}
		for _, p := range d.Series {
			rp := metrics.RatePoint{T: p.T, Offered: p.Offered, Delivered: p.Delivered}
			if l := p.Offered - p.Delivered; l > 0 {
				rp.Causes = []metrics.CauseRate{{Cause: "lost", Rate: l}}
			}
			dt.Points = append(dt.Points, rp)
		}
		tl.Demands = append(tl.Demands, dt)
	}
	return tl
}

// demandCauses lists the causes a demand ever lost traffic to, in order.
func demandCauses(d metrics.DemandTimeline) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range d.Points {
		for _, c := range p.Causes {
			if !seen[c.Cause] {
				seen[c.Cause] = true
				out = append(out, c.Cause)
			}
		}
	}
	order := map[string]int{}
	for i, c := range append(append([]string(nil), metrics.Causes...), "lost") {
		order[c] = i + 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		oi, oj := order[out[i]], order[out[j]]
		if oi == 0 {
			oi = len(order) + 1
		}
		if oj == 0 {
			oj = len(order) + 1
		}
		if oi != oj {
			return oi < oj
		}
		return out[i] < out[j]
	})
	return out
}

// demandSeries is a demand's records as series of offered, delivered and
// one value per cause.
func demandSeries(d metrics.DemandTimeline, causes []string) series {
	ts := make([]int64, len(d.Points))
	for i, p := range d.Points {
		ts[i] = p.T
	}
	return series{ts: ts, k: 2 + len(causes), vals: func(i int, out []float64) {
		p := d.Points[i]
		out[0], out[1] = p.Offered, p.Delivered
		for k, c := range causes {
			out[2+k] = p.Lost(c)
		}
	}}
}

// rateSpans reduces a demand over [from, to) to spans of offered,
// delivered and each cause, with the highest rate drawn.
func rateSpans(d metrics.DemandTimeline, from, to int64, cols int) (sps []span, causes []string, ymax float64) {
	causes = demandCauses(d)
	sps = demandSeries(d, causes).spans(from, to, cols)
	for _, s := range sps {
		ymax = max(ymax, s.hi[0], s.hi[1])
	}
	return sps, causes, ymax
}

// rateChart draws offered, delivered and the loss by cause stacked above
// delivered (so the shaded area is what was lost), values divided by scale.
func rateChart(p *plot.Plot, sps []span, causes []string, ax timeAxis, scale float64) (shows []string, err error) {
	for k, c := range causes {
		k := k
		// Means stack exactly: offered = delivered + every cause, so the
		// area is the bytes lost, reduced columns included.
		rings := bandRings(sps, ax, func(s span) (float64, float64) {
			b := s.mean[1]
			for i := 0; i < k; i++ {
				b += s.mean[2+i]
			}
			t := min(b+s.mean[2+k], max(s.mean[0], b))
			return b / scale, t / scale
		})
		pg, err := addRings(p, rings, causeColour(c))
		if err != nil {
			return nil, err
		}
		if pg != nil {
			p.Legend.Add("lost: "+c, legendSwatch{causeColour(c)})
			shows = append(shows, "loss:"+c)
		}
	}
	env, err := addRings(p, envelopeRings(sps, 1, ax, scale), colEnvelope)
	if err != nil {
		return nil, err
	}
	if env != nil {
		p.Legend.Add("delivered min–max", legendSwatch{colEnvelope})
		shows = append(shows, "envelope")
	}
	off, err := addLine(p, lineXYs(sps, 0, ax, scale), colOffered, 1, true)
	if err != nil {
		return nil, err
	}
	del, err := addLine(p, lineXYs(sps, 1, ax, scale), colDelivered, 1.6, false)
	if err != nil {
		return nil, err
	}
	if off != nil {
		p.Legend.Add("offered", off)
		shows = append(shows, "offered")
	}
	if del != nil {
		p.Legend.Add("delivered", del)
		shows = append(shows, "delivered")
	}
	return shows, nil
}

// faultEnd is where a fault's span ends on a plot: its repair, else the end.
func faultEnd(res *metrics.Result, f metrics.Fault) int64 {
	if f.Repaired {
		return f.RepairAt
	}
	return res.End
}

func throughputFigure(res *metrics.Result, d metrics.DemandTimeline) (Figure, error) {
	p := newPlot(d.Name+": offered and delivered", "")
	ax := newTimeAxis(0, res.End)
	ax.apply(p, "simulated time", 0, res.End)
	top := 1.0
	// Fault spans go under everything else.
	colW := ax.x(res.End) / plotColumns
	var spans []vspan
	for _, f := range res.Faults {
		spans = append(spans, vspan{from: f.At, to: faultEnd(res, f), fill: colFaultSpan})
	}
	sps, causes, ymax := rateSpans(d, 0, res.End, plotColumns)
	scale, unit := valueUnit(ymax)
	p.Y.Label.Text = unit
	if ymax > 0 {
		top = ymax / scale
	}
	ytop := top * 1.3
	// A few faults: bands across the plot with inject and repair lines.
	// Many (a simulated year): a strip of spans above the data, so they
	// show where and how long without washing over it.
	many := len(res.Faults) > maxFaultMarkers
	lo, hi, labelY := 0.0, ytop, top*1.04
	if many {
		lo, hi, labelY = top*1.03, top*1.11, top*1.14
	}
	fill := colFaultSpan
	if many {
		fill = colFaultRug
	}
	for i := range spans {
		spans[i].fill = fill
	}
	if err := addVSpans(p, spans, ax, lo, hi, colW); err != nil {
		return Figure{}, err
	}
	shows, err := rateChart(p, sps, causes, ax, scale)
	if err != nil {
		return Figure{}, err
	}
	if len(res.Faults) > 0 {
		p.Legend.Add("fault (inject → repair)", legendSwatch{color.NRGBA{R: 0xc0, G: 0x1c, B: 0x1c, A: 0x40}})
	}
	var ms []marker
	for _, f := range res.Faults {
		shows = append(shows, "fault:"+f.ID)
		if !many {
			ms = append(ms, marker{t: f.At, colour: colFault, label: f.ID, dashed: true})
			if f.Repaired {
				ms = append(ms, marker{t: f.RepairAt, colour: colRepair, dashed: true})
			}
		} else {
			ms = append(ms, marker{t: f.At, label: f.ID}) // a label only: the strip shows the rest
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].t < ms[j].t })
	rows := 3
	if many {
		rows = 1
	}
	if err := addMarkers(p, ms, ax, ytop, labelY, top*0.085, charWidth(ax.x(0), ax.x(res.End), wideW), rows); err != nil {
		return Figure{}, err
	}
	p.Y.Max = ytop
	cap := fmt.Sprintf("%s over the whole run: the dashed line is what was offered, the blue line what was delivered; "+
		"the shaded area between them is what was lost, coloured by cause.", d.Name)
	switch {
	case many:
		cap += fmt.Sprintf(" The red strip above the data marks each of the %d faults from inject to repair.", len(res.Faults))
	case len(res.Faults) > 0:
		cap += " Red bands run from each fault's inject (red line) to its repair (green line)."
	}
	if len(d.Points) > plotColumns/3 {
		cap += fmt.Sprintf(" %d records reduced to pixel columns: the line and areas are each column's mean, the light band its min to max.", len(d.Points))
	}
	return Figure{Name: "throughput-" + d.Name, Caption: cap, Plot: p, W: wideW, H: wideH, Shows: shows}, nil
}

// demandTargets picks the demands to plot: all, or when there are more
// than maxDemandPlots, those that lost the most bytes; in name order.
func demandTargets(res *metrics.Result, tl *metrics.Timeline) []metrics.DemandTimeline {
	ds := append([]metrics.DemandTimeline(nil), tl.Demands...)
	if len(ds) <= maxDemandPlots {
		return ds
	}
	lost := map[string]float64{}
	for _, d := range res.Demands {
		lost[d.Name] = d.Loss.Lost
	}
	sort.SliceStable(ds, func(i, j int) bool { return lost[ds[i].Name] > lost[ds[j].Name] })
	ds = ds[:maxDemandPlots]
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Name < ds[j].Name })
	return ds
}

type zoomTarget struct {
	fault  int
	demand string
}

// zoomTargets picks (fault, demand) pairs to zoom on: every affected demand
// of every fault, or when there are more than maxZooms, the ones whose
// fault window lost the most bytes; in time order.
func zoomTargets(res *metrics.Result) []zoomTarget {
	type cand struct {
		zoomTarget
		lost float64
	}
	var cs []cand
	for fi, f := range res.Faults {
		for _, fo := range f.Failovers {
			lost := 0.0
			for _, d := range res.Demands {
				if d.Name == fo.Demand && fi < len(d.Windows) {
					lost = d.Windows[fi].Lost
				}
			}
			cs = append(cs, cand{zoomTarget{fi, fo.Demand}, lost})
		}
	}
	if len(cs) > maxZooms {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].lost > cs[j].lost })
		cs = cs[:maxZooms]
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].fault != cs[j].fault {
				return cs[i].fault < cs[j].fault
			}
			return cs[i].demand < cs[j].demand
		})
	}
	out := make([]zoomTarget, len(cs))
	for i, c := range cs {
		out[i] = c.zoomTarget
	}
	return out
}

// zoomWindow is the stretch around a fault that shows its sub-second
// events: from a little before the inject to past detection and the
// demand's failover (BGP convergence only when the demand has none: a
// control plane may keep churning long after traffic has moved).
func zoomWindow(res *metrics.Result, f metrics.Fault, fo *metrics.Failover) (from, to int64) {
	h := int64(1e6) // at least a millisecond: carrier loss fails over in µs
	if f.Detected {
		h = max(h, f.Detection)
	}
	switch {
	case fo == nil:
		h = max(h, f.Convergence)
	case fo.Restored:
		h = max(h, fo.Failover)
	default:
		h = max(h, 2*res.Options.SettleWindow)
	}
	from = max(0, f.At-h/4)
	to = min(res.End, f.At+h+h/2)
	if to <= from {
		to = from + 1
	}
	return from, to
}

func zoomFigure(res *metrics.Result, tl *metrics.Timeline, f metrics.Fault, d metrics.DemandTimeline) (Figure, error) {
	var fo *metrics.Failover
	for i := range f.Failovers {
		if f.Failovers[i].Demand == d.Name {
			fo = &f.Failovers[i]
		}
	}
	from, to := zoomWindow(res, f, fo)
	ax := newTimeAxis(f.At, to-from)
	p := newPlot(fmt.Sprintf("%s %s %s: %s", f.ID, f.Kind, f.Target, d.Name), "")
	ax.apply(p, "time after "+f.ID, from, to)
	sps, causes, ymax := rateSpans(d, from, to, panelColumns)
	scale, unit := valueUnit(ymax)
	p.Y.Label.Text = unit
	top := 1.0
	if ymax > 0 {
		top = ymax / scale
	}
	ytop := top * 1.35
	end := faultEnd(res, f)
	if err := addVSpans(p, []vspan{{from: f.At, to: min(end, to), fill: colFaultSpan}}, ax, 0, ytop, 0); err != nil {
		return Figure{}, err
	}
	shows, err := rateChart(p, sps, causes, ax, scale)
	if err != nil {
		return Figure{}, err
	}
	ms := []marker{{t: f.At, colour: colFault, label: f.ID, dashed: true}}
	shows = append(shows, "fault:"+f.ID)
	if f.Detected && f.At+f.Detection <= to {
		ms = append(ms, marker{t: f.At + f.Detection, colour: colDetect, label: "detected", dashed: true})
		shows = append(shows, "detected")
	}
	if fo != nil && fo.Restored && fo.RestoredAt <= to {
		ms = append(ms, marker{t: fo.RestoredAt, colour: colRepair, label: "restored", dashed: true})
		shows = append(shows, "restored")
	}
	if f.Repaired && f.RepairAt <= to {
		ms = append(ms, marker{t: f.RepairAt, colour: colRepair, label: "repair", dashed: true})
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].t < ms[j].t })
	if err := addMarkers(p, ms, ax, ytop, top*1.04, top*0.1, charWidth(ax.x(from), ax.x(to), panelW), 3); err != nil {
		return Figure{}, err
	}
	p.Y.Max = ytop
	cap := fmt.Sprintf("%s around %s: from %s to %s after the inject.", d.Name, f.Label(), dur(from-f.At), dur(to-f.At))
	if f.Detected {
		cap += " Detected after " + dur(f.Detection) + "."
	}
	if fo != nil {
		cap += " Failover: " + failover(*fo) + "."
	}
	return Figure{Name: "zoom-" + f.ID + "-" + d.Name, Caption: cap, Plot: p, W: panelW, H: panelH, LegendW: panelLegendW, Shows: shows}, nil
}

// utilTargets picks the links and pools to draw: every pool, then links
// that were ever not up or carried load, busiest first; at most
// maxUtilPanels, then in name order (pools first).
func utilTargets(res *metrics.Result, tl *metrics.Timeline) []metrics.Capacity {
	out := append([]metrics.Capacity(nil), res.Pools...)
	links := append([]metrics.Capacity(nil), res.Links...)
	sort.SliceStable(links, func(i, j int) bool {
		di, dj := tl.Link(links[i].Name) != nil, tl.Link(links[j].Name) != nil
		if links[i].Peak != links[j].Peak {
			return links[i].Peak > links[j].Peak
		}
		if di != dj {
			return di
		}
		return links[i].Name < links[j].Name
	})
	for _, l := range links {
		if l.Peak > 0 || tl.Link(l.Name) != nil {
			out = append(out, l)
		}
	}
	if len(out) > maxUtilPanels {
		out = out[:maxUtilPanels]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind > out[j].Kind // pools first
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func utilFigure(res *metrics.Result, tl *metrics.Timeline, c metrics.Capacity) (Figure, error) {
	p := newPlot(c.Kind+" "+c.Name, "load / capacity (%)")
	ax := newTimeAxis(0, res.End)
	ax.apply(p, "simulated time", 0, res.End)
	ts := make([]int64, len(c.Series))
	for i, pt := range c.Series {
		ts[i] = pt.T
	}
	s := series{ts: ts, k: 2, vals: func(i int, out []float64) {
		pt := c.Series[i]
		out[0], out[1] = 0, 0
		if pt.Capacity > 0 {
			out[0], out[1] = 100*pt.Load/pt.Capacity, 100*pt.Background/pt.Capacity
		}
	}}
	sps := s.spans(0, res.End, panelColumns)
	peak := 100.0
	for _, sp := range sps {
		peak = max(peak, sp.hi[0])
	}
	ytop := peak * 1.35
	var shows []string
	if l := tl.Link(c.Name); l != nil && c.Kind == "link" {
		// A few periods: shaded across the panel; many: a strip above the
		// 100% line, so that the utilisation stays readable.
		lo, hi := 0.0, ytop
		if len(l.Periods) > maxFaultMarkers {
			lo, hi = ytop*0.9, ytop*0.97
		}
		var vs []vspan
		seen := map[string]bool{}
		for _, per := range l.Periods {
			fill := stateColour(per.State)
			if hi < ytop {
				n := color.NRGBAModel.Convert(fill).(color.NRGBA)
				n.A = 0xd0
				fill = n
			}
			vs = append(vs, vspan{from: per.From, to: per.To, fill: fill})
			if !seen[per.State] {
				seen[per.State] = true
				p.Legend.Add(per.State, legendSwatch{stateColour(per.State)})
				shows = append(shows, "state:"+per.State)
			}
		}
		if err := addVSpans(p, vs, ax, lo, hi, ax.x(res.End)/panelColumns); err != nil {
			return Figure{}, err
		}
	}
	bg := bandRings(sps, ax, func(s span) (float64, float64) { return 0, s.mean[1] })
	if pg, err := addRings(p, bg, colBG); err != nil {
		return Figure{}, err
	} else if pg != nil {
		p.Legend.Add("other tenants", legendSwatch{colBG})
		shows = append(shows, "background")
	}
	limit, err := addLine(p, plotter.XYs{{X: ax.x(0), Y: 100}, {X: ax.x(res.End), Y: 100}}, colLimit, 1.2, true)
	if err != nil {
		return Figure{}, err
	}
	p.Legend.Add("100%", limit)
	shows = append(shows, "100%")
	env, err := addRings(p, envelopeRings(sps, 0, ax, 1), colEnvelope)
	if err != nil {
		return Figure{}, err
	}
	if env != nil {
		p.Legend.Add("min–max", legendSwatch{colEnvelope})
		shows = append(shows, "envelope")
	}
	u, err := addLine(p, lineXYs(sps, 0, ax, 1), colUtil, 1.4, false)
	if err != nil {
		return Figure{}, err
	}
	if u != nil {
		p.Legend.Add("utilisation", u)
		shows = append(shows, "utilisation")
	}
	p.Y.Max = ytop
	cap := fmt.Sprintf("%s %s: peak %s at %s, %s above 100%%.", c.Kind, c.Name, pct(c.Peak), dur(c.PeakAt), dur(c.Over))
	if l := tl.Link(c.Name); l != nil && c.Kind == "link" {
		if n := len(l.Periods); n == 1 {
			cap += fmt.Sprintf(" Shaded: %s from %s to %s (%s).", l.Periods[0].State, dur(l.Periods[0].From), dur(l.Periods[0].To), l.Periods[0].Reason)
		} else {
			cap += fmt.Sprintf(" Shaded: %d periods not up.", n)
		}
	}
	return Figure{Name: "util-" + c.Kind + "-" + c.Name, Caption: cap, Plot: p, W: panelW, H: panelH, LegendW: panelLegendW, Shows: shows}, nil
}

// fileStem makes a name safe as a file name: letters, digits, '.', '_' and
// '-' kept, anything else '_'.
func fileStem(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// charWidth estimates the width of a label character (8pt) in x units of a
// plot of figure width w spanning [x0, x1].
func charWidth(x0, x1 float64, w vg.Length) float64 {
	data := max(w.Points()-150, 50) // axis, margins and legend
	return (x1 - x0) * 4.6 / data
}
