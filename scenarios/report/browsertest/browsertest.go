// Package browsertest is the browser check of netdrill's HTML reports, for
// tests: headless Chromium opens a report.html from disk and takes a
// screenshot; each figure is found by its frame (1px #a9bcd0, which every
// report's CSS gives its figures and nothing else) and must have drawn.
//
// Without chromium a check skips, except in CI (CI=true), where .ci/run
// installs it and a missing browser is a failure. With REPORT_SHOTS=DIR
// the screenshots are kept in DIR to look at.
package browsertest

import (
	"bytes"
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
	"testing"
	"time"
)

// Frame is the border colour of a figure in every report's CSS.
var Frame = color.RGBA{R: 0xa9, G: 0xbc, B: 0xd0, A: 0xff}

// Width is the browser window's width in CSS pixels (device scale 1).
const Width = 1280

// Chromium is the path of the browser, or skips the test (fails in CI).
func Chromium(t testing.TB) string {
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

// Screenshot renders file in headless Chromium at Width × height; with
// REPORT_SHOTS set the shot is kept there as <name>.png.
func Screenshot(t testing.TB, bin, file, name string, height int) *image.RGBA {
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
		"--screenshot="+out, fmt.Sprintf("--window-size=%d,%d", Width, height), "file://"+abs)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(dec.Bounds()) // plain pixels: At through an interface is slow under -race
	draw.Draw(img, img.Bounds(), dec, dec.Bounds().Min, draw.Src)
	if keep := os.Getenv("REPORT_SHOTS"); keep != "" {
		_ = os.WriteFile(filepath.Join(keep, name+".png"), raw, 0o644)
	}
	return img
}

// DrawnFigures checks that a screenshot shows one frame per figure name,
// each at least 380×150 inside and not blank (a fiftieth of it drawn), and
// returns each figure's inside: the zero rectangle for one that is too
// small (its colours are not worth checking).
func DrawnFigures(t testing.TB, img *image.RGBA, names []string) []image.Rectangle {
	t.Helper()
	fr := Frames(img)
	if len(fr) != len(names) {
		t.Fatalf("found %d figure frames in the screenshot, want %d (page taller than the window?)", len(fr), len(names))
	}
	out := make([]image.Rectangle, len(names))
	for i, name := range names {
		r := fr[i].Inset(2)
		area := r.Dx() * r.Dy()
		if r.Dx() < 380 || r.Dy() < 150 {
			t.Errorf("%s: drawn %v, too small", name, r)
			continue
		}
		if n := Pixels(img, r, NonWhite); n < area/50 {
			t.Errorf("%s: %d of %d pixels drawn: blank", name, n, area)
		}
		out[i] = r
	}
	return out
}

// Frames finds the figures' frames in a screenshot: rectangles whose 1px
// edges are Frame, at least 200 wide and 50 high, in page order (top to
// bottom, left to right).
func Frames(img *image.RGBA) []image.Rectangle {
	b := img.Bounds()
	is := func(x, y int) bool {
		p := img.Pix[img.PixOffset(x, y):]
		return p[0] == Frame.R && p[1] == Frame.G && p[2] == Frame.B
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

// Pixels counts the pixels of r for which match holds.
func Pixels(img *image.RGBA, r image.Rectangle, match func(r, g, b int) bool) int {
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

// Near matches colours within tol (sum of channel distances) of r0 g0 b0.
func Near(r0, g0, b0, tol int) func(r, g, b int) bool {
	abs := func(v int) int {
		if v < 0 {
			return -v
		}
		return v
	}
	return func(r, g, b int) bool { return abs(r-r0)+abs(g-g0)+abs(b-b0) <= tol }
}

// NonWhite matches anything drawn on the white page.
func NonWhite(r, g, b int) bool { return r+g+b < 3*245 }
