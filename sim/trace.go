package sim

// Attr is one key/value detail of a trace record. Values are strings,
// integers, floats or booleans; attributes keep the order they are given in,
// so a trace written from them is byte-identical run to run.
type Attr struct {
	Key   string
	Value any
}

// A is shorthand for building an Attr.
func A(key string, value any) Attr { return Attr{Key: key, Value: value} }

// Tracer receives the model's trace records: what happened (kind), to what
// (subject), when, and why (attrs). The kernel never calls it; the network
// model does. A nil Tracer in a model means "do not trace".
type Tracer interface {
	Trace(at Time, kind, subject string, attrs ...Attr)
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
