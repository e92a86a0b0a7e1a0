package report_test

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/netdrill/netdrill/scenarios/report/browsertest"
)

// The browser check (see browsertest): headless Chromium opens report.html
// from disk and takes a screenshot; each figure is found by its frame and
// must have drawn what its SVG says it draws.

var (
	near      = browsertest.Near
	blueLine  = near(0x1f, 0x77, 0xb4, 45)                                                          // delivered, utilisation
	redArea   = func(r, g, b int) bool { return r > 200 && g > 80 && g < 130 && b > 80 && b < 130 } // black-hole fill
	orangeBox = func(r, g, b int) bool { return r > 235 && g > 140 && g < 185 && b > 55 && b < 115 }
	limitLine = near(0xb0, 0x00, 0x00, 90) // the 100% line
	pixels    = browsertest.Pixels
)

// checkShot asserts that every figure of pg rendered in the screenshot of
// its report.html.
func checkShot(t *testing.T, img *image.RGBA, pg *report.Page) {
	t.Helper()
	figs, err := pg.Figures()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(figs))
	for i, f := range figs {
		names[i] = f.Name
	}
	for i, r := range browsertest.DrawnFigures(t, img, names) {
		if r.Empty() {
			continue
		}
		f := figs[i]
		if n := pixels(img, r, blueLine); n < 30 {
			t.Errorf("%s: no data line (%d blue pixels)", f.Name, n)
		}
		// The examples' 0.8s black hole is a hairline over minutes: the
		// zoom is where it must show as an area.
		zoom := strings.HasPrefix(f.Name, "zoom-")
		if f.Has("loss:blackhole") && zoom {
			if n := pixels(img, r, redArea); n < 300 {
				t.Errorf("%s: no black-hole area (%d pixels)", f.Name, n)
			}
		}
		// Over a year, five minutes of congestion is a sliver: areas are
		// checked where they are large (zooms, and runs of a few faults).
		if f.Has("loss:congestion") && (zoom || len(pg.Result.Faults) <= 3) {
			if n := pixels(img, r, orangeBox); n < 300 {
				t.Errorf("%s: no congestion area (%d pixels)", f.Name, n)
			}
		}
		if f.Has("100%") {
			if n := pixels(img, r, limitLine); n < 40 {
				t.Errorf("%s: no 100%% line (%d pixels)", f.Name, n)
			}
		}
	}
}

func TestBrowserFacilityLoss(t *testing.T) {
	bin := browsertest.Chromium(t)
	pages, err := examplePages()
	if err != nil {
		t.Fatal(err)
	}
	pg := pages["facility-loss-at-peak.toml"]
	dir := filepath.Join(t.TempDir(), "facility-loss")
	if err := report.WritePage(dir, *pg); err != nil {
		t.Fatal(err)
	}
	img := browsertest.Screenshot(t, bin, filepath.Join(dir, "report.html"), "facility-loss", 5000)
	checkShot(t, img, pg)
}

func TestBrowserYear(t *testing.T) {
	bin := browsertest.Chromium(t)
	pg := report.YearPage()
	dir := filepath.Join(t.TempDir(), "year")
	if err := report.WritePage(dir, *pg); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > report.MaxReportBytes {
		t.Errorf("report.html of a simulated year is %d bytes, over %d", st.Size(), report.MaxReportBytes)
	}
	img := browsertest.Screenshot(t, bin, filepath.Join(dir, "report.html"), "year", 9000)
	checkShot(t, img, pg)
}
