package trace

import (
	"math"
	"reflect"
	"testing"
)

func stateHeader() Header {
	return Header{Format: Format, Scenario: "s", DurationNS: 10e9, Fabric: &Fabric{
		Sites:      []Site{{Name: "a", Hub: "a"}, {Name: "b", Hub: "b"}},
		Facilities: []Facility{{Name: "fac1"}},
		Routers: []Router{{Name: "a", Site: "a", Role: "hub"}, {Name: "b", Site: "b", Role: "hub"},
			{Name: "r1", Site: "a", Facility: "fac1", Role: "edge"}, {Name: "r2", Site: "b", Facility: "fac1", Role: "edge"}},
		Links: []Link{{Name: "ch1", A: "r1", B: "r2", CapacityBPS: 10e9},
			{Name: "a~r1", A: "a", B: "r1", CapacityBPS: 1e15, Internal: true}},
		Sessions: []Session{{Name: "bgp1", A: "r1", B: "r2", Link: "ch1", BFD: &BFD{IntervalNS: 3e8, Multiplier: 3}},
			{Name: "a~r1", A: "a", B: "r1", IBGP: true, Internal: true}},
		Pools:   []Pool{{Name: "p", CapacityBPS: 20e9, Links: []string{"ch1"}}},
		Demands: []Demand{{Name: "d", From: "a", To: "b", RateBPS: 8e9}},
	}}
}

func ev(t int64, kind, subject string, kv ...any) Event {
	e := Event{T: t, Kind: kind, Subject: subject}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Details = append(e.Details, Field{Key: kv[i].(string), Value: kv[i+1]})
	}
	return e
}

func TestStateInitial(t *testing.T) {
	s := NewState(stateHeader())
	if got := s.Links[0]; got.State != "up" || got.Capacity != 10e9 {
		t.Errorf("link = %+v", got)
	}
	if se := s.Session("bgp1", "r2"); se == nil || se.BGP != "established" || se.BFD != "up" || se.Peer != "r1" {
		t.Errorf("session end = %+v", se)
	}
	if se := s.Session("a~r1", "a"); se == nil || se.BFD != "" {
		t.Errorf("session without BFD = %+v", se)
	}
	if s.Pools[0].Capacity != 20e9 {
		t.Errorf("pool = %+v", s.Pools[0])
	}
}

func TestStateApply(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		check  func(t *testing.T, s *State)
	}{
		{"link down with reason", []Event{
			ev(5, KindLinkState, "ch1", "state", "down", "reason", "facility-down"),
		}, func(t *testing.T, s *State) {
			if l := s.Links[0]; l.State != "down" || l.Reason != "facility-down" || l.Since != 5 {
				t.Errorf("link = %+v", l)
			}
		}},
		{"link load keeps capacity when absent", []Event{
			ev(1, KindLinkLoad, "ch1", "load", int64(3e9), "dropped", int64(0)),
		}, func(t *testing.T, s *State) {
			if l := s.Links[0]; l.Load != 3e9 || l.Capacity != 10e9 {
				t.Errorf("link = %+v", l)
			}
		}},
		{"session and BFD per end", []Event{
			ev(1, KindBFDState, "bgp1", "router", "r1", "peer", "r2", "state", "down", "reason", "detect-timeout"),
			ev(1, KindBGPSession, "bgp1", "router", "r1", "peer", "r2", "link", "ch1", "from", "established", "state", "idle", "reason", "bfd-down"),
		}, func(t *testing.T, s *State) {
			r1, r2 := s.Session("bgp1", "r1"), s.Session("bgp1", "r2")
			if r1.BGP != "idle" || r1.BGPReason != "bfd-down" || r1.BFD != "down" || r1.BFDReason != "detect-timeout" {
				t.Errorf("r1 end = %+v", r1)
			}
			if r2.BGP != "established" || r2.BFD != "up" {
				t.Errorf("r2 end changed: %+v", r2)
			}
		}},
		{"best route with rule, then FIB", []Event{
			ev(2, KindBGPBest, "a", "prefix", "10.2.0.0/16", "nexthops", []string{"r1"}, "rule", "only-path"),
			ev(3, KindFIBChange, "a", "prefix", "10.2.0.0/16", "nexthops", []string{"r1"}),
			ev(4, KindBGPBest, "a", "prefix", "10.2.0.0/16", "nexthops", []string{}, "rule", "no-path"),
		}, func(t *testing.T, s *State) {
			r := s.Routers[0]
			if got := r.Best["10.2.0.0/16"]; len(got.Nexthops) != 0 || got.Rule != "no-path" || got.Since != 4 {
				t.Errorf("best = %+v", got)
			}
			if got := r.FIB["10.2.0.0/16"]; !reflect.DeepEqual(got, []string{"r1"}) {
				t.Errorf("fib = %v", got)
			}
			if p := r.Prefixes(); !reflect.DeepEqual(p, []string{"10.2.0.0/16"}) {
				t.Errorf("prefixes = %v", p)
			}
		}},
		{"faults active until repaired", []Event{
			ev(1, KindFaultInject, "f1", "fault", "facility-down", "target", "fac1", "links", []string{"ch1"}, "routers", []string{"r1", "r2"}),
			ev(1, KindFaultInject, "f2", "fault", "link-down", "target", "ch1"),
			ev(2, KindFaultRepair, "f2", "fault", "link-down", "target", "ch1"),
		}, func(t *testing.T, s *State) {
			if len(s.Faults) != 1 || s.Faults[0].ID != "f1" {
				t.Errorf("faults = %+v", s.Faults)
			}
			if !s.FacilityDark("fac1") || !s.RouterDown("r1") || s.RouterDown("a") {
				t.Errorf("dark %v r1 down %v a down %v", s.FacilityDark("fac1"), s.RouterDown("r1"), s.RouterDown("a"))
			}
		}},
		{"unknown subjects are counted", []Event{
			ev(1, KindLinkState, "nope", "state", "down"),
			ev(1, KindBGPSession, "bgp1", "router", "zz", "state", "idle"),
		}, func(t *testing.T, s *State) {
			if s.Unknown != 2 {
				t.Errorf("unknown = %d", s.Unknown)
			}
		}},
		{"pool load", []Event{
			ev(1, KindPoolLoad, "p", "load", int64(22e9), "capacity", int64(20e9), "background", int64(16e9), "dropped", int64(2e9)),
		}, func(t *testing.T, s *State) {
			if p := s.Pools[0]; p != (PoolState{22e9, 20e9, 16e9, 2e9}) {
				t.Errorf("pool = %+v", p)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewState(stateHeader())
			for _, e := range tc.events {
				s.Apply(e)
			}
			tc.check(t, s)
		})
	}
}

