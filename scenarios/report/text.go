package report

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/netdrill/netdrill/scenarios/metrics"
)

// TextOptions tune the terminal summary.
type TextOptions struct {
	// Width is the most columns a line may take (0: DefaultWidth). Tables
	// drop their least useful columns, then shorten long names with "…",
	// to fit; expectation messages wrap.
	Width int
	// Color adds ANSI colours (a terminal; the CLI honours NO_COLOR).
	Color bool
	// MaxFaults is the most fault rows listed (0: DefaultMaxFaults); with
	// more faults, those that lost the most are listed.
	MaxFaults int
}

// Defaults of TextOptions.
const (
	DefaultWidth     = 100
	DefaultMaxFaults = 12
)

// Text returns the readable summary `netdrill run` prints, 100 columns
// wide and plain: see TextWith.
func Text(res *metrics.Result, outcomes []metrics.Outcome) []byte {
	return TextWith(res, outcomes, TextOptions{})
}

// TextWith returns the summary: what failed, how fast it was detected and
// routed around, what each fault cost and which cost most, what was lost,
// how full the links got, and the expectations. Each table has a one-line
// legend; the user's own routers and sessions are named, not the
// internal site hub sessions.
func TextWith(res *metrics.Result, outcomes []metrics.Outcome, opt TextOptions) []byte {
	if opt.Width <= 0 {
		opt.Width = DefaultWidth
	}
	if opt.MaxFaults <= 0 {
		opt.MaxFaults = DefaultMaxFaults
	}
	st := newStyles(opt.Color)
	var b bytes.Buffer
	b.WriteString(st.bold(Wrap(fmt.Sprintf("%s (seed %d, %s simulated)", res.Scenario, res.Seed, dur(res.End)), "  ", opt.Width)))

	if len(res.Faults) > 0 {
		section(&b, st, "Faults", opt.Width,
			"loss: all demands, in the fault's window · headroom: spare capacity after it, fullest link/pool")
		t := &textTable{cols: []textCol{
			{head: "FAULT"}, {head: "AT"}, {head: "KIND", shrink: true}, {head: "TARGET", shrink: true},
			{head: "LOSS"}, {head: "HEADROOM", shrink: true},
		}}
		shown := faultRows(res, opt.MaxFaults)
		for _, i := range shown {
			f := res.Faults[i]
			t.add(cell(f.ID), cell(short(f.At)), cell(f.Kind), cell(f.Target), cell(bytesStr(f.Loss.Lost)), st.headroom(f))
		}
		t.render(&b, opt.Width, st)
		if more := len(res.Faults) - len(shown); more > 0 {
			fmt.Fprintf(&b, "  (%d more faults, each losing less: every fault is in report.md and --json)\n", more)
		}
		if w := worstFault(res); w >= 0 {
			f := res.Faults[w]
			share := ""
			if res.Loss.Lost > 0 {
				share = fmt.Sprintf(" (%s of all loss)", pct(f.Loss.Lost/res.Loss.Lost))
			}
			fmt.Fprintln(&b, st.warn(fit("  most loss: "+f.ID+" "+f.Kind+" "+f.Target+" at "+short(f.At)+" — "+bytesStr(f.Loss.Lost)+share, opt.Width)))
		}

		section(&b, st, "Detection and BGP", opt.Width,
			"detected: 1st BGP/BFD down · converged: last route change · updates: msgs announcing + withdrawing")
		t = &textTable{cols: []textCol{
			{head: "FAULT"}, {head: "DETECTED", shrink: true}, {head: "BY", shrink: true}, {head: "CONVERGED"}, {head: "UPDATES", drop: 1},
		}}
		for _, i := range shown {
			f := res.Faults[i]
			t.add(cell(f.ID), st.detected(f), cell(detectedBy(f)), st.converged(f),
				cell(fmt.Sprintf("%d + %d", f.Churn.Updates, f.Churn.WithdrawMsgs)))
		}
		t.render(&b, opt.Width, st)

		var rows [][]textCell
		for i, f := range res.Faults {
			if !contains(shown, i) {
				continue
			}
			for _, fo := range f.Failovers {
				rows = append(rows, []textCell{cell(f.ID), cell(fo.Demand), st.failover(fo),
					cell(rate(fo.Before)), cell(rate(fo.Lowest)), cell(rate(fo.Target)), cell(bytesStr(windowLoss(res, i, fo.Demand)))})
			}
		}
		section(&b, st, "Failover", opt.Width,
			"failover: until the demand gets what survives, held "+dur(res.Options.SettleWindow)+" · loss: in the fault's window")
		if len(rows) == 0 {
			b.WriteString("  no demand was affected\n")
		} else {
			t := &textTable{cols: []textCol{{head: "FAULT"}, {head: "DEMAND", shrink: true}, {head: "FAILOVER", shrink: true},
				{head: "BEFORE", drop: 3}, {head: "LOWEST", drop: 2}, {head: "SETTLED AT", drop: 1}, {head: "LOSS"}}, rows: rows}
			t.render(&b, opt.Width, st)
		}
	}

	if len(res.Demands) > 0 {
		causes := causeColumns(res)
		section(&b, st, "Traffic", opt.Width, "bytes over the whole run; lost = offered − delivered, by cause")
		cols := []textCol{{head: "DEMAND", shrink: true}, {head: "OFFERED"}, {head: "LOST"}}
		for _, c := range causes {
			cols = append(cols, textCol{head: strings.ToUpper(c), drop: 1})
		}
		t := &textTable{cols: cols}
		for _, d := range res.Demands {
			r := []textCell{cell(d.Name), cell(bytesStr(d.Loss.Offered)), cell(bytesStr(d.Loss.Lost))}
			for _, c := range causes {
				r = append(r, cell(bytesStr(d.Loss.Cause(c))))
			}
			t.add(r...)
		}
		t.render(&b, opt.Width, st)
	}

	if caps, more := capacityRows(res, 5); len(caps) > 0 {
		section(&b, st, "Busiest links and pools", opt.Width,
			"peak: carried/capacity · offered: peak offered/capacity · over: time offered > capacity")
		t := &textTable{cols: []textCol{{head: "LINK/POOL", shrink: true}, {head: "PEAK"}, {head: "OFFERED"},
			{head: "OVER", drop: 2}, {head: "DROPPED", drop: 1}}}
		for _, c := range caps {
			t.add(cell(c.Kind+" "+c.Name), cell(pct(carriedPeak(c))), cell(pct(c.Peak)), cell(short(c.Over)), cell(bytesStr(c.Dropped)))
		}
		t.render(&b, opt.Width, st)
		if more > 0 {
			fmt.Fprintf(&b, "  (%d more)\n", more)
		}
	}

	if len(res.Oscillations) > 0 {
		fmt.Fprintf(&b, "\n%s\n", st.warn(fmt.Sprintf("NOT CONVERGED: %d best paths still cycling at the end of the run", len(res.Oscillations))))
		for i, o := range res.Oscillations {
			if i == 10 {
				fmt.Fprintf(&b, "  (%d more in report.md and --json)\n", len(res.Oscillations)-10)
				break
			}
			fmt.Fprintln(&b, fit(fmt.Sprintf("  %s %s: %d changes from %s to %s (%s)", o.Router, o.Prefix, o.Changes, dur(o.First), dur(o.Last), strings.Join(o.States, " → ")), opt.Width))
		}
	}

	if len(outcomes) > 0 {
		b.WriteString("\n" + st.bold("Expectations") + "\n")
		for _, o := range outcomes {
			switch {
			case o.Err != nil:
				b.WriteString(wrap("  "+st.bad("INVALID")+" ", o.Name+": "+o.Err.Error(), "          ", opt.Width))
			case o.Passed:
				b.WriteString(wrap("  "+st.good("ok")+"      ", o.Name+"  (measured "+o.Measured+")", "          ", opt.Width))
			default:
				b.WriteString(wrap("  "+st.bad("FAIL")+"    ", o.Name, "          ", opt.Width))
				b.WriteString(wrap("          ", o.Message, "          ", opt.Width))
			}
		}
	}
	verdict := summary(outcomes, "PASS:", "FAIL:")
	failed, invalid := counts(outcomes)
	switch {
	case failed+invalid > 0:
		verdict = st.bad(verdict)
	case len(outcomes) > 0:
		verdict = st.good(verdict)
	}
	if len(res.Oscillations) > 0 {
		verdict += st.warn(" — but BGP had not converged at the end of the run (see NOT CONVERGED)")
	}
	fmt.Fprintf(&b, "\n%s\n", verdict)
	return b.Bytes()
}

