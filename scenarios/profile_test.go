package scenarios

import (
	"fmt"
	"math"
	"testing"

	"github.com/netdrill/netdrill/topology"
)

// A background tenant's load follows its profile: at 2m the other tenants
// on the quad's 40G pool jump from 16G to 34G, at 6m they fall back.
// Inelastic (the default): 34 + 12 = 46G offered for 40G, every flow keeps
// 40/46, so replication loses 12 × 6/46 G for 240s:
// 12e9 × 6/46 × 240 / 8 = 46.956… GB.
// Elastic: max-min fair shares between the demand and the tenant (one
// sender per pool direction): the fair share is 40/2 = 20G ≥ 12G, so
// replication keeps its 12G and loses nothing (the tenant gets 28G). At
// 24Gbps replication is capped at its 20G share and loses 4G for 240s:
// 4e9 × 240 / 8 = 120 GB.
func TestTenantProfileElasticAndInelastic(t *testing.T) {
	src := `name = "tenant surge"
topology = "aws-gcp-quad.toml"
seed = 1
duration = "10m"
%s
[[traffic]]
name = "replication"
from = "aws-use1"
to = "gcp-us-east4"
rate = "%s"

[[tenant]]
name = "aws-gcp-background"
profile = [{ at = "2m", rate = "34Gbps" }, { at = "6m", rate = "16Gbps" }]
`
	for _, tc := range []struct {
		elastic, rate string
		want          float64
	}{
		{"", "12Gbps", 12e9 * 6 / 46 * 240 / 8},
		{"elastic = true", "12Gbps", 0},
		{"elastic = true", "24Gbps", 4e9 * 240 / 8},
	} {
		sc, err := Parse("s.toml", []byte(fmt.Sprintf(src, tc.elastic, tc.rate)), func(rel string) (*topology.Topology, error) {
			return topology.Load("../examples/topologies/" + rel)
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := res.Metrics.Demands[0].Loss.Lost
		if math.Abs(got-tc.want) > 1e-6*tc.want+1 {
			t.Errorf("%q: lost %v bytes, want %v", tc.elastic, got, tc.want)
		}
	}
}
