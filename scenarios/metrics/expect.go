package metrics

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/netdrill/netdrill/topology"
)

// Expect is one expectation from a scenario file: a metric, selectors and
// bounds written with units ("1s", "2GB", "50%", "10", "true").
type Expect struct {
	Metric                           string
	Demand, Fault, Link, Pool, Cause string
	Min, Max                         string
	// Equal is an exact value; "not restored" (or "not detected", "not
	// converged", "never") expects the thing not to happen.
	Equal string
	Where string // "scenario.toml:23", for messages
}

// Selector returns the expectation's selectors.
func (e Expect) Selector() Selector {
	return Selector{Demand: e.Demand, Fault: e.Fault, Cause: e.Cause, Link: e.Link, Pool: e.Pool}
}

// Name is the expectation as one line, used as the JUnit test case name:
// "failover.max{demand=replication} ≤ 1s".
func (e Expect) Name() string {
	s := e.Metric
	if sel := e.Selector().String(); sel != "" {
		s += "{" + sel + "}"
	}
	if b := e.bounds(); b != "" {
		s += " " + b
	}
	return s
}

func (e Expect) bounds() string {
	switch {
	case e.Equal != "":
		return "= " + e.Equal
	case e.Min != "" && e.Max != "":
		return "in [" + e.Min + ", " + e.Max + "]"
	case e.Min != "":
		return "≥ " + e.Min
	case e.Max != "":
		return "≤ " + e.Max
	}
	if m, ok := Metric(e.Metric); ok && m.Kind == KindBool {
		return "= true"
	}
	return ""
}

// Outcome is the result of one expectation.
type Outcome struct {
	Name     string // Expect.Name()
	Expect   Expect
	Passed   bool
	Expected string // "≤ 1s"
	Measured string // "950ms", "not restored"
	Value    Value
	// Message says what was measured, where, and against what:
	// "failover.max = 1.2s (demand replication after f1 (facility-down
	// iad-fac-1) at 2m0s), expected ≤ 1s [scenario.toml:23]".
	Message string
	At      int64 // when it happened (ns), or -1
	// Err is set when the expectation itself is invalid (unknown metric,
	// bad unit, unknown name): invalid input, not a failed expectation.
	Err error
}

var neverWords = map[string]bool{"not restored": true, "not detected": true, "not converged": true, "never": true}

type bounds struct {
	min, max, eq   float64
	hasMin, hasMax bool
	hasEq, eqNever bool
}

// FieldError is a problem with one field of an expectation: "metric",
// "min", "max" or "equal".
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// Check returns every problem with one expectation, each tagged with the
// field it is about, so a file loader can point at the right key.
func Check(e Expect) []*FieldError {
	e.Where = ""
	_, _, err := e.parse()
	if err == nil {
		return nil
	}
	var out []*FieldError
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		for _, x := range list.Unwrap() {
			var fe *FieldError
			if errors.As(x, &fe) {
				out = append(out, fe)
			} else {
				out = append(out, &FieldError{Field: "metric", Err: x})
			}
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return []*FieldError{{Field: "metric", Err: err}}
}

// signedMetrics are the metrics whose bounds may be negative: headroom is
// negative when something is overloaded.
var signedMetrics = map[string]bool{"headroom.min": true}

// parse checks an expectation without a result: metric name, selectors,
// bounds and their units.
func (e Expect) parse() (MetricInfo, bounds, error) {
	var b bounds
	where := ""
	if e.Where != "" {
		where = e.Where + ": "
	}
	m, ok := Metric(e.Metric)
	if !ok {
		if e.Metric == "" {
			return m, b, fmt.Errorf("%sexpectation without a metric; valid metrics: %s", where, strings.Join(MetricNames(), ", "))
		}
		return m, b, fmt.Errorf("%s%w", where, unknownMetric(e.Metric))
	}
	if err := m.checkSelector(e.Selector()); err != nil {
		return m, b, fmt.Errorf("%s%w", where, err)
	}
	var errs []error
	if e.Cause != "" && e.Cause != Unattributed {
		if _, err := topology.ParseLossCause(e.Cause); err != nil {
			errs = append(errs, &FieldError{Field: "cause", Err: fmt.Errorf("%s%w, %s", where, err, Unattributed)})
		}
	}
	parse := func(field, s string) float64 {
		v, err := Parse(m.Kind, s)
		if signedMetrics[m.Name] {
			v, err = topology.ParseSignedRatio(s)
		}
		if err != nil {
			errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf("%s%s %s: %w", where, e.Metric, field, err)})
		}
		return v
	}
	if e.Equal != "" {
		b.hasEq = true
		if neverWords[strings.ToLower(strings.TrimSpace(e.Equal))] {
			b.eqNever = true
		} else {
			b.eq = parse("equal", e.Equal)
		}
		if e.Min != "" || e.Max != "" {
			errs = append(errs, fmt.Errorf("%s%s: give equal or min/max, not both", where, e.Metric))
		}
	}
	if e.Min != "" {
		b.hasMin, b.min = true, parse("min", e.Min)
	}
	if e.Max != "" {
		b.hasMax, b.max = true, parse("max", e.Max)
	}
	if m.Kind == KindBool && (b.hasMin || b.hasMax) {
		errs = append(errs, fmt.Errorf("%s%s is true or false: use equal, not min/max", where, e.Metric))
	}
	if !b.hasEq && !b.hasMin && !b.hasMax {
		if m.Kind == KindBool {
			b.hasEq, b.eq = true, 1 // "restored" alone means restored = true
		} else {
			errs = append(errs, fmt.Errorf("%s%s: give min, max or equal", where, e.Metric))
		}
	}
	if b.hasMin && b.hasMax && b.min > b.max {
		errs = append(errs, fmt.Errorf("%s%s: min %s is above max %s", where, e.Metric, e.Min, e.Max))
	}
	return m, b, errors.Join(errs...)
}

