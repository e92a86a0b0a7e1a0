package faults

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology"
)

// Kind names a fault kind as written in scenario files. Each constant is
// a kind of the registry (faults/catalog), which holds its target class,
// parameters, defaults and documentation; a test checks that every kind of
// the registry is implemented here.
type Kind string

// The kinds, as named in the registry.
const (
	LinkDown            Kind = "link-down"
	LinkSilent          Kind = "link-silent"
	LinkDegrade         Kind = "link-degrade"
	LinkFlap            Kind = "link-flap"
	MACsecKeyMismatch   Kind = "macsec-key-mismatch"
	LAGMemberDown       Kind = "lag-member-down"
	RouterCrash         Kind = "router-crash"
	RouterReboot        Kind = "router-reboot"
	ProcessCrash        Kind = "routing-process-crash"
	ControlPlaneHang    Kind = "control-plane-hang"
	ControlPlaneRestart Kind = "control-plane-restart"
	SessionReset        Kind = "session-reset"
	PrefixWithdraw      Kind = "prefix-withdraw"
	FacilityDown        Kind = "facility-down"
	SRLGDown            Kind = "srlg-down"
	PoolSurge           Kind = "pool-surge"
	ProviderOutage      Kind = "provider-control-plane-outage"
	RouteLeak           Kind = "route-leak"
	MaxPrefixExceeded   Kind = "max-prefix-exceeded"
	Drain               Kind = "drain"
	DrainGSHUT          Kind = "drain-gshut"
	FacilityDrain       Kind = "facility-drain"
	LocalPref           Kind = "local-pref"
	RaiseBandwidth      Kind = "raise-bandwidth"
	LinkUp              Kind = "link-up"
	Repair              Kind = "repair"
	DXBGPFailoverTest   Kind = "aws-dx-bgp-failover-test"
	ERSiteFailoverTest  Kind = "azure-er-site-failover-test"
)

// Kinds lists the catalogue in the registry's order.
var Kinds = func() []Kind {
	out := make([]Kind, len(catalog.Kinds))
	for i, k := range catalog.Kinds {
		out[i] = Kind(k.Name)
	}
	return out
}()

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
	Prepend  int          // drain, facility-drain: AS-path prepends towards eBGP peers (default 3)
	Method   string       // facility-drain: prepend or gshut
	Pref     int          // local-pref: the LOCAL_PREF given to iBGP peers
	Peers    []string     // aws-dx-bgp-failover-test: bgpPeers (session names; empty: every one)
	Minutes  int          // aws-dx-bgp-failover-test: testDurationInMinutes
	Type     string       // azure-er-site-failover-test: the simulation type
	End      string       // link-down: "both" (default), "a" or "b" (admin-down at that end)
}

// Lasts returns how long after At the fault ends by itself or by its
// repair, when that follows from the fault alone: its repair; a link
// flap's last "up"; an AWS DX failover test's testDurationInMinutes (or its
// earlier repair, as StopBgpFailoverTest). False: it lasts to the end of
// the run, or ends after something the fabric decides (a reboot's boot
// time).
func (f *Fault) Lasts() (sim.Time, bool) {
	switch f.Kind {
	case Repair, RouterReboot:
		return 0, false
	case LinkFlap:
		return sim.Time(2*f.Count-1) * f.Period, f.Count > 0
	case DXBGPFailoverTest:
		test := sim.Time(f.Minutes) * sim.Minute
		if f.Repair > 0 && f.Repair < test {
			return f.Repair, true
		}
		return test, true
	}
	return f.Repair, f.Repair > 0
}

func (f Fault) String() string {
	s := fmt.Sprintf("%s %s %s at %v", f.ID, f.Kind, f.Target, f.At)
	if f.Repair > 0 {
		s += fmt.Sprintf(", repaired after %v", f.Repair)
	}
	return s
}

