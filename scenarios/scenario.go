// Package scenarios reads scenario files, runs them on the simulator and
// turns the recorded trace into metrics, expectation outcomes and reports.
//
// A scenario names a topology (by path, relative to the scenario file),
// a seed, a duration, traffic demands, faults and expectations. The runner
// first brings the network up and lets BGP converge (the warm-up, not
// traced); scenario time 0 is the converged network with traffic flowing.
package scenarios

import (
	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// Scenario is one validated scenario.
type Scenario struct {
	File         string // where it was read from (for messages)
	SHA256       string // hex sha256 over the scenario file's bytes and its topology file's
	Name         string
	Description  string
	TopologyPath string // as written in the file
	Topology     *topology.Topology
	Seed         uint64
	Duration     sim.Time
	Settle       sim.Time // failover settle window (default 1s)
	MaxWarmup    sim.Time // give up if BGP has not converged by then (default 30m)
	MaxEvents    uint64   // guard against runs that never settle (default 50M)
	Traffic      []Traffic
	Faults       []faults.Fault
	Random       []faults.ClassSpec // stochastic faults drawn over the run
	Tenants      []TenantProfile    // time profiles of background tenants' load
	Elastic      bool               // share bottlenecks max-min fairly instead of dropping proportionally
	Expect       []metrics.Expect
	// Campaign are the [[campaign.expect]] expectations, checked over a
	// chaos campaign (netdrill chaos); single runs ignore them.
	Campaign  []metrics.CampaignExpect
	MaxFaults int // bound on scripted plus expected random faults (DefaultMaxFaults)

	// Warnings: input that is legal but probably a mistake (the
	// topology's included), each "file:line:col: key: warning: …".
	Warnings []*topology.Error
}

// Traffic is one demand: from a site to a site or prefix at a rate, with an
// optional profile of later rate changes.
type Traffic struct {
	Name    string
	From    string
	To      string
	Rate    float64 // bits/s
	Profile []RatePoint
}

// TenantProfile changes a topology tenant's background load over time.
type TenantProfile struct {
	Name    string
	Profile []RatePoint
}

// RatePoint changes a rate at a time.
type RatePoint struct {
	At   sim.Time
	Rate float64
}

// Defaults for the optional scenario keys.
const (
	DefaultSettle    = sim.Second
	DefaultMaxWarmup = 30 * sim.Minute
	DefaultMaxEvents = 50_000_000
)
