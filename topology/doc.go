// Package topology reads netdrill topology files into one validated,
// immutable model that the simulator, the fault catalogue and the analysis
// read. It imports no other netdrill package.
//
// # Formats
//
// The explicit format lists [[site]], [[facility]], [[router]], [[link]],
// [[lag]], [[session]], [[pool]], [[tenant]] and [[demand]] tables, with
// [defaults.bgp], [defaults.bfd], [defaults.link], [defaults.router] and
// [defaults.lag] in between the provider profiles and the items: a value on
// an item beats [defaults.*], which beats the router's provider profile
// (see Profiles and profiles.go, where every value cites its source).
//
// The intent format, [[interconnect]], says what a user buys (kinds
// aws-gcp-multicloud, dx-classic, gcp-dedicated-99.99, expressroute,
// vpn-backup) and expands, deterministically and with predictable names,
// into the explicit items. WriteTOML prints the explicit form of any
// Topology; loading it gives an equal Topology.
//
// Units are text: durations are Go duration strings ("90s", "300ms"),
// bandwidths "10Gbps" (bps, kbps, Mbps, Gbps, Tbps; powers of 1000), sizes
// "2GB" (B, kB, MB, GB, TB; decimal, no GiB).
//
// # Errors
//
// Load and Parse report every problem at once as a *ErrorList, each Error
// with file, line, column and key path ("link[3].b", array indices 0-based):
// TOML syntax, unknown keys, wrong types, bad units, unknown references,
// duplicate names, invalid prefixes, out-of-range ASNs, hold below three
// keepalives, and so on. They never panic on any input (FuzzParse).
//
// BurntSushi/toml parses the document into a generic map; a small second
// scanner (positions.go) records where every key path starts, because the
// library keeps key positions private and, for arrays of tables, only one
// position per key name; and decoding into structs would stop at the first
// type error.
//
// # Analysis
//
// Analyze answers the cheap first questions of a design review with
// gonum/graph: per site pair and per demand, link- and node-disjoint path
// counts, facility diversity, single points of failure (links, routers,
// facilities, SRLGs), and the raw capacity left after each single facility
// or SRLG loss. See analyze.go for the graph it builds and its cost.
package topology