// Validate checks a fault's target and parameters against the topology
// and the registry (faults/catalog), fills in the registry's defaults, and
// returns every problem (messages name the offending key).
func Validate(f *Fault, top *topology.Topology) []error {
	var errs []error
	bad := func(key, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, a...)))
	}
	if f.At < 0 {
		bad("at", "must not be negative")
	}
	if f.Repair < 0 {
		bad("repair", "must not be negative")
	}
	k, ok := catalog.Lookup(string(f.Kind))
	if !ok {
		bad("kind", "%v", catalog.UnknownKind(string(f.Kind)))
		return errs
	}
	switch k.Target {
	case catalog.TargetLink:
		_, isLink := top.Link(f.Target)
		_, isLAG := top.LAG(f.Target)
		if !isLink && !isLAG {
			bad(k.TargetName(), "unknown link or LAG %q%s", f.Target, topology.DidYouMean(f.Target, top.LinkNames()))
		}
	case catalog.TargetMemberLink:
		if l, ok := top.Link(f.Target); !ok || l.LAG == "" {
			bad("target", "%q is not a LAG member link", f.Target)
		}
	case catalog.TargetRouter:
		if _, ok := top.Router(f.Target); !ok {
			bad("target", "unknown router %q%s", f.Target, topology.DidYouMean(f.Target, top.RouterNames()))
		}
	case catalog.TargetSession:
		if s, ok := top.Session(f.Target); !ok {
			bad("target", "unknown session %q%s", f.Target, topology.DidYouMean(f.Target, top.SessionNames()))
		} else if f.Kind == MaxPrefixExceeded && s.A.MaxPrefix <= 0 {
			bad("target", "session %q has no max_prefix on its A end (%s)", f.Target, s.A.Router)
		}
	case catalog.TargetSite:
		s, ok := top.Site(f.Target)
		switch {
		case !ok:
			bad("target", "unknown site %q%s", f.Target, topology.DidYouMean(f.Target, top.SiteNames()))
		case f.Kind != PrefixWithdraw:
		case !f.Prefix.IsValid() && len(s.Prefixes) == 0:
			bad("prefix", "site %q has no prefix to withdraw", f.Target)
		case !f.Prefix.IsValid():
			f.Prefix = s.Prefixes[0]
		case !slices.Contains(s.Prefixes, f.Prefix):
			bad("prefix", "site %q does not originate %v", f.Target, f.Prefix)
		}
	case catalog.TargetFacility:
		if _, ok := top.Facility(f.Target); !ok {
			bad("target", "unknown facility %q%s", f.Target, topology.DidYouMean(f.Target, top.FacilityNames()))
		}
	case catalog.TargetSRLG:
		if !slices.Contains(top.SRLGs(), f.Target) {
			bad("target", "no link is in shared-risk group %q%s", f.Target, topology.DidYouMean(f.Target, top.SRLGs()))
		}
	case catalog.TargetPool:
		if _, ok := top.Pool(f.Target); !ok {
			bad("target", "unknown pool %q%s", f.Target, topology.DidYouMean(f.Target, top.PoolNames()))
		}
	case catalog.TargetProvider:
		found := false
		for _, s := range top.Sites {
			found = found || s.Provider == f.Target
		}
		if !found {
			bad("target", "no site has provider %q", f.Target)
		}
	case catalog.TargetLocation:
		if len(LocationFacilities(f.Target, top)) == 0 {
			bad(k.TargetName(), "no facility is, or is in the metro, %q%s", f.Target, topology.DidYouMean(f.Target, top.FacilityNames()))
		}
	case catalog.TargetFault:
		// The fault named is checked by the scenario, which knows them.
		if f.Target == "" {
			bad("target", "repair needs the id of the fault to repair, such as target = \"f1\"")
		}
	default:
		bad("kind", "kind %s has target class %q, which faults does not know", k.Name, k.Target)
	}
	validateStep(f, top, bad)
	for _, p := range k.Params {
		field := f.param(p.Name)
		switch {
		case field == nil:
			bad(p.Name, "parameter %s of %s is not implemented", p.Name, k.Name)
		case !isZero(field):
		case p.Default != "":
			v, err := p.Parse(p.Default)
			if err == nil {
				err = setParam(field, v)
			}
			if err != nil {
				bad(p.Name, "bad default %q in the registry: %v", p.Default, err)
			}
		case p.Required:
			bad(p.Name, "%s needs %s (%s), such as %s", k.Name, p.Name, p.Doc, exampleValue(k, p))
		}
		if field == nil {
			continue
		}
		switch x := field.(type) {
		case *string:
			if p.Type == catalog.Choice && *x != "" && !slices.Contains(p.Choices, *x) {
				bad(p.Name, "want one of %s, got %q", strings.Join(p.Choices, ", "), *x)
			}
		case *int:
			if *x != 0 && (int64(*x) < p.Min || int64(*x) > p.Max) {
				bad(p.Name, "want %d to %d, got %d", p.Min, p.Max, *x)
			}
		case *float64:
			if *x < 0 || p.Type == catalog.Ratio && *x > 1 {
				bad(p.Name, "want a ratio in (0, 1], got %v", *x)
			}
		}
	}
	if f.Kind == LinkDown && f.End != "both" && f.End != "a" && f.End != "b" {
		bad("end", `want "a", "b" or "both", got %q`, f.End)
	}
	if f.Kind == LinkDegrade && f.Capacity <= 0 && f.Latency <= 0 {
		bad("capacity", "link-degrade needs capacity or latency, such as capacity = \"4Gbps\"")
	}
	return errs
}

