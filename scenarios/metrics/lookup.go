package metrics

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Selector narrows a metric to a demand, fault, cause, link or pool.
// Empty fields select everything.
type Selector struct {
	Demand string
	Fault  string // a fault id ("f1"), or a target all of whose faults are meant
	Cause  string
	Link   string
	Pool   string
}

func (s Selector) String() string {
	var parts []string
	for _, p := range [][2]string{{"demand", s.Demand}, {"fault", s.Fault}, {"cause", s.Cause}, {"link", s.Link}, {"pool", s.Pool}} {
		if p[1] != "" {
			parts = append(parts, p[0]+"="+p[1])
		}
	}
	return strings.Join(parts, ",")
}

// MetricInfo describes one metric that Lookup knows.
type MetricInfo struct {
	Name      string
	Kind      Kind
	Selectors []string // the selectors it accepts
	Doc       string
}

// Metrics lists the metric names for expectations, sorted.
var Metrics = []MetricInfo{
	{"bgp.best_changes", KindCount, []string{"fault"}, "best-path changes (in the faults' spans, or the whole run)"},
	{"bgp.convergence", KindDuration, []string{"fault"}, "same as bgp.convergence.max"},
	{"bgp.convergence.max", KindDuration, []string{"fault"}, "longest inject → last best-path/FIB change"},
	{"bgp.updates", KindCount, []string{"fault"}, "UPDATE messages sent with announcements (in the faults' spans, or the whole run)"},
	{"bgp.withdrawals", KindCount, []string{"fault"}, "withdrawn prefixes sent (in the faults' spans, or the whole run)"},
	{"capacity.dropped", KindBytes, []string{"link", "pool"}, "bytes of load above capacity (sum)"},
	{"capacity.over_seconds", KindDuration, []string{"link", "pool"}, "time with load above capacity (longest of the selected)"},
	{"capacity.peak", KindRatio, []string{"link", "pool"}, "peak utilisation (highest of the selected)"},
	{"converged", KindBool, nil, "no best path still oscillating at the end of the run"},
	{"delivered.bytes", KindBytes, []string{"demand", "fault"}, "bytes delivered"},
	{"detection", KindDuration, []string{"fault"}, "same as detection.max"},
	{"detection.max", KindDuration, []string{"fault"}, "longest inject → first session/BFD down"},
	{"failover", KindDuration, []string{"demand", "fault"}, "same as failover.max"},
	{"failover.max", KindDuration, []string{"demand", "fault"}, "longest failover of an affected demand"},
	{"headroom.min", KindRatio, []string{"fault"}, "least spare capacity on any link or pool at a fault's settled point"},
	{"loss.bytes", KindBytes, []string{"demand", "fault", "cause"}, "bytes offered but not delivered"},
	{"loss.ratio", KindRatio, []string{"demand", "fault", "cause"}, "lost bytes / offered bytes"},
	{"restored", KindBool, []string{"demand", "fault"}, "every affected demand was restored"},
}

// Metric returns the description of a metric name.
func Metric(name string) (MetricInfo, bool) {
	i := sort.Search(len(Metrics), func(i int) bool { return Metrics[i].Name >= name })
	if i < len(Metrics) && Metrics[i].Name == name {
		return Metrics[i], true
	}
	return MetricInfo{}, false
}

// MetricNames returns every metric name, sorted.
func MetricNames() []string {
	out := make([]string, len(Metrics))
	for i, m := range Metrics {
		out[i] = m.Name
	}
	return out
}

// checkSelector reports a selector that the metric does not take.
func (m MetricInfo) checkSelector(sel Selector) error {
	for _, p := range [][2]string{{"demand", sel.Demand}, {"fault", sel.Fault}, {"cause", sel.Cause}, {"link", sel.Link}, {"pool", sel.Pool}} {
		if p[1] == "" {
			continue
		}
		ok := false
		for _, s := range m.Selectors {
			ok = ok || s == p[0]
		}
		if !ok {
			takes := "no selectors"
			if len(m.Selectors) > 0 {
				takes = "only " + strings.Join(m.Selectors, ", ")
			}
			return fmt.Errorf("metric %s does not take a %s selector (it takes %s)", m.Name, p[0], takes)
		}
	}
	if sel.Link != "" && sel.Pool != "" {
		return fmt.Errorf("metric %s: give a link or a pool, not both", m.Name)
	}
	return nil
}

func unknownMetric(name string) error {
	return fmt.Errorf("unknown metric %q; valid metrics: %s", name, strings.Join(MetricNames(), ", "))
}

