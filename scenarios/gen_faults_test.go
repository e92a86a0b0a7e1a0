package scenarios

import (
	"testing"

	"github.com/netdrill/netdrill/topology"
	"github.com/netdrill/netdrill/topology/gen"
)

// Every fault kind netdrill gen offers gives a scenario the loader accepts
// (its keys checked against the fault registry).
func TestGenFaultKindsLoad(t *testing.T) {
	for _, kind := range gen.FaultKinds() {
		out, err := gen.Generate(gen.Options{Kind: gen.QuadMesh, Sites: 2, Prefixes: 1, Fault: kind, TopologyFile: "topology.toml"})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		_, err = Parse("scenario.toml", out.Scenario, func(string) (*topology.Topology, error) {
			return topology.Parse("topology.toml", out.Topology)
		})
		if err != nil {
			t.Errorf("--fault %s: the generated scenario does not load:\n%v", kind, err)
		}
	}
}
