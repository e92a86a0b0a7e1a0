package faults

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology"
)

// Kind names a fault kind as written in scenario files.
type Kind string

// The catalogue.
const (
	LinkDown            Kind = "link-down"             // carrier lost at both ends
	LinkSilent          Kind = "link-silent"           // interfaces up, a share of packets lost (loss)
	LinkDegrade         Kind = "link-degrade"          // capacity and/or latency changed
	LinkFlap            Kind = "link-flap"             // down/up every period, count times
	MACsecKeyMismatch   Kind = "macsec-key-mismatch"   // up at layer 1, carries nothing
	LAGMemberDown       Kind = "lag-member-down"       // one member of a bundle
	RouterCrash         Kind = "router-crash"          // box gone; links lose carrier
	RouterReboot        Kind = "router-reboot"         // crash, back after the router's boot time
	ProcessCrash        Kind = "routing-process-crash" // daemon dies; peers notice at once; stale FIB forwards
	ControlPlaneHang    Kind = "control-plane-hang"    // BGP stops; forwarding on; BFD on only if offloaded
	ControlPlaneRestart Kind = "control-plane-restart" // process restart, graceful or not
	SessionReset        Kind = "session-reset"         // admin reset of one BGP session
	PrefixWithdraw      Kind = "prefix-withdraw"       // an origin stops announcing a prefix
	FacilityDown        Kind = "facility-down"         // every router and link in a building
	SRLGDown            Kind = "srlg-down"             // every link in a shared-risk group
	PoolSurge           Kind = "pool-surge"            // a tenant's load jumps on a pool
	ProviderOutage      Kind = "provider-control-plane-outage"
	RouteLeak           Kind = "route-leak"          // a router announces a prefix it should not
	MaxPrefixExceeded   Kind = "max-prefix-exceeded" // a peer sends more prefixes than the session accepts
	Drain               Kind = "drain"               // operator action: drain a router (prepend + LOCAL_PREF 0)
)

// Kinds lists the catalogue in a stable order.
var Kinds = []Kind{LinkDown, LinkSilent, LinkDegrade, LinkFlap, MACsecKeyMismatch, LAGMemberDown,
	RouterCrash, RouterReboot, ProcessCrash, ControlPlaneHang, ControlPlaneRestart, SessionReset,
	PrefixWithdraw, FacilityDown, SRLGDown, PoolSurge, ProviderOutage, RouteLeak, MaxPrefixExceeded, Drain}

// Fault is one validated fault.
type Fault struct {
	ID     string
	Kind   Kind
	Target string
	At     sim.Time
	Repair sim.Time // after At; 0 = never repaired

	Loss     float64      // link-silent: share of packets lost (default 1)
	Capacity float64      // link-degrade: new capacity, bits/s (0 = unchanged)
	Latency  sim.Time     // link-degrade: new latency (0 = unchanged)
	Period   sim.Time     // link-flap: time down then time up
	Count    int          // link-flap: number of flaps
	Graceful bool         // control-plane-restart: with graceful restart
	Downtime sim.Time     // control-plane-restart: time until the process is back (default 30s)
	Rate     float64      // pool-surge: added load, bits/s
	Prefix   netip.Prefix // prefix-withdraw: the prefix (default: the target site's first); route-leak: the leaked prefix
	Prepend  int          // drain: AS-path prepends towards eBGP peers (default 3)
}

func (f Fault) String() string {
	s := fmt.Sprintf("%s %s %s at %v", f.ID, f.Kind, f.Target, f.At)
	if f.Repair > 0 {
		s += fmt.Sprintf(", repaired after %v", f.Repair)
	}
	return s
}

