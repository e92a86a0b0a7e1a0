package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

// colourHex is c as vgsvg writes it in a style: "#RRGGBB", alpha divided
// out and truncated.
func colourHex(c color.Color) string {
	r, g, b, a := c.RGBA()
	f := 255.0 / float64(a)
	return fmt.Sprintf("#%02X%02X%02X", int(float64(r)*f), int(float64(g)*f), int(float64(b)*f))
}

func TestTimeAxisUnits(t *testing.T) {
	const s = int64(1e9)
	for _, c := range []struct {
		span int64
		want string
	}{
		{800e6, "ms"}, {2 * s, "ms"}, {3 * s, "s"}, {15 * 60 * s, "min"}, {3 * 3600 * s, "min"},
		{4 * 3600 * s, "h"}, {24 * 3600 * s, "h"}, {4 * 86400 * s, "days"}, {365 * 86400 * s, "days"},
	} {
		if got := newTimeAxis(0, c.span).name; got != c.want {
			t.Errorf("span %v: unit %s, want %s", c.span, got, c.want)
		}
	}
	ax := newTimeAxis(120*s, 2*s)
	if x := ax.x(120*s + 653_465_000); x != 653.465 {
		t.Errorf("x = %v, want 653.465 ms after the origin", x)
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 15, "0 2 4 6 8 10 12 14"},
		{-206, 1240, "-200 0 200 400 600 800 1000 1200"},
		{0, 365, "0 50 100 150 200 250 300 350"},
		{0, 0.3, "0 0.05 0.1 0.15 0.2 0.25 0.3"},
	} {
		var got []string
		for _, tk := range niceTicks(c.lo, c.hi, 8) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("niceTicks(%v, %v) = %q, want %q", c.lo, c.hi, strings.Join(got, " "), c.want)
		}
	}
}

// A series of five records: 0→1 at 0, 5 at 10, 2 at 20, 2 at 20 (the
// last record at an instant wins: 3), 7 at 30.
func testSeries() series {
	ts := []int64{0, 10, 20, 20, 30}
	vs := []float64{1, 5, 2, 3, 7}
	return series{ts: ts, k: 1, vals: func(i int, out []float64) { out[0] = vs[i] }}
}

func TestSpansExact(t *testing.T) {
	got := testSeries().spans(5, 40, 100)
	want := "[{5 10 [1] [1] [1]} {10 20 [5] [5] [5]} {20 30 [3] [3] [3]} {30 40 [7] [7] [7]}]"
	if fmt.Sprint(got) != want {
		t.Errorf("spans = %v, want %v", got, want)
	}
}

// Reduced to two columns of 20: [0,20) sees 1 and 5, mean (10·1+10·5)/20 = 3;
// [20,40) sees 2, 3 and 7, mean (10·3+10·7)/20 = 5.
func TestSpansReduced(t *testing.T) {
	got := testSeries().spans(0, 40, 2)
	want := "[{0 20 [1] [5] [3]} {20 40 [2] [7] [5]}]"
	if fmt.Sprint(got) != want {
		t.Errorf("spans = %v, want %v", got, want)
	}
	// The line goes through the means; the envelope spans min to max.
	ax := timeAxis{unit: 1, name: "ns"}
	if xys := lineXYs(got, 0, ax, 1); fmt.Sprint(xys) != "[{0 3} {20 3} {20 5} {40 5}]" {
		t.Errorf("line %v", xys)
	}
	if rings := envelopeRings(got, 0, ax, 1); fmt.Sprint(rings) != "[[{0 5} {20 5} {20 7} {40 7} {40 2} {20 2} {20 1} {0 1}]]" {
		t.Errorf("envelope %v", rings)
	}
}

