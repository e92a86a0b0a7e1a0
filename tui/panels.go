package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/rivo/tview"
)

// Colours of link states and loss causes (tview colour names).
var (
	stateColor = map[string]string{"up": "green", "down": "red", "silent": "fuchsia", "degraded": "yellow", "dark": "purple"}
	causeColor = map[string]string{"blackhole": "red", "no-route": "fuchsia", "loop": "orange", "congestion": "yellow", "silent-link": "purple"}
)

func colorOfCause(c string) string {
	if col, ok := causeColor[c]; ok {
		return col
	}
	return "red"
}

// linkColor is the colour of a link at the cursor: its state's, and for an
// up link yellow from 80% utilisation and orange when it drops traffic.
func linkColor(l trace.LinkState) string {
	if l.State != "up" {
		if c, ok := stateColor[l.State]; ok {
			return c
		}
		return "red"
	}
	switch {
	case l.Dropped > 0:
		return "orange"
	case l.Capacity > 0 && l.Load/l.Capacity >= 0.8:
		return "yellow"
	}
	return "green"
}

func pct(load, capacity float64) string {
	if capacity <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*load/capacity)
}

// commonPrefix returns the longest prefix ending in '-' shared by names
// (at least two of them), so the fabric panel can drop it.
func commonPrefix(names []string) string {
	if len(names) < 2 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	if i := strings.LastIndexByte(p, '-'); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// fabricLines draws the fabric at the cursor: the sites with their hubs
// (and how many attachments are up), then each facility — dark when a
// facility-down fault is active on it — with its rows "router ━ link
// load ━ router". The selected item is in reverse video.
func fabricLines(m *model.Model, lay model.Layout) []string {
	f := m.R.H.Fabric
	s := m.State()
	sel, _ := m.Selected()
	var edgeNames []string
	for _, r := range f.Routers {
		if r.Role != "hub" && r.Role != "core" {
			edgeNames = append(edgeNames, r.Name)
		}
	}
	var linkNames []string
	for _, l := range f.Links {
		if !l.Internal {
			linkNames = append(linkNames, l.Name)
		}
	}
	rp, lp := commonPrefix(edgeNames), commonPrefix(linkNames)
	router := func(i int, short bool) string {
		if i < 0 {
			return "?"
		}
		name := f.Routers[i].Name
		if short {
			name = strings.TrimPrefix(name, rp)
		}
		col := "white"
		switch {
		case s.RouterDown(f.Routers[i].Name):
			col = "gray"
		case !routerSessionsUp(s, f.Routers[i].Name):
			col = "yellow"
		}
		txt := "[" + col + "]" + tview.Escape(name)
		if sel == (model.Item{Kind: model.SelRouter, Index: i}) {
			txt = "[" + col + "::r]" + tview.Escape(name) + "[-::-]"
		}
		return txt + "[-]"
	}
	var out []string
	for _, site := range lay.Sites {
		st := f.Sites[site.Site]
		var parts []string
		for _, r := range site.Routers {
			if f.Routers[r].Name == st.Name { // the hub, named like its site
				parts = append(parts, strings.Replace(router(r, false), tview.Escape(st.Name), "hub", 1))
				continue
			}
			parts = append(parts, router(r, false))
		}
		up := 0
		for _, li := range site.Attach {
			if s.Links[li].State == "up" {
				up++
			}
		}
		line := fmt.Sprintf("[::b]%s[::-] %s", tview.Escape(st.Name), strings.Join(parts, " "))
		if len(parts) > 0 && f.Routers[site.Routers[0]].Name == st.Name {
			line = fmt.Sprintf("[::b]%s[::-] (%s)", tview.Escape(st.Name), strings.Join(parts, " "))
		}
		if len(site.Attach) > 0 {
			col := "green"
			if up < len(site.Attach) {
				col = "yellow"
			}
			line += fmt.Sprintf(" [%s]%d/%d attached[-]", col, up, len(site.Attach))
		}
		out = append(out, line)
	}
	if rp != "" || lp != "" {
		out = append(out, fmt.Sprintf("[gray]names without %q[-]", strings.TrimSuffix(rp, "-")+"-"))
	}
	for _, g := range lay.Groups {
		name, metro, dark := "(no facility)", "", false
		if g.Facility >= 0 {
			fc := f.Facilities[g.Facility]
			name, metro, dark = fc.Name, fc.Metro, s.FacilityDark(fc.Name)
		}
		head := "[aqua::b]▌" + tview.Escape(name) + "[-::-]"
		if metro != "" {
			head += " [gray]" + tview.Escape(metro) + "[-]"
		}
		if dark {
			head = "[black:gray:b]▌" + tview.Escape(name) + " DARK [-:-:-]"
			for _, ft := range s.Faults {
				if ft.Kind == "facility-down" && ft.Target == name {
					head += " [red]" + tview.Escape(ft.ID) + " facility-down[-]"
				}
			}
		}
		out = append(out, head)
		for _, row := range g.Rows {
			if row.Link < 0 {
				out = append(out, "  "+router(row.A, true))
				continue
			}
			l := s.Links[row.Link]
			col := linkColor(l)
			name := tview.Escape(strings.TrimPrefix(f.Links[row.Link].Name, lp))
			lk := fmt.Sprintf("[%s]━ %s %s ━[-]", col, name, stateOrLoad(l))
			if sel == (model.Item{Kind: model.SelLink, Index: row.Link}) {
				lk = fmt.Sprintf("[%s::r]━ %s %s ━[-::-]", col, name, stateOrLoad(l))
			}
			out = append(out, "  "+router(row.A, true)+" "+lk+" "+router(row.B, true))
		}
	}
	return out
}

// stateOrLoad is a link's utilisation when up, else its state.
func stateOrLoad(l trace.LinkState) string {
	if l.State == "up" {
		return pct(l.Load, l.Capacity)
	}
	return strings.ToUpper(l.State)
}

func routerSessionsUp(s *trace.State, name string) bool {
	for i := range s.Sessions {
		for k := range s.Sessions[i] {
			e := &s.Sessions[i][k]
			if e.Router == name && (e.BGP != "established" || (e.BFD != "" && e.BFD != "up")) {
				return false
			}
		}
	}
	return true
}

// detailLines describes the selected router (sessions with BGP and BFD
// states and reasons, best routes with their rule, FIB) or link (state and
// reason, load, capacity, pool, SRLGs, members, sessions) at the cursor.
func detailLines(m *model.Model) []string {
	it, ok := m.Selected()
	if !ok {
		return []string{"nothing to select"}
	}
	f := m.R.H.Fabric
	s := m.State()
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	esc := tview.Escape
	if it.Kind == model.SelRouter {
		r := f.Routers[it.Index]
		add("[::b]router %s[::-] %s · site %s · AS%d", esc(r.Name), r.Role, esc(r.Site), r.ASN)
		if r.Facility != "" {
			dark := ""
			if s.FacilityDark(r.Facility) {
				dark = " [red]DARK[-]"
			}
			add("facility %s%s", esc(r.Facility), dark)
		}
		if s.RouterDown(r.Name) {
			add("[red]down: an active fault took the box down[-]")
		}
		add("[aqua]sessions[-] (peer: bgp, bfd)")
		for si, se := range f.Sessions {
			for k := range s.Sessions[si] {
				e := s.Sessions[si][k]
				if e.Router != r.Name {
					continue
				}
				col := "green"
				if e.BGP != "established" {
					col = "red"
				}
				line := fmt.Sprintf(" %s [%s]%s[-]", esc(e.Peer), col, e.BGP)
				if !se.Internal {
					line = fmt.Sprintf(" %s via %s [%s]%s[-]", esc(e.Peer), esc(se.Link), col, e.BGP)
				}
				if e.BGPReason != "" {
					line += " (" + esc(e.BGPReason) + ")"
				}
				if e.BFD != "" {
					bc := "green"
					if e.BFD != "up" {
						bc = "red"
					}
					line += fmt.Sprintf(" bfd [%s]%s[-]", bc, e.BFD)
					if e.BFDReason != "" {
						line += " (" + esc(e.BFDReason) + ")"
					}
				}
				out = append(out, line)
			}
		}
		rs := s.Routers[it.Index]
		add("[aqua]best routes[-] (→ next hops, rule)")
		if len(rs.Best) == 0 {
			add(" [gray]as converged at the start (no change yet)[-]")
		}
		for _, p := range rs.Prefixes() {
			b, ok := rs.Best[p]
			if !ok {
				continue
			}
			hops := strings.Join(b.Nexthops, ", ")
			if hops == "" {
				hops = "[red]no route[-]"
			}
			add(" %s → %s [yellow]rule %s[-] [gray]@%s[-]", p, hops, esc(b.Rule), model.FormatT(b.Since))
		}
		add("[aqua]fib[-]")
		if len(rs.FIB) == 0 {
			add(" [gray]as converged at the start (no change yet)[-]")
		}
		for _, p := range rs.Prefixes() {
			h, ok := rs.FIB[p]
			if !ok {
				continue
			}
			hops := strings.Join(h, ", ")
			if hops == "" {
				hops = "[red]drop[-]"
			}
			add(" %s → %s", p, hops)
		}
		return out
	}
	l := f.Links[it.Index]
	ls := s.Links[it.Index]
	add("[::b]link %s[::-] %s ↔ %s", esc(l.Name), esc(l.A), esc(l.B))
	st := fmt.Sprintf("state [%s]%s[-]", linkColor(ls), ls.State)
	if ls.Reason != "" {
		st += fmt.Sprintf(" (%s) since %s", esc(ls.Reason), model.FormatT(ls.Since))
	}
	add("%s", st)
	load := fmt.Sprintf("load %s / %s (%s)", model.FormatRate(ls.Load), model.FormatRate(ls.Capacity), pct(ls.Load, ls.Capacity))
	if ls.Dropped > 0 {
		load += " [orange]dropped " + model.FormatRate(ls.Dropped) + "[-]"
	}
	add("%s", load)
	extra := fmt.Sprintf("capacity %s · latency %s", model.FormatRate(l.CapacityBPS), fmtLatency(l.LatencyNS))
	if l.MACsec {
		extra += " · macsec"
	}
	if l.Internal {
		extra += " · internal attachment"
	}
	add("%s", extra)
	for pi, p := range f.Pools {
		if slices.Contains(p.Links, l.Name) {
			ps := s.Pools[pi]
			line := fmt.Sprintf("pool %s %s / %s (%s) background %s", esc(p.Name), model.FormatRate(ps.Load), model.FormatRate(ps.Capacity), pct(ps.Load, ps.Capacity), model.FormatRate(ps.Background))
			if ps.Dropped > 0 {
				line += " [orange]dropped " + model.FormatRate(ps.Dropped) + "[-]"
			}
			add("%s", line)
		}
	}
	if len(l.SRLGs) > 0 {
		add("srlgs %s", esc(strings.Join(l.SRLGs, ", ")))
	} else {
		add("srlgs [gray]none[-]")
	}
	if len(l.Members) > 0 {
		add("members %s", esc(strings.Join(l.Members, ", ")))
	}
	for si, se := range f.Sessions {
		if se.Link != l.Name {
			continue
		}
		var ends []string
		for _, e := range s.Sessions[si] {
			x := e.Router + " " + e.BGP
			if e.BGPReason != "" {
				x += " (" + e.BGPReason + ")"
			}
			if e.BFD != "" {
				x += " bfd " + e.BFD
			}
			ends = append(ends, x)
		}
		add("session %s: %s", esc(se.Name), esc(strings.Join(ends, "; ")))
	}
	return out
}

func fmtLatency(ns int64) string {
	switch {
	case ns >= 1e6:
		return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.3f", float64(ns)/1e6), "0"), ".0") + "ms"
	case ns >= 1e3:
		return fmt.Sprintf("%gµs", float64(ns)/1e3)
	}
	return fmt.Sprintf("%dns", ns)
}

// kindColor colours a log line by kind.
func kindColor(kind string) string {
	switch {
	case kind == trace.KindFaultInject || kind == trace.KindFaultError:
		return "red"
	case kind == trace.KindFaultRepair:
		return "green"
	case strings.HasPrefix(kind, "link.state"), strings.HasPrefix(kind, "bfd."):
		return "yellow"
	case strings.HasPrefix(kind, "bgp."):
		return "aqua"
	case strings.HasPrefix(kind, "fib."):
		return "teal"
	case strings.HasPrefix(kind, "flow."):
		return "white"
	}
	return "gray"
}

// logLines is the event log around the cursor: past events (the last
// applied one highlighted) then, dimmed, the next ones; h lines.
func logLines(m *model.Model, h int) []string {
	if h <= 0 {
		return nil
	}
	after := min(2, h/3)
	past, next := m.Log(h-after, after+h) // more next when the past is short
	if len(past)+len(next) > h {
		next = next[:max(0, h-len(past))]
	}
	var out []string
	for _, i := range past {
		e := m.R.Event(i)
		line := fmt.Sprintf("[gray]%s[-] [%s]%s[-]", model.FormatT(e.T), kindColor(e.Kind), tview.Escape(model.Describe(e)))
		if i == m.N()-1 {
			line = fmt.Sprintf("[black:white]%s %s[-:-]", model.FormatT(e.T), tview.Escape(model.Describe(e)))
		}
		out = append(out, line)
	}
	for _, i := range next {
		e := m.R.Event(i)
		out = append(out, fmt.Sprintf("[darkgray]%s %s[-]", model.FormatT(e.T), tview.Escape(model.Describe(e))))
	}
	if len(out) == 0 {
		out = append(out, "[gray]no event matches the filter[-]")
	}
	return out
}

var bars = []rune("▁▂▃▄▅▆▇█")

// sparkline renders a demand's delivered rate over the whole run in w
// columns: each column the mean delivered rate in its slice of time
// (relative to the largest offered rate), green when nothing was lost in
// it, else the colour of its largest loss cause; the cursor's column in
// reverse video.
func sparkline(r *model.Replay, d int, w int, cursor int64) string {
	if w <= 0 || r.End() <= 0 {
		return ""
	}
	pts := r.Series[d].Points
	var peak float64
	for _, p := range pts {
		peak = math.Max(peak, p.Offered)
	}
	causes := r.Causes()
	var b strings.Builder
	end := r.End()
	j := 0
	for c := 0; c < w; c++ {
		lo, hi := end*int64(c)/int64(w), end*int64(c+1)/int64(w)
		if hi <= lo {
			hi = lo + 1
		}
		// Mean delivered over [lo, hi) and the worst cause in it.
		for j+1 < len(pts) && pts[j+1].T <= lo {
			j++
		}
		var sum float64
		lossCause := int8(-1)
		var worst float64
		for k := j; k < len(pts) && pts[k].T < hi; k++ {
			from := max(lo, pts[k].T)
			to := hi
			if k+1 < len(pts) {
				to = min(hi, pts[k+1].T)
			}
			if to <= from {
				continue
			}
			sum += pts[k].Delivered * float64(to-from)
			if l := pts[k].Offered - pts[k].Delivered; l > worst && pts[k].Cause >= 0 {
				worst, lossCause = l, pts[k].Cause
			}
		}
		mean := sum / float64(hi-lo)
		ch := bars[0]
		if peak > 0 {
			ch = bars[min(len(bars)-1, int(math.Round(mean/peak*float64(len(bars)-1))))]
		}
		col := "green"
		if lossCause >= 0 && int(lossCause) < len(causes) {
			col = colorOfCause(causes[lossCause])
		}
		attr := ""
		if cursor >= lo && cursor < hi || (c == w-1 && cursor >= end) {
			attr = "::r"
		}
		fmt.Fprintf(&b, "[%s%s]%c[-::-]", col, attr, ch)
	}
	return b.String()
}

// flowLines: per demand a sparkline and its rates and bytes lost at the
// cursor, then pools and the busiest declared links.
func flowLines(m *model.Model, w, h int) []string {
	s := m.State()
	f := m.R.H.Fabric
	var out []string
	for d, dm := range f.Demands {
		ds := s.Demands[d]
		head := fmt.Sprintf("[::b]%s[::-] %s of %s", tview.Escape(dm.Name), model.FormatRate(ds.Delivered), model.FormatRate(ds.Offered))
		_, _, lost := s.Bytes(d, m.T())
		var total float64
		var why []string
		for c, v := range ds.Loss {
			if v > 0 {
				why = append(why, fmt.Sprintf("[%s]%s %s[-]", colorOfCause(s.Causes[c]), s.Causes[c], model.FormatRate(v)))
			}
		}
		for _, v := range lost {
			total += v
		}
		out = append(out, head, sparkline(m.R, d, w, m.T()))
		if len(why) > 0 || total > 0 {
			out = append(out, " "+strings.Join(why, " ")+" [gray]lost "+model.FormatBytes(total)+"[-]")
		}
	}
	barW := max(4, min(20, w-18))
	bar := func(load, capacity float64, col string) string {
		n := 0
		if capacity > 0 {
			n = min(barW, int(math.Round(load/capacity*float64(barW))))
		}
		return "[" + col + "]" + strings.Repeat("█", n) + "[gray]" + strings.Repeat("░", barW-n) + "[-]"
	}
	for pi, p := range f.Pools {
		ps := s.Pools[pi]
		col := "green"
		if ps.Dropped > 0 || (ps.Capacity > 0 && ps.Load > ps.Capacity) {
			col = "orange"
		}
		out = append(out, fmt.Sprintf("%s %s %s", tview.Escape(p.Name), pct(ps.Load, ps.Capacity), bar(ps.Load, ps.Capacity, col)))
	}
	type ll struct {
		i int
		u float64
	}
	var links []ll
	var names []string
	for _, l := range f.Links {
		if !l.Internal {
			names = append(names, l.Name)
		}
	}
	lp := commonPrefix(names)
	for li, l := range f.Links {
		if !l.Internal {
			ls := s.Links[li]
			u := 0.0
			if ls.Capacity > 0 {
				u = ls.Load / ls.Capacity
			}
			links = append(links, ll{li, u})
		}
	}
	slices.SortStableFunc(links, func(a, b ll) int {
		switch {
		case a.u > b.u:
			return -1
		case a.u < b.u:
			return 1
		}
		return 0
	})
	for _, x := range links {
		if len(out) >= h {
			break
		}
		ls := s.Links[x.i]
		out = append(out, fmt.Sprintf("%s %s %s", tview.Escape(strings.TrimPrefix(f.Links[x.i].Name, lp)), stateOrLoad(ls), bar(ls.Load, ls.Capacity, linkColor(ls))))
	}
	return out
}

// timelineLines: a row of fault (▼ red) and repair (▲ green) markers over
// the run with the cursor (┃), and a row with the start, cursor and end
// times.
func timelineLines(m *model.Model, w int) []string {
	if w <= 0 {
		return nil
	}
	end := max(m.R.End(), 1)
	col := func(t int64) int { return min(w-1, int(int64(w)*t/end)) }
	marks := make([]rune, w)
	colors := make([]string, w)
	for i := range marks {
		marks[i], colors[i] = '─', "gray"
	}
	for _, i := range m.R.Faults() {
		c := col(m.R.T(i))
		if m.R.Kind(i) == trace.KindFaultInject {
			if marks[c] == '▲' {
				marks[c], colors[c] = '◆', "yellow"
			} else {
				marks[c], colors[c] = '▼', "red"
			}
		} else if marks[c] == '▼' {
			marks[c], colors[c] = '◆', "yellow"
		} else if marks[c] != '◆' {
			marks[c], colors[c] = '▲', "green"
		}
	}
	cc := col(m.T())
	var b strings.Builder
	for i, r := range marks {
		if i == cc {
			b.WriteString("[white::b]┃[-::-]")
			continue
		}
		fmt.Fprintf(&b, "[%s]%c[-]", colors[i], r)
	}
	start, cur, stop := "0:00.000", model.FormatT(m.T()), model.FormatT(m.R.End())
	axis := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		for i, r := range []rune(s) {
			if at+i >= 0 && at+i < w {
				axis[at+i] = r
			}
		}
	}
	put(0, start)
	put(w-len(stop), stop)
	if at := cc - len(cur)/2; at > len(start) && at+len(cur) < w-len(stop) {
		put(at, cur) // under the cursor, unless it would hide the start or end
	}
	return []string{b.String(), "[gray]" + string(axis) + "[-]"}
}
