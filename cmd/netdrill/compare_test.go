package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/sweep"
)

// The managed quad against DX maximum resiliency with a VPN backup, on the
// same traffic and facility loss: both columns, the better design per
// metric marked. The quad's shared pool runs short (128 GB to congestion);
// DX's dedicated connections do not.
func TestCompareQuadDX(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := execute(t, "compare", scenariosDir+"compare-quad.toml", scenariosDir+"compare-dx-vpn.toml", "-o", dir)
	if code != exitOK {
		t.Fatalf("code %d: %s\n%s", code, out, errOut)
	}
	for _, want := range []string{"COMPARE-QUAD", "COMPARE-DX-VPN", "facility-down at 2m0s on aws-gcp-fac1 vs dx-fac1"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	var congestion string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "lost to congestion") {
			congestion = l
		}
	}
	f := strings.Fields(congestion)
	// lost to congestion lower 128.287 GB 0 B ★
	if len(f) != 9 || f[5] != "GB" || f[6] != "0" || f[8] != "★" {
		t.Errorf("congestion row %q", congestion)
	}
	for _, name := range []string{"report.md", "report.json", "report.html", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestCompareTopologies(t *testing.T) {
	out, errOut, code := execute(t, "compare", "testdata/compare-channel.toml", "--topology",
		examplesDir+"aws-gcp-quad.toml,"+examplesDir+"quad-shared-conduit.toml")
	if code != exitOK || !strings.Contains(out, "AWS-GCP-QUAD") || !strings.Contains(out, "QUAD-SHARED-CONDUIT") {
		t.Fatalf("code %d:\n%s\n%s", code, out, errOut)
	}
	// Not comparable: different traffic.
	if _, errOut, code := execute(t, "compare", scenariosDir+"compare-quad.toml", scenariosDir+"quad-review.toml"); code != exitInvalid {
		t.Errorf("different traffic: code %d %s", code, errOut)
	}
}

// report.html of the quad-vs-DX comparison: a chart per metric (the loss
// causes grouped under bytes lost), a bar per design in each, the best
// design marked where the table marks it, and the same bytes every run.
func TestCompareCharts(t *testing.T) {
	var pages [2][]byte
	var dirs [2]string
	for i := range dirs {
		dirs[i] = t.TempDir()
		if out, errOut, code := execute(t, "compare", scenariosDir+"compare-quad.toml", scenariosDir+"compare-dx-vpn.toml", "-o", dirs[i]); code != exitOK {
			t.Fatalf("code %d: %s\n%s", code, out, errOut)
		}
		b, err := os.ReadFile(filepath.Join(dirs[i], "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		pages[i] = b
	}
	for _, name := range []string{"report.html", "report.md", "report.json"} {
		a, _ := os.ReadFile(filepath.Join(dirs[0], name))
		b, _ := os.ReadFile(filepath.Join(dirs[1], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	var c sweep.Comparison
	if err := json.Unmarshal(mustReadFile(t, filepath.Join(dirs[0], "report.json")), &c); err != nil {
		t.Fatal(err)
	}
	// The figures, in page order, and what each draws.
	var ids []string
	shows := map[string]map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(pages[0]))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("report.html is not well-formed: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "script", "link", "img", "iframe", "object", "embed":
			t.Errorf("<%s> in a self-contained page", se.Name.Local)
		case "figure":
			var id string
			set := map[string]bool{}
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					id = a.Value
				case "data-shows":
					for _, s := range strings.Fields(a.Value) {
						set[s] = true
					}
				}
			}
			ids = append(ids, id)
			shows[id] = set
		}
		for _, a := range se.Attr {
			if (a.Name.Local == "src" || a.Name.Local == "href") && !strings.HasPrefix(a.Value, "#") {
				t.Errorf("external reference %s=%q", a.Name.Local, a.Value)
			}
		}
	}
	want := []string{"compare-detection-slowest-fault", "compare-failover-worst-demand", "compare-demands-not-restored",
		"compare-bytes-lost", "compare-time-in-congestion-longest-link-pool", "compare-headroom-least-after-faults",
		"compare-bgp-convergence-slowest-fault", "compare-bgp-updates", "compare-expectations-held"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("figures %v\nwant    %v", ids, want)
	}
	fig, k := "", 0 // the k-th top-level row has the k-th figure
	for _, r := range c.Rows {
		prefix := "bar:"
		if cause, ok := strings.CutPrefix(r.Metric, "  lost to "); ok {
			prefix += cause + ":"
		} else {
			fig, k = ids[k], k+1
			if r.Metric == "bytes lost" {
				prefix += "total:"
			}
		}
		bars := 0
		for i, cl := range r.Cells {
			id := strings.TrimPrefix(prefix, "bar:") + c.Designs[i]
			bars += b2i(shows[fig]["bar:"+id])
			if cl.Best {
				if !shows[fig]["best:"+id] {
					t.Errorf("%s: %s is best at %q, not marked", fig, c.Designs[i], r.Metric)
				}
			} else if shows[fig]["best:"+id] {
				t.Errorf("%s: %s marked best at %q", fig, c.Designs[i], r.Metric)
			}
		}
		if bars != len(c.Designs) {
			t.Errorf("%s: %d bars for %q, want one per design", fig, bars, r.Metric)
		}
	}
	// The numbers the table has: congestion sank the quad, not DX.
	if !shows["compare-bytes-lost"]["best:congestion:compare-dx-vpn"] || !shows["compare-headroom-least-after-faults"]["best:compare-dx-vpn"] ||
		!shows["compare-failover-worst-demand"]["best:compare-quad"] {
		t.Errorf("best marks: %v", shows)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
