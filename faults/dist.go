package faults

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/netdrill/netdrill/sim"
)

// DistFamily names the family of a Dist.
type DistFamily uint8

// The distribution families. DistNone is the zero Dist: no distribution given.
const (
	DistNone        DistFamily = iota
	DistExponential            // exp(MEAN)
	DistWeibull                // weibull(k=SHAPE, scale=DURATION)
	DistLogNormal              // lognormal(median=DURATION, sigma=S)
	DistFixed                  // fixed(DURATION)
)

func (f DistFamily) String() string {
	switch f {
	case DistExponential:
		return "exp"
	case DistWeibull:
		return "weibull"
	case DistLogNormal:
		return "lognormal"
	case DistFixed:
		return "fixed"
	}
	return "none"
}

// Dist is a distribution of durations, used for times between failures
// (MTBF) and times to repair (MTTR). It is a plain comparable value: two Dists
// are == exactly when they describe the same distribution in the same
// canonical form, and String/ParseDist round-trip exactly.
//
// The families and their text forms (as written in TOML; durations are Go
// duration strings, "8760h" is a year):
//
//	exp(8760h)                          exponential with that mean; also exp(mean=8760h)
//	weibull(k=1.5, scale=8000h)         Weibull with shape k and scale λ (k<1: infant
//	                                    mortality, k=1: exponential, k>1: wear-out);
//	                                    mean λ·Γ(1+1/k)
//	lognormal(median=4h, sigma=0.8)     log-normal: ln(X) is normal with σ = sigma and
//	                                    μ = ln(median); mean median·exp(σ²/2)
//	lognormal(mu=9.575, sigma=0.8)      the same with μ given directly, as the natural
//	                                    log of the median *in seconds* (e^9.575 s ≈ 4h)
//	lognormal(mean=5.5h, sigma=0.8)     the same with the mean given: median = mean·exp(−σ²/2)
//	fixed(2h)                           always exactly that duration
//
// Family names are case-insensitive ("exponential" and "log-normal" are
// accepted too); parameters of two-parameter families must be named. A
// log-normal is stored by its median rounded to the nanosecond, so String
// always prints the median form.
//
// Sampling goes through gonum's distuv with Src set to the caller's source;
// Dist never touches the global generator. Every sample is rounded to the
// nanosecond and clamped to [1ns, sim.Never]: a zero duration would read as
// "never repaired" in a Fault, and a zero time between failures could repeat
// a failure at the same instant forever.
type Dist struct {
	family DistFamily
	d      sim.Time // exp: mean; weibull: scale; lognormal: median; fixed: value
	shape  float64  // weibull: k; lognormal: sigma
}

// ExpDist is the exponential distribution with the given mean (> 0).
func ExpDist(mean sim.Time) Dist { return Dist{family: DistExponential, d: mean} }

// WeibullDist is the Weibull distribution with shape k (> 0) and scale (> 0).
func WeibullDist(k float64, scale sim.Time) Dist {
	return Dist{family: DistWeibull, d: scale, shape: k}
}

// LogNormalDist is the log-normal distribution with the given median (> 0,
// so μ = ln(median)) and σ (> 0) of the underlying normal.
func LogNormalDist(median sim.Time, sigma float64) Dist {
	return Dist{family: DistLogNormal, d: median, shape: sigma}
}

// FixedDist always yields d (> 0).
func FixedDist(d sim.Time) Dist { return Dist{family: DistFixed, d: d} }

// Family reports the distribution family.
func (d Dist) Family() DistFamily { return d.family }

// IsZero reports whether no distribution was given (the zero Dist).
func (d Dist) IsZero() bool { return d == Dist{} }

// Check reports whether d is a usable distribution; the zero Dist is not.
func (d Dist) Check() error {
	pos := func(what string, v sim.Time) error {
		if v <= 0 {
			return fmt.Errorf("%s: %s must be a positive duration, got %v", d.family, what, v)
		}
		return nil
	}
	posf := func(what string, v float64) error {
		if !(v > 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%s: %s must be a positive number, got %v", d.family, what, v)
		}
		return nil
	}
	switch d.family {
	case DistExponential:
		return pos("mean", d.d)
	case DistWeibull:
		return errors.Join(posf("k", d.shape), pos("scale", d.d))
	case DistLogNormal:
		return errors.Join(pos("median", d.d), posf("sigma", d.shape))
	case DistFixed:
		return pos("duration", d.d)
	}
	return errors.New("no distribution given; " + stochDistWant)
}

