package report_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netdrill/netdrill/scenarios/report"
)

// The browser check: headless Chromium opens report.html from disk and
// takes a screenshot; each figure is found by its frame (1px #a9bcd0, see
// the page's CSS) and must have drawn what its SVG says it draws.
//
// Without chromium it skips, except in CI (CI=true), where .ci/run installs
// it and a missing browser is a failure.

// figureFrame is the border colour of a figure in report.html's CSS.
var figureFrame = color.RGBA{R: 0xa9, G: 0xbc, B: 0xd0, A: 0xff}

const shotWidth = 1280

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: the browser check cannot run in CI (.ci/run installs it with apt-get install chromium)")
	}
	t.Skip("chromium is not installed: browser check skipped (apt-get install chromium to run it)")
	return ""
}

// screenshot renders file in headless Chromium at shotWidth × height.
func screenshot(t *testing.T, bin, file string, height int) *image.RGBA {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "shot.png")
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+out, fmt.Sprintf("--window-size=%d,%d", shotWidth, height), "file://"+abs)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(dec.Bounds()) // plain pixels: At through an interface is slow under -race
	draw.Draw(img, img.Bounds(), dec, dec.Bounds().Min, draw.Src)
	if os.Getenv("REPORT_SHOTS") != "" { // keep the screenshot to look at
		_ = os.WriteFile(filepath.Join(os.Getenv("REPORT_SHOTS"), filepath.Base(filepath.Dir(abs))+".png"), mustRead(t, out), 0o644)
	}
	return img
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// frames finds the figures' frames in a screenshot: rectangles whose 1px
// edges are figureFrame, in page order (top to bottom, left to right).
func frames(img *image.RGBA) []image.Rectangle {
	b := img.Bounds()
	is := func(x, y int) bool {
		p := img.Pix[img.PixOffset(x, y):]
		return p[0] == figureFrame.R && p[1] == figureFrame.G && p[2] == figureFrame.B
	}
	type run struct{ y, x0, x1 int }
	var runs []run
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; {
			if !is(x, y) {
				x++
				continue
			}
			x0 := x
			for x < b.Max.X && is(x, y) {
				x++
			}
			if x-x0 >= 200 {
				runs = append(runs, run{y, x0, x - 1})
			}
		}
	}
	var out []image.Rectangle
	used := make([]bool, len(runs))
	for i, top := range runs {
		if used[i] {
			continue
		}
		for j := i + 1; j < len(runs); j++ {
			bot := runs[j]
			if used[j] || bot.x0 != top.x0 || bot.x1 != top.x1 || bot.y-top.y < 50 {
				continue
			}
			edge := true
			for y := top.y; y <= bot.y && edge; y++ {
				edge = is(top.x0, y) && is(top.x1, y)
			}
			if edge {
				used[i], used[j] = true, true
				out = append(out, image.Rect(top.x0, top.y, top.x1+1, bot.y+1))
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Min.Y != out[j].Min.Y {
			return out[i].Min.Y < out[j].Min.Y
		}
		return out[i].Min.X < out[j].Min.X
	})
	return out
}

// pixels counts the pixels of r for which match holds.
func pixels(img *image.RGBA, r image.Rectangle, match func(r, g, b int) bool) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.Pix[img.PixOffset(x, y):]
			if match(int(p[0]), int(p[1]), int(p[2])) {
				n++
			}
		}
	}
	return n
}

func near(r0, g0, b0, tol int) func(r, g, b int) bool {
	abs := func(v int) int {
		if v < 0 {
			return -v
		}
		return v
	}
	return func(r, g, b int) bool { return abs(r-r0)+abs(g-g0)+abs(b-b0) <= tol }
}

var (
	blueLine  = near(0x1f, 0x77, 0xb4, 45)                                                          // delivered, utilisation
	redArea   = func(r, g, b int) bool { return r > 200 && g > 80 && g < 130 && b > 80 && b < 130 } // black-hole fill
	orangeBox = func(r, g, b int) bool { return r > 235 && g > 140 && g < 185 && b > 55 && b < 115 }
	limitLine = near(0xb0, 0x00, 0x00, 90) // the 100% line
	nonWhite  = func(r, g, b int) bool { return r+g+b < 3*245 }
)

// checkShot asserts that every figure of pg rendered in the screenshot of
// its report.html.
func checkShot(t *testing.T, img *image.RGBA, pg *report.Page) {
	t.Helper()
	figs, err := pg.Figures()
	if err != nil {
		t.Fatal(err)
	}
	fr := frames(img)
	if len(fr) != len(figs) {
		t.Fatalf("found %d figure frames in the screenshot, want %d (page taller than the window?)", len(fr), len(figs))
	}
	for i, f := range figs {
		r := fr[i].Inset(2)
		area := r.Dx() * r.Dy()
		if r.Dx() < 380 || r.Dy() < 150 {
			t.Errorf("%s: drawn %v, too small", f.Name, r)
			continue
		}
		if n := pixels(img, r, nonWhite); n < area/50 {
			t.Errorf("%s: %d of %d pixels drawn: blank", f.Name, n, area)
		}
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
	bin := chromium(t)
	pages, err := examplePages()
	if err != nil {
		t.Fatal(err)
	}
	pg := pages["facility-loss-at-peak.toml"]
	dir := filepath.Join(t.TempDir(), "facility-loss")
	if err := report.WritePage(dir, *pg); err != nil {
		t.Fatal(err)
	}
	img := screenshot(t, bin, filepath.Join(dir, "report.html"), 5000)
	checkShot(t, img, pg)
}

func TestBrowserYear(t *testing.T) {
	bin := chromium(t)
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
	img := screenshot(t, bin, filepath.Join(dir, "report.html"), 9000)
	checkShot(t, img, pg)
}
