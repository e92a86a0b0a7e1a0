package scenarios

import (
	"fmt"
	"io"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

// FromTrace recomputes a result from a saved trace, with the same metric
// implementation as Run. If sc is not nil its expectations are evaluated.
func FromTrace(r io.Reader, sc *Scenario) (*Result, error) {
	h, events, err := trace.Read(r)
	if err != nil {
		return nil, fmt.Errorf("reading trace: %w", err)
	}
	settle := DefaultSettle
	res := &Result{Header: h, Events: events}
	if sc != nil {
		res.Scenario = sc
		if sc.Settle > 0 {
			settle = sc.Settle
		}
	} else {
		res.Scenario = &Scenario{Name: h.Scenario, Seed: h.Seed}
	}
	res.Metrics = metrics.Compute(h, events, metrics.Options{SettleWindow: int64(settle)})
	if sc != nil {
		res.Outcomes = metrics.Evaluate(res.Metrics, sc.Expect)
		if err := metrics.Invalid(res.Outcomes); err != nil {
			return nil, err
		}
	}
	return res, nil
}
