package trace

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

// benchEvent is a typical hot-path record: a flow.rate change.
var benchEvent = Event{T: 123_456_789_000, Kind: "flow.rate", Subject: "replication", Details: []Field{
	{"offered", 25e9}, {"delivered", 12.5e9}, {"blackhole", 12.5e9}}}

var benchSession = Event{T: 123_456_789_000, Kind: "bgp.session", Subject: "aws-edge-1|gcp-edge-1", Details: []Field{
	{"router", "aws-edge-1"}, {"peer", "gcp-edge-1"}, {"link", "xc-1"}, {"from", "established"},
	{"state", "idle"}, {"reason", "hold-timer-expired"}}}

func benchWrite(b *testing.B, e Event) {
	w, err := NewWriter(io.Discard, testHeader)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Write(e); err != nil {
			b.Fatal(err)
		}
	}
	_ = w.Flush()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// jsonEvent is the same event through encoding/json, the baseline: a map
// for details (which also loses the order) marshalled per event.
type jsonEvent struct {
	T       int64          `json:"t"`
	Kind    string         `json:"kind"`
	Subject string         `json:"subject"`
	Details map[string]any `json:"details"`
}

func benchJSON(b *testing.B, e Event) {
	enc := json.NewEncoder(io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		d := make(map[string]any, len(e.Details))
		for _, f := range e.Details {
			d[f.Key] = f.Value
		}
		if err := enc.Encode(jsonEvent{e.T, e.Kind, e.Subject, d}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkWriterFlowRate(b *testing.B)        { benchWrite(b, benchEvent) }
func BenchmarkJSONFlowRate(b *testing.B)          { benchJSON(b, benchEvent) }
func BenchmarkWriterBGPSession(b *testing.B)      { benchWrite(b, benchSession) }
func BenchmarkJSONBGPSession(b *testing.B)        { benchJSON(b, benchSession) }
func BenchmarkJSONMarshalFlowRate(b *testing.B)   { benchMarshal(b, benchEvent) }
func BenchmarkJSONMarshalBGPSession(b *testing.B) { benchMarshal(b, benchSession) }

// benchMarshal is json.Marshal of the Event with ordered details as a
// []Field slice (what encoding/json does without a map).
func benchMarshal(b *testing.B, e Event) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkRead(b *testing.B) {
	var evs []Event
	for range 1000 {
		evs = append(evs, benchEvent, benchSession)
	}
	data := encode(b, testHeader, evs)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Read(bytesReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(evs))/b.Elapsed().Seconds(), "events/s")
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
