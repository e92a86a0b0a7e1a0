package trace

import (
	"math"
)

// Format is the format string of the header line this package writes and
// the only one it reads.
const Format = "netdrill-trace/2"

// Field is one detail of an event. Details are ordered: a slice, not a map.
//
// Values written are strings, integers, floats, booleans, nil and []string
// (anything else is encoded with encoding/json). Values read back are
// string, int64 (a number with no fraction or exponent that fits), float64
// (any other number), bool, nil, []string (an array of strings), []any (any
// other array) and []Field (an object).
//
// Field is an alias of an unnamed struct type, as sim.Attr is: the runner
// hands a model's attributes to a trace's consumers as []Field without
// copying them, and this package imports nothing from sim.
type Field = struct {
	Key   string
	Value any
}

// Event is one trace record: at time T (ns of virtual time), something of
// Kind happened to Subject, with ordered Details.
type Event struct {
	T       int64
	Kind    string
	Subject string
	Details []Field
}

// Get returns the value of the first detail named key.
func (e Event) Get(key string) (any, bool) {
	for i := range e.Details {
		if e.Details[i].Key == key {
			return e.Details[i].Value, true
		}
	}
	return nil, false
}

// Has reports whether the event has a detail named key.
func (e Event) Has(key string) bool {
	_, ok := e.Get(key)
	return ok
}

// Str returns the detail key as a string, or "" when it is missing or not a
// string.
func (e Event) Str(key string) string {
	v, _ := e.Get(key)
	return StrValue(v)
}

// Num returns the detail key as a float64 (any integer or float type), or 0
// when it is missing or not a number.
func (e Event) Num(key string) float64 {
	v, _ := e.Get(key)
	return NumValue(v)
}

// Int returns the detail key as an int64 (floats are truncated), or 0.
func (e Event) Int(key string) int64 {
	v, _ := e.Get(key)
	return IntValue(v)
}

// Layout reports whether the event's details are exactly keys, in that
// order (the keys distinct). Then Details[i].Value is the value Get(keys[i])
// returns: a reader that knows the layout its producer writes reads values
// by position instead of by name.
func (e Event) Layout(keys []string) bool {
	if len(e.Details) != len(keys) {
		return false
	}
	for i := range keys {
		if e.Details[i].Key != keys[i] {
			return false
		}
	}
	return true
}

// StrValue converts a detail value as Str does.
func StrValue(v any) string {
	s, _ := v.(string)
	return s
}

// NumValue converts a detail value as Num does.
func NumValue(v any) float64 {
	f, _ := toFloat(v)
	return f
}

// IntValue converts a detail value as Int does.
func IntValue(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	}
	f, _ := toFloat(v)
	if f != f || math.IsInf(f, 0) {
		return 0
	}
	return int64(f)
}

// Strs returns the detail key as a []string ([]string, or []any holding
// only strings), or nil.
func (e Event) Strs(key string) []string {
	v, _ := e.Get(key)
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, el := range x {
			s, ok := el.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// toFloat converts any Go number to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	}
	return 0, false
}
