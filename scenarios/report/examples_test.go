package report_test

import (
	"bytes"
	"image/png"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/report"
)

// examplePages runs every example scenario once per test binary and keeps
// their report pages by file name.
var examplePages = sync.OnceValues(func() (map[string]*report.Page, error) {
	files, err := filepath.Glob("../../examples/scenarios/*.toml")
	if err != nil {
		return nil, err
	}
	pages := map[string]*report.Page{}
	for _, f := range files {
		sc, err := scenarios.Load(f)
		if err != nil {
			return nil, err
		}
		r, err := scenarios.Run(sc, scenarios.Options{Version: "test"})
		if err != nil {
			return nil, err
		}
		pg := scenarios.Page(r)
		pages[filepath.Base(f)] = &pg
	}
	return pages, nil
})

func sortedNames(m map[string]*report.Page) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Every plot of every example renders as SVG and PNG, and every page is
// well-formed and self-contained.
func TestEveryExampleRendersEveryPlot(t *testing.T) {
	pages, err := examplePages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no examples found")
	}
	for _, name := range sortedNames(pages) {
		pg := pages[name]
		t.Run(name, func(t *testing.T) {
			figs, err := pg.Figures()
			if err != nil {
				t.Fatal(err)
			}
			if len(figs) == 0 {
				t.Fatal("no figures")
			}
			kinds := map[string]int{}
			for i, f := range figs {
				kinds[strings.SplitN(f.Name, "-", 2)[0]]++
				svg, err := f.SVG()
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				if !bytes.Contains(svg, []byte("<path")) || !bytes.Contains(svg, []byte("</svg>")) {
					t.Errorf("%s: an empty SVG", f.Name)
				}
				if !f.Has("delivered") && !f.Has("utilisation") {
					t.Errorf("%s draws no data (shows %v)", f.Name, f.Shows)
				}
				if i > 0 {
					continue // PNG takes the same plot; one per example is enough (and -race makes rasterising slow)
				}
				b, err := f.PNG()
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				if _, err := png.Decode(bytes.NewReader(b)); err != nil {
					t.Errorf("%s: %v", f.Name, err)
				}
			}
			if kinds["throughput"] != len(pg.Result.Demands) {
				t.Errorf("%d throughput plots for %d demands", kinds["throughput"], len(pg.Result.Demands))
			}
			if len(pg.Result.Faults) > 0 && kinds["zoom"] == 0 && anyAffected(pg) {
				t.Error("faults affected demands but nothing is zoomed")
			}
			html, err := pg.HTML()
			if err != nil {
				t.Fatal(err)
			}
			if err := report.CheckPage(html); err != nil {
				t.Fatal(err)
			}
			if len(html) > report.MaxReportBytes {
				t.Errorf("report.html is %d bytes", len(html))
			}
			for _, want := range []string{"<h2>Network</h2>", "<h2>Expectations</h2>", "<h2>Throughput</h2>"} {
				if !strings.Contains(string(html), want) {
					t.Errorf("report.html lacks %s", want)
				}
			}
		})
	}
}

func anyAffected(pg *report.Page) bool {
	for _, f := range pg.Result.Faults {
		if len(f.Failovers) > 0 {
			return true
		}
	}
	return false
}

// The facility-loss example (see its comments): 576 MB black-holed until
// BFD, then 128 GB to congestion for five minutes; the plots show both,
// the offered line above them, the fault span and the two dead channels.
func TestFacilityLossPlots(t *testing.T) {
	pages, err := examplePages()
	if err != nil {
		t.Fatal(err)
	}
	pg := pages["facility-loss-at-peak.toml"]
	figs, err := pg.Figures()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"throughput-replication": {"offered", "delivered", "loss:blackhole", "loss:congestion", "fault:f1"},
		"zoom-f1-replication":    {"offered", "delivered", "loss:blackhole", "loss:congestion", "detected", "restored"},
		"util-pool-aws-gcp-pool": {"100%", "utilisation", "background"},
		"util-link-aws-gcp-ch1":  {"100%", "state:down"},
		"util-link-aws-gcp-ch2":  {"100%", "state:down"},
		"util-link-aws-gcp-ch3":  {"100%", "utilisation"},
		"util-link-aws-gcp-ch4":  {"100%", "utilisation"},
	}
	got := map[string]bool{}
	for _, f := range figs {
		got[f.Name] = true
		for _, s := range want[f.Name] {
			if !f.Has(s) {
				t.Errorf("%s does not show %s (shows %v)", f.Name, s, f.Shows)
			}
		}
	}
	for name := range want {
		if !got[name] {
			t.Errorf("no figure %s", name)
		}
	}
}