// stochMoments is what Dist reads from a distuv distribution.
type stochMoments interface {
	Mean() float64
	StdDev() float64
}

// moments returns the distuv distribution behind d, in nanoseconds, for its
// moments only: it has no Src and must never be sampled (draws go through
// stochSampler, which always sets Src). ok is false for fixed and invalid
// Dists.
func (d Dist) moments() (m stochMoments, ok bool) {
	if d.Check() != nil {
		return nil, false
	}
	switch d.family {
	case DistExponential:
		return distuv.Exponential{Rate: 1 / float64(d.d)}, true
	case DistWeibull:
		return distuv.Weibull{K: d.shape, Lambda: float64(d.d)}, true
	case DistLogNormal:
		return distuv.LogNormal{Mu: math.Log(float64(d.d)), Sigma: d.shape}, true
	}
	return nil, false
}

// Mean returns the distribution's mean, rounded to the nanosecond and
// saturated at sim.Never (a Weibull with a tiny k or a log-normal with a large
// σ can have a mean beyond int64 nanoseconds). It is 0 for an invalid Dist.
func (d Dist) Mean() sim.Time {
	if d.family == DistFixed && d.Check() == nil {
		return d.d
	}
	g, ok := d.moments()
	if !ok {
		return 0
	}
	return stochClampTime(g.Mean(), 0)
}

// Median returns the distribution's median, rounded to the nanosecond
// (exp: mean·ln 2; Weibull: scale·(ln 2)^(1/k); log-normal: its median;
// fixed: its value); 0 for an invalid Dist. With Mean it bounds how many
// draws a heavy-tailed distribution makes in a span.
func (d Dist) Median() sim.Time {
	if d.Check() != nil {
		return 0
	}
	switch d.family {
	case DistExponential:
		return stochClampTime(float64(d.d)*math.Ln2, 0)
	case DistWeibull:
		return stochClampTime(float64(d.d)*math.Pow(math.Ln2, 1/d.shape), 0)
	}
	return d.d
}

// StdDev returns the distribution's standard deviation, like Mean rounded and
// saturated; 0 for fixed and invalid Dists.
func (d Dist) StdDev() sim.Time {
	g, ok := d.moments()
	if !ok {
		return 0
	}
	return stochClampTime(g.StdDev(), 0)
}

// Rand draws one duration from d using src, in [1ns, sim.Never]. It panics if
// src is nil (distuv would silently use the global generator) or d is
// invalid; check user input with Check or ParseDist first. Cost: usually one
// value from src (the exponential and normal samplers occasionally take
// more), no allocation.
func (d Dist) Rand(src rand.Source) sim.Time {
	if src == nil {
		panic("faults: Dist.Rand with a nil source")
	}
	if err := d.Check(); err != nil {
		panic("faults: Dist.Rand: " + err.Error())
	}
	s := stochSamplerOf(d)
	return s.draw(src)
}

// stochSampler is a Dist with its gonum parameters computed once, so the hot
// path (StochasticSchedule.Next) builds a distuv value on the stack per draw
// and never allocates.
type stochSampler struct {
	family DistFamily
	a, b   float64 // exp: rate; weibull: k, λ; lognormal: μ, σ (all in ns)
	fixed  sim.Time
}

func stochSamplerOf(d Dist) stochSampler {
	s := stochSampler{family: d.family, fixed: d.d}
	switch d.family {
	case DistExponential:
		s.a = 1 / float64(d.d)
	case DistWeibull:
		s.a, s.b = d.shape, float64(d.d)
	case DistLogNormal:
		s.a, s.b = math.Log(float64(d.d)), d.shape
	}
	return s
}

func (s *stochSampler) draw(src rand.Source) sim.Time {
	var x float64
	switch s.family {
	case DistExponential:
		x = distuv.Exponential{Rate: s.a, Src: src}.Rand()
	case DistWeibull:
		x = distuv.Weibull{K: s.a, Lambda: s.b, Src: src}.Rand()
	case DistLogNormal:
		x = distuv.LogNormal{Mu: s.a, Sigma: s.b, Src: src}.Rand()
	default:
		return s.fixed
	}
	return stochClampTime(x, 1)
}

// stochClampTime rounds x nanoseconds to a sim.Time in [lo, sim.Never].
func stochClampTime(x float64, lo sim.Time) sim.Time {
	switch {
	case x != x: // NaN
		return sim.Never
	case x >= float64(sim.Never):
		return sim.Never
	case x < float64(lo):
		return lo
	}
	return sim.Time(math.Round(x))
}

