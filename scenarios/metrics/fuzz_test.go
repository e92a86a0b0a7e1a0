package metrics

import (
	"bytes"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// FuzzCompute: any trace the reader accepts yields metrics without a
// panic, and every metric can be looked up. (Use -fuzzminimizetime 1s:
// minimising the large seed otherwise takes most of a short run.)
func FuzzCompute(f *testing.F) {
	var buf bytes.Buffer
	w, _ := trace.NewWriter(&buf, trace.Header{Scenario: "fuzz", DurationNS: 20 * s})
	for _, e := range linkDown().evs {
		_ = w.Write(e)
	}
	_ = w.Flush()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		h, evs, err := trace.Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		r := Compute(h, evs, Options{SettleWindow: 100 * ms})
		for _, m := range Metrics {
			v, err := r.Lookup(m.Name, Selector{})
			if err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
			_ = v.String()
		}
	})
}
