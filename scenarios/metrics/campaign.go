package metrics

import (
	"errors"
	"fmt"
	"strings"
)

// CampaignExpect is one expectation over a chaos campaign (a
// `[[campaign.expect]]` table): a campaign metric, an optional demand, the
// threshold `over` of p_failover_over, and bounds with units.
type CampaignExpect struct {
	Metric   string
	Demand   string
	Over     string // p_failover_over only: "1s"
	Min, Max string
	Where    string // "scenario.toml:23", for messages
}

// CampaignMetric describes a campaign metric.
type CampaignMetric struct {
	Name   string
	Kind   Kind
	Demand bool // takes a demand selector (without one: the worst demand)
	Over   bool // needs over
	Doc    string
}

// CampaignMetrics are the metrics a campaign expectation can name, sorted.
// The definitions (what a trial measures, how trials are pooled, which
// interval) are in scenarios/chaos's package doc.
var CampaignMetrics = []CampaignMetric{
	{"availability", KindRatio, true, false, "mean over trials of the fraction of time the demand is fully delivered (worst demand without a selector)"},
	{"downtime", KindDuration, true, false, "(1 − availability) × one year: downtime per year"},
	{"failover.max", KindDuration, false, false, "longest failover of any affected demand in any trial"},
	{"failover.p50", KindDuration, false, false, "median failover over every restored failover of every trial"},
	{"failover.p90", KindDuration, false, false, "90th percentile failover"},
	{"failover.p99", KindDuration, false, false, "99th percentile failover"},
	{"p_failover_over", KindRatio, false, true, "share of failovers (affected demand × fault) not restored within `over`"},
}

// LookupCampaignMetric returns the description of a campaign metric.
func LookupCampaignMetric(name string) (CampaignMetric, bool) {
	for _, m := range CampaignMetrics {
		if m.Name == name {
			return m, true
		}
	}
	return CampaignMetric{}, false
}

// CampaignMetricNames lists the campaign metrics.
func CampaignMetricNames() []string {
	out := make([]string, len(CampaignMetrics))
	for i, m := range CampaignMetrics {
		out[i] = m.Name
	}
	return out
}

// Name is the expectation as one line, the JUnit test case name:
// "availability{demand=replication} ≥ 99.99%".
func (e CampaignExpect) Name() string {
	s := e.Metric
	var sel []string
	if e.Demand != "" {
		sel = append(sel, "demand="+e.Demand)
	}
	if e.Over != "" {
		sel = append(sel, "over="+e.Over)
	}
	if len(sel) > 0 {
		s += "{" + strings.Join(sel, ",") + "}"
	}
	switch {
	case e.Min != "" && e.Max != "":
		s += " in [" + e.Min + ", " + e.Max + "]"
	case e.Min != "":
		s += " ≥ " + e.Min
	case e.Max != "":
		s += " ≤ " + e.Max
	}
	return s
}

// CampaignBounds are a campaign expectation's parsed bounds (in the
// metric's unit: ratio or ns) and its over threshold (ns).
type CampaignBounds struct {
	Min, Max       float64
	HasMin, HasMax bool
	Over           int64
}

// ParseCampaign checks a campaign expectation — metric, selectors, bounds
// and units — and returns its bounds; every problem is a *FieldError
// naming its key ("metric", "demand", "over", "min", "max").
func ParseCampaign(e CampaignExpect) (CampaignMetric, CampaignBounds, []*FieldError) {
	var b CampaignBounds
	var errs []*FieldError
	add := func(field string, err error) { errs = append(errs, &FieldError{Field: field, Err: err}) }
	m, ok := LookupCampaignMetric(e.Metric)
	if !ok {
		if e.Metric == "" {
			add("metric", fmt.Errorf("missing metric; campaign metrics: %s", strings.Join(CampaignMetricNames(), ", ")))
		} else {
			add("metric", fmt.Errorf("unknown campaign metric %q; campaign metrics: %s", e.Metric, strings.Join(CampaignMetricNames(), ", ")))
		}
		return m, b, errs
	}
	if e.Demand != "" && !m.Demand {
		add("demand", fmt.Errorf("%s does not take a demand selector", m.Name))
	}
	switch {
	case m.Over && e.Over == "":
		add("over", fmt.Errorf(`%s needs over, the failover time it counts beyond, e.g. over = "1s"`, m.Name))
	case !m.Over && e.Over != "":
		add("over", fmt.Errorf("%s does not take over (only p_failover_over does)", m.Name))
	case m.Over:
		v, err := Parse(KindDuration, e.Over)
		if err != nil {
			add("over", err)
		}
		b.Over = int64(v)
	}
	if e.Min != "" {
		v, err := Parse(m.Kind, e.Min)
		if err != nil {
			add("min", fmt.Errorf("%s min: %w", m.Name, err))
		}
		b.Min, b.HasMin = v, true
	}
	if e.Max != "" {
		v, err := Parse(m.Kind, e.Max)
		if err != nil {
			add("max", fmt.Errorf("%s max: %w", m.Name, err))
		}
		b.Max, b.HasMax = v, true
	}
	if !b.HasMin && !b.HasMax {
		add("metric", errors.New(m.Name+": give min or max"))
	}
	if b.HasMin && b.HasMax && b.Min > b.Max {
		add("min", fmt.Errorf("%s: min %s is above max %s", m.Name, e.Min, e.Max))
	}
	return m, b, errs
}
