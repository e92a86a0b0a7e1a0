package topology

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Bandwidth is a rate in bits per second. Its text form is a decimal number
// and a unit: "100kbps", "400Mbps", "10Gbps", "1.5Tbps" (SI, powers of 1000).
type Bandwidth float64

// Common bandwidths.
const (
	BitPerSecond Bandwidth = 1
	Kbps                   = 1e3 * BitPerSecond
	Mbps                   = 1e6 * BitPerSecond
	Gbps                   = 1e9 * BitPerSecond
	Tbps                   = 1e12 * BitPerSecond
)

type unit struct {
	name string
	mult float64
}

// Largest first, so that formatting picks the largest exact unit.
var bandwidthUnits = []unit{{"Tbps", 1e12}, {"Gbps", 1e9}, {"Mbps", 1e6}, {"kbps", 1e3}, {"bps", 1}}

// ParseBandwidth parses "10Gbps" and the like. Units: bps, kbps (or Kbps),
// Mbps, Gbps, Tbps. Negative values, NaN and infinities are errors.
func ParseBandwidth(s string) (Bandwidth, error) {
	v, err := parseUnit(s, bandwidthUnits, map[string]string{"Kbps": "kbps"}, "bandwidth", `"10Gbps"`)
	return Bandwidth(v), err
}

// String formats b with the largest unit that represents it exactly, e.g. "10Gbps".
func (b Bandwidth) String() string { return formatUnit(float64(b), bandwidthUnits) }