// Lookup measures metric for the selection. Errors (unknown metric, a
// selector the metric does not take, a demand/fault/link/pool/cause that
// is not in the run) list the valid names.
func (r *Result) Lookup(metric string, sel Selector) (Value, error) {
	m, ok := Metric(metric)
	if !ok {
		return Value{}, unknownMetric(metric)
	}
	if err := m.checkSelector(sel); err != nil {
		return Value{}, err
	}
	faults, err := r.selectFaults(sel.Fault)
	if err != nil {
		return Value{}, err
	}
	demands, err := r.selectDemands(sel.Demand)
	if err != nil {
		return Value{}, err
	}
	if sel.Cause != "" && !isKnownCause(sel.Cause) && sel.Cause != Unattributed && r.Loss.ByCause[sel.Cause] == 0 {
		return Value{}, fmt.Errorf("unknown loss cause %q; valid causes: %s, %s", sel.Cause, strings.Join(Causes, ", "), Unattributed)
	}
	v := Value{Kind: m.Kind, At: -1}
	switch metric {
	case "failover", "failover.max":
		v.Where = "no affected demand"
		first := true
		for _, fi := range faults {
			f := &r.Faults[fi]
			for _, fo := range f.Failovers {
				if !demands[fo.Demand] {
					continue
				}
				where := "demand " + fo.Demand + " after " + f.Label() + " at " + FormatDuration(f.At)
				switch {
				case !fo.Restored:
					if !v.Never() {
						v = Value{Kind: KindNotRestored, Note: "not restored", At: f.At, Where: where + ": " + fo.Reason}
					}
				case v.Never():
				case first || float64(fo.Failover) > v.N:
					v = Value{Kind: KindDuration, N: float64(fo.Failover), At: fo.RestoredAt, Where: where}
				}
				first = false
			}
		}
	case "restored":
		v.N, v.Where = 1, "every affected demand restored"
		for _, fi := range faults {
			f := &r.Faults[fi]
			for _, fo := range f.Failovers {
				if demands[fo.Demand] && !fo.Restored && v.N == 1 {
					v.N, v.At = 0, f.At
					v.Where = "demand " + fo.Demand + " not restored after " + f.Label() + ": " + fo.Reason
				}
			}
		}
	case "detection", "detection.max":
		v.Where = "no fault"
		for k, fi := range faults {
			f := &r.Faults[fi]
			switch {
			case !f.Detected:
				if !v.Never() {
					v = Value{Kind: KindNotRestored, Note: "not detected", At: f.At, Where: f.Label() + " at " + FormatDuration(f.At)}
				}
			case v.Never():
			case k == 0 || float64(f.Detection) > v.N:
				v = Value{Kind: KindDuration, N: float64(f.Detection), At: f.DetectedBy.T,
					Where: f.Label() + " detected by " + f.DetectedBy.Kind + " " + f.DetectedBy.Subject + " at " + f.DetectedBy.Router}
			}
		}
	case "bgp.convergence", "bgp.convergence.max":
		v.Where = "no fault"
		for k, fi := range faults {
			f := &r.Faults[fi]
			switch {
			case !f.Converged:
				if !v.Never() {
					v = Value{Kind: KindNotRestored, Note: "not converged", At: f.At, Where: f.Label() + ": best paths still oscillating"}
				}
			case v.Never():
			case k == 0 || float64(f.Convergence) > v.N:
				v = Value{Kind: KindDuration, N: float64(f.Convergence), At: f.LastChange, Where: f.Label() + " at " + FormatDuration(f.At)}
			}
		}
	case "bgp.updates", "bgp.withdrawals", "bgp.best_changes":
		c := r.Churn
		v.Where = "whole run"
		if sel.Fault != "" {
			c = Churn{}
			var labels []string
			for _, fi := range faults {
				c.add(r.Faults[fi].Churn)
				labels = append(labels, r.Faults[fi].Label())
			}
			v.Where = "after " + strings.Join(labels, ", ")
		}
		v.N = float64(map[string]int64{"bgp.updates": c.Updates, "bgp.withdrawals": c.Withdrawals, "bgp.best_changes": c.BestChanges}[metric])
	case "loss.bytes", "loss.ratio", "delivered.bytes":
		var l Loss
		for _, d := range r.Demands {
			if !demands[d.Name] {
				continue
			}
			if sel.Fault == "" {
				l.add(d.Loss)
				continue
			}
			for _, fi := range faults {
				l.add(d.Windows[fi])
			}
		}
		lost := l.Lost
		if sel.Cause != "" {
			lost = l.ByCause[sel.Cause]
		}
		switch metric {
		case "loss.bytes":
			v.N = lost
		case "delivered.bytes":
			v.N = l.Delivered
		default:
			if l.Offered > 0 {
				v.N = lost / l.Offered
			}
		}
		v.Where = r.lossWhere(sel, faults)
	case "capacity.peak", "capacity.over_seconds", "capacity.dropped":
		caps, err := r.selectCapacity(sel)
		if err != nil {
			return Value{}, err
		}
		v.Where = "no link or pool"
		for k, c := range caps {
			where := c.Kind + " " + c.Name
			switch metric {
			case "capacity.peak":
				if k == 0 || c.Peak > v.N {
					v.N, v.At, v.Where = c.Peak, c.PeakAt, where
				}
			case "capacity.over_seconds":
				if k == 0 || float64(c.Over) > v.N {
					v.N, v.Where = float64(c.Over), where
				}
			default:
				v.N += c.Dropped
				if len(caps) == 1 {
					v.Where = where
				} else {
					v.Where = fmt.Sprintf("%d links and pools", len(caps))
				}
			}
		}
	case "headroom.min":
		v.Where = "no fault"
		first := true
		for _, fi := range faults {
			f := &r.Faults[fi]
			if f.HeadroomKnown && (first || f.Headroom < v.N) {
				v.N, v.At, v.Where = f.Headroom, f.HeadroomAt, f.HeadroomOn+" after "+f.Label()
				first = false
			}
		}
		if first && len(faults) > 0 {
			v.N, v.Where = 1, "no loaded link or pool"
		}
	case "converged":
		v.N, v.Where = 1, "no oscillating prefix"
		if len(r.Oscillations) > 0 {
			o := r.Oscillations[0]
			v.N, v.At = 0, o.First
			v.Where = fmt.Sprintf("%d prefixes oscillating, first %s at %s (%d changes)", len(r.Oscillations), o.Prefix, o.Router, o.Changes)
		}
	default:
		return Value{}, fmt.Errorf("metric %s: not implemented", metric) // unreachable: Metrics lists only these
	}
	if v.Kind != KindNotRestored && (math.IsNaN(v.N) || math.IsInf(v.N, 0)) {
		v.N = 0
	}
	return v, nil
}

