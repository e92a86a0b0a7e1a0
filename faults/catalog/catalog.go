// Package catalog is the one registry of fault and action kinds: for each
// kind its target class, its parameters (type, unit, default, whether
// required), a one-line doc and an example. The faults package validates
// and applies faults by it, the scenario loader checks each [[fault]]'s
// keys against it, `netdrill faults` prints it, and a test keeps the
// README's list equal to it.
//
// It imports no simulator package (only topology, for the unit grammar),
// so that anything that lists or checks faults — the loader, the terminal
// UI, documentation — can use it without the simulator.
package catalog

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/netdrill/netdrill/topology"
)

// Target is the class of component a kind's `target` names.
type Target string

// Target classes.
const (
	TargetLink       Target = "link"        // a link or a LAG
	TargetMemberLink Target = "member link" // a member link of a LAG
	TargetRouter     Target = "router"
	TargetSession    Target = "session" // a BGP session, by name
	TargetSite       Target = "site"
	TargetFacility   Target = "facility"
	TargetSRLG       Target = "srlg" // a shared-risk group named on links
	TargetPool       Target = "pool"
	TargetProvider   Target = "provider" // a provider named by sites
	TargetLocation   Target = "location" // a facility, or a metro (every facility in it)
	TargetFault      Target = "fault"    // an earlier fault or step, by id
)

// Type is the type of a parameter's value.
type Type string

// Parameter types. Durations, bandwidths and ratios use the unit grammar
// of topology/units.go.
const (
	Duration  Type = "duration"  // a Go duration string, "10s"
	Bandwidth Type = "bandwidth" // a string with a decimal unit, "4Gbps"
	Ratio     Type = "ratio"     // a fraction 0.3 or a percentage "30%"
	Int       Type = "int"       // a TOML integer in [Min, Max]
	Bool      Type = "bool"      // a TOML boolean
	String    Type = "string"    // a TOML string
	Prefix    Type = "prefix"    // a CIDR prefix string, "10.2.0.0/17"
	Strings   Type = "strings"   // a TOML array of strings
	Choice    Type = "choice"    // a TOML string, one of Choices
)

// Param is one key of a [[fault]] table.
type Param struct {
	Name     string `json:"name"`
	Type     Type   `json:"type"`
	Unit     string `json:"unit,omitempty"`     // for display: "bit/s", "share of packets"; "" if none
	Default  string `json:"default,omitempty"`  // a literal in the key's own syntax, applied when the key is absent; "" = none
	Implied  string `json:"implied,omitempty"`  // a default that is not a literal ("the site's first prefix"); for display
	Required bool   `json:"required,omitempty"` // the kind cannot do without it
	Min      int64  `json:"min,omitempty"`      // bounds of an Int
	Max      int64  `json:"max,omitempty"`
	Doc      string `json:"doc"`
	// Choices are the values a Choice takes.
	Choices []string `json:"choices,omitempty"`
}

// Kind is one fault or operator action kind.
type Kind struct {
	Name   string `json:"name"`
	Target Target `json:"target"`
	Action bool   `json:"action,omitempty"` // an operator action rather than a failure
	// TargetKey, when set, is the key the target is written under instead
	// of `target` (a provider's own parameter name, such as
	// virtualInterfaceId).
	TargetKey string  `json:"target_key,omitempty"`
	Params    []Param `json:"params"`
	// NoRepair, when not empty, says why the kind takes no `repair` key
	// (it ends by itself).
	NoRepair string `json:"no_repair,omitempty"`
	Doc      string `json:"doc"`
	Example  string `json:"example"` // a [[fault]] table, as inline TOML
}

