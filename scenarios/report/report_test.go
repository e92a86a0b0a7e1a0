package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// facilityDown is testdata/facility-down.jsonl: iad-fac-1 is lost at 10s.
// replication (25G) loses half its paths: 12.5G black-holed until BGP
// moves it at 10.95s, then the surviving pool carries 20G of it (5G to
// congestion) ⇒ failover 950ms. backup (2G) is black-holed for good ⇒ not
// restored. Expectations: two hold, two fail.
func facilityDown(t testing.TB) (*metrics.Result, []metrics.Outcome) {
	t.Helper()
	f, err := os.Open("testdata/facility-down.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, evs, err := trace.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	res := metrics.Compute(h, evs, metrics.Options{})
	outs := metrics.Evaluate(res, []metrics.Expect{
		{Metric: "failover.max", Demand: "replication", Max: "1s", Where: "facility-down.toml:20"},
		{Metric: "detection.max", Max: "1s", Where: "facility-down.toml:24"},
		{Metric: "restored", Where: "facility-down.toml:28"},
		{Metric: "loss.bytes", Demand: "replication", Cause: "blackhole", Max: "1GB", Where: "facility-down.toml:31"},
	})
	if err := metrics.Invalid(outs); err != nil {
		t.Fatal(err)
	}
	return res, outs
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run with -update if the change is intended):\n%s", name, path, got)
	}
}

func TestGolden(t *testing.T) {
	res, outs := facilityDown(t)
	html, err := HTML(res, outs)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "report.md", Markdown(res, outs))
	golden(t, "report.json", JSON(res, outs))
	golden(t, "junit.xml", JUnit(res, outs))
	golden(t, "summary.txt", Text(res, outs))
	golden(t, "report.html", html)
}

func TestDeterministic(t *testing.T) {
	res1, outs1 := facilityDown(t)
	res2, outs2 := facilityDown(t)
	h1, _ := HTML(res1, outs1)
	h2, _ := HTML(res2, outs2)
	if !bytes.Equal(h1, h2) || !bytes.Equal(JSON(res1, outs1), JSON(res2, outs2)) ||
		!bytes.Equal(Markdown(res1, outs1), Markdown(res2, outs2)) {
		t.Error("two renderings of the same run differ")
	}
}

func TestMarkdownNamesEveryExpectation(t *testing.T) {
	res, outs := facilityDown(t)
	md := string(Markdown(res, outs))
	for _, o := range outs {
		if !strings.Contains(md, o.Name) {
			t.Errorf("report.md does not name %q", o.Name)
		}
	}
	for _, want := range []string{"FAIL: 2 of 4 expectations failed", "| PASS | `failover.max{demand=replication} ≤ 1s` | 950ms |",
		"not restored (nothing delivered at the end of the window)", "| replication | 62.5 GB |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
}

func TestJUnitParses(t *testing.T) {
	res, outs := facilityDown(t)
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(JUnit(res, outs), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 4 || doc.Failures != 2 || len(doc.Suites) != 1 || doc.Suites[0].Name != "quad: lose iad-fac-1" {
		t.Fatalf("%+v", doc)
	}
	c := doc.Suites[0].Cases[3]
	if c.Name != "loss.bytes{demand=replication,cause=blackhole} ≤ 1GB" || c.Failure == nil ||
		!strings.Contains(c.Failure.Text, "expected: ≤ 1GB\nmeasured: 1.484 GB") ||
		!strings.Contains(c.Failure.Text, "defined:  facility-down.toml:31") {
		t.Errorf("case %+v", c)
	}
	if doc.Suites[0].Cases[0].Failure != nil {
		t.Error("a passing case has a failure")
	}

	// Several runs, one that could not run, hostile names.
	multi := JUnitSuites([]Run{
		{Name: "a <&> \"b\"\x01", File: "a.toml", Result: res, Outcomes: outs},
		{Name: "broken", File: "broken.toml", Err: errors.New("broken.toml:3:1: unknown key \"x\"")},
	})
	var doc2 struct {
		Tests  int `xml:"tests,attr"`
		Errors int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(multi, &doc2); err != nil {
		t.Fatalf("%v\n%s", err, multi)
	}
	if doc2.Tests != 5 || doc2.Errors != 1 {
		t.Errorf("%+v", doc2)
	}
}

func TestJSONNeverANumber(t *testing.T) {
	res, outs := facilityDown(t)
	var doc JSONReport
	if err := json.Unmarshal(JSON(res, outs), &doc); err != nil {
		t.Fatal(err)
	}
	fos := doc.Faults[0].Failovers
	if len(fos) != 2 || fos[0].Demand != "backup" || fos[0].Restored || fos[0].FailoverNS != nil {
		t.Errorf("backup %+v", fos[0])
	}
	if fos[1].FailoverNS == nil || *fos[1].FailoverNS != 950_000_000 {
		t.Errorf("replication %+v", fos[1])
	}
	if doc.Passed || doc.Faults[0].DetectionNS == nil || *doc.Faults[0].DetectionNS != 900_000_000 {
		t.Errorf("doc %+v", doc)
	}
}

func TestWriteAll(t *testing.T) {
	res, outs := facilityDown(t)
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteAll(dir, res, outs); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "junit.xml report.html report.json report.md" {
		t.Errorf("files %v", names)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	for _, want := range []string{"<svg", "replication: offered and delivered", "f1", "PASS", "FAIL", "</html>"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(string(html), "<?xml") || strings.Contains(string(html), "<script") {
		t.Error("report.html is not a clean inline page")
	}
}

func TestEmptyRun(t *testing.T) {
	res := metrics.Compute(trace.Header{Scenario: "empty"}, nil, metrics.Options{})
	if _, err := HTML(res, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(Text(res, nil)), "no expectations") {
		t.Errorf("%s", Text(res, nil))
	}
	_ = Markdown(res, nil)
	_ = JSON(res, nil)
	_ = JUnit(res, nil)
}
