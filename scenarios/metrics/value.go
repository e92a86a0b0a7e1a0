package metrics

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/netdrill/netdrill/topology"
)

// Kind is what a Value measures.
type Kind int

// Value kinds.
const (
	KindDuration    Kind = iota + 1 // ns
	KindBytes                       // bytes
	KindRatio                       // 0..1 (shown as a percentage)
	KindCount                       // a number of things
	KindBool                        // 1 true, 0 false
	KindRate                        // bits/s
	KindNotRestored                 // the thing never happened: Value.Note says what ("not restored")
)

var kindNames = [...]string{KindDuration: "duration", KindBytes: "bytes", KindRatio: "ratio", KindCount: "count",
	KindBool: "bool", KindRate: "rate", KindNotRestored: "not-restored"}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one measured metric.
type Value struct {
	Kind Kind
	N    float64 // ns, bytes, ratio, count, bits/s, or 1/0 for bool
	// Note is the text of a KindNotRestored value: "not restored",
	// "not detected", "not converged".
	Note string
	// At is when it happened (ns of virtual time), or -1.
	At int64
	// Where says what it is about: "demand replication after f1
	// (facility-down iad-fac-1)".
	Where string
}

// Never reports whether v is a "did not happen" value.
func (v Value) Never() bool { return v.Kind == KindNotRestored }

// Bool returns the value of a KindBool.
func (v Value) Bool() bool { return v.N != 0 }

// String formats v with its unit: "900ms", "2.5 GB", "97.3%", "12",
// "true", "12.5 Gbps", "not restored".
func (v Value) String() string {
	switch v.Kind {
	case KindDuration:
		return FormatDuration(int64(math.Round(v.N)))
	case KindBytes:
		return FormatBytes(v.N)
	case KindRatio:
		return FormatRatio(v.N)
	case KindCount:
		return trimFloat(v.N, 3)
	case KindBool:
		return strconv.FormatBool(v.N != 0)
	case KindRate:
		return FormatRate(v.N)
	case KindNotRestored:
		if v.Note == "" {
			return "not restored"
		}
		return v.Note
	}
	return trimFloat(v.N, 3)
}

// FormatDuration formats ns: "0s", "750ns", "12.5µs", "950ms", "1.25s",
// "2m30.5s" (three decimals at most, trailing zeros trimmed).
func FormatDuration(ns int64) string {
	neg := ""
	a := ns
	if ns < 0 {
		neg, a = "-", -ns
	}
	switch {
	case a == 0:
		return "0s"
	case a < 1_000:
		return neg + strconv.FormatInt(a, 10) + "ns"
	case a < 1_000_000:
		return neg + trimFloat(float64(a)/1e3, 3) + "µs"
	case a < second:
		return neg + trimFloat(float64(a)/1e6, 3) + "ms"
	case a < 60*second:
		return neg + trimFloat(float64(a)/1e9, 3) + "s"
	}
	return neg + time.Duration(a).Round(time.Millisecond).String()
}

// FormatBytes formats decimal sizes: "0 B", "512 B", "1.484 GB".
func FormatBytes(b float64) string {
	return scaled(b, []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"})
}

// FormatRate formats bits/s: "12.5 Gbps".
func FormatRate(bps float64) string {
	return scaled(bps, []string{"bps", "kbps", "Mbps", "Gbps", "Tbps", "Pbps"})
}

func scaled(x float64, units []string) string {
	a := math.Abs(x)
	i := 0
	for i < len(units)-1 && math.Round(a*1000)/1000 >= 1000 {
		a /= 1000
		x /= 1000
		i++
	}
	return trimFloat(x, 3) + " " + units[i]
}

// FormatRatio formats a ratio as a percentage: "97.3%", "100%", "0.042%".
func FormatRatio(r float64) string {
	p := r * 100
	if math.Abs(p) < 1 && p != 0 {
		return trimFloat(p, 3) + "%"
	}
	return trimFloat(p, 1) + "%"
}

// trimFloat formats with at most prec decimals, trailing zeros trimmed.
func trimFloat(f float64, prec int) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// ParseBool parses "true" or "false".
func ParseBool(s string) (float64, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return 1, nil
	case "false":
		return 0, nil
	}
	return 0, fmt.Errorf("invalid boolean %q (want \"true\" or \"false\")", s)
}

// Parse parses unit text for a value of kind k with topology's unit
// grammar (topology/units.go), the one grammar of every netdrill file:
// decimal units, case as documented, binary units and negative
// quantities refused, zero without a unit.
func Parse(k Kind, s string) (float64, error) {
	switch k {
	case KindDuration:
		d, err := topology.ParseDuration(s)
		return float64(d), err
	case KindBytes:
		v, err := topology.ParseSize(s)
		return float64(v), err
	case KindRatio:
		return topology.ParseRatio(s)
	case KindCount:
		return topology.ParseCount(s)
	case KindBool:
		return ParseBool(s)
	case KindRate:
		v, err := topology.ParseBandwidth(s)
		return float64(v), err
	}
	return 0, fmt.Errorf("cannot parse a %s", k)
}