// Common are the keys every [[fault]] takes (repair unless NoRepair).
var Common = []Param{
	{Name: "id", Type: String, Implied: "f1, f2, … in file order", Doc: "name used by [[expect]] fault selectors and in the trace"},
	{Name: "kind", Type: String, Required: true, Doc: "the fault kind, one of the catalogue"},
	{Name: "target", Type: String, Required: true, Doc: "the component hit, of the kind's target class"},
	{Name: "at", Type: Duration, Unit: "scenario time", Required: true, Doc: "when it is injected; 0 is the converged network"},
	{Name: "repair", Type: Duration, Unit: "after at", Implied: "never repaired", Doc: "how long after at it is repaired"},
}

// Kinds is the catalogue, in the order it is listed.
var Kinds = []Kind{
	{Name: "link-down", Target: TargetLink,
		Params: []Param{{Name: "end", Type: String, Default: "both",
			Doc: `"both": carrier lost at both ends; "a" or "b": that end is admin-down (its sessions drop at once), the other sees carrier loss after the link's carrier delay`}},
		Doc:     "carrier lost at both ends (or admin-down at one): BFD and BGP see it at once",
		Example: `{ at = "2m", kind = "link-down", target = "aws-gcp-ch3", repair = "6m" }`},
	{Name: "link-silent", Target: TargetLink,
		Params:  []Param{{Name: "loss", Type: Ratio, Unit: "share of packets", Default: "100%", Doc: "share of packets lost, in (0, 1]"}},
		Doc:     "interfaces stay up but a share of packets is lost: only BFD or the hold timer notices",
		Example: `{ at = "2m", kind = "link-silent", target = "aws-gcp-ch1", loss = "100%", repair = "3m" }`},
	{Name: "link-degrade", Target: TargetLink,
		Params: []Param{
			{Name: "capacity", Type: Bandwidth, Unit: "bit/s", Implied: "unchanged", Doc: "new capacity (capacity or latency, or both)"},
			{Name: "latency", Type: Duration, Implied: "unchanged", Doc: "new one-way latency"},
		},
		Doc:     "capacity and/or latency change; routing does not notice",
		Example: `{ at = "2m", kind = "link-degrade", target = "aws-gcp-ch1", capacity = "4Gbps", repair = "5m" }`},
	{Name: "link-flap", Target: TargetLink,
		Params: []Param{
			{Name: "period", Type: Duration, Required: true, Doc: "time down, then time up"},
			{Name: "count", Type: Int, Default: "1", Min: 1, Max: 1_000_000, Doc: "number of flaps"},
		},
		NoRepair: "it is up again after count flaps of period down and period up",
		Doc:      "down for period, up for period, count times",
		Example:  `{ at = "2m", kind = "link-flap", target = "aws-gcp-ch2", period = "10s", count = 3 }`},
	{Name: "macsec-key-mismatch", Target: TargetLink,
		Doc:     "up at layer 1, carries nothing (a fail-closed MACsec link)",
		Example: `{ at = "2m", kind = "macsec-key-mismatch", target = "aws-gcp-ch2", repair = "2m" }`},
	{Name: "lag-member-down", Target: TargetMemberLink,
		Doc:     "one member of a bundle fails: the LAG loses its capacity, and goes down below min_links",
		Example: `{ at = "2m", kind = "lag-member-down", target = "m11", repair = "5m" }`},
	{Name: "router-crash", Target: TargetRouter,
		Doc:     "the box is gone: its links lose carrier, its sessions drop",
		Example: `{ at = "2m", kind = "router-crash", target = "aws-gcp-aws-r1", repair = "10m" }`},
	{Name: "router-reboot", Target: TargetRouter,
		NoRepair: "it is back after the router's boot time (boot_time)",
		Doc:      "crash, then back after the router's boot time",
		Example:  `{ at = "4m", kind = "router-reboot", target = "aws-gcp-aws-r2" }`},
	{Name: "routing-process-crash", Target: TargetRouter,
		Doc:     "the routing daemon dies: peers notice at once, the stale FIB keeps forwarding",
		Example: `{ at = "2m", kind = "routing-process-crash", target = "aws-gcp-aws-r1", repair = "1m" }`},
	{Name: "control-plane-hang", Target: TargetRouter,
		Doc:     "BGP stops, forwarding goes on; BFD stays up only if offloaded",
		Example: `{ at = "2m", kind = "control-plane-hang", target = "aws-gcp-aws-r1", repair = "3m" }`},
	{Name: "control-plane-restart", Target: TargetRouter,
		Params: []Param{
			{Name: "graceful", Type: Bool, Default: "false", Doc: "with BGP graceful restart: peers keep its routes while it restarts"},
			{Name: "downtime", Type: Duration, Default: "30s", Doc: "time until the process is back"},
		},
		Doc:     "the routing process restarts, gracefully or not",
		Example: `{ at = "2m", kind = "control-plane-restart", target = "aws-gcp-aws-r1", graceful = true, downtime = "45s" }`},
	{Name: "session-reset", Target: TargetSession,
		NoRepair: "a reset is instantaneous; the session re-establishes by itself",
		Doc:      "administrative reset of one BGP session",
		Example:  `{ at = "2m", kind = "session-reset", target = "aws-gcp-bgp1" }`},
	{Name: "prefix-withdraw", Target: TargetSite,
		Params:  []Param{{Name: "prefix", Type: Prefix, Implied: "the site's first prefix", Doc: "the prefix the site stops announcing"}},
		Doc:     "an origin stops announcing one of its prefixes",
		Example: `{ at = "2m", kind = "prefix-withdraw", target = "gcp-us-east4", prefix = "10.2.0.0/16", repair = "5m" }`},
	{Name: "route-leak", Target: TargetRouter,
		Params:  []Param{{Name: "prefix", Type: Prefix, Required: true, Doc: "the leaked prefix, announced by the router as its own"}},
		Doc:     "a router announces a prefix it should not",
		Example: `{ at = "2m", kind = "route-leak", target = "aws-gcp-aws-r1", prefix = "10.2.0.0/17", repair = "5m" }`},
	{Name: "max-prefix-exceeded", Target: TargetSession,
		Doc:     "the peer sends more prefixes than the session's max_prefix (on its A end): the session is torn down",
		Example: `{ at = "2m", kind = "max-prefix-exceeded", target = "a1~g1", repair = "5m" }`},
	{Name: "facility-down", Target: TargetFacility,
		Doc:     "every router and link in a building fails at once",
		Example: `{ at = "2m", kind = "facility-down", target = "aws-gcp-fac1", repair = "5m" }`},
	{Name: "srlg-down", Target: TargetSRLG,
		Doc:     "every link in a shared-risk group (a conduit, a bridge) fails at once",
		Example: `{ at = "5m", kind = "srlg-down", target = "ashburn-conduit-7", repair = "30m" }`},
	{Name: "pool-surge", Target: TargetPool,
		Params:  []Param{{Name: "rate", Type: Bandwidth, Unit: "bit/s", Required: true, Doc: "load added to the pool"}},
		Doc:     "a neighbour's load on a shared capacity pool jumps",
		Example: `{ at = "2m", kind = "pool-surge", target = "aws-gcp-pool", rate = "20Gbps", repair = "4m" }`},
	{Name: "provider-control-plane-outage", Target: TargetProvider,
		Doc:     "a provider's routers stop processing BGP (forwarding and BFD go on)",
		Example: `{ at = "2m", kind = "provider-control-plane-outage", target = "gcp", repair = "5m" }`},
	{Name: "drain", Target: TargetRouter, Action: true,
		Params:  []Param{{Name: "prepend", Type: Int, Default: "3", Min: 1, Max: 32, Doc: "AS-path prepends towards eBGP peers (LOCAL_PREF 0 towards iBGP)"}},
		Doc:     "operator action: move traffic off a router before maintenance",
		Example: `{ at = "2m", kind = "drain", target = "aws-gcp-aws-r2", prepend = 3, repair = "10m" }`},
	{Name: "drain-gshut", Target: TargetRouter, Action: true,
		Doc:     "operator action: drain a router by tagging its routes with the graceful-shutdown community 65535:0 (RFC 8326): receivers set LOCAL_PREF 0",
		Example: `{ at = "2m", kind = "drain-gshut", target = "aws-gcp-aws-r2", repair = "10m" }`},
	{Name: "facility-drain", Target: TargetFacility, Action: true,
		Params: []Param{
			{Name: "method", Type: Choice, Default: "prepend", Choices: []string{"prepend", "gshut"}, Doc: "prepend (AS-path towards eBGP, LOCAL_PREF 0 towards iBGP) or gshut (the 65535:0 community towards every peer)"},
			{Name: "prepend", Type: Int, Default: "3", Min: 1, Max: 32, Doc: "AS-path prepends towards eBGP peers (method prepend)"},
		},
		Doc:     "operator action: drain every router of a building before maintenance",
		Example: `{ at = "2m", kind = "facility-drain", target = "aws-gcp-fac2", method = "gshut", repair = "30m" }`},
	{Name: "local-pref", Target: TargetRouter, Action: true,
		Params:  []Param{{Name: "local_pref", Type: Int, Required: true, Min: 1, Max: 4294967295, Doc: "LOCAL_PREF the router sets on the routes it gives its iBGP peers (default 100: above prefers this exit, below avoids it)"}},
		Doc:     "operator action: shift traffic towards (or away from) a router's exit by LOCAL_PREF",
		Example: `{ at = "2m", kind = "local-pref", target = "dx-cust-r3", local_pref = 200, repair = "10m" }`},
	{Name: "raise-bandwidth", Target: TargetLink, Action: true,
		Params:  []Param{{Name: "capacity", Type: Bandwidth, Unit: "bit/s", Required: true, Doc: "the new capacity of the link or attachment"}},
		Doc:     "operator action: raise a link's or attachment's bandwidth (a repair returns it to nominal)",
		Example: `{ at = "2m", kind = "raise-bandwidth", target = "vpn-tun1", capacity = "5Gbps" }`},
	{Name: "link-up", Target: TargetLink, Action: true,
		Doc:     "operator action: bring up a link declared admin_down in the topology (a cold VPN backup); a repair takes it down again",
		Example: `{ at = "2m", kind = "link-up", target = "ch2", repair = "10m" }`},
	{Name: "repair", Target: TargetFault, Action: true,
		NoRepair: "it is itself a repair",
		Doc:      "operator action: repair an earlier fault (or end an action) now, whatever its own repair time",
		Example:  `{ at = "5m", kind = "repair", target = "f1" }`},
	{Name: "aws-dx-bgp-failover-test", Target: TargetLink, TargetKey: "virtualInterfaceId",
		Params: []Param{
			{Name: "bgpPeers", Type: Strings, Implied: "every BGP peer of the virtual interface", Doc: "the BGP sessions of the virtual interface to bring down (session names)"},
			{Name: "testDurationInMinutes", Type: Int, Default: "180", Min: 1, Max: 4320, Doc: "how long the peerings stay down (the API's default 180, at most 4320)"},
		},
		NoRepair: "it ends after testDurationInMinutes (a repair step stops it early, as StopBgpFailoverTest)",
		Doc:      "AWS Direct Connect's BGP failover test (StartBgpFailoverTest): the BGP peerings of a virtual interface, named by the connection that carries it, brought down for a duration",
		Example:  `{ at = "2m", kind = "aws-dx-bgp-failover-test", virtualInterfaceId = "dx-dx1", testDurationInMinutes = 5 }`},
	{Name: "azure-er-site-failover-test", Target: TargetLocation, TargetKey: "peeringLocation",
		Params:  []Param{{Name: "type", Type: Choice, Default: "SingleSiteFailover", Choices: []string{"SingleSiteFailover"}, Doc: "the simulation type (only SingleSiteFailover is modelled)"}},
		Doc:     "Azure ExpressRoute's site failover simulation (StartSiteFailoverTest): every eBGP peering at a peering location (a facility or a metro) brought down until stopped (repair)",
		Example: `{ at = "2m", kind = "azure-er-site-failover-test", peeringLocation = "iad", repair = "10m" }`},
}

