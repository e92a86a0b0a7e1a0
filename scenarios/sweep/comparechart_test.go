package sweep

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"testing"
)

// fixtureComparison is three designs over rows of every unit: a duration
// with one never restored, bytes split by cause, a negative ratio, a value
// one design lacks, a count where all are equal.
func fixtureComparison() *Comparison {
	c := &Comparison{Designs: []string{"quad", "dx-vpn", "mesh"}, Files: []string{"q.toml", "d.toml", "m.toml"}}
	c.add("failover (worst demand)", Lower, []Cell{durCell(10e6, true), durCell(668676000, true),
		{Text: "not restored", Value: math.Inf(1), Known: true, unit: unitDuration}})
	c.add("bytes lost", Lower, []Cell{bytesCell(128.578e9), bytesCell(172.735e6), bytesCell(2e9)})
	c.add("  lost to blackhole", Lower, []Cell{bytesCell(10e6), bytesCell(172.735e6), bytesCell(2e9)})
	c.add("  lost to congestion", Lower, []Cell{bytesCell(128.568e9), bytesCell(0), bytesCell(0)})
	c.add("headroom (least, after faults)", Higher, []Cell{{Text: "-40%", Value: -0.4, Known: true, unit: unitRatio},
		{Text: "40%", Value: 0.4, Known: true, unit: unitRatio}, {Text: "-"}})
	c.add("demands not restored", Lower, []Cell{{Text: "0", Known: true}, {Text: "0", Known: true}, {Text: "0", Known: true}})
	return c
}

func TestCompareFigures(t *testing.T) {
	c := fixtureComparison()
	figs, err := c.Figures()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name  string
		shows string
	}{
		{"compare-failover-worst-demand", "bar:quad best:quad bar:dx-vpn not-restored:mesh bar:mesh"},
		{"compare-bytes-lost", "bar:total:quad bar:total:dx-vpn best:total:dx-vpn bar:total:mesh " +
			"bar:blackhole:quad best:blackhole:quad bar:blackhole:dx-vpn bar:blackhole:mesh " +
			"bar:congestion:quad bar:congestion:dx-vpn best:congestion:dx-vpn bar:congestion:mesh best:congestion:mesh"},
		{"compare-headroom-least-after-faults", "bar:quad bar:dx-vpn best:dx-vpn n/a:mesh"},
		{"compare-demands-not-restored", "bar:quad bar:dx-vpn bar:mesh"}, // all equal: none best
	}
	if len(figs) != len(want) {
		t.Fatalf("%d figures, want %d", len(figs), len(want))
	}
	for i, f := range figs {
		if f.Name != want[i].name || strings.Join(f.Shows, " ") != want[i].shows {
			t.Errorf("figure %d: %s shows\n  %s\nwant %s\n  %s", i, f.Name, strings.Join(f.Shows, " "), want[i].name, want[i].shows)
		}
		svg, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		for d := range c.Designs {
			if f.Has("bar:"+c.Designs[d]) || f.Has("bar:total:"+c.Designs[d]) {
				col := designColour(d)
				if f.Has("not-restored:" + c.Designs[d]) {
					col = pale(col)
				}
				if !bytes.Contains(svg, []byte("fill:"+hex(col))) {
					t.Errorf("%s: no bar in %s's colour", f.Name, c.Designs[d])
				}
			}
		}
		best := strings.Contains(want[i].shows, "best:")
		if got := bytes.Contains(svg, []byte("stroke:"+hex(colBest))); got != best {
			t.Errorf("%s: best outline drawn %v, want %v", f.Name, got, best)
		}
		if got := bytes.Count(svg, []byte(">best<")); best && got == 0 {
			t.Errorf("%s: no best label", f.Name)
		}
	}
	// Human units on the axes.
	for i, unit := range []string{">ms<", ">GB<", ">%<", ">count<"} {
		svg, _ := figs[i].SVG()
		if !bytes.Contains(svg, []byte(unit)) {
			t.Errorf("%s: no axis label %s", figs[i].Name, unit)
		}
	}
	if !strings.Contains(figs[0].Caption, "mesh not restored") || !strings.Contains(figs[0].Caption, "quad 10ms (best)") {
		t.Errorf("caption %q", figs[0].Caption)
	}
}

func TestUnitScale(t *testing.T) {
	for _, tc := range []struct {
		u    unit
		max  float64
		div  float64
		name string
	}{
		{unitDuration, 0, 1e9, "s"},
		{unitDuration, 500e3, 1e3, "µs"},
		{unitDuration, 668e6, 1e6, "ms"},
		{unitDuration, 5e9, 1e9, "s"},
		{unitDuration, 300e9, 60e9, "min"},
		{unitDuration, 5 * 3600e9, 3600e9, "h"},
		{unitDuration, 365 * 86400e9, 86400e9, "days"},
		{unitBytes, 0, 1, "B"},
		{unitBytes, 999, 1, "B"},
		{unitBytes, 128.578e9, 1e9, "GB"},
		{unitRatio, 0.4, 0.01, "%"},
		{unitCount, 27, 1, ""},
	} {
		div, name := tc.u.scale(tc.max)
		if div != tc.div || name != tc.name {
			t.Errorf("%v up to %g: %g %q, want %g %q", tc.u, tc.max, div, name, tc.div, tc.name)
		}
	}
}

func TestCompareHTMLChartsWellFormed(t *testing.T) {
	c := fixtureComparison()
	page, err := c.HTML()
	if err != nil {
		t.Fatal(err)
	}
	figures, err := checkPage(page)
	if err != nil {
		t.Fatal(err)
	}
	if figures != 4 {
		t.Errorf("%d figures in the page, want 4", figures)
	}
	again, err := c.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, again) {
		t.Error("report.html differs between two renderings")
	}
	// report.json has no infinity and leaves the comparison as it was.
	if js := c.JSON(); !bytes.Contains(js, []byte(`"value": -1`)) || !math.IsInf(c.Rows[0].Cells[2].Value, 1) {
		t.Errorf("JSON changed the comparison or kept infinity")
	}
}

// checkPage checks that page is well-formed XML that loads nothing from
// elsewhere and runs no script, and counts its figures.
func checkPage(page []byte) (figures int, err error) {
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("not well-formed: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "script", "link", "img", "iframe", "object", "embed":
			return 0, fmt.Errorf("<%s> in a self-contained page", se.Name.Local)
		case "figure":
			figures++
		}
		for _, a := range se.Attr {
			if (a.Name.Local == "src" || a.Name.Local == "href") && a.Value != "" && !strings.HasPrefix(a.Value, "#") {
				return 0, fmt.Errorf("<%s %s=%q>: an external reference", se.Name.Local, a.Name.Local, a.Value)
			}
			if strings.HasPrefix(a.Name.Local, "on") {
				return 0, fmt.Errorf("<%s %s>: a script", se.Name.Local, a.Name.Local)
			}
		}
	}
	if bytes.Contains(page, []byte("url(")) || bytes.Contains(page, []byte("@import")) {
		return 0, fmt.Errorf("CSS loads a resource")
	}
	return figures, nil
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }
