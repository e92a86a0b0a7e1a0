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
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		if s == "" {
			return 0, fmt.Errorf(`empty duration: want a Go duration such as "90s" or "300ms"`)
		}
		return 0, fmt.Errorf(`invalid duration %q: want a Go duration such as "90s" or "300ms"`, s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
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

func parseUnit(s string, units []unit, aliases map[string]string, what, example string) (float64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, name := t[:i], strings.TrimSpace(t[i:])
	if a, ok := aliases[name]; ok {
		name = a
	}
	names := make([]string, len(units))
	for j, u := range units {
		names[len(units)-1-j] = u.name
	}
	if num == "" {
		return 0, fmt.Errorf("invalid %s %q: want a number and a unit, such as %s", what, s, example)
	}
	var mult float64
	for _, u := range units {
		if u.name == name {
			mult = u.mult
		}
	}
	if mult == 0 {
		if name == "" {
			return 0, fmt.Errorf("%s %q has no unit: want one of %s, such as %s", what, s, strings.Join(names, ", "), example)
		}
		return 0, fmt.Errorf("unknown %s unit %q in %q: want one of %s", what, name, s, strings.Join(names, ", "))
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v*mult, 0) {
		return 0, fmt.Errorf("invalid %s %q: bad number %q", what, s, num)
	}
	return v * mult, nil
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