// Lookup returns the kind named name.
func Lookup(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Names returns every kind name, in catalogue order.
func Names() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Name
	}
	return out
}

// UnknownKind is the error for a kind not in the catalogue (empty
// included), listing the catalogue.
func UnknownKind(name string) error {
	if name == "" {
		return fmt.Errorf("empty fault kind; want one of %s", strings.Join(Names(), ", "))
	}
	return fmt.Errorf("unknown fault kind %q; want one of %s", name, strings.Join(Names(), ", "))
}

// Param returns the parameter named name of k (common keys excluded).
func (k Kind) Param(name string) (Param, bool) {
	for _, p := range k.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// TargetName returns the key k's target is written under: TargetKey or
// "target".
func (k Kind) TargetName() string {
	if k.TargetKey != "" {
		return k.TargetKey
	}
	return "target"
}

// Keys returns every key a [[fault]] of kind k accepts: the common keys
// (without repair if NoRepair; target under its TargetKey), then k's
// parameters.
func (k Kind) Keys() []string {
	var out []string
	for _, p := range Common {
		if p.Name == "repair" && k.NoRepair != "" {
			continue
		}
		if p.Name == "target" {
			out = append(out, k.TargetName())
			continue
		}
		out = append(out, p.Name)
	}
	for _, p := range k.Params {
		out = append(out, p.Name)
	}
	return out
}

// Accepts reports whether a [[fault]] of kind k takes key.
func (k Kind) Accepts(key string) bool {
	for _, n := range k.Keys() {
		if n == key {
			return true
		}
	}
	return false
}

// Random reports whether [[random]] can draw faults of kind k: it needs no
// parameter that a random class cannot give, and it is not a planned step.
func (k Kind) Random() bool {
	// Steps that name another fault, a provider's tests and operator
	// actions other than a drain are planned, never drawn.
	if k.Target == TargetFault || k.TargetKey != "" || k.Action && k.Name != "drain" {
		return false
	}
	for _, p := range k.Params {
		if p.Required {
			return false
		}
	}
	return true
}

// Parse parses text in p's syntax (a default, or a key's string value).
// The value is a time.Duration, a float64 (bit/s or ratio), an int64, a
// bool, a string or a netip.Prefix.
func (p Param) Parse(s string) (any, error) {
	switch p.Type {
	case Duration:
		return topology.ParseDuration(s)
	case Bandwidth:
		v, err := topology.ParseBandwidth(s)
		return float64(v), err
	case Ratio:
		return topology.ParseRatio(s)
	case Int:
		var n int64
		if _, err := fmt.Sscan(s, &n); err != nil || fmt.Sprint(n) != strings.TrimSpace(s) {
			return nil, fmt.Errorf("invalid integer %q", s)
		}
		return n, nil
	case Bool:
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("invalid boolean %q", s)
	case Prefix:
		pf, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("invalid CIDR prefix %q", s)
		}
		return pf, nil
	case Choice:
		for _, c := range p.Choices {
			if c == s {
				return s, nil
			}
		}
		return nil, fmt.Errorf("invalid %s %q; want one of %s", p.Name, s, strings.Join(p.Choices, ", "))
	case Strings:
		var out []string
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out, nil
	}
	return s, nil
}

// DefaultText is the default as shown to users: the literal, the implied
// default, or "" when there is none.
func (p Param) DefaultText() string {
	if p.Default != "" {
		return p.Default
	}
	return p.Implied
}
