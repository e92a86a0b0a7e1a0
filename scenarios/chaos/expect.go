package chaos

import (
	"fmt"
	"math"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// Outcome is the result of one campaign expectation.
type Outcome struct {
	Name     string   `json:"name"`
	Where    string   `json:"where"`
	Passed   bool     `json:"passed"`
	Measured string   `json:"measured"` // "99.981% [99.979%, 99.983%]"
	Value    Interval `json:"value"`
	// Message says what was measured against what; it notes when the
	// interval straddles the bound (more trials would tell).
	Message string `json:"message"`
}

// evaluate checks the campaign expectations on the point estimates: the
// estimate must meet the bound. The interval is reported beside it, and a
// bound inside the interval is flagged: the campaign cannot tell which
// side the design is on, and more trials would.
func evaluate(r *Report) []Outcome {
	out := []Outcome{}
	for _, e := range r.Meta.Expect {
		m, b, errs := metrics.ParseCampaign(e)
		o := Outcome{Name: e.Name(), Where: e.Where}
		if len(errs) > 0 {
			o.Message = fmt.Sprintf("%s: %v [%s]", o.Name, errs[0], e.Where)
			out = append(out, o)
			continue
		}
		var iv Interval
		known := true
		format := func(v float64) string { return formatValue(m.Kind, v) }
		switch m.Name {
		case "availability", "downtime":
			d, ok := r.demand(e.Demand)
			if !ok {
				known = false
				break
			}
			iv = d.Availability
			if m.Name == "downtime" {
				y := float64(Year)
				iv = Interval{Est: (1 - d.Availability.Est) * y, Lo: (1 - d.Availability.Hi) * y, Hi: (1 - d.Availability.Lo) * y, N: iv.N}
			}
		case "failover.p50":
			iv = r.Failover.P50
		case "failover.p90":
			iv = r.Failover.P90
		case "failover.p99":
			iv = r.Failover.P99
		case "failover.max":
			v := float64(r.Failover.MaxNS)
			iv = Interval{Est: v, Lo: v, Hi: v, N: int(r.Failover.Restored)}
		case "p_failover_over":
			known = false
			for _, ov := range r.Failover.Over {
				if ov.OverNS == b.Over {
					iv, known = ov.P, true
				}
			}
		}
		if known && iv.N == 0 && m.Name != "availability" && m.Name != "downtime" {
			// No failover at all: a bound on failovers holds vacuously.
			o.Passed, o.Measured = true, "no failover"
			o.Message = fmt.Sprintf("%s: no failover in %d trials [%s]", o.Name, r.Done, e.Where)
			out = append(out, o)
			continue
		}
		if !known || iv.N == 0 {
			o.Measured = "no trial"
			o.Message = fmt.Sprintf("%s: nothing measured (no trial finished) [%s]", o.Name, e.Where)
			out = append(out, o)
			continue
		}
		o.Value = iv
		o.Measured = format(iv.Est) + " [" + format(iv.Lo) + ", " + format(iv.Hi) + "]"
		o.Passed = (!b.HasMin || iv.Est >= b.Min) && (!b.HasMax || iv.Est <= b.Max)
		verdict := "holds"
		if !o.Passed {
			verdict = "fails"
		}
		o.Message = fmt.Sprintf("%s %s: measured %s (95%% interval, %d trials) [%s]", o.Name, verdict, o.Measured, r.Done, e.Where)
		if (b.HasMin && iv.Straddles(b.Min)) || (b.HasMax && iv.Straddles(b.Max)) {
			o.Message += "; the bound lies inside the interval: more trials would tell"
		}
		out = append(out, o)
	}
	return out
}

// demand returns the named demand's aggregate, or the least available one
// for "".
func (r *Report) demand(name string) (DemandAgg, bool) {
	var worst DemandAgg
	found := false
	for _, d := range r.Demands {
		if d.Name == name {
			return d, true
		}
		if name == "" && (!found || d.Availability.Est < worst.Availability.Est) {
			worst, found = d, true
		}
	}
	return worst, found
}

// formatValue formats a campaign value of kind k.
func formatValue(k metrics.Kind, v float64) string {
	switch k {
	case metrics.KindDuration:
		return metrics.FormatDuration(int64(v))
	case metrics.KindRatio:
		return formatPercent(v)
	}
	return fmt.Sprint(v)
}

// formatPercent prints a ratio as a percentage with enough digits to
// show two significant digits of what is missing from 100% (at least 2
// decimals, at most 8): "99.64%", "99.981%", "99.999950%", "100%".
func formatPercent(v float64) string {
	if v >= 1 {
		return "100%"
	}
	dec := 2
	if miss := 100 * (1 - v); miss > 0 && miss < 1 {
		dec = min(8, max(2, int(math.Ceil(-math.Log10(miss)))+1))
	}
	return fmt.Sprintf("%.*f%%", dec, 100*v)
}

// formatMinutes prints a downtime given in minutes (per year) in the unit
// that keeps its digits: "52.6 min", "3.2 min", "43.2 s", "3.6 ms",
// "360 µs" (a year of one 100 µs failover a quarter is well under a
// millisecond, and "0.000 min" would hide it).
func formatMinutes(m float64) string {
	s := m * 60
	switch {
	case m == 0:
		return "0 min"
	case m >= 1:
		return fmt.Sprintf("%.1f min", m)
	case s >= 1:
		return fmt.Sprintf("%.1f s", s)
	case s >= 1e-3:
		return fmt.Sprintf("%.1f ms", s*1e3)
	}
	return fmt.Sprintf("%.0f µs", s*1e6)
}