// String returns the canonical text form, which ParseDist reads back to an
// identical Dist: "exp(8760h)", "weibull(k=1.5, scale=8000h)",
// "lognormal(median=4h, sigma=0.8)", "fixed(2h)"; "none" for the zero Dist.
func (d Dist) String() string {
	k := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	switch d.family {
	case DistExponential:
		return "exp(" + stochFormatTime(d.d) + ")"
	case DistWeibull:
		return "weibull(k=" + k(d.shape) + ", scale=" + stochFormatTime(d.d) + ")"
	case DistLogNormal:
		return "lognormal(median=" + stochFormatTime(d.d) + ", sigma=" + k(d.shape) + ")"
	case DistFixed:
		return "fixed(" + stochFormatTime(d.d) + ")"
	}
	return "none"
}

// stochFormatTime prints t as a Go duration without trailing zero units
// ("8760h", "1h30m", "1m30s"); time.ParseDuration reads it back exactly.
func stochFormatTime(t sim.Time) string {
	s := t.Duration().String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalText writes the canonical form (see String). The zero Dist is an
// error, since "none" would not read back.
func (d Dist) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, errors.New("faults: cannot marshal an empty distribution")
	}
	return []byte(d.String()), nil
}

// UnmarshalText parses the text form (see Dist and ParseDist), so a Dist can
// be a TOML string value.
func (d *Dist) UnmarshalText(text []byte) error {
	v, err := ParseDist(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

const stochDistWant = `want exp(MEAN), weibull(k=SHAPE, scale=DURATION), lognormal(median=DURATION, sigma=S) or fixed(DURATION), for example "exp(8760h)"`

// ParseDist parses a distribution in the text form described at Dist.
// Errors quote the text and say what was expected, for example
//
//	distribution "weibull(k=1.5)": missing scale; want weibull(k=SHAPE, scale=DURATION)
func ParseDist(text string) (Dist, error) {
	d, err := stochParseDist(text)
	if err != nil {
		return Dist{}, fmt.Errorf("distribution %q: %w", text, err)
	}
	return d, nil
}

func stochParseDist(text string) (Dist, error) {
	t := strings.TrimSpace(text)
	open := strings.IndexByte(t, '(')
	if t == "" {
		return Dist{}, errors.New("empty; " + stochDistWant)
	}
	if open < 0 || !strings.HasSuffix(t, ")") {
		return Dist{}, errors.New("not of the form NAME(PARAMETERS); " + stochDistWant)
	}
	name := strings.ToLower(strings.TrimSpace(t[:open]))
	body := t[open+1 : len(t)-1]
	if strings.ContainsAny(body, "()") {
		return Dist{}, errors.New("unbalanced parentheses; " + stochDistWant)
	}
	var fam DistFamily
	switch name {
	case "exp", "exponential":
		fam = DistExponential
	case "weibull":
		fam = DistWeibull
	case "lognormal", "log-normal":
		fam = DistLogNormal
	case "fixed":
		fam = DistFixed
	default:
		return Dist{}, fmt.Errorf("unknown distribution %q; %s", name, stochDistWant)
	}
	want := "want " + stochFamilyWant[fam]
	args, err := stochSplitArgs(body)
	if err != nil {
		return Dist{}, fmt.Errorf("%v; %s", err, want)
	}

	var d Dist
	switch fam {
	case DistExponential, DistFixed:
		key := "mean"
		if fam == DistFixed {
			key = "value"
		}
		if len(args) != 1 || (args[0].key != "" && args[0].key != key) {
			return Dist{}, fmt.Errorf("%s takes one duration; %s", fam, want)
		}
		v, err := stochDuration(args[0].val)
		if err != nil {
			return Dist{}, fmt.Errorf("%v; %s", err, want)
		}
		d = Dist{family: fam, d: v}
	case DistWeibull, DistLogNormal:
		var known map[string]string // alias → canonical parameter
		if fam == DistWeibull {
			known = map[string]string{"k": "k", "shape": "k", "scale": "scale", "lambda": "scale"}
		} else {
			known = map[string]string{"median": "median", "mu": "mu", "mean": "mean", "sigma": "sigma"}
		}
		got := map[string]string{}
		for _, a := range args {
			if a.key == "" {
				return Dist{}, fmt.Errorf("parameters of %s must be named; %s", fam, want)
			}
			c, ok := known[a.key]
			if !ok {
				return Dist{}, fmt.Errorf("unknown parameter %q; %s", a.key, want)
			}
			if _, dup := got[c]; dup {
				return Dist{}, fmt.Errorf("%s given twice; %s", c, want)
			}
			got[c] = a.val
		}
		d.family = fam
		if fam == DistWeibull {
			if err := stochNeed(got, want, "k", "scale"); err != nil {
				return Dist{}, err
			}
			if d.shape, err = stochFloat("k", got["k"]); err != nil {
				return Dist{}, fmt.Errorf("%v; %s", err, want)
			}
			if d.d, err = stochDuration(got["scale"]); err != nil {
				return Dist{}, fmt.Errorf("scale: %v; %s", err, want)
			}
			break
		}
		if err := stochNeed(got, want, "sigma"); err != nil {
			return Dist{}, err
		}
		if d.shape, err = stochFloat("sigma", got["sigma"]); err != nil {
			return Dist{}, fmt.Errorf("%v; %s", err, want)
		}
		var n int
		for _, k := range []string{"median", "mu", "mean"} {
			if _, ok := got[k]; ok {
				n++
			}
		}
		if n != 1 {
			return Dist{}, fmt.Errorf("give exactly one of median, mu or mean; %s", want)
		}
		switch {
		case stochHas(got, "median"):
			if d.d, err = stochDuration(got["median"]); err != nil {
				return Dist{}, fmt.Errorf("median: %v; %s", err, want)
			}
		case stochHas(got, "mean"):
			mean, err := stochDuration(got["mean"])
			if err != nil {
				return Dist{}, fmt.Errorf("mean: %v; %s", err, want)
			}
			if mean <= 0 {
				return Dist{}, fmt.Errorf("lognormal: mean must be a positive duration, got %v; %s", mean, want)
			}
			if err := LogNormalDist(1, d.shape).Check(); err != nil { // sigma first: the median depends on it
				return Dist{}, fmt.Errorf("%v; %s", err, want)
			}
			d.d = stochClampTime(float64(mean)*math.Exp(-d.shape*d.shape/2), 0)
			if d.d <= 0 {
				return Dist{}, fmt.Errorf("mean %v with sigma %v gives a median below 1ns; %s", mean, d.shape, want)
			}
		default:
			mu, err := stochFloat("mu", got["mu"])
			if err != nil {
				return Dist{}, fmt.Errorf("%v (the natural log of the median in seconds); %s", err, want)
			}
			med := math.Exp(mu) * float64(sim.Second)
			if !(med >= 1) || med >= float64(sim.Never) {
				return Dist{}, fmt.Errorf("mu=%v puts the median (e^mu seconds) outside 1ns to 292 years; %s", mu, want)
			}
			d.d = sim.Time(math.Round(med))
		}
	}
	if err := d.Check(); err != nil {
		return Dist{}, fmt.Errorf("%v; %s", err, want)
	}
	return d, nil
}

var stochFamilyWant = map[DistFamily]string{
	DistExponential: "exp(MEAN), for example exp(8760h)",
	DistWeibull:     "weibull(k=SHAPE, scale=DURATION), for example weibull(k=1.5, scale=8000h)",
	DistLogNormal:   "lognormal(median=DURATION, sigma=S) (or mu=LN-SECONDS or mean=DURATION instead of median), for example lognormal(median=4h, sigma=0.8)",
	DistFixed:       "fixed(DURATION), for example fixed(2h)",
}

type stochArg struct{ key, val string }

func stochSplitArgs(body string) ([]stochArg, error) {
	if strings.TrimSpace(body) == "" {
		return nil, errors.New("no parameters")
	}
	var out []stochArg
	for i, p := range strings.Split(body, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("parameter %d is empty", i+1)
		}
		a := stochArg{val: p}
		if k, v, ok := strings.Cut(p, "="); ok {
			a.key, a.val = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
			if a.key == "" || a.val == "" {
				return nil, fmt.Errorf("parameter %q is not KEY=VALUE", p)
			}
		}
		out = append(out, a)
	}
	return out, nil
}

func stochNeed(got map[string]string, want string, keys ...string) error {
	for _, k := range keys {
		if _, ok := got[k]; !ok {
			return fmt.Errorf("missing %s; %s", k, want)
		}
	}
	return nil
}

func stochHas(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// stochDuration parses a Go duration; positivity is Check's job.
func stochDuration(s string) (sim.Time, error) { return sim.ParseTime(s) }

// stochFloat parses a finite number; positivity is Check's job.
func stochFloat(name, s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: want a number, got %q", name, s)
	}
	return v, nil
}
