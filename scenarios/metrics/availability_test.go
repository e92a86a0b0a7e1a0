package metrics

import "testing"

func TestUpTime(t *testing.T) {
	const G = 1e9
	for _, c := range []struct {
		name   string
		series []Point
		end    int64
		want   int64
	}{
		{"no series: offers nothing, up", nil, 100, 100},
		{"always full", []Point{{0, G, G}}, 100, 100},
		// down from 30 to 70: 60 up.
		{"one outage", []Point{{0, G, G}, {30, G, 0}, {70, G, G}}, 100, 60},
		// 99% counts as fully delivered, 98.9% does not.
		{"tolerance", []Point{{0, G, 0.99 * G}, {50, G, 0.989 * G}}, 100, 50},
		// down at the end of the run.
		{"down at the end", []Point{{0, G, G}, {80, G, G / 2}}, 100, 80},
		// nothing offered: up even though nothing delivered.
		{"idle demand", []Point{{0, 0, 0}}, 100, 100},
		// points after the end do not count.
		{"after end", []Point{{0, G, G}, {90, G, 0}, {150, G, G}}, 100, 90},
	} {
		d := Demand{Name: "d", Series: c.series}
		if got := d.UpTime(c.end); got != c.want {
			t.Errorf("%s: up %d, want %d", c.name, got, c.want)
		}
	}
}

// Faults injected at the same instant share their window's loss: each is
// blamed for its share, and the shares add up to the loss after the first
// fault.
func TestFaultLoss(t *testing.T) {
	r := &Result{Faults: []Fault{
		{ID: "f1", At: 10, Loss: Loss{Lost: 100}},
		{ID: "f2", At: 20, Loss: Loss{Lost: 90}}, // f2 and f3 share one window of 90
		{ID: "f3", At: 20, Loss: Loss{Lost: 90}},
		{ID: "f4", At: 30, Loss: Loss{Lost: 0}},
	}}
	got := r.FaultLoss()
	want := []float64{100, 45, 45, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("FaultLoss = %v, want %v", got, want)
			break
		}
	}
}

func TestParseCampaign(t *testing.T) {
	for _, c := range []struct {
		e     CampaignExpect
		field string // "" = valid
	}{
		{CampaignExpect{Metric: "availability", Demand: "d", Min: "99.99%"}, ""},
		{CampaignExpect{Metric: "downtime", Max: "52m"}, ""},
		{CampaignExpect{Metric: "failover.p99", Max: "1s"}, ""},
		{CampaignExpect{Metric: "p_failover_over", Over: "1s", Max: "1%"}, ""},
		{CampaignExpect{Metric: "p_failover_over", Max: "1%"}, "over"},
		{CampaignExpect{Metric: "failover.p99", Over: "1s", Max: "1s"}, "over"},
		{CampaignExpect{Metric: "failover.p99", Demand: "d", Max: "1s"}, "demand"},
		{CampaignExpect{Metric: "availability"}, "metric"},
		{CampaignExpect{Metric: "availability", Min: "2GB"}, "min"},
		{CampaignExpect{Metric: "availability", Min: "90%", Max: "80%"}, "min"},
		{CampaignExpect{Metric: "nines", Min: "4"}, "metric"},
	} {
		_, b, errs := ParseCampaign(c.e)
		switch {
		case c.field == "" && len(errs) > 0:
			t.Errorf("%s: %v", c.e.Name(), errs[0])
		case c.field != "" && (len(errs) == 0 || errs[0].Field != c.field):
			t.Errorf("%s: errors %v, want one on %q", c.e.Name(), errs, c.field)
		}
		if c.e.Metric == "p_failover_over" && c.field == "" && b.Over != 1e9 {
			t.Errorf("over = %d, want 1s", b.Over)
		}
	}
	if n := (CampaignExpect{Metric: "p_failover_over", Over: "1s", Max: "1%"}).Name(); n != "p_failover_over{over=1s} ≤ 1%" {
		t.Errorf("Name = %q", n)
	}
}