// section starts a table: a blank line, the title and its legend.
func section(b *bytes.Buffer, st styles, title string, width int, legend string) {
	fmt.Fprintf(b, "\n%s\n%s\n", st.bold(title), st.dim(fit("  "+legend, width)))
}

// faultRows returns the indices of the faults to list, in inject order:
// all of them, or the max that lost the most.
func faultRows(res *metrics.Result, max int) []int {
	idx := make([]int, len(res.Faults))
	for i := range idx {
		idx[i] = i
	}
	if len(idx) <= max {
		return idx
	}
	sort.SliceStable(idx, func(a, b int) bool { return res.Faults[idx[a]].Loss.Lost > res.Faults[idx[b]].Loss.Lost })
	idx = idx[:max]
	sort.Ints(idx)
	return idx
}

// worstFault is the fault whose window lost the most bytes (-1: none lost any).
func worstFault(res *metrics.Result) int {
	w := -1
	for i, f := range res.Faults {
		if f.Loss.Lost > 0 && (w < 0 || f.Loss.Lost > res.Faults[w].Loss.Lost) {
			w = i
		}
	}
	return w
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// windowLoss is what demand lost in fault i's window.
func windowLoss(res *metrics.Result, i int, demand string) float64 {
	for _, d := range res.Demands {
		if d.Name == demand && i < len(d.Windows) {
			return d.Windows[i].Lost
		}
	}
	return 0
}

// carriedPeak is the peak of what a link or pool carried: load above
// capacity is dropped, so at most 100%.
func carriedPeak(c metrics.Capacity) float64 {
	p := 0.0
	for _, s := range c.Series {
		if s.Capacity > 0 {
			p = max(p, min(s.Load, s.Capacity)/s.Capacity)
		}
	}
	if len(c.Series) == 0 {
		p = min(c.Peak, 1)
	}
	return p
}

// plannedKinds are operator actions: nothing is there to detect.
var plannedKinds = map[string]bool{"drain": true}

// detectedBy names what detected a fault, the user's own names first: a
// site's internal hub session "site~router" is named by its router.
func detectedBy(f metrics.Fault) string {
	if !f.Detected {
		return "-"
	}
	d := f.DetectedBy
	how := "BGP"
	if strings.HasPrefix(d.Kind, "bfd") {
		how = "BFD"
	}
	if site, rtr, ok := strings.Cut(d.Subject, "~"); ok {
		return rtr + " (" + how + ", seen from site " + site + ")"
	}
	if d.Subject == "" {
		return how
	}
	return d.Subject + " (" + how + ")"
}

// short is a duration to 3 significant digits: 653ms, 1.23s, 2m, 1h2m3s.
func short(ns int64) string {
	if ns < 0 {
		return "-" + short(-ns)
	}
	sig := func(v float64, unit string) string {
		switch {
		case v >= 100:
			return fmt.Sprintf("%.0f%s", v, unit)
		case v >= 10:
			return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".") + unit
		}
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".") + unit
	}
	switch {
	case ns == 0:
		return "0s"
	case ns < 1_000:
		return fmt.Sprintf("%dns", ns)
	case ns < 1_000_000:
		return sig(float64(ns)/1e3, "µs")
	case ns < 1_000_000_000:
		return sig(float64(ns)/1e6, "ms")
	case ns < 60_000_000_000:
		return sig(float64(ns)/1e9, "s")
	}
	d := time.Duration(ns).Round(time.Second).String()
	if strings.HasSuffix(d, "m0s") {
		d = strings.TrimSuffix(d, "0s")
	}
	if strings.HasSuffix(d, "h0m") {
		d = strings.TrimSuffix(d, "0m")
	}
	return d
}

