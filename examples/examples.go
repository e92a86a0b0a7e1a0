// Package examples embeds the example topologies and scenarios, so that
// `netdrill run` with no arguments runs the main example on any machine.
// The files are real, commented inputs: the README and the tests use them.
package examples

import "embed"

// FS holds topologies/*.toml and scenarios/*.toml.
//
//go:embed topologies/*.toml scenarios/*.toml
var FS embed.FS

// Default is the scenario `netdrill run` runs with no arguments: the quad
// AWS↔GCP interconnect losing a facility at peak.
const Default = "scenarios/facility-loss-at-peak.toml"
