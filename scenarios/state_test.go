package scenarios

import (
	"math"
	"slices"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// Folding every example's trace through trace.State: after each event the
// state says what the event said (the link's state, that router's end of
// the session, the route and its rule, the FIB entry, the rates, the
// loads), no event names an item the header lacks, and the byte integrals
// at the end equal the metrics' loss per demand and cause.
func TestStateFoldsExamples(t *testing.T) {
	for _, file := range exampleScenarios(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			res := mustRun(t, mustLoad(t, file))
			s := trace.NewState(res.Header)
			for i, e := range res.Events {
				if e.Kind == trace.KindBGPSession || e.Kind == trace.KindBFDState {
					if se := s.Session(e.Subject, e.Str("router")); se != nil && e.Kind == trace.KindBGPSession && e.Has("from") && se.BGP != e.Str("from") {
						t.Errorf("event %d: %s at %s from %q, the fold had %q", i, e.Subject, e.Str("router"), e.Str("from"), se.BGP)
					}
				}
				s.Apply(e)
				checkApplied(t, i, s, e)
			}
			if s.Unknown != 0 {
				t.Errorf("%d events name items the header does not list", s.Unknown)
			}
			if !s.End {
				t.Errorf("no run.end applied")
			}
			for _, d := range res.Metrics.Demands {
				di, ok := s.DemandIndex(d.Name)
				if !ok {
					t.Errorf("demand %s not in the header", d.Name)
					continue
				}
				off, del, lost := s.Bytes(di, s.T)
				near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
				if !near(off, d.Loss.Offered) || !near(del, d.Loss.Delivered) {
					t.Errorf("%s: fold offered %g delivered %g, metrics %g %g", d.Name, off, del, d.Loss.Offered, d.Loss.Delivered)
				}
				for c, name := range s.Causes {
					if !near(lost[c], d.Loss.Cause(name)) {
						t.Errorf("%s: fold lost %g to %s, metrics %g", d.Name, lost[c], name, d.Loss.Cause(name))
					}
				}
			}
		})
	}
}

func checkApplied(t *testing.T, i int, s *trace.State, e trace.Event) {
	t.Helper()
	switch e.Kind {
	case trace.KindLinkState:
		if li, ok := s.LinkIndex(e.Subject); ok && (s.Links[li].State != e.Str("state") || s.Links[li].Reason != e.Str("reason")) {
			t.Errorf("event %d: link %s is %+v", i, e.Subject, s.Links[li])
		}
	case trace.KindBGPSession:
		if se := s.Session(e.Subject, e.Str("router")); se == nil || se.BGP != e.Str("state") || se.BGPReason != e.Str("reason") {
			t.Errorf("event %d: session %s at %s is %+v", i, e.Subject, e.Str("router"), se)
		}
	case trace.KindBFDState:
		if se := s.Session(e.Subject, e.Str("router")); se == nil || se.BFD != e.Str("state") {
			t.Errorf("event %d: bfd %s at %s is %+v", i, e.Subject, e.Str("router"), se)
		}
	case trace.KindBGPBest:
		ri, _ := s.RouterIndex(e.Subject)
		if r := s.Routers[ri].Best[e.Str("prefix")]; !slices.Equal(r.Nexthops, e.Strs("nexthops")) || r.Rule != e.Str("rule") {
			t.Errorf("event %d: best %s %s is %+v", i, e.Subject, e.Str("prefix"), r)
		}
	case trace.KindFIBChange:
		ri, _ := s.RouterIndex(e.Subject)
		if r := s.Routers[ri].FIB[e.Str("prefix")]; !slices.Equal(r, e.Strs("nexthops")) {
			t.Errorf("event %d: fib %s %s is %v", i, e.Subject, e.Str("prefix"), r)
		}
	case trace.KindFlowRate:
		di, _ := s.DemandIndex(e.Subject)
		d := s.Demands[di]
		if d.Offered != e.Num("offered") || d.Delivered != e.Num("delivered") {
			t.Errorf("event %d: flow %s is %+v", i, e.Subject, d)
		}
		for c, name := range s.Causes {
			if c < len(d.Loss) && d.Loss[c] != e.Num(name) {
				t.Errorf("event %d: flow %s loses %g to %s, the event says %g", i, e.Subject, d.Loss[c], name, e.Num(name))
			}
		}
	case trace.KindPoolLoad:
		pi, _ := s.PoolIndex(e.Subject)
		if p := s.Pools[pi]; p.Load != e.Num("load") || p.Dropped != e.Num("dropped") {
			t.Errorf("event %d: pool %s is %+v", i, e.Subject, p)
		}
	case trace.KindFaultInject:
		if !slices.ContainsFunc(s.Faults, func(f trace.Fault) bool { return f.ID == e.Subject }) {
			t.Errorf("event %d: fault %s not active", i, e.Subject)
		}
	case trace.KindFaultRepair:
		if slices.ContainsFunc(s.Faults, func(f trace.Fault) bool { return f.ID == e.Subject }) {
			t.Errorf("event %d: fault %s still active after repair", i, e.Subject)
		}
	}
}
