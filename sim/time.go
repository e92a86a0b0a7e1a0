package sim

import (
	"fmt"
	"time"
)

// Time is virtual time in nanoseconds since the start of a run. It is also
// used for durations: the difference of two Times is a Time.
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// Never is a time after every other time.
const Never Time = 1<<63 - 1

// Duration converts t to a time.Duration (same unit, nanoseconds).
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds as a float.
func (t Time) Seconds() float64 { return float64(t) / float64(Second) }

// String formats t like a Go duration ("1m30s", "900ms").
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return time.Duration(t).String()
}

// FromDuration converts a time.Duration to virtual time.
func FromDuration(d time.Duration) Time { return Time(d) }

// ParseTime parses a Go duration string ("90s", "300ms") into virtual time.
func ParseTime(s string) (Time, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: want a Go duration such as \"90s\" or \"300ms\"", s)
	}
	return Time(d), nil
}