func TestBandRings(t *testing.T) {
	v := func(x float64) []float64 { return []float64{x} }
	sps := []span{{0, 10, v(0), v(0), v(0)}, {10, 20, v(4), v(4), v(4)},
		{20, 30, v(4), v(4), v(4)}, {30, 40, v(0), v(0), v(0)}, {40, 50, v(2), v(2), v(2)}}
	rings := bandRings(sps, timeAxis{unit: 1}, func(s span) (float64, float64) { return 1, 1 + s.hi[0] })
	want := "[[{10 5} {30 5} {30 1} {10 1}] [{40 3} {50 3} {50 1} {40 1}]]"
	if fmt.Sprint(rings) != want {
		t.Errorf("rings %v, want %s", rings, want)
	}
}

// fixturePage is testdata/facility-down.jsonl as a full page.
func fixturePage(t *testing.T) *Page {
	t.Helper()
	res, outs := facilityDown(t)
	f, err := os.Open("testdata/facility-down.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, evs, err := trace.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return &Page{Result: res, Outcomes: outs, Timeline: metrics.NewTimeline(evs, res.End), File: "facility-down.toml",
		Topology: []Fact{{"routers", "4"}}}
}

func TestFiguresFacilityDown(t *testing.T) {
	figs, err := fixturePage(t).Figures()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		// replication: 12.5G black-holed until 10.95s, then 5G to congestion.
		"throughput-replication": {"offered", "delivered", "loss:blackhole", "loss:congestion", "fault:f1"},
		"throughput-backup":      {"offered", "delivered", "loss:blackhole", "fault:f1"},
		// detection at 900ms, replication restored at 950ms.
		"zoom-f1-replication": {"offered", "delivered", "loss:blackhole", "loss:congestion", "detected", "restored"},
		"zoom-f1-backup":      {"offered", "delivered", "loss:blackhole", "detected"},
		"util-pool-iad-east":  {"100%", "utilisation", "background"},
		"util-link-xc-1":      {"100%", "utilisation", "state:dark"},
		"util-link-xc-2":      {"100%", "utilisation"},
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
		for _, s := range want[f.Name] {
			if !f.Has(s) {
				t.Errorf("%s does not show %s (shows %v)", f.Name, s, f.Shows)
			}
		}
		svg, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if f.Has("offered") && !bytes.Contains(svg, []byte("stroke:"+colourHex(colOffered))) {
			t.Errorf("%s: no offered line in the SVG", f.Name)
		}
		if f.Has("loss:blackhole") && !bytes.Contains(svg, []byte("fill:"+colourHex(causeColour("blackhole")))) {
			t.Errorf("%s: no black-hole area in the SVG", f.Name)
		}
		if f.Has("100%") && !bytes.Contains(svg, []byte("stroke:"+colourHex(colLimit))) {
			t.Errorf("%s: no 100%% line in the SVG", f.Name)
		}
	}
	if got := strings.Join(names, " "); got != "throughput-backup throughput-replication zoom-f1-backup zoom-f1-replication util-pool-iad-east util-link-xc-1 util-link-xc-2" {
		t.Errorf("figures %s", got)
	}
}

func TestHTMLWellFormedAndSelfContained(t *testing.T) {
	html, err := fixturePage(t).HTML()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPage(html); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PASS", "FAIL", "first detection: bfd.state s1 at cust-1", "worst congestion: pool iad-east at 160%",
		"replication failed over after f1 (950ms)", "backup not restored after f1", "<dt>routers</dt>"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// CheckPage checks that an HTML report is well-formed XML, loads nothing
// from elsewhere, runs no script and uses no emoji.
func CheckPage(html []byte) error {
	d := xml.NewDecoder(bytes.NewReader(html))
	d.Strict = true
	figures := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "script", "link", "img", "iframe", "object", "embed":
			return fmt.Errorf("<%s> in a self-contained page", se.Name.Local)
		case "figure":
			figures++
		}
		for _, a := range se.Attr {
			if (a.Name.Local == "src" || a.Name.Local == "href") && a.Value != "" && !strings.HasPrefix(a.Value, "#") {
				return fmt.Errorf("<%s %s=%q>: an external reference", se.Name.Local, a.Name.Local, a.Value)
			}
			if strings.HasPrefix(a.Name.Local, "on") {
				return fmt.Errorf("<%s %s>: a script", se.Name.Local, a.Name.Local)
			}
		}
	}
	if regexp.MustCompile(`url\(|@import`).Match(html) {
		return fmt.Errorf("CSS loads a resource")
	}
	for _, r := range string(html) {
		if (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || r == 0xFE0F {
			return fmt.Errorf("emoji %U in the page (renders as a box without an emoji font)", r)
		}
	}
	return nil
}

