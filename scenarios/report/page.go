package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/topology"
)

// Page is everything report.html shows about one run.
type Page struct {
	Result   *metrics.Result
	Outcomes []metrics.Outcome
	// Timeline gives the plots loss by cause over time and link states;
	// nil draws from Result's series alone (loss not split by cause).
	Timeline *metrics.Timeline
	// File is the scenario file ("" when unknown).
	File string
	// Topology summarises the network simulated (nil: not shown).
	Topology []Fact
}

// Fact is one line of a summary: "routers" → "8 (4 per cloud) …".
type Fact struct{ Label, Text string }

// TopologyFacts summarises a topology for the page: sites, facilities,
// routers, links, sessions, pools, tenants and demands.
func TopologyFacts(t *topology.Topology) []Fact {
	if t == nil {
		return nil
	}
	var out []Fact
	add := func(label string, n int, items []string) {
		if n == 0 {
			return
		}
		text := fmt.Sprint(n)
		if len(items) > 0 {
			const most = 8
			shown := items
			if len(shown) > most {
				shown = shown[:most]
			}
			text += ": " + strings.Join(shown, ", ")
			if len(items) > most {
				text += fmt.Sprintf(", … (%d more)", len(items)-most)
			}
		}
		out = append(out, Fact{label, text})
	}
	if t.Name != "" {
		out = append(out, Fact{"topology", t.Name})
	}
	var items []string
	for _, s := range t.Sites {
		items = append(items, fmt.Sprintf("%s (%s, AS%d)", s.Name, s.Provider, s.ASN))
	}
	add("sites", len(t.Sites), items)
	items = nil
	for _, f := range t.Facilities {
		n := 0
		for _, r := range t.Routers {
			if r.Facility == f.Name {
				n++
			}
		}
		items = append(items, fmt.Sprintf("%s (%d routers)", f.Name, n))
	}
	add("facilities", len(t.Facilities), items)
	items = nil
	for _, r := range t.Routers {
		items = append(items, r.Name)
	}
	add("routers", len(t.Routers), items)
	items = nil
	var total float64
	for _, l := range t.Links {
		total += float64(l.Capacity)
		items = append(items, fmt.Sprintf("%s %s", l.Name, rate(float64(l.Capacity))))
	}
	if len(t.Links) > 0 {
		add("links", len(t.Links), append([]string{rate(total) + " in all"}, items...))
	}
	bfd := 0
	for _, s := range t.Sessions {
		if s.BFD != nil {
			bfd++
		}
	}
	if len(t.Sessions) > 0 {
		out = append(out, Fact{"BGP sessions", fmt.Sprintf("%d (%d with BFD)", len(t.Sessions), bfd)})
	}
	items = nil
	for _, p := range t.Pools {
		items = append(items, fmt.Sprintf("%s %s over %s", p.Name, rate(float64(p.Capacity)), strings.Join(p.Links, ", ")))
	}
	add("pools", len(t.Pools), items)
	items = nil
	for _, tn := range t.Tenants {
		items = append(items, fmt.Sprintf("%s %s on %s", tn.Name, rate(float64(tn.Rate)), strings.Join(tn.Pools, ", ")))
	}
	add("other tenants", len(t.Tenants), items)
	return out
}

// Highlight is one moment worth reading about.
type Highlight struct {
	T    int64
	What string
	Bad  bool
	rank float64 // which to keep when there are too many: higher first
}

// maxHighlights bounds the highlights table (a year of faults has hundreds).
const maxHighlights = 40