// param returns a pointer to the field of f that holds the registry
// parameter name, or nil.
func (f *Fault) param(name string) any {
	switch name {
	case "loss":
		return &f.Loss
	case "capacity":
		return &f.Capacity
	case "latency":
		return &f.Latency
	case "period":
		return &f.Period
	case "count":
		return &f.Count
	case "graceful":
		return &f.Graceful
	case "downtime":
		return &f.Downtime
	case "rate":
		return &f.Rate
	case "prefix":
		return &f.Prefix
	case "prepend":
		return &f.Prepend
	case "method":
		return &f.Method
	case "local_pref":
		return &f.Pref
	case "bgpPeers":
		return &f.Peers
	case "testDurationInMinutes":
		return &f.Minutes
	case "type":
		return &f.Type
	case "end":
		return &f.End
	}
	return nil
}

// SetParam sets the parameter name of f to v, a value as returned by
// catalog.Param.Parse (time.Duration, float64, int64, bool, netip.Prefix).
func (f *Fault) SetParam(name string, v any) error {
	field := f.param(name)
	if field == nil {
		return fmt.Errorf("fault kind %s has no parameter %q", f.Kind, name)
	}
	return setParam(field, v)
}

func setParam(field, v any) error {
	ok := false
	switch p := field.(type) {
	case *float64:
		var x float64
		x, ok = v.(float64)
		*p = x
	case *sim.Time:
		var d time.Duration
		d, ok = v.(time.Duration)
		*p = sim.Time(d)
	case *int:
		var n int64
		n, ok = v.(int64)
		*p = int(n)
	case *bool:
		*p, ok = v.(bool)
	case *netip.Prefix:
		*p, ok = v.(netip.Prefix)
	case *string:
		*p, ok = v.(string)
	case *[]string:
		var x []string
		x, ok = v.([]string)
		*p = slices.Clone(x)
	}
	if !ok {
		return fmt.Errorf("a %T cannot hold a %T", field, v)
	}
	return nil
}

func isZero(field any) bool {
	switch p := field.(type) {
	case *float64:
		return *p == 0
	case *sim.Time:
		return *p == 0
	case *int:
		return *p == 0
	case *bool:
		return !*p
	case *netip.Prefix:
		return !p.IsValid()
	case *string:
		return *p == ""
	case *[]string:
		return len(*p) == 0
	}
	return false
}

// exampleValue is p's value in k's registry example, as written there, or
// a generic one.
func exampleValue(k catalog.Kind, p catalog.Param) string {
	ex := k.Example
	if i := strings.Index(ex, " "+p.Name+" = "); i >= 0 {
		rest := ex[i+len(p.Name)+4:]
		if j := strings.IndexAny(rest, ",}"); j >= 0 {
			return p.Name + " = " + strings.TrimSpace(rest[:j])
		}
	}
	return p.Name + " = …"
}

// Tracer receives fault records; it is the fabric's tracer in a run.
type Tracer = sim.Tracer

// Schedule arranges for f to be injected at f.At and repaired at
// f.At+f.Repair on the fabric's engine, tracing both.
func Schedule(fab *fabric.Fabric, f Fault, tr Tracer) error {
	return schedule(fab, &f, &faultTrace{tr: tr, attrs: new([4]sim.Attr)})
}

// ScheduleAll schedules every fault of fs as Schedule does, in order. The
// events read the faults in place: fs must not change afterwards. (A
// year's random schedule is thousands of faults, all pending from the
// start: no copy of each.)
func ScheduleAll(fab *fabric.Fabric, fs []Fault, tr Tracer) error {
	fts := make([]faultTrace, len(fs))
	attrs := new([4]sim.Attr) // one buffer: a tracer keeps no attrs slice
	for i := range fs {
		fts[i].tr, fts[i].attrs = tr, attrs
		if err := schedule(fab, &fs[i], &fts[i]); err != nil {
			return err
		}
	}
	return nil
}

func schedule(fab *fabric.Fabric, f *Fault, ft *faultTrace) error {
	eng := fab.Engine()
	if f.Kind == Repair {
		return nil // applied by the scenario to the fault it names (ResolveRepairs)
	}
	if err := eng.At(f.At, func() { inject(fab, f, ft) }); err != nil {
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
					trace(fab, f, ft, "fault.repair", t)
				}
			})
		}
	case f.Kind == RouterReboot:
		boot, _ := fab.BootTime(f.Target)
		_ = eng.At(f.At+boot, func() {
			t, _ := fab.RouterCrash(f.Target, false)
			trace(fab, f, ft, "fault.repair", t)
		})
	case f.Repair > 0 || f.Kind == DXBGPFailoverTest:
		repair, _ := f.Lasts()
		_ = eng.At(f.At+repair, func() {
			t, _ := apply(fab, f, false)
			trace(fab, f, ft, "fault.repair", t)
		})
	}
	return nil
}