// A run of one demand over one link: two figures, two PNGs (the CLI test
// writes the seven of the facility-loss example).
func TestWritePNGs(t *testing.T) {
	dir := t.TempDir()
	evs := []trace.Event{
		{T: 0, Kind: "flow.rate", Subject: "d/1", Details: []trace.Field{{Key: "offered", Value: 1e9}, {Key: "delivered", Value: 1e9}}},
		{T: 0, Kind: "link.load", Subject: "l1", Details: []trace.Field{{Key: "load", Value: 1e9}, {Key: "capacity", Value: 4e9}}},
	}
	res := metrics.Compute(trace.Header{Scenario: "small", DurationNS: 60e9}, evs, metrics.Options{})
	pg := Page{Result: res, Timeline: metrics.NewTimeline(evs, res.End)}
	figs, err := pg.Figures()
	if err != nil {
		t.Fatal(err)
	}
	names, err := WriteFigurePNGs(dir, figs)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, " ") != "throughput-d_1.png util-link-l1.png" {
		t.Errorf("PNGs: %v", names)
	}
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
			t.Errorf("%s: %v is too small for a slide", n, b)
		}
	}
}

// SyntheticYear is a year of a 12G demand over four 10G channels with
// 466 channel failures: each black-holes a quarter of the traffic for
// 800ms until BFD notices, and every fifth overlaps another outage so that
// 2G is lost to congestion until its repair (20–60 minutes later).
func SyntheticYear() (trace.Header, []trace.Event) {
	const (
		s    = int64(1e9)
		year = 365 * 86400 * s
		n    = 466
	)
	h := trace.Header{Format: trace.Format, Scenario: "a year of channel failures", Seed: 1, Netdrill: "test", DurationNS: year}
	r := rand.New(rand.NewPCG(1, 2))
	var evs []trace.Event
	ev := func(t int64, kind, subject string, kv ...any) {
		e := trace.Event{T: t, Kind: kind, Subject: subject}
		for i := 0; i < len(kv); i += 2 {
			e.Details = append(e.Details, trace.Field{Key: kv[i].(string), Value: kv[i+1]})
		}
		evs = append(evs, e)
	}
	flow := func(t int64, delivered float64, causes ...any) {
		ev(t, "flow.rate", "replication", append([]any{"offered", 12e9, "delivered", delivered}, causes...)...)
	}
	load := func(t int64, link string, l, c float64) { ev(t, "link.load", link, "load", l, "capacity", c) }
	ch := []string{"ch1", "ch2", "ch3", "ch4"}
	flow(0, 12e9)
	for _, l := range ch {
		load(0, l, 3e9, 10e9)
	}
	ev(0, "pool.load", "pool", "load", 28e9, "capacity", 40e9, "background", 16e9)
	gap := year / (n + 1)
	for i := 0; i < n; i++ {
		t := gap*int64(i+1) + r.Int64N(gap/2)
		l := ch[i%4]
		repair := t + (20+r.Int64N(40))*60*s
		id := fmt.Sprintf("r%d", i+1)
		ev(t, "fault.inject", id, "fault", "link-down", "target", l, "links", []string{l}, "routers", []string{})
		ev(t, "link.state", l, "state", "silent", "reason", "link-silent")
		flow(t, 9e9, "blackhole", 3e9)
		ev(t+800e6, "bfd.state", "s-"+l, "router", "aws-"+l, "peer", "gcp-"+l, "state", "down", "reason", "detect-timeout")
		load(t+800e6, l, 0, 10e9)
		if i%5 == 0 {
			flow(t+800e6, 10e9, "congestion", 2e9)
			ev(t+800e6, "pool.load", "pool", "load", 32e9, "capacity", 30e9, "background", 16e9)
		} else {
			flow(t+800e6, 12e9)
		}
		ev(repair, "fault.repair", id, "fault", "link-down", "target", l)
		ev(repair, "link.state", l, "state", "up", "reason", "repair")
		load(repair, l, 3e9, 10e9)
		ev(repair, "pool.load", "pool", "load", 28e9, "capacity", 40e9, "background", 16e9)
		flow(repair, 12e9)
	}
	ev(year, "run.end", h.Scenario)
	return h, evs
}