// MarshalText implements encoding.TextMarshaler.
func (b Bandwidth) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Bandwidth) UnmarshalText(text []byte) error {
	v, err := ParseBandwidth(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// Size is an amount of data in bytes. Its text form uses decimal (SI) units:
// "512B", "100kB", "512MB", "2GB", "1TB" (1 GB = 10^9 bytes; binary units such
// as GiB are not accepted).
type Size float64

// Common sizes (decimal).
const (
	Byte     Size = 1
	Kilobyte      = 1e3 * Byte
	Megabyte      = 1e6 * Byte
	Gigabyte      = 1e9 * Byte
	Terabyte      = 1e12 * Byte
)

var sizeUnits = []unit{{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}, {"B", 1}}

// ParseSize parses "2GB" and the like (decimal units B, kB (or KB), MB, GB, TB).
func ParseSize(s string) (Size, error) {
	v, err := parseUnit(s, sizeUnits, map[string]string{"KB": "kB"}, "size", `"2GB"`)
	return Size(v), err
}

// String formats s with the largest unit that represents it exactly, e.g. "2GB".
func (s Size) String() string { return formatUnit(float64(s), sizeUnits) }

// MarshalText implements encoding.TextMarshaler.
func (s Size) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Size) UnmarshalText(text []byte) error {
	v, err := ParseSize(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Duration is a time.Duration whose text form is a Go duration string
// ("90s", "300ms", "1m30s"). Negative durations are errors. Other packages'
// configuration structs may embed it to get positions from BurntSushi/toml.
type Duration struct{ time.Duration }

// ParseDuration parses a non-negative Go duration string.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "-") {
		return 0, fmt.Errorf("negative duration %q: a duration cannot be negative", s)
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		if s == "" {
			return 0, fmt.Errorf(`empty duration: want a Go duration such as "90s" or "300ms"`)
		}
		return 0, fmt.Errorf(`invalid duration %q: want a Go duration such as "90s" or "300ms"`, s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q: a duration cannot be negative", s)
	}
	return d, nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := ParseDuration(string(text))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// The unit grammar, shared by every netdrill file (topologies, scenarios,
// expectations): a quantity is a non-negative decimal number (digits with
// at most one ".", no sign, no exponent), optional blanks, then a unit.
// Units are case-sensitive as written in the README ("Gbps", "MB", "kB";
// "kbps" and "Kbps", "kB" and "KB" are both accepted) and decimal: binary
// units such as "GiB" are refused, with the decimal equivalent suggested.
// Durations are Go durations; ratios are a percentage ("50%") or a plain
// fraction ("0.5"). A quantity that cannot be negative refuses a sign with
// its own message; ParseSignedRatio is the one signed form (headroom).

// splitQuantity splits "1.5 GB" into "1.5", "GB"; neg reports a leading "-".
func splitQuantity(s string) (num, unit string, neg bool) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	return t[:i], strings.TrimSpace(t[i:]), neg
}

// parseNumber parses the number part of a quantity: digits with at most
// one ".", at least one digit.
func parseNumber(num string) (float64, bool) {
	if num == "" || strings.Count(num, ".") > 1 || num == "." {
		return 0, false
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// binaryUnits are refused everywhere; the value is the multiplier, so the
// error can suggest the decimal equivalent.
var binaryUnits = map[string]float64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
	"Kibps": 1 << 10, "Mibps": 1 << 20, "Gibps": 1 << 30, "Tibps": 1 << 40}

func parseUnit(s string, units []unit, aliases map[string]string, what, example string) (float64, error) {
	num, name, neg := splitQuantity(s)
	if a, ok := aliases[name]; ok {
		name = a
	}
	names := make([]string, len(units))
	for j, u := range units {
		names[len(units)-1-j] = u.name
	}
	if neg {
		return 0, fmt.Errorf("negative %s %q: a %s cannot be negative", what, s, what)
	}
	v, ok := parseNumber(num)
	if !ok {
		if num == "" {
			return 0, fmt.Errorf("invalid %s %q: want a number and a unit, such as %s", what, s, example)
		}
		return 0, fmt.Errorf("invalid %s %q: bad number %q", what, s, num)
	}
	var mult float64
	for _, u := range units {
		if u.name == name {
			mult = u.mult
		}
	}
	if name == "" && v == 0 {
		return 0, nil // zero needs no unit
	}
	if mult == 0 {
		switch {
		case name == "":
			return 0, fmt.Errorf("%s %q has no unit: want one of %s, such as %s", what, s, strings.Join(names, ", "), example)
		case binaryUnits[name] != 0:
			dec := formatUnit(v*binaryUnits[name], units)
			giga := "1 GB = 10^9 bytes"
			if what == "bandwidth" {
				giga = "1 Gbps = 10^9 bit/s"
			}
			return 0, fmt.Errorf("binary unit %q in %q is not accepted: units are decimal (%s); write %q", name, s, giga, dec)
		}
		for _, u := range units {
			if strings.EqualFold(u.name, name) {
				return 0, fmt.Errorf("unknown %s unit %q in %q: units are case-sensitive; did you mean %q?", what, name, s, u.name)
			}
		}
		return 0, fmt.Errorf("unknown %s unit %q in %q: want one of %s", what, name, s, strings.Join(names, ", "))
	}
	if math.IsInf(v*mult, 0) {
		return 0, fmt.Errorf("invalid %s %q: too large", what, s)
	}
	return v * mult, nil
}

// ParseRatio parses a non-negative ratio: a percentage "99.9%" (blanks
// before "%" allowed) or a plain fraction "0.5". It may exceed 1 ("150%":
// a utilisation); callers bound it where it cannot.
func ParseRatio(s string) (float64, error) {
	num, unit, neg := splitQuantity(s)
	if neg {
		return 0, fmt.Errorf("negative ratio %q: a ratio cannot be negative", s)
	}
	return ratio(s, num, unit)
}

// ParseSignedRatio is ParseRatio that also accepts a leading "-": the one
// ratio that can be negative is headroom, on an overloaded link.
func ParseSignedRatio(s string) (float64, error) {
	num, unit, neg := splitQuantity(s)
	v, err := ratio(s, num, unit)
	if neg {
		v = -v
	}
	return v, err
}

func ratio(s, num, unit string) (float64, error) {
	v, ok := parseNumber(num)
	switch {
	case ok && unit == "%":
		return v / 100, nil
	case ok && unit == "":
		return v, nil
	case ok:
		return 0, fmt.Errorf("invalid ratio %q: unknown unit %q; want a percentage such as \"50%%\" or a fraction such as \"0.5\"", s, unit)
	}
	return 0, fmt.Errorf("invalid ratio %q: want a percentage such as \"50%%\" or a fraction such as \"0.5\"", s)
}

// ParseCount parses a plain non-negative number without a unit ("12").
func ParseCount(s string) (float64, error) {
	num, unit, neg := splitQuantity(s)
	if neg {
		return 0, fmt.Errorf("negative count %q: a count cannot be negative", s)
	}
	v, ok := parseNumber(num)
	if !ok || unit != "" {
		return 0, fmt.Errorf("invalid count %q: want a plain number such as \"10\"", s)
	}
	return v, nil
}

func formatUnit(v float64, units []unit) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	if v != 0 {
		for _, u := range units {
			if math.Abs(v) < u.mult {
				continue
			}
			s := strconv.FormatFloat(v/u.mult, 'f', -1, 64)
			if back, err := strconv.ParseFloat(s, 64); err == nil && back*u.mult == v {
				return s + u.name
			}
		}
	}
	last := units[len(units)-1]
	return strconv.FormatFloat(v, 'f', -1, 64) + last.name
}
