package scenarios

import (
	"reflect"
	"testing"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

// TestMetricsLayoutPathsAgree: the metrics Builder reads the records the
// simulator writes most (bgp.update, bgp.session, bfd.state, link.load,
// pool.load) by position when their details have the simulator's layout,
// by name otherwise. Both paths give the same metrics: the events of real
// runs, as written and with one detail appended to every record (which
// breaks each layout), compute equal results.
func TestMetricsLayoutPathsAgree(t *testing.T) {
	for _, c := range []struct {
		file string
		days int
	}{
		{"../examples/scenarios/random-channel-failures.toml", 30},
		{"../examples/scenarios/facility-loss-at-peak.toml", 0},
		{"../examples/scenarios/silent-midspan-bfd.toml", 0},
		{"../examples/scenarios/pool-exhausted-by-neighbour.toml", 0},
	} {
		sc, err := Load(c.file)
		if err != nil {
			t.Fatal(err)
		}
		if c.days > 0 {
			sc.Duration = sim.Time(c.days) * 24 * sim.Hour
		}
		res, err := Run(sc, Options{SkipTrace: true, KeepEvents: true})
		if err != nil {
			t.Fatal(err)
		}
		padded := make([]trace.Event, len(res.Events))
		byPosition := 0
		for i, e := range res.Events {
			switch e.Kind {
			case trace.KindBGPUpdate, trace.KindBGPSession, trace.KindBFDState, trace.KindLinkLoad, trace.KindPoolLoad:
				byPosition++
				e.Details = append(e.Details[:len(e.Details):len(e.Details)], trace.Field{Key: "zz-not-a-key", Value: "pad"})
			}
			padded[i] = e
		}
		opt := metrics.Options{SettleWindow: res.Header.SettleNS}
		want := metrics.Compute(res.Header, padded, opt)
		got := metrics.Compute(res.Header, res.Events, opt)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: metrics read by position differ from metrics read by name", c.file)
		}
		if !reflect.DeepEqual(got, res.Metrics) {
			t.Errorf("%s: metrics computed from the kept events differ from the run's", c.file)
		}
		if byPosition == 0 {
			t.Errorf("%s: no record of the kinds read by position", c.file)
		}
	}
}