// YearPage is the report page of SyntheticYear.
func YearPage() *Page {
	h, evs := SyntheticYear()
	res := metrics.Compute(h, evs, metrics.Options{})
	return &Page{Result: res, Timeline: metrics.NewTimeline(evs, res.End)}
}

// MaxReportBytes is the size a report must stay under, whatever the run.
const MaxReportBytes = 2 << 20

func TestYearReportIsSmallAndReadable(t *testing.T) {
	pg := YearPage()
	if len(pg.Result.Faults) != 466 {
		t.Fatalf("%d faults", len(pg.Result.Faults))
	}
	html, err := pg.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if len(html) > MaxReportBytes {
		t.Errorf("report.html of a year is %d bytes, over %d", len(html), MaxReportBytes)
	}
	if err := CheckPage(html); err != nil {
		t.Fatal(err)
	}
	figs, err := pg.Figures()
	if err != nil {
		t.Fatal(err)
	}
	zooms := 0
	for _, f := range figs {
		if strings.HasPrefix(f.Name, "zoom-") {
			zooms++
			continue
		}
		if !strings.Contains(f.Plot.X.Label.Text, "(days)") {
			t.Errorf("%s: x axis %q, want days", f.Name, f.Plot.X.Label.Text)
		}
		for _, tk := range f.Plot.X.Tick.Marker.Ticks(f.Plot.X.Min, f.Plot.X.Max) {
			if strings.ContainsAny(tk.Label, "e") {
				t.Errorf("%s: tick label %q", f.Name, tk.Label)
			}
		}
	}
	if zooms != maxZooms {
		t.Errorf("%d zoom panels, want %d", zooms, maxZooms)
	}
	if !strings.Contains(string(html), fmt.Sprintf("Zoomed on the %d that lost most; %d more not shown.", maxZooms, 466-maxZooms)) {
		t.Error("the page does not say which faults it zoomed on")
	}
}

func TestWhen(t *testing.T) {
	const s = int64(1e9)
	for _, c := range []struct {
		ns   int64
		want string
	}{
		{120*s + 653_465_000, "2m0.653s"},
		{47 * 3600 * s, "47h0m0s"},
		{(2*86400+3*3600+4*60)*s + 5_678_000_000, "day 2, 03:04:05.678"},
	} {
		if got := when(c.ns); got != c.want {
			t.Errorf("when(%d) = %q, want %q", c.ns, got, c.want)
		}
	}
	if got := spanStr(365 * 86400 * s); got != "365 days" {
		t.Errorf("spanStr(a year) = %q", got)
	}
	if got := spanStr(15 * 60 * s); got != "15m0s" {
		t.Errorf("spanStr(15m) = %q", got)
	}
}