// Validate checks a fault's target and parameters against the topology and
// returns every problem (messages name the offending key).
func Validate(f *Fault, top *topology.Topology) []error {
	var errs []error
	bad := func(key, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, a...)))
	}
	isLink := func(n string) bool {
		if _, ok := top.Link(n); ok {
			return true
		}
		_, ok := top.LAG(n)
		return ok
	}
	isRouter := func(n string) bool { _, ok := top.Router(n); return ok }
	if f.At < 0 {
		bad("at", "must not be negative")
	}
	if f.Repair < 0 {
		bad("repair", "must not be negative")
	}
	switch f.Kind {
	case LinkDown, LinkSilent, LinkDegrade, LinkFlap, MACsecKeyMismatch:
		if !isLink(f.Target) {
			bad("target", "unknown link or LAG %q%s", f.Target, topology.DidYouMean(f.Target, top.LinkNames()))
		}
	case LAGMemberDown:
		if l, ok := top.Link(f.Target); !ok || l.LAG == "" {
			bad("target", "%q is not a LAG member link", f.Target)
		}
	case RouterCrash, RouterReboot, ProcessCrash, ControlPlaneHang, ControlPlaneRestart, Drain, RouteLeak:
		if !isRouter(f.Target) {
			bad("target", "unknown router %q%s", f.Target, topology.DidYouMean(f.Target, top.RouterNames()))
		}
	case SessionReset:
		if _, ok := top.Session(f.Target); !ok {
			bad("target", "unknown session %q%s", f.Target, topology.DidYouMean(f.Target, top.SessionNames()))
		}
	case MaxPrefixExceeded:
		if s, ok := top.Session(f.Target); !ok {
			bad("target", "unknown session %q%s", f.Target, topology.DidYouMean(f.Target, top.SessionNames()))
		} else if s.A.MaxPrefix <= 0 {
			bad("target", "session %q has no max_prefix on its A end (%s)", f.Target, s.A.Router)
		}
	case PrefixWithdraw:
		s, ok := top.Site(f.Target)
		switch {
		case !ok:
			bad("target", "unknown site %q%s", f.Target, topology.DidYouMean(f.Target, top.SiteNames()))
		case !f.Prefix.IsValid() && len(s.Prefixes) == 0:
			bad("prefix", "site %q has no prefix to withdraw", f.Target)
		case !f.Prefix.IsValid():
			f.Prefix = s.Prefixes[0]
		case !slices.Contains(s.Prefixes, f.Prefix):
			bad("prefix", "site %q does not originate %v", f.Target, f.Prefix)
		}
	case FacilityDown:
		if _, ok := top.Facility(f.Target); !ok {
			bad("target", "unknown facility %q%s", f.Target, topology.DidYouMean(f.Target, top.FacilityNames()))
		}
	case SRLGDown:
		found := slices.Contains(top.SRLGs(), f.Target)
		if !found {
			bad("target", "no link is in shared-risk group %q%s", f.Target, topology.DidYouMean(f.Target, top.SRLGs()))
		}
	case PoolSurge:
		if _, ok := top.Pool(f.Target); !ok {
			bad("target", "unknown pool %q%s", f.Target, topology.DidYouMean(f.Target, top.PoolNames()))
		}
		if f.Rate <= 0 {
			bad("rate", "want a positive bandwidth such as \"4Gbps\"")
		}
	case ProviderOutage:
		found := false
		for _, s := range top.Sites {
			found = found || s.Provider == f.Target
		}
		if !found {
			bad("target", "no site has provider %q", f.Target)
		}
	default:
		names := make([]string, len(Kinds))
		for i, k := range Kinds {
			names[i] = string(k)
		}
		bad("kind", "unknown fault kind %q; want one of %s", f.Kind, strings.Join(names, ", "))
	}
	switch f.Kind {
	case LinkSilent:
		if f.Loss == 0 {
			f.Loss = 1
		}
		if f.Loss < 0 || f.Loss > 1 {
			bad("loss", "want a ratio in (0, 1], got %v", f.Loss)
		}
	case LinkDegrade:
		if f.Capacity <= 0 && f.Latency <= 0 {
			bad("capacity", "link-degrade needs capacity or latency")
		}
	case LinkFlap:
		if f.Period <= 0 {
			bad("period", "link-flap needs a positive period such as \"10s\"")
		}
		if f.Count <= 0 {
			f.Count = 1
		}
	case ControlPlaneRestart:
		if f.Downtime <= 0 {
			f.Downtime = 30 * sim.Second
		}
	case Drain:
		if f.Prepend == 0 {
			f.Prepend = 3
		}
		if f.Prepend < 0 || f.Prepend > 32 {
			bad("prepend", "want 1 to 32, got %d", f.Prepend)
		}
	case RouteLeak:
		if !f.Prefix.IsValid() {
			bad("prefix", "route-leak needs the leaked prefix, e.g. prefix = \"10.2.0.0/17\"")
		}
	}
	return errs
}

// Tracer receives fault records; it is the fabric's tracer in a run.
type Tracer = sim.Tracer

// Schedule arranges for f to be injected at f.At and repaired at
// f.At+f.Repair on the fabric's engine, tracing both.
func Schedule(fab *fabric.Fabric, f Fault, tr Tracer) error {
	eng := fab.Engine()
	if err := eng.At(f.At, func() { inject(fab, f, tr) }); err != nil {
		return err
	}
	switch {
	case f.Kind == LinkFlap:
		// Down at At, up Period later, Count times; the last up is the repair.
		for i := 0; i < f.Count; i++ {
			down := f.At + sim.Time(2*i)*f.Period
			if i > 0 {
				_ = eng.At(down, func() { _, _ = apply(fab, f, true) })
			}
			last := i == f.Count-1
			_ = eng.At(down+f.Period, func() {
				t, _ := apply(fab, f, false)
				if last {
					trace(fab, f, tr, "fault.repair", t)
				}
			})
		}
	case f.Kind == RouterReboot:
		boot, _ := fab.BootTime(f.Target)
		_ = eng.At(f.At+boot, func() {
			t, _ := fab.RouterCrash(f.Target, false)
			trace(fab, f, tr, "fault.repair", t)
		})
	case f.Repair > 0:
		_ = eng.At(f.At+f.Repair, func() {
			t, _ := apply(fab, f, false)
			trace(fab, f, tr, "fault.repair", t)
		})
	}
	return nil
}

