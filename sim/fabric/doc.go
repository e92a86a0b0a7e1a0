// Package fabric wires the network model together: it builds, from a
// validated topology, one BGP speaker and one FIB per router, one link per
// topology link or LAG, one BFD session per BFD-enabled BGP session, and the
// fluid data plane; it delivers BGP messages over links with their latency
// and loss, turns carrier loss and BFD detection into session teardown, and
// offers the operations faults and operators act through.
//
// Sites: every site becomes a hub node that originates the site's prefixes
// and has an iBGP session to each router of the site (the hub reflects, the
// routers set next-hop-self), over an internal attachment with no capacity
// limit. The hub stands for what the provider or the customer has behind its
// edge routers — a Direct Connect gateway / Transit Gateway, a Cloud Router
// and VPC, a data-centre core — and it is where a demand enters and leaves.
//
// Nothing here schedules anything on its own except the consequences of an
// operation: carrier delay, message latency, BFD timers, BGP timers, FIB
// programming and the data-plane recomputation at the instant of a change.
package fabric
