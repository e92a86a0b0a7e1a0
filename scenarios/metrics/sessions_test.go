package metrics

import (
	"math/rand/v2"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// TestSessionFoldMatchesState: the Builder's own fold of session ends
// (what it reads to tell a session or BFD going down) agrees with
// trace.State's after every event, with the fabric in the header and
// without (sessions learned from events), on random bgp.session and
// bfd.state records: names the fabric lists or not, routers of either end
// or a third, missing router details, events with and without "from".
func TestSessionFoldMatchesState(t *testing.T) {
	fab := &trace.Fabric{Sessions: []trace.Session{
		{Name: "s1", A: "r1", B: "r2", BFD: &trace.BFD{IntervalNS: 300e6, Multiplier: 3}},
		{Name: "s2", A: "r2", B: "r3"},
		{Name: "s2", A: "r3", B: "r4"}, // a duplicate name: the later one wins in both
	}}
	names := []string{"s1", "s2", "s3"}
	routers := []string{"r1", "r2", "r3", "r4", ""}
	states := []string{"idle", "established", "down", "up", "connect"}
	for seed := uint64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		h := trace.Header{Scenario: "x", DurationNS: 1000}
		if seed%2 == 0 {
			h.Fabric = fab
		}
		b := NewBuilder(h, Options{})
		st := trace.NewState(h)
		for i := int64(0); i < 60; i++ {
			kind := trace.KindBGPSession
			if rng.IntN(3) == 0 {
				kind = trace.KindBFDState
			}
			e := trace.Event{T: i, Kind: kind, Subject: names[rng.IntN(len(names))]}
			if r := routers[rng.IntN(len(routers))]; r != "" || rng.IntN(2) == 0 {
				e.Details = append(e.Details, trace.Field{Key: "router", Value: r})
			}
			e.Details = append(e.Details, trace.Field{Key: "peer", Value: routers[rng.IntN(len(routers))]})
			if kind == trace.KindBGPSession && rng.IntN(2) == 0 {
				e.Details = append(e.Details, trace.Field{Key: "from", Value: states[rng.IntN(len(states))]})
			}
			e.Details = append(e.Details, trace.Field{Key: "state", Value: states[rng.IntN(len(states))]})
			b.Apply(e)
			st.Apply(e)
			for _, name := range names {
				for _, r := range routers {
					want := st.Session(name, r)
					var got *sessEnd
					if si := b.sess[name]; si != nil {
						got = si.end(r)
					}
					switch {
					case (want == nil) != (got == nil):
						t.Fatalf("seed %d event %d: %s/%q: state has %v, builder %v", seed, i, name, r, want, got)
					case want != nil && (want.Router != got.router || want.Peer != got.peer || want.BGP != got.bgp || want.BFD != got.bfd):
						t.Fatalf("seed %d event %d: %s/%q: state %+v, builder %+v", seed, i, name, r, *want, *got)
					}
				}
			}
		}
	}
}