// TestStateBytes: 8 Gbit/s offered for 2 s is 2 GB; 1 s of 4 Gbit/s
// blackhole then 1 s of 2 Gbit/s congestion loses 0.5 GB + 0.25 GB.
func TestStateBytes(t *testing.T) {
	s := NewState(stateHeader())
	for _, e := range []Event{
		ev(0, KindFlowRate, "d", "offered", int64(8e9), "delivered", int64(8e9)),
		ev(1e9, KindFlowRate, "d", "offered", int64(8e9), "delivered", int64(4e9), "blackhole", int64(4e9)),
		ev(2e9, KindFlowRate, "d", "offered", int64(8e9), "delivered", int64(6e9), "congestion", int64(2e9)),
	} {
		s.Apply(e)
	}
	off, del, lost := s.Bytes(0, 3e9)
	if off != 3e9 || del != 2.25e9 {
		t.Errorf("offered %g delivered %g, want 3e9 2.25e9", off, del)
	}
	bh, _ := s.CauseIndex("blackhole")
	cg, _ := s.CauseIndex("congestion")
	if lost[bh] != 0.5e9 || lost[cg] != 0.25e9 {
		t.Errorf("lost %v (causes %v)", lost, s.Causes)
	}
	if d := s.Demands[0]; d.Loss[bh] != 0 || d.Loss[cg] != 2e9 {
		t.Errorf("rates %v", d.Loss)
	}
	s.Apply(Event{T: 10e9, Kind: KindRunEnd, Subject: "s"})
	_, _, lost = s.Bytes(0, 10e9)
	if want := 2e9 * 8.0 / 8; /* 2 Gbit/s from t=2s to t=10s */ math.Abs(lost[cg]-want) > 1 {
		t.Errorf("congestion bytes at end %g, want %g", lost[cg], want)
	}
}

func TestStateClone(t *testing.T) {
	s := NewState(stateHeader())
	s.Apply(ev(1, KindBGPBest, "a", "prefix", "p", "nexthops", []string{"r1"}, "rule", "ebgp"))
	s.Apply(ev(1, KindFlowRate, "d", "offered", int64(1), "delivered", int64(0), "loop", int64(1)))
	c := s.Clone()
	s.Apply(ev(2, KindBGPBest, "a", "prefix", "p", "nexthops", []string{"r2"}, "rule", "med"))
	s.Apply(ev(2, KindLinkState, "ch1", "state", "silent", "reason", "x"))
	s.Apply(ev(2, KindFlowRate, "d", "offered", int64(1), "delivered", int64(1)))
	if c.Routers[0].Best["p"].Rule != "ebgp" || c.Links[0].State != "up" || c.Demands[0].Loss[0] != 1 {
		t.Errorf("clone changed with the original: %+v %+v %+v", c.Routers[0].Best, c.Links[0], c.Demands[0])
	}
}

func BenchmarkStateApply(b *testing.B) {
	s := NewState(stateHeader())
	evs := []Event{
		ev(1, KindLinkLoad, "ch1", "load", int64(3e9), "capacity", int64(10e9), "dropped", int64(0)),
		ev(1, KindFlowRate, "d", "offered", int64(8e9), "delivered", int64(8e9)),
		ev(1, KindBGPSession, "bgp1", "router", "r1", "peer", "r2", "state", "idle", "reason", "x"),
		ev(1, KindBGPBest, "a", "prefix", "p", "nexthops", []string{"r1"}, "rule", "ebgp"),
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Apply(evs[i%len(evs)])
	}
}
