// Package flow is netdrill's fluid data plane: given the forwarding state
// (a Forwarder over the fabric's FIBs), link states and capacities, pools
// and demands, it computes every demand's delivered rate and its loss by
// cause, the load on every link and pool, and exact byte integrals.
//
// # Use
//
//	n := flow.NewNetwork(fwd)                    // fwd implements Lookup
//	a := n.AddNode("aws-use1", awsPrefixes)      // owns prefixes: destination
//	r := n.AddNode("aws-edge-1", nil)            // transit
//	l := n.AddLink("xc-1", r, s, 10e9)           // full duplex, bits/s each way
//	p := n.AddPool("iad-pool", 40e9, []flow.LinkID{l, …})
//	d := n.AddDemand("repl", a, dstAddr, 12e9)
//	n.SetTracer(tr)
//	n.Recompute(0)                               // first: traces everything
//	…                                            // at each event that changes something:
//	n.SetLinkState(l, flow.Down, 0); n.RoutesChanged(r) // or RoutesChangedPrefix
//	n.Recompute(eng.Now())                       // after all changes of the instant
//	n.Recompute(end)                             // closes the byte integrals
//	n.Demand(d).Bytes.Lost[flow.Blackhole]
//
// # Walk
//
// Each demand's traffic is followed from its ingress node with
// Forwarder.Lookup. Arriving at a node that owns the destination address
// (a prefix given to AddNode contains it) delivers it; the ingress may be
// that node. A node with no route loses the traffic as NoRoute. ECMP
// splits evenly over the hops Lookup returns. A hop over a link that is
// Down loses its share as Blackhole (the FIB still points into a dead
// path); the link carries nothing. A hop that arrives back at a node
// already on the traffic's own path loses it as Loop; the links crossed
// up to that point carry it once (a fluid model of a loop, not TTL
// expiry: real looping traffic would cross the loop many times).
//
// Forwarding is per destination and memoryless, so when the reachable
// forwarding graph has no cycle the walk merges traffic at nodes (exact,
// linear in the graph); with a cycle it unrolls the tree of paths so
// "revisits its own path" is judged per path (capped at 16384 tree nodes;
// beyond that exactly the depth-first back edges count as loops).
//
// The walk depends only on forwarding state, node ownership and the demand
// itself. It continues past Down links (their share is zero while down),
// so link state changes never need a re-walk.
//
// # Capacity
//
// A link's capacity applies to each direction on its own (full duplex);
// direction 0 is a→b as given to AddLink. A pool caps, per direction, what
// its member links carry in that direction (a→b of every member is the
// pool's direction 0, so the fabric should orient a pool's links the same
// way) plus its background tenant load, which is offered in each direction
// (symmetric tenants). Along a hop, traffic meets the link's queue first,
// then each pool of the link (in PoolID order), then the wire's silent
// loss. Each of these resources is offered what survived upstream.
//
// Inelastic (default): a resource offered more than its capacity keeps
// the share capacity/offered of everything offered there (background
// included) and drops the rest as Congestion; downstream resources see the
// reduced rate. This is a fixed point, found by iterating from "nothing
// dropped": it is exact after depth+1 rounds when congested resources do
// not feed each other in a cycle (the usual case, and the quad's). When
// they do (a loop over a congested link, or demands crossing congested
// links in opposite orders), Anderson acceleration brings it within 1e-12
// of every share (0.01 bit/s at 10G) in tens of rounds; after 100 rounds it
// stops (Stats.Unconverged; not seen in the tests).
//
// Elastic (SetElastic(true)): demands behave like congestion-controlled
// aggregates. Each sends x ≤ offered, split over its walk in fixed shares;
// x is the max-min fair allocation over all link and pool directions
// (progressive filling). A pool's background load is one more sender per
// direction, on that pool alone: demands and tenants get max-min fair
// shares, none is served first. No packet is dropped to congestion; a
// demand's Congestion loss is offered − x (bytes it wanted to send and
// could not), a background's dropped share is what it offered beyond its
// share.
//
// # Rates, bytes and precision
//
// Results are rounded to whole bits/s, a demand's with the largest-
// remainder method so that Delivered + Σ Lost == Offered exactly. These
// rounded rates are what is traced and what is integrated: rates are
// piecewise constant between Recomputes, so bytes = rate × Δt / 8 is kept
// exactly, as a 128-bit count of bit·nanoseconds, and the integral of the
// trace's flow.rate records equals the bytes reported here. Converting to
// float64 bytes for read-out is the only rounding (relative 2⁻⁵²).
// Offered rates below 0.5 bit/s round to 0.
//
// # Trace
//
// At each Recompute that changes something, in this order and each by ID:
//   - flow.rate (subject: demand): offered, delivered, then one key per
//     cause with a non-zero rate, in Cause order — once at the first
//     Recompute (or when the demand is added), then whenever a rounded rate
//     changes;
//   - link.load (subject: link): load (the larger direction's offered
//     rate), capacity, dropped (congestion drop rate, both directions) —
//     initially and whenever one of them changes;
//   - pool.load (subject: pool): load (larger direction, background
//     included), capacity, background, dropped (both directions,
//     background included) — likewise.
//
// All values are float64 bits/s holding whole numbers.
//
// # Incremental work and cost
//
// RoutesChanged(node) re-walks only the demands whose walk called Lookup
// at node; RoutesChangedPrefix(node, p) only those of them whose
// destination is in p (the finer notification: a FIB's per-prefix change
// callback can call it directly). Link, pool and rate changes re-walk
// nothing. Every Recompute with a change re-solves all demands (measured:
// a solve round over 1,000 walks costs ~0.1 ms, a walk ~0.5 µs plus its
// Lookups): O(rounds × Σ walk sizes), rounds being 1 when nothing is
// congested and depth+2 when congestion is acyclic. A Recompute with
// nothing changed costs O(1); byte integrals are closed lazily when a
// rate changes.
//
// # Determinism
//
// No maps, no goroutines, no clock: demands are walked and solved in ID
// order and records are emitted in ID order, so the same calls give the
// same results and trace, bit for bit.
package flow
