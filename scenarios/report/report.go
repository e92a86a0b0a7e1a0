package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// Files written by WriteAll, in order.
var Files = []string{"report.json", "report.md", "junit.xml", "report.html"}

// WriteAll writes report.json, report.md, junit.xml and report.html into
// dir (created if missing), each atomically.
func WriteAll(dir string, res *metrics.Result, outcomes []metrics.Outcome) error {
	return WritePage(dir, Page{Result: res, Outcomes: outcomes})
}

// summary is the one-line verdict: "PASS: all 3 expectations hold".
func summary(outcomes []metrics.Outcome, ok, bad string) string {
	failed, invalid := counts(outcomes)
	n := len(outcomes)
	switch {
	case n == 0:
		return "no expectations"
	case invalid > 0:
		return fmt.Sprintf("%s %d of %d expectations invalid", bad, invalid, n)
	case failed == 0 && n == 1:
		return ok + " the expectation holds"
	case failed == 0:
		return fmt.Sprintf("%s all %d expectations hold", ok, n)
	}
	return fmt.Sprintf("%s %d of %d expectations failed", bad, failed, n)
}

func counts(outcomes []metrics.Outcome) (failed, invalid int) {
	for _, o := range outcomes {
		switch {
		case o.Err != nil:
			invalid++
		case !o.Passed:
			failed++
		}
	}
	return failed, invalid
}

func dur(ns int64) string { return metrics.FormatDuration(ns) }

func bytesStr(b float64) string { return metrics.FormatBytes(b) }

func rate(bps float64) string { return metrics.FormatRate(bps) }

func pct(r float64) string { return metrics.FormatRatio(r) }

func detection(f metrics.Fault) string {
	if !f.Detected {
		return "not detected"
	}
	d := f.DetectedBy
	by := d.Kind + " " + d.Subject
	if d.Router != "" {
		by += " at " + d.Router
	}
	return dur(f.Detection) + " (" + by + ")"
}

func convergence(f metrics.Fault) string {
	if !f.Converged {
		return "not converged"
	}
	return dur(f.Convergence)
}

func headroom(f metrics.Fault) string {
	if !f.HeadroomKnown {
		return "-"
	}
	return pct(f.Headroom) + " (" + f.HeadroomOn + ")"
}

func failover(fo metrics.Failover) string {
	if !fo.Restored {
		return "not restored: " + fo.Reason
	}
	return dur(fo.Failover)
}

// causeColumns lists the loss causes present in any demand, in report order.
func causeColumns(res *metrics.Result) []string {
	return res.Loss.CauseNames()
}

// capacityRows returns links and pools by peak utilisation, highest first
// (name breaks ties), at most limit of them (0: all), and how many were left out.
func capacityRows(res *metrics.Result, limit int) ([]metrics.Capacity, int) {
	all := append(append([]metrics.Capacity(nil), res.Pools...), res.Links...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Peak != all[j].Peak {
			return all[i].Peak > all[j].Peak
		}
		if all[i].Kind != all[j].Kind {
			return all[i].Kind > all[j].Kind // pools first
		}
		return all[i].Name < all[j].Name
	})
	if limit > 0 && len(all) > limit {
		return all[:limit], len(all) - limit
	}
	return all, 0
}

func where(o metrics.Outcome) string {
	var parts []string
	if o.Value.Where != "" && o.Err == nil {
		parts = append(parts, o.Value.Where)
	}
	if o.At >= 0 && o.Err == nil {
		parts = append(parts, "at "+dur(o.At))
	}
	if o.Expect.Where != "" {
		parts = append(parts, o.Expect.Where)
	}
	return strings.Join(parts, "; ")
}
