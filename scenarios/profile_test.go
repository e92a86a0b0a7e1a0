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
// Elastic: max-min shares with the background served first (the other
// tenants' traffic is not ours to shape), replication gets 40 − 34 = 6G and
// loses 6G for 240s: 6e9 × 240 / 8 = 180 GB.
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
rate = "12Gbps"

[[tenant]]
name = "aws-gcp-background"
profile = [{ at = "2m", rate = "34Gbps" }, { at = "6m", rate = "16Gbps" }]
`
	for _, tc := range []struct {
		elastic string
		want    float64
	}{
		{"", 12e9 * 6 / 46 * 240 / 8},
		{"elastic = true", 6e9 * 240 / 8},
	} {
		sc, err := Parse("s.toml", []byte(fmt.Sprintf(src, tc.elastic)), func(rel string) (*topology.Topology, error) {
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
		if math.Abs(got-tc.want) > 1e-6*tc.want {
			t.Errorf("%q: lost %v bytes, want %v", tc.elastic, got, tc.want)
		}
	}
}
