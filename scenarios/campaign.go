package scenarios

import (
	"fmt"

	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/topology"
)

// readCampaign reads the optional [campaign] table: its [[campaign.expect]]
// expectations, checked by `netdrill chaos` over a campaign of trials
// (single runs ignore them). demands are the scenario's demand names.
func readCampaign(root *topology.Table, name string, demands map[string]bool) []metrics.CampaignExpect {
	c, ok := root.Sub("campaign")
	if !ok {
		return nil
	}
	var out []metrics.CampaignExpect
	for _, t := range c.Tables("expect") {
		e := metrics.CampaignExpect{Metric: t.Name("metric")}
		e.Demand, _ = t.Str("demand")
		e.Over = bound(t, "over")
		e.Min = bound(t, "min")
		e.Max = bound(t, "max")
		if e.Demand != "" && !demands[e.Demand] {
			t.Errorf("demand", "unknown demand %q", e.Demand)
		}
		t.Done()
		_, _, errs := metrics.ParseCampaign(e)
		for _, fe := range errs {
			t.Errorf(fe.Field, "%v", fe.Err)
		}
		e.Where = fmt.Sprintf("%s [%s]", name, t.Path())
		out = append(out, e)
	}
	c.Done()
	return out
}
