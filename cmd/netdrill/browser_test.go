package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/report/browsertest"
)

// The report.html of sweep, compare and chaos, made by the CLI from the
// examples, opened in headless Chromium (see browsertest): every figure of
// the page is framed in the screenshot, in page order, drew something in
// its data colour, and --png wrote it as <figure id>.png.
// The --png part runs without chromium too.
func TestBrowserReports(t *testing.T) {
	const ex = "../../examples/"
	var (
		lostRed    = browsertest.Near(0xc0, 0x39, 0x2b, 40) // sweep impact and chaos what-hurts bars
		softRed    = browsertest.Near(241, 90, 96, 40)      // chaos downtime bars (plotutil.Color(0))
		cdfBlue    = browsertest.Near(0x1f, 0x77, 0xb4, 45)
		designBlue = browsertest.Near(0x4e, 0x79, 0xa7, 40) // compare: the first design
		designOrng = browsertest.Near(0xf2, 0x8e, 0x2b, 40) // compare: the second
	)
	for _, tc := range []struct {
		name   string
		args   []string
		want   []string // figure ids in page order; "compare-*": any number ≥ 5 of them
		height int
		colour func(id string) (func(r, g, b int) bool, int) // the data colour of figure id and its least pixel count
	}{
		{name: "sweep", args: []string{"sweep", ex + "scenarios/quad-review.toml"}, want: []string{"sweep-impact"}, height: 2000,
			colour: func(string) (func(r, g, b int) bool, int) { return lostRed, 2000 }},
		{name: "chaos", args: []string{"chaos", ex + "campaigns/quad-year.toml", "--trials", "4", "--horizon", "30d"},
			want: []string{"chaos-availability", "chaos-failover-cdf", "chaos-what-hurts"}, height: 4000,
			colour: func(id string) (func(r, g, b int) bool, int) {
				switch id {
				case "chaos-availability":
					return softRed, 500
				case "chaos-failover-cdf":
					return cdfBlue, 300
				}
				return lostRed, 500
			}},
		{name: "compare", args: []string{"compare", ex + "scenarios/compare-quad.toml", ex + "scenarios/compare-dx-vpn.toml"},
			want: []string{"compare-*"}, height: 4000,
			colour: func(string) (func(r, g, b int) bool, int) {
				return func(r, g, b int) bool { return designBlue(r, g, b) || designOrng(r, g, b) }, 40
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, code := netdrill(t, append(tc.args, "-o", filepath.Join(dir, "out"), "--png", filepath.Join(dir, "png"))...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			page, err := os.ReadFile(filepath.Join(dir, "out", "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range regexp.MustCompile(`<figure id="([^"]+)"`).FindAllStringSubmatch(string(page), -1) {
				ids = append(ids, m[1])
			}
			if tc.want[0] == "compare-*" {
				for _, id := range ids {
					if !strings.HasPrefix(id, "compare-") {
						t.Errorf("figure %s: not a compare chart", id)
					}
				}
				if len(ids) < 5 {
					t.Errorf("%d compare charts, want a chart per metric (5 or more)", len(ids))
				}
			} else if strings.Join(ids, " ") != strings.Join(tc.want, " ") {
				t.Errorf("figures %v, want %v", ids, tc.want)
			}
			// --png: one file per figure of the page, named by its id.
			if !strings.Contains(out, "wrote "+plural(len(ids), "plot")+" to ") {
				t.Errorf("does not say it wrote %d plots:\n%s", len(ids), out)
			}
			ents, err := os.ReadDir(filepath.Join(dir, "png"))
			if err != nil {
				t.Fatal(err)
			}
			var pngs []string
			for _, e := range ents {
				pngs = append(pngs, strings.TrimSuffix(e.Name(), ".png"))
				if b, _ := os.ReadFile(filepath.Join(dir, "png", e.Name())); !strings.HasPrefix(string(b), "\x89PNG") {
					t.Errorf("%s is not a PNG", e.Name())
				}
			}
			sorted := append([]string(nil), ids...)
			sort.Strings(sorted)
			if strings.Join(pngs, " ") != strings.Join(sorted, " ") {
				t.Errorf("--png wrote %v, want %v", pngs, sorted)
			}
			bin := browsertest.Chromium(t)
			img := browsertest.Screenshot(t, bin, filepath.Join(dir, "out", "report.html"), tc.name, tc.height)
			for i, r := range browsertest.DrawnFigures(t, img, ids) {
				if r.Empty() {
					continue
				}
				id := ids[i]
				match, least := tc.colour(id)
				if n := browsertest.Pixels(img, r, match); n < least {
					t.Errorf("%s: %d pixels in the data colour, want %d or more", id, n, least)
				}
			}
		})
	}
}
