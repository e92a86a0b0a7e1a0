package scenarios

import (
	"fmt"
	"io"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
)

// FromTrace recomputes a result from a saved trace, with the same metric
// implementation as Run, reading it one event at a time (a long trace is
// never held in memory). If sc is not nil its expectations are evaluated.
// A truncated or corrupt trace is an error that names the line.
func FromTrace(r io.Reader, sc *Scenario) (*Result, error) {
	tr, err := trace.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("reading trace: %w", err)
	}
	h := tr.Header()
	settle := h.SettleNS
	if sc != nil && sc.Settle > 0 {
		settle = int64(sc.Settle)
	}
	b := metrics.NewBuilder(h, metrics.Options{SettleWindow: settle})
	for {
		e, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading trace: %w", err)
		}
		b.Apply(e)
	}
	res := &Result{Header: h, Metrics: b.Result()}
	if sc != nil {
		res.Scenario = sc
		res.Outcomes = metrics.Evaluate(res.Metrics, sc.Expect)
		if err := metrics.Invalid(res.Outcomes); err != nil {
			return nil, err
		}
	} else {
		res.Scenario = &Scenario{Name: h.Scenario, Seed: h.Seed}
	}
	return res, nil
}