// fit shortens s to width columns with "…".
func fit(s string, width int) string {
	if utf8.RuneCountInString(s) <= width || width <= 1 {
		return s
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// Wrap wraps text at spaces to width columns (a word longer than a line
// is left whole), later lines indented; it ends with a newline.
func Wrap(text, indent string, width int) string {
	if width <= 0 {
		width = DefaultWidth
	}
	return wrap("", text, indent, width)
}

// wrap writes first+text, wrapping text at spaces so that no line exceeds
// width (a word longer than a line is left whole); later lines start with
// indent. first may hold colour codes: its visible width is len(indent).
func wrap(first, text, indent string, width int) string {
	var b strings.Builder
	b.WriteString(first)
	start := utf8.RuneCountInString(indent)
	col := start
	if first == "" {
		col = 0
	}
	for i, w := range strings.Fields(text) {
		n := utf8.RuneCountInString(w)
		if i > 0 {
			if col+1+n > width && col > 0 {
				b.WriteString("\n" + indent)
				col = start
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += n
	}
	b.WriteByte('\n')
	return b.String()
}

// --- tables that fit a width ---

type textCol struct {
	head   string
	shrink bool // may be shortened with "…"
	drop   int  // > 0: may be left out to fit, highest first
}

type textCell struct {
	s     string
	style func(string) string // colour, applied after padding is computed
}

func cell(s string) textCell { return textCell{s: s} }

type textTable struct {
	cols []textCol
	rows [][]textCell
}

func (t *textTable) add(cells ...textCell) { t.rows = append(t.rows, cells) }

const indent, gap = 2, 2

func (t *textTable) render(b *bytes.Buffer, width int, st styles) {
	n := len(t.cols)
	keep := make([]bool, n)
	w := make([]int, n)
	for i, c := range t.cols {
		keep[i] = true
		w[i] = utf8.RuneCountInString(c.head)
		for _, r := range t.rows {
			if i < len(r) {
				w[i] = max(w[i], utf8.RuneCountInString(r[i].s))
			}
		}
	}
	total := func() int {
		s, k := indent, 0
		for i := range w {
			if keep[i] {
				s += w[i]
				k++
			}
		}
		return s + gap*max(k-1, 0)
	}
	// Shorten long names first (down to 16 columns), then drop columns,
	// then shorten further (down to 6).
	shrink := func(floor int) {
		for total() > width {
			best := -1
			for i, c := range t.cols {
				if keep[i] && c.shrink && w[i] > floor && (best < 0 || w[i] > w[best]) {
					best = i
				}
			}
			if best < 0 {
				return
			}
			w[best] = max(floor, w[best]-(total()-width))
		}
	}
	shrink(16)
	for total() > width {
		best := -1
		for i, c := range t.cols {
			if keep[i] && c.drop > 0 && (best < 0 || c.drop > t.cols[best].drop) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		keep[best] = false
	}
	shrink(6)

	line := func(cells []textCell, head bool) {
		var l strings.Builder
		l.WriteString(strings.Repeat(" ", indent))
		last := -1
		for i := range keep {
			if keep[i] {
				last = i
			}
		}
		for i, c := range t.cols {
			if !keep[i] {
				continue
			}
			var s string
			var style func(string) string
			if head {
				s = c.head
			} else if i < len(cells) {
				s, style = cells[i].s, cells[i].style
			}
			s = fit(s, w[i])
			pad := w[i] - utf8.RuneCountInString(s)
			if head {
				s = st.head(s)
			} else if style != nil {
				s = style(s)
			}
			l.WriteString(s)
			if i != last {
				l.WriteString(strings.Repeat(" ", pad+gap))
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	line(nil, true)
	for _, r := range t.rows {
		line(r, false)
	}
}

// --- colours ---

type styles struct {
	on                                     bool
	boldC, headC, dimC, goodC, badC, warnC *color.Color
}

func newStyles(on bool) styles {
	mk := func(a ...color.Attribute) *color.Color {
		c := color.New(a...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return styles{on: on, boldC: mk(color.Bold), headC: mk(color.Bold, color.FgCyan), dimC: mk(color.Faint),
		goodC: mk(color.FgGreen), badC: mk(color.FgRed, color.Bold), warnC: mk(color.FgYellow)}
}

func (s styles) bold(t string) string { return s.boldC.Sprint(t) }
func (s styles) head(t string) string { return s.headC.Sprint(t) }
func (s styles) dim(t string) string  { return s.dimC.Sprint(t) }
func (s styles) good(t string) string { return s.goodC.Sprint(t) }
func (s styles) bad(t string) string  { return s.badC.Sprint(t) }
func (s styles) warn(t string) string { return s.warnC.Sprint(t) }

func (s styles) detected(f metrics.Fault) textCell {
	switch {
	case f.Detected:
		return cell(short(f.Detection))
	case plannedKinds[f.Kind]:
		return cell("planned (no detection)")
	case f.Kind == "pool-surge":
		return cell("n/a: a load change")
	}
	return textCell{s: "not detected", style: s.warn}
}

func (s styles) converged(f metrics.Fault) textCell {
	if !f.Converged {
		return textCell{s: "not converged", style: s.bad}
	}
	return cell(short(f.Convergence))
}

// headroom is the spare capacity left after the fault on the fullest link
// or pool; meaningless when the affected demands deliver nothing.
func (s styles) headroom(f metrics.Fault) textCell {
	if !f.HeadroomKnown {
		return cell("-")
	}
	if len(f.Failovers) > 0 {
		delivered := 0.0
		for _, fo := range f.Failovers {
			delivered += fo.Target
		}
		if delivered == 0 {
			return textCell{s: "n/a: 0 delivered", style: s.bad}
		}
	}
	c := textCell{s: pct(f.Headroom) + " (" + f.HeadroomOn + ")"}
	if f.Headroom < 0 {
		c.style = s.bad
	}
	return c
}

func (s styles) failover(fo metrics.Failover) textCell {
	if !fo.Restored {
		return textCell{s: "not restored: " + fo.Reason, style: s.bad}
	}
	return cell(short(fo.Failover))
}