func (r *Result) lossWhere(sel Selector, faults []int) string {
	var parts []string
	if sel.Demand != "" {
		parts = append(parts, "demand "+sel.Demand)
	} else {
		parts = append(parts, "all demands")
	}
	if sel.Cause != "" {
		parts = append(parts, "cause "+sel.Cause)
	}
	if sel.Fault != "" {
		var labels []string
		for _, fi := range faults {
			labels = append(labels, r.Faults[fi].Label())
		}
		parts = append(parts, "window of "+strings.Join(labels, ", "))
	}
	return strings.Join(parts, ", ")
}

// selectFaults returns the indices of the faults the selector names: by id,
// else every fault on that target.
func (r *Result) selectFaults(sel string) ([]int, error) {
	var out []int
	for i, f := range r.Faults {
		if sel == "" || f.ID == sel {
			out = append(out, i)
		}
	}
	if sel != "" && len(out) == 0 {
		for i, f := range r.Faults {
			if f.Target == sel {
				out = append(out, i)
			}
		}
	}
	if sel != "" && len(out) == 0 {
		var names []string
		for _, f := range r.Faults {
			names = append(names, f.Label())
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("unknown fault %q: the run injected no fault", sel)
		}
		return nil, fmt.Errorf("unknown fault %q; faults: %s", sel, strings.Join(names, ", "))
	}
	return out, nil
}

func (r *Result) selectDemands(sel string) (map[string]bool, error) {
	out := map[string]bool{}
	var names []string
	for _, d := range r.Demands {
		names = append(names, d.Name)
		if sel == "" || d.Name == sel {
			out[d.Name] = true
		}
	}
	if sel != "" && len(out) == 0 {
		return nil, fmt.Errorf("unknown demand %q; demands: %s", sel, strings.Join(names, ", "))
	}
	return out, nil
}

func (r *Result) selectCapacity(sel Selector) ([]Capacity, error) {
	switch {
	case sel.Link != "":
		for _, c := range r.Links {
			if c.Name == sel.Link {
				return []Capacity{c}, nil
			}
		}
		return nil, fmt.Errorf("unknown link %q; links with load: %s", sel.Link, names(r.Links))
	case sel.Pool != "":
		for _, c := range r.Pools {
			if c.Name == sel.Pool {
				return []Capacity{c}, nil
			}
		}
		return nil, fmt.Errorf("unknown pool %q; pools: %s", sel.Pool, names(r.Pools))
	}
	return append(append([]Capacity(nil), r.Links...), r.Pools...), nil
}

func names(cs []Capacity) string {
	if len(cs) == 0 {
		return "(none)"
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return strings.Join(out, ", ")
}
