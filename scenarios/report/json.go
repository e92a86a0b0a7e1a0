package report

import (
	"encoding/json"
	"math"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// ReportFormat is the "format" of report.json.
const ReportFormat = "netdrill-report/1"

// JSONReport is the document JSON writes. Times are ns of virtual time,
// rates bits/s, amounts bytes, ratios 0..1. A duration that never happened
// (not detected, not restored, not converged) is null, never a number.
type JSONReport struct {
	Format         string            `json:"format"`
	Scenario       string            `json:"scenario"`
	Seed           uint64            `json:"seed"`
	Netdrill       string            `json:"netdrill"`
	EndNS          int64             `json:"end_ns"`
	SettleWindowNS int64             `json:"settle_window_ns"`
	Passed         bool              `json:"passed"`
	Converged      bool              `json:"converged"`
	Loss           JSONLoss          `json:"loss"`
	BaselineLoss   JSONLoss          `json:"baseline_loss"`
	Churn          JSONChurn         `json:"churn"`
	Faults         []JSONFault       `json:"faults"`
	Demands        []JSONDemand      `json:"demands"`
	Links          []JSONCapacity    `json:"links"`
	Pools          []JSONCapacity    `json:"pools"`
	Oscillations   []JSONOscillation `json:"oscillations"`
	Expectations   []JSONOutcome     `json:"expectations"`
}

// JSONLoss is an amount of traffic.
type JSONLoss struct {
	OfferedBytes   float64            `json:"offered_bytes"`
	DeliveredBytes float64            `json:"delivered_bytes"`
	LostBytes      float64            `json:"lost_bytes"`
	ByCause        map[string]float64 `json:"by_cause"` // encoding/json sorts the keys
}

// JSONChurn counts BGP activity.
type JSONChurn struct {
	Updates           int64 `json:"updates"`
	AnnouncedPrefixes int64 `json:"announced_prefixes"`
	Withdrawals       int64 `json:"withdrawals"`
	WithdrawMessages  int64 `json:"withdraw_messages"`
	BestChanges       int64 `json:"best_changes"`
	FIBChanges        int64 `json:"fib_changes"`
}

// JSONFault is one fault's metrics.
type JSONFault struct {
	ID            string         `json:"id"`
	Kind          string         `json:"kind"`
	Target        string         `json:"target"`
	Links         []string       `json:"links"`
	Routers       []string       `json:"routers"`
	AtNS          int64          `json:"at_ns"`
	WindowEndNS   int64          `json:"window_end_ns"`
	RepairNS      *int64         `json:"repair_ns"`
	DetectionNS   *int64         `json:"detection_ns"`
	DetectedBy    *JSONDetection `json:"detected_by"`
	ConvergenceNS *int64         `json:"convergence_ns"`
	Churn         JSONChurn      `json:"churn"`
	Failovers     []JSONFailover `json:"failovers"`
	Loss          JSONLoss       `json:"loss"`
	Headroom      *float64       `json:"headroom"`
	HeadroomOn    string         `json:"headroom_on,omitempty"`
}

// JSONDetection is the event that detected a fault.
type JSONDetection struct {
	TNS     int64  `json:"t_ns"`
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Router  string `json:"router"`
	Peer    string `json:"peer"`
	State   string `json:"state"`
	Reason  string `json:"reason"`
	Match   string `json:"match"`
}

// JSONFailover is one affected demand after one fault.
type JSONFailover struct {
	Demand       string  `json:"demand"`
	Restored     bool    `json:"restored"`
	FailoverNS   *int64  `json:"failover_ns"`
	RestoredAtNS *int64  `json:"restored_at_ns"`
	Reason       string  `json:"reason,omitempty"`
	DropAtNS     int64   `json:"drop_at_ns"`
	BeforeBPS    float64 `json:"before_bps"`
	LowestBPS    float64 `json:"lowest_bps"`
	TargetBPS    float64 `json:"target_bps"`
	OfferedBPS   float64 `json:"offered_bps"`
}

// JSONDemand is one demand's traffic.
type JSONDemand struct {
	Name     string     `json:"name"`
	Loss     JSONLoss   `json:"loss"`
	Baseline JSONLoss   `json:"baseline"`
	Windows  []JSONLoss `json:"windows"` // per fault, aligned with faults
}

// JSONCapacity is one link's or pool's capacity metrics.
type JSONCapacity struct {
	Name            string  `json:"name"`
	Peak            float64 `json:"peak"`
	PeakAtNS        int64   `json:"peak_at_ns"`
	PeakLoadBPS     float64 `json:"peak_load_bps"`
	PeakCapacityBPS float64 `json:"peak_capacity_bps"`
	PeakBackground  float64 `json:"peak_background_bps,omitempty"`
	OverNS          int64   `json:"over_ns"`
	DroppedBytes    float64 `json:"dropped_bytes"`
}

// JSONOscillation is a prefix whose best path kept cycling.
type JSONOscillation struct {
	Router  string   `json:"router"`
	Prefix  string   `json:"prefix"`
	Changes int      `json:"changes"`
	FirstNS int64    `json:"first_ns"`
	LastNS  int64    `json:"last_ns"`
	States  []string `json:"states"`
}

// JSONOutcome is one expectation's outcome.
type JSONOutcome struct {
	Name     string `json:"name"`
	Metric   string `json:"metric"`
	Passed   bool   `json:"passed"`
	Invalid  bool   `json:"invalid,omitempty"`
	Expected string `json:"expected"`
	Measured string `json:"measured"`
	Message  string `json:"message"`
	AtNS     *int64 `json:"at_ns"`
	Where    string `json:"where,omitempty"`
}

// Build converts a result and outcomes into the report document.
func Build(res *metrics.Result, outcomes []metrics.Outcome) JSONReport {
	r := JSONReport{
		Format: ReportFormat, Scenario: res.Scenario, Seed: res.Seed, Netdrill: res.Netdrill,
		EndNS: res.End, SettleWindowNS: res.Options.SettleWindow,
		Passed: metrics.AllPassed(outcomes), Converged: res.Converged(),
		Loss: jloss(res.Loss), BaselineLoss: jloss(res.Baseline), Churn: jchurn(res.Churn),
		Faults: []JSONFault{}, Demands: []JSONDemand{}, Links: jcaps(res.Links), Pools: jcaps(res.Pools),
		Oscillations: []JSONOscillation{}, Expectations: []JSONOutcome{},
	}
	for _, f := range res.Faults {
		jf := JSONFault{
			ID: f.ID, Kind: f.Kind, Target: f.Target, Links: nonNil(f.Links), Routers: nonNil(f.Routers),
			AtNS: f.At, WindowEndNS: f.End, Churn: jchurn(f.Churn), Loss: jloss(f.Loss), Failovers: []JSONFailover{},
		}
		if f.Repaired {
			jf.RepairNS = ptr(f.RepairAt)
		}
		if f.Detected {
			d := f.DetectedBy
			jf.DetectionNS = ptr(f.Detection)
			jf.DetectedBy = &JSONDetection{d.T, d.Kind, d.Subject, d.Router, d.Peer, d.State, d.Reason, d.Match}
		}
		if f.Converged {
			jf.ConvergenceNS = ptr(f.Convergence)
		}
		if f.HeadroomKnown {
			jf.Headroom, jf.HeadroomOn = ptr(finite(f.Headroom)), f.HeadroomOn
		}
		for _, fo := range f.Failovers {
			jfo := JSONFailover{Demand: fo.Demand, Restored: fo.Restored, Reason: fo.Reason, DropAtNS: fo.DropAt,
				BeforeBPS: fo.Before, LowestBPS: fo.Lowest, TargetBPS: fo.Target, OfferedBPS: fo.Offered}
			if fo.Restored {
				jfo.FailoverNS, jfo.RestoredAtNS = ptr(fo.Failover), ptr(fo.RestoredAt)
			}
			jf.Failovers = append(jf.Failovers, jfo)
		}
		r.Faults = append(r.Faults, jf)
	}
	for _, d := range res.Demands {
		jd := JSONDemand{Name: d.Name, Loss: jloss(d.Loss), Baseline: jloss(d.Baseline), Windows: []JSONLoss{}}
		for _, w := range d.Windows {
			jd.Windows = append(jd.Windows, jloss(w))
		}
		r.Demands = append(r.Demands, jd)
	}
	for _, o := range res.Oscillations {
		r.Oscillations = append(r.Oscillations, JSONOscillation{o.Router, o.Prefix, o.Changes, o.First, o.Last, nonNil(o.States)})
	}
	for _, o := range outcomes {
		jo := JSONOutcome{Name: o.Name, Metric: o.Expect.Metric, Passed: o.Passed, Invalid: o.Err != nil,
			Expected: o.Expected, Measured: o.Measured, Message: o.Message, Where: o.Expect.Where}
		if o.At >= 0 && o.Err == nil {
			jo.AtNS = ptr(o.At)
		}
		r.Expectations = append(r.Expectations, jo)
	}
	return r
}

// JSON returns report.json: Build, indented, with a final newline.
func JSON(res *metrics.Result, outcomes []metrics.Outcome) []byte {
	b, err := json.MarshalIndent(Build(res, outcomes), "", "  ")
	if err != nil {
		// Only non-finite floats could fail, and finite() removes them.
		panic("report: " + err.Error())
	}
	return append(b, '\n')
}

func jloss(l metrics.Loss) JSONLoss {
	j := JSONLoss{OfferedBytes: finite(l.Offered), DeliveredBytes: finite(l.Delivered), LostBytes: finite(l.Lost), ByCause: map[string]float64{}}
	for c, v := range l.ByCause {
		if v != 0 {
			j.ByCause[c] = finite(v)
		}
	}
	return j
}

func jchurn(c metrics.Churn) JSONChurn {
	return JSONChurn{c.Updates, c.AnnouncedPrefixes, c.Withdrawals, c.WithdrawMsgs, c.BestChanges, c.FIBChanges}
}

func jcaps(cs []metrics.Capacity) []JSONCapacity {
	out := []JSONCapacity{}
	for _, c := range cs {
		out = append(out, JSONCapacity{c.Name, finite(c.Peak), c.PeakAt, finite(c.PeakLoad), finite(c.PeakCapacity),
			finite(c.PeakBackground), c.Over, finite(c.Dropped)})
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
