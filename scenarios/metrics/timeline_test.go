package metrics

import (
	"fmt"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

func tev(t int64, kind, subject string, kv ...any) trace.Event {
	e := trace.Event{T: t, Kind: kind, Subject: subject}
	for i := 0; i < len(kv); i += 2 {
		e.Details = append(e.Details, trace.Field{Key: kv[i].(string), Value: kv[i+1]})
	}
	return e
}

// xc-1 goes dark at 10s and comes back at 15s; xc-2 goes silent at 12s,
// is degraded from 13s and never comes back; xc-3 flaps down and up at one
// instant (no period). replication loses 12.5G to blackhole, then 5G to
// congestion, causes listed in report order whatever the trace's key order.
func TestTimeline(t *testing.T) {
	evs := []trace.Event{
		tev(0, "flow.rate", "replication", "offered", int64(25e9), "delivered", int64(25e9)),
		tev(10e9, "link.state", "xc-1", "state", "dark", "reason", "facility-down"),
		tev(10e9, "flow.rate", "replication", "offered", int64(25e9), "delivered", 12.5e9, "blackhole", 12.5e9),
		tev(11e9, "flow.rate", "replication", "offered", int64(25e9), "delivered", 20e9, "congestion", 4e9, "blackhole", 1e9),
		tev(12e9, "link.state", "xc-2", "state", "silent", "reason", "link-silent"),
		tev(13e9, "link.state", "xc-2", "state", "degraded", "reason", "link-degrade"),
		tev(14e9, "link.state", "xc-3", "state", "down", "reason", "flap"),
		tev(14e9, "link.state", "xc-3", "state", "up", "reason", "flap"),
		tev(15e9, "link.state", "xc-1", "state", "up", "reason", "repair"),
		tev(20e9, "run.end", "s"),
	}
	tl := NewTimeline(evs, 20e9)
	got := fmt.Sprint(tl.Links)
	want := "[{xc-1 [{10000000000 15000000000 dark facility-down}]} " +
		"{xc-2 [{12000000000 13000000000 silent link-silent} {13000000000 20000000000 degraded link-degrade}]}]"
	if got != want {
		t.Errorf("links\n got %s\nwant %s", got, want)
	}
	d := tl.Demand("replication")
	if d == nil || len(d.Points) != 3 {
		t.Fatalf("demand %+v", d)
	}
	if got := fmt.Sprint(d.Points[2].Causes); got != "[{blackhole 1e+09} {congestion 4e+09}]" {
		t.Errorf("causes %s", got)
	}
	if d.Points[1].Lost("blackhole") != 12.5e9 || d.Points[1].Lost("congestion") != 0 || d.Points[0].Offered != 25e9 {
		t.Errorf("points %+v", d.Points)
	}
	l := tl.Link("xc-2")
	for _, c := range []struct {
		t    int64
		want string
	}{{11e9, "up"}, {12e9, "silent"}, {13e9, "degraded"}, {19e9, "degraded"}} {
		if got := l.At(c.t); got != c.want {
			t.Errorf("xc-2 at %d: %s, want %s", c.t, got, c.want)
		}
	}
	if tl.Link("xc-3") != nil {
		t.Error("a zero-length period was kept")
	}
}

// A link the header declares admin_down (a cold backup) is down from the
// start until the link-up brings it up; one never brought up stays down to
// the end; the others are up until an event says otherwise. The metrics
// Builder starts its timeline from the header the same way.
func TestTimelineAdminDown(t *testing.T) {
	h := trace.Header{DurationNS: 60e9, Fabric: &trace.Fabric{Links: []trace.Link{
		{Name: "vpn-1", AdminDown: true}, {Name: "vpn-2", AdminDown: true}, {Name: "xc-1"},
	}}}
	evs := []trace.Event{
		tev(10e9, "link.state", "xc-1", "state", "down", "reason", "link-down"),
		tev(30e9, "link.state", "vpn-1", "state", "up", "reason", "link-up"),
		tev(60e9, "run.end", "s"),
	}
	want := "[{vpn-1 [{0 30000000000 down admin-down}]} " +
		"{vpn-2 [{0 60000000000 down admin-down}]} " +
		"{xc-1 [{10000000000 60000000000 down link-down}]}]"
	b := NewTimelineBuilder(60e9)
	b.Begin(h)
	for _, e := range evs {
		b.Apply(e)
	}
	tl := b.Timeline()
	if got := fmt.Sprint(tl.Links); got != want {
		t.Errorf("links\n got %s\nwant %s", got, want)
	}
	for _, c := range []struct {
		link string
		t    int64
		want string
	}{{"vpn-1", 0, "down"}, {"vpn-1", 29e9, "down"}, {"vpn-1", 30e9, "up"}, {"vpn-2", 59e9, "down"}, {"xc-1", 5e9, "up"}} {
		if got := tl.Link(c.link).At(c.t); got != c.want {
			t.Errorf("%s at %d: %s, want %s", c.link, c.t, got, c.want)
		}
	}
	if got := fmt.Sprint(Compute(h, evs, Options{}).Timeline.Links); got != want {
		t.Errorf("Compute's timeline links\n got %s\nwant %s", got, want)
	}
}
