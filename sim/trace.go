package sim

import "math"

// Attr is one key/value detail of a trace record. Values are strings,
// integers, floats or booleans; attributes keep the order they are given in,
// so a trace written from them is byte-identical run to run.
//
// Attr is an alias of an unnamed struct type, as scenarios/trace's Field
// is: a model's []Attr is then a trace's []Field with no copy, and neither
// package imports the other.
type Attr = struct {
	Key   string
	Value any
}

// A is shorthand for building an Attr.
func A(key string, value any) Attr { return Attr{Key: key, Value: value} }

// Tracer receives the model's trace records: what happened (kind), to what
// (subject), when, and why (attrs). The kernel never calls it; the network
// model does. A nil Tracer in a model means "do not trace". The attrs slice
// is only valid during the call (models reuse it): a tracer that keeps
// attributes copies them.
type Tracer interface {
	Trace(at Time, kind, subject string, attrs ...Attr)
}

// Counter is implemented by a Tracer that, for some kinds, only watches
// whether records come (a warm-up watching for quiet): a model may then
// send those without attributes, one for many of the same instant, or none
// when it offers its count another way (a FIB's Changes).
type Counter interface {
	CountsOnly(kind string) bool
}

// NopTracer discards every record.
type NopTracer struct{}

// Trace implements Tracer.
func (NopTracer) Trace(Time, string, string, ...Attr) {}

// TraceFunc adapts a function to the Tracer interface.
type TraceFunc func(at Time, kind, subject string, attrs ...Attr)

// Trace implements Tracer.
func (f TraceFunc) Trace(at Time, kind, subject string, attrs ...Attr) {
	f(at, kind, subject, attrs...)
}

// Float boxes float64 Attr values without allocating for the values a model
// traces again and again (a link's capacity, a load that comes back after an
// outage): it keeps the last two values it boxed. Values compare by bits:
// the box holds exactly the value given. Go boxes small bit patterns (0)
// without allocating, so those are not kept.
type Float struct {
	bits [2]uint64
	a    [2]any
}

// Of returns v as an Attr value, reusing an earlier box of the same value.
func (b *Float) Of(v float64) any {
	bits := math.Float64bits(v)
	switch {
	case bits < 256:
		return v
	case b.a[0] != nil && b.bits[0] == bits:
		return b.a[0]
	case b.a[1] != nil && b.bits[1] == bits:
		b.bits[0], b.bits[1] = b.bits[1], b.bits[0]
		b.a[0], b.a[1] = b.a[1], b.a[0]
		return b.a[0]
	}
	b.bits[1], b.a[1] = b.bits[0], b.a[0]
	b.bits[0], b.a[0] = bits, v
	return b.a[0]
}

// String is Float for strings (a router's name, a state, a reason): it
// keeps the last four strings it boxed.
type String struct {
	s [4]string
	a [4]any
}

// Of returns s as an Attr value, reusing an earlier box of the same string.
func (b *String) Of(s string) any {
	for i := range b.a {
		if b.a[i] == nil {
			break
		}
		if b.s[i] == s {
			return b.a[i]
		}
	}
	copy(b.s[1:], b.s[:3])
	copy(b.a[1:], b.a[:3])
	b.s[0], b.a[0] = s, s
	return b.a[0]
}