// Validate checks expectations before a run: metric names, selectors that
// the metric takes, bounds and units. It returns every error (nil if none);
// the runner turns it into exit code 2. Names of demands, faults, links
// and pools are checked by Evaluate, against the run.
func Validate(ex []Expect) error {
	var errs []error
	for _, e := range ex {
		if _, _, err := e.parse(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Invalid returns the errors of outcomes whose expectation was invalid,
// joined, or nil.
func Invalid(outcomes []Outcome) error {
	var errs []error
	for _, o := range outcomes {
		if o.Err != nil {
			errs = append(errs, o.Err)
		}
	}
	return errors.Join(errs...)
}

// AllPassed reports whether every outcome passed.
func AllPassed(outcomes []Outcome) bool {
	for _, o := range outcomes {
		if !o.Passed {
			return false
		}
	}
	return true
}

// Evaluate checks each expectation against the result, in order. An
// invalid expectation gives an Outcome with Err set and Passed false (see
// Invalid). A "never" value (not restored, not detected, not converged)
// fails every numeric bound and passes only equal = "not restored" (or
// "never", …).
func Evaluate(res *Result, ex []Expect) []Outcome {
	out := make([]Outcome, 0, len(ex))
	for _, e := range ex {
		out = append(out, evaluate(res, e))
	}
	return out
}

func evaluate(res *Result, e Expect) Outcome {
	o := Outcome{Name: e.Name(), Expect: e, At: -1, Expected: e.bounds()}
	where := ""
	if e.Where != "" {
		where = " [" + e.Where + "]"
	}
	m, b, err := e.parse()
	if err != nil {
		o.Err = err
		o.Message = err.Error()
		return o
	}
	v, err := res.Lookup(e.Metric, e.Selector())
	if err != nil {
		if e.Where != "" {
			err = fmt.Errorf("%s: %w", e.Where, err)
		}
		o.Err = err
		o.Message = err.Error()
		return o
	}
	o.Value, o.At, o.Measured = v, v.At, v.String()

	var why string
	switch {
	case b.eqNever:
		o.Passed = v.Never()
		if !o.Passed {
			why = "it happened"
		}
	case v.Never():
		why = v.String()
	default:
		o.Passed = true
		if b.hasEq && !equal(m.Kind, v.N, b.eq) {
			o.Passed, why = false, "differs"
		}
		if b.hasMin && v.N < b.min && !equal(m.Kind, v.N, b.min) {
			o.Passed, why = false, "below min "+e.Min
		}
		if b.hasMax && v.N > b.max && !equal(m.Kind, v.N, b.max) {
			o.Passed, why = false, "above max "+e.Max
		}
	}
	ctx := ""
	if v.Where != "" {
		ctx = " (" + v.Where
		if v.At >= 0 {
			ctx += ", at " + FormatDuration(v.At)
		}
		ctx += ")"
	}
	head := e.Metric
	if sel := e.Selector().String(); sel != "" {
		head += "{" + sel + "}"
	}
	if o.Passed {
		o.Message = fmt.Sprintf("%s = %s%s, expected %s: holds", head, o.Measured, ctx, o.Expected)
	} else {
		o.Message = fmt.Sprintf("%s = %s%s, expected %s: %s%s", head, o.Measured, ctx, o.Expected, why, where)
	}
	return o
}

// equal compares with a relative tolerance of 1e-9 (exact for counts and
// booleans), so "2GB" equals a measured 2e9 computed by integration.
func equal(k Kind, a, b float64) bool {
	if k == KindCount || k == KindBool {
		return a == b
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