// A year has 466 × 3 routine lines; the table keeps the first detection,
// the worst congestion and the slowest failovers.
func TestHighlightsKeepWhatMatters(t *testing.T) {
	hs, more := Highlights(YearPage().Result)
	if len(hs) != maxHighlights || more != 466*3+2-maxHighlights {
		t.Fatalf("%d highlights, %d more", len(hs), more)
	}
	var first, worst bool
	for i, h := range hs {
		first = first || strings.HasPrefix(h.What, "first detection: bfd.state s-ch1")
		worst = worst || strings.HasPrefix(h.What, "worst congestion: pool pool")
		if i > 0 && h.T < hs[i-1].T {
			t.Errorf("not in time order at %d", i)
		}
	}
	if !first || !worst {
		t.Errorf("first detection %v, worst congestion %v:\n%v", first, worst, hs)
	}
}

// Fifteen demands, d00 … d14, where dK loses K Gbps for 10s: the twelve
// that lose most (d03 … d14) get a plot, and the page says three more.
func TestManyDemands(t *testing.T) {
	var evs []trace.Event
	for k := 0; k < 15; k++ {
		name := fmt.Sprintf("d%02d", k)
		evs = append(evs,
			trace.Event{T: 0, Kind: "flow.rate", Subject: name, Details: []trace.Field{{Key: "offered", Value: 20e9}, {Key: "delivered", Value: 20e9 - float64(k)*1e9}, {Key: "congestion", Value: float64(k) * 1e9}}},
			trace.Event{T: 10e9, Kind: "flow.rate", Subject: name, Details: []trace.Field{{Key: "offered", Value: 20e9}, {Key: "delivered", Value: 20e9}}})
	}
	res := metrics.Compute(trace.Header{Scenario: "many", DurationNS: 20e9}, evs, metrics.Options{})
	pg := &Page{Result: res, Timeline: metrics.NewTimeline(evs, res.End)}
	figs, err := pg.Figures()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, strings.TrimPrefix(f.Name, "throughput-"))
	}
	if got := strings.Join(names, " "); got != "d03 d04 d05 d06 d07 d08 d09 d10 d11 d12 d13 d14" {
		t.Errorf("plotted %s", got)
	}
	html, err := pg.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "Plotted the 12 demands that lost most; 3 more in the loss table below.") {
		t.Error("the page does not say which demands it left out")
	}
}

// Degenerate runs (no time, all-zero rates, a cause nobody knows, a fault
// without details) still make a well-formed page and PNGs.
func TestDegenerateRuns(t *testing.T) {
	for _, c := range []struct {
		end int64
		evs []trace.Event
	}{
		{0, []trace.Event{{T: 0, Kind: "flow.rate", Subject: "d", Details: []trace.Field{{Key: "offered", Value: 1e9}, {Key: "delivered", Value: 1e9}}}}},
		{10, []trace.Event{{T: 0, Kind: "flow.rate", Subject: "d", Details: []trace.Field{{Key: "offered", Value: 0.0}, {Key: "delivered", Value: 0.0}}}, {T: 0, Kind: "link.load", Subject: "l", Details: []trace.Field{{Key: "load", Value: 0.0}, {Key: "capacity", Value: 0.0}}}}},
		{10e9, []trace.Event{{T: 5e9, Kind: "fault.inject", Subject: "f1"}, {T: 5e9, Kind: "flow.rate", Subject: "d", Details: []trace.Field{{Key: "offered", Value: 1e9}, {Key: "delivered", Value: 0.0}, {Key: "weird", Value: 1e9}}}, {T: 5e9, Kind: "link.state", Subject: "l", Details: []trace.Field{{Key: "state", Value: "down"}}}}},
	} {
		res := metrics.Compute(trace.Header{Scenario: "e", DurationNS: c.end}, c.evs, metrics.Options{})
		pg := &Page{Result: res, Timeline: metrics.NewTimeline(c.evs, res.End)}
		h, err := pg.HTML()
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPage(h); err != nil {
			t.Fatal(err)
		}
		figs, err := pg.Figures()
		if err != nil || len(figs) != 1 {
			t.Fatalf("%d figures, %v", len(figs), err)
		}
		for _, f := range figs {
			if _, err := f.PNG(); err != nil {
				t.Fatal(err)
			}
		}
	}
}