// Highlights lists, in time order, each fault's inject and repair, the
// first detection, each failover (or its failure) and the worst
// congestion. When there are more than maxHighlights it keeps the failures,
// the first detection and the worst congestion, then the slowest
// failovers, then injects and repairs; it returns how many it left out.
func Highlights(res *metrics.Result) ([]Highlight, int) {
	const (
		rankRoutine  = 0
		rankFailover = 1 // + failover in seconds / 1e6, so slower ranks higher
		rankKey      = 1e9
	)
	var hs []Highlight
	first := -1
	for i, f := range res.Faults {
		if f.Detected && (first < 0 || f.At+f.Detection < res.Faults[first].At+res.Faults[first].Detection) {
			first = i
		}
	}
	for i, f := range res.Faults {
		hs = append(hs, Highlight{T: f.At, What: "inject " + f.Label(), rank: rankRoutine})
		if i == first {
			d := f.DetectedBy
			what := fmt.Sprintf("first detection: %s %s", d.Kind, d.Subject)
			if d.Router != "" {
				what += " at " + d.Router
			}
			if d.State != "" {
				what += " went " + d.State
			}
			if d.Reason != "" {
				what += " (" + d.Reason + ")"
			}
			what += fmt.Sprintf(", %s after %s", dur(f.Detection), f.ID)
			hs = append(hs, Highlight{T: f.At + f.Detection, What: what, rank: rankKey})
		}
		for _, fo := range f.Failovers {
			if fo.Restored {
				hs = append(hs, Highlight{T: fo.RestoredAt, What: fmt.Sprintf("%s failed over after %s (%s): %s → lowest %s → %s",
					fo.Demand, f.ID, dur(fo.Failover), rate(fo.Before), rate(fo.Lowest), rate(fo.Target)),
					rank: rankFailover + float64(fo.Failover)/1e15})
			} else {
				hs = append(hs, Highlight{T: f.At, What: fmt.Sprintf("%s not restored after %s: %s", fo.Demand, f.ID, fo.Reason), Bad: true, rank: rankKey})
			}
		}
		if f.Repaired {
			hs = append(hs, Highlight{T: f.RepairAt, What: "repair " + f.ID, rank: rankRoutine})
		}
	}
	var worst *metrics.Capacity
	for _, c := range append(append([]metrics.Capacity(nil), res.Pools...), res.Links...) {
		if c.Dropped > 0 && (worst == nil || c.Dropped > worst.Dropped) {
			c := c
			worst = &c
		}
	}
	if worst != nil {
		hs = append(hs, Highlight{T: worst.PeakAt, Bad: true, rank: rankKey, What: fmt.Sprintf("worst congestion: %s %s at %s of capacity (%s of %s); %s above 100%% and %s dropped over the run",
			worst.Kind, worst.Name, pct(worst.Peak), rate(worst.PeakLoad), rate(worst.PeakCapacity), dur(worst.Over), bytesStr(worst.Dropped))})
	}
	left := 0
	if len(hs) > maxHighlights {
		sort.SliceStable(hs, func(i, j int) bool { return hs[i].rank > hs[j].rank })
		left = len(hs) - maxHighlights
		hs = hs[:maxHighlights]
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].T < hs[j].T })
	return hs, left
}

// when formats a time of the run for a reader: "2m0.653s", or past two
// days "day 3, 04:05:06.789".
func when(ns int64) string {
	const day = 86400 * int64(1e9)
	if ns < 2*day {
		return dur(ns)
	}
	d, rest := ns/day, ns%day
	s := float64(rest%int64(60e9)) / 1e9
	return fmt.Sprintf("day %d, %02d:%02d:%06.3f", d, rest/int64(3600e9), rest%int64(3600e9)/int64(60e9), s)
}

// span formats a run's length: "15m0s", or past two days "365 days".
func spanStr(ns int64) string {
	const day = 86400 * int64(1e9)
	if ns < 2*day {
		return dur(ns)
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", float64(ns)/float64(day)), "0"), ".") + " days"
}

// WritePage writes report.json, report.md, junit.xml and report.html for
// the page into dir (created if missing), each atomically.
func WritePage(dir string, pg Page) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	html, err := pg.HTML()
	if err != nil {
		return err
	}
	res, outcomes := pg.Result, pg.Outcomes
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"report.json", JSON(res, outcomes)},
		{"report.md", Markdown(res, outcomes)},
		{"junit.xml", JUnit(res, outcomes)},
		{"report.html", html},
	} {
		if err := trace.WriteFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
	}
	return nil
}

// WriteFigurePNGs writes each figure as DIR/<name>.png (DIR created if
// missing), at the figure's size in the page and pngDPI, each atomically,
// and returns the file names in order. Every report with plots (run,
// sweep, compare, chaos) writes its --png files through it.
func WriteFigurePNGs(dir string, figs []Figure) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var names []string
	for _, f := range figs {
		b, err := f.PNG()
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", f.Name, err)
		}
		name := f.Name + ".png"
		if err := trace.WriteFileAtomic(filepath.Join(dir, name), b); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
		names = append(names, name)
	}
	return names, nil
}