func inject(fab *fabric.Fabric, f Fault, tr Tracer) {
	t, err := apply(fab, f, true)
	if err != nil {
		// Validated beforehand; an error here is a bug, recorded in the trace.
		if tr != nil {
			tr.Trace(fab.Engine().Now(), "fault.error", f.ID, sim.A("error", err.Error()))
		}
		return
	}
	trace(fab, f, tr, "fault.inject", t)
}

func trace(fab *fabric.Fabric, f Fault, tr Tracer, kind string, t fabric.Touched) {
	if tr == nil {
		return
	}
	links, routers := t.Links, t.Routers
	if links == nil {
		links = []string{}
	}
	if routers == nil {
		routers = []string{}
	}
	tr.Trace(fab.Engine().Now(), kind, f.ID, sim.A("fault", string(f.Kind)), sim.A("target", f.Target),
		sim.A("links", links), sim.A("routers", routers))
}

// apply injects (on=true) or repairs (on=false) f.
func apply(fab *fabric.Fabric, f Fault, on bool) (fabric.Touched, error) {
	switch f.Kind {
	case LinkDown, LinkFlap:
		return fab.LinkDown(f.Target, on)
	case LinkSilent:
		loss := f.Loss
		if !on {
			loss = 0
		}
		return fab.LinkSilent(f.Target, loss)
	case LinkDegrade:
		return fab.LinkDegrade(f.Target, f.Capacity, f.Latency, !on)
	case MACsecKeyMismatch:
		return fab.LinkDark(f.Target, on)
	case LAGMemberDown:
		return fab.LAGMemberDown(f.Target, on)
	case RouterCrash, RouterReboot:
		return fab.RouterCrash(f.Target, on)
	case ProcessCrash:
		return fab.ProcessCrash(f.Target, on)
	case ControlPlaneHang:
		return fab.ControlPlaneHang(f.Target, on)
	case ControlPlaneRestart:
		if !on {
			return fabric.Touched{Routers: []string{f.Target}}, nil
		}
		return fab.ControlPlaneRestart(f.Target, f.Graceful, f.Downtime)
	case SessionReset:
		if !on {
			return fabric.Touched{}, nil
		}
		return fab.SessionReset(f.Target)
	case PrefixWithdraw:
		return fab.PrefixWithdraw(f.Target, f.Prefix, on)
	case FacilityDown:
		return fab.FacilityDown(f.Target, on)
	case SRLGDown:
		return fab.SRLGDown(f.Target, on)
	case PoolSurge:
		rate := f.Rate
		if !on {
			rate = 0
		}
		return fab.PoolSurge(f.Target, rate)
	case ProviderOutage:
		return fab.ProviderOutage(f.Target, on)
	case RouteLeak:
		return fab.RouteLeak(f.Target, f.Prefix, on)
	case MaxPrefixExceeded:
		return fab.MaxPrefixExceeded(f.Target, on)
	case Drain:
		return fab.Drain(f.Target, on, f.Prepend)
	}
	return fabric.Touched{}, fmt.Errorf("unknown fault kind %q", f.Kind)
}

// Targets lists every component of top that a fault of kind k can hit, in
// topology order: the default components of a random fault class.
func Targets(k Kind, top *topology.Topology) []string {
	var out []string
	switch k {
	case LinkDown, LinkSilent, LinkDegrade, LinkFlap, MACsecKeyMismatch:
		for _, l := range top.Links {
			if l.LAG == "" {
				out = append(out, l.Name)
			}
		}
		for _, g := range top.LAGs {
			out = append(out, g.Name)
		}
	case LAGMemberDown:
		for _, l := range top.Links {
			if l.LAG != "" {
				out = append(out, l.Name)
			}
		}
	case RouterCrash, RouterReboot, ProcessCrash, ControlPlaneHang, ControlPlaneRestart, Drain:
		for _, r := range top.Routers {
			out = append(out, r.Name)
		}
	case SessionReset:
		for _, s := range top.Sessions {
			out = append(out, s.Name)
		}
	case FacilityDown:
		for _, f := range top.Facilities {
			out = append(out, f.Name)
		}
	case SRLGDown:
		out = append(out, top.SRLGs()...)
	case PoolSurge:
		for _, p := range top.Pools {
			out = append(out, p.Name)
		}
	}
	return out
}
