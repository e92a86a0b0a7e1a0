// Package gen makes synthetic topologies and a scenario for them, as the
// ordinary TOML text that `netdrill topology validate` and `netdrill run`
// read: large fabrics for the benchmarks and for users sizing their own
// designs. Output depends only on Options: the same options (seed
// included) give byte-identical files.
//
// # Kinds
//
// quad-mesh: N sites, every pair of them joined by the AWS↔GCP quad shape
// (examples/topologies/aws-gcp-quad.toml): two facilities, four router
// pairs, four 10G MACsec channels, one eBGP session per channel. A full
// mesh is what a multi-region, multi-cloud backbone buys (every region
// reaches every other directly, with transit through a third as the
// fallback); Shape "ring" joins site i to site i+1 only, for long paths
// and few routers. Routers: 4·N·(N−1) (full), 8·N (ring, N ≥ 3).
//
// leaf-spine: one POP over two facilities (halls): S spines that are the
// route reflectors (in-path, iBGP, every leaf their client) and N racks,
// each a site of its own (its private ASN originates its prefixes)
// dual-homed to two leaves, one per facility; every leaf links to every
// spine. Leaves are in the POP's AS and ECMP over all spines; spines ECMP
// over a rack's two leaves. Routers: S + 2·N. Each spine is a site of its
// own (pop-spineI, no prefixes) whose router has role "core": the site
// gets no hub (a hub would reflect between the routers of its site), so
// nothing offers a shortcut around the fabric.
//
// as-graph: an AS-level Barabási–Albert graph (m = 2): three tier-1 ASes
// peering in a triangle, then each new AS links to two distinct existing
// ASes chosen with probability proportional to their degree (edges:
// 3 + 2·(N−3)). Each AS is a site with one border router of role "core":
// it originates the AS's prefixes itself, and the site has no hub (a hub
// would hold a second copy of every route). Relationships:
// a new AS's first link goes to its provider; its second is a peering
// when the two are of similar size (the newer one's final degree at least
// half the older one's) and a provider link otherwise, so providers are
// always older and the customer→provider graph has no cycle.
// Gao–Rexford policies: LOCAL_PREF customer 200 > peer 100 > provider 50;
// routes learned from a peer or provider are tagged on import with the
// community 65002:I or 65003:I (I the AS's index) and denied on export to
// peers and providers; routes from customers and the AS's own go to all.
// These conditions guarantee convergence (Gao & Rexford 2001).
//
// # Prefixes
//
// /24s in sequence from 10.0.0.0 (10.0.0.0/24, 10.0.1.0/24, … past
// 10.255.255.0/24 into 11.0.0.0/8 and on), P per site in site order, never
// aggregated; at most 4,194,304 in all.
//
// # Cost
//
// Generation is O(routers + links + sessions + prefixes) in time and
// memory (the Barabási–Albert draw samples from the list of edge ends, so
// it is O(N·m) with rejection of a repeated target).
package gen