func inject(fab *fabric.Fabric, f *Fault, ft *faultTrace) {
	t, err := apply(fab, f, true)
	if err != nil {
		// Validated beforehand; an error here is a bug, recorded in the trace.
		if tr := ft.tr; tr != nil {
			tr.Trace(fab.Engine().Now(), "fault.error", f.ID, sim.A("error", err.Error()))
		}
		return
	}
	trace(fab, f, ft, "fault.inject", t)
}

// faultTrace traces one fault's inject and repair: its kind and target
// boxed once, the touched lists boxed again only when they differ from the
// last ones traced (a repair touches what its inject touched), an
// attribute buffer (shared by the faults of a ScheduleAll).
type faultTrace struct {
	tr                  Tracer
	kind, target        any
	links, routers      []string // last traced, boxed in linksBox, routersBox
	linksBox, routerBox any
	attrs               *[4]sim.Attr
}

func trace(fab *fabric.Fabric, f *Fault, ft *faultTrace, kind string, t fabric.Touched) {
	tr := ft.tr
	if tr == nil {
		return
	}
	if ft.kind == nil {
		ft.kind, ft.target = string(f.Kind), f.Target
	}
	links, routers := t.Links, t.Routers
	if links == nil {
		links = []string{}
	}
	if routers == nil {
		routers = []string{}
	}
	if ft.linksBox == nil || !slices.Equal(links, ft.links) {
		ft.links, ft.linksBox = links, links
	}
	if ft.routerBox == nil || !slices.Equal(routers, ft.routers) {
		ft.routers, ft.routerBox = routers, routers
	}
	*ft.attrs = [4]sim.Attr{sim.A("fault", ft.kind), sim.A("target", ft.target),
		sim.A("links", ft.linksBox), sim.A("routers", ft.routerBox)}
	tr.Trace(fab.Engine().Now(), kind, f.ID, ft.attrs[:]...)
}

// apply injects (on=true) or repairs (on=false) f.
func apply(fab *fabric.Fabric, f *Fault, on bool) (fabric.Touched, error) {
	switch f.Kind {
	case LinkDown:
		if f.End == "a" || f.End == "b" {
			return fab.LinkAdminDown(f.Target, f.End, on)
		}
		return fab.LinkDown(f.Target, on)
	case LinkFlap:
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
	default:
		return applyAction(fab, *f, on)
	}
}

// Targets lists every component of top that a fault of kind k can hit, in
// topology order: the default components of a random fault class. It is
// empty for a kind that [[random]] cannot draw (one with a required
// parameter, see catalog.Kind.Random) and for an unknown kind.
func Targets(k Kind, top *topology.Topology) []string {
	ck, ok := catalog.Lookup(string(k))
	if !ok || !ck.Random() {
		return nil
	}
	var out []string
	switch ck.Target {
	case catalog.TargetLink:
		for _, l := range top.Links {
			if l.LAG == "" {
				out = append(out, l.Name)
			}
		}
		for _, g := range top.LAGs {
			out = append(out, g.Name)
		}
	case catalog.TargetMemberLink:
		for _, l := range top.Links {
			if l.LAG != "" {
				out = append(out, l.Name)
			}
		}
	case catalog.TargetRouter:
		for _, r := range top.Routers {
			out = append(out, r.Name)
		}
	case catalog.TargetSession:
		for _, s := range top.Sessions {
			if k != MaxPrefixExceeded || s.A.MaxPrefix > 0 {
				out = append(out, s.Name)
			}
		}
	case catalog.TargetSite:
		for _, s := range top.Sites {
			if len(s.Prefixes) > 0 {
				out = append(out, s.Name)
			}
		}
	case catalog.TargetFacility:
		for _, f := range top.Facilities {
			out = append(out, f.Name)
		}
	case catalog.TargetSRLG:
		out = append(out, top.SRLGs()...)
	case catalog.TargetPool:
		for _, p := range top.Pools {
			out = append(out, p.Name)
		}
	case catalog.TargetProvider:
		for _, s := range top.Sites {
			if s.Provider != "" && !slices.Contains(out, s.Provider) {
				out = append(out, s.Provider)
			}
		}
	}
	return out
}
