package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

func TestShort(t *testing.T) {
	for ns, want := range map[int64]string{
		0: "0s", 500: "500ns", 100_000: "100µs", 653_465_000: "653ms", 825_750_000: "826ms",
		1_234_000_000: "1.23s", 12_340_000_000: "12.3s", 120e9: "2m", 3723e9: "1h2m3s", 7200e9: "2h",
	} {
		if got := short(ns); got != want {
			t.Errorf("short(%d) = %q, want %q", ns, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := Wrap("aaa bbb ccc ddd", "  ", 8)
	if got != "aaa bbb\n  ccc\n  ddd\n" {
		t.Errorf("%q", got)
	}
}

// A table drops its least useful columns, then shortens names, to fit.
func TestTableFits(t *testing.T) {
	tb := &textTable{cols: []textCol{{head: "NAME", shrink: true}, {head: "VALUE"}, {head: "EXTRA", drop: 1}}}
	tb.add(cell("a-very-long-name-that-does-not-fit"), cell("42"), cell("something"))
	for _, w := range []int{80, 40, 20} {
		var b bytes.Buffer
		tb.render(&b, w, newStyles(false))
		for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			if utf8.RuneCountInString(l) > w {
				t.Errorf("width %d: %q", w, l)
			}
		}
		if w == 80 && !strings.Contains(b.String(), "something") {
			t.Errorf("width 80 dropped a column:\n%s", b.String())
		}
		if w == 20 && (strings.Contains(b.String(), "EXTRA") || !strings.Contains(b.String(), "…")) {
			t.Errorf("width 20:\n%s", b.String())
		}
	}
}

// The summary tells the truth about faults: a drain is planned, not
// undetected; headroom means nothing when nothing is delivered; a hub
// session is named by the user's router; withdraw-only UPDATEs count; PEAK
// is what was carried.
func TestSummaryTruths(t *testing.T) {
	res := &metrics.Result{Scenario: "s", End: 60e9, Options: metrics.Options{SettleWindow: 1e9},
		Faults: []metrics.Fault{
			{ID: "d", Kind: "drain", Target: "r1", At: 1e9, Converged: true, Churn: metrics.Churn{WithdrawMsgs: 2}},
			{ID: "f", Kind: "facility-down", Target: "fac", At: 2e9, Converged: true, Detected: true, Detection: 650e6,
				DetectedBy:    metrics.Detection{Kind: "bfd.state", Subject: "aws-use1~aws-r1"},
				HeadroomKnown: true, Headroom: 1, HeadroomOn: "link x",
				Failovers: []metrics.Failover{{Demand: "rep", Before: 1e9, Target: 0, Reason: "nothing delivered"}},
				Loss:      metrics.Loss{Lost: 5e9}},
		},
		Loss: metrics.Loss{Lost: 5e9},
		Pools: []metrics.Capacity{{Kind: "pool", Name: "p", Peak: 1.6,
			Series: []metrics.LoadPoint{{T: 0, Load: 10, Capacity: 20}, {T: 1, Load: 32, Capacity: 20}}}},
	}
	out := string(Text(res, nil))
	for _, want := range []string{"planned (no detection)", "n/a: 0 delivered", "aws-r1 (BFD, seen from site aws-use1)",
		"0 + 2", "most loss: f facility-down fac", "pool p     100%  160%"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "not detected") || strings.Contains(out, "aws-use1~aws-r1") {
		t.Errorf("summary:\n%s", out)
	}
}
