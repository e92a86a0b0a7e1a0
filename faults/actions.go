package faults

import (
	"fmt"
	"slices"

	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology"
)

// Operator actions and providers' failover tests (drills).

// applyAction injects (on) or ends (!on) the kinds added for drills.
func applyAction(fab *fabric.Fabric, f Fault, on bool) (fabric.Touched, error) {
	switch f.Kind {
	case DrainGSHUT:
		return fab.DrainGSHUT(f.Target, on)
	case FacilityDrain:
		return fab.FacilityDrain(f.Target, on, f.Method == "gshut", f.Prepend)
	case LocalPref:
		return fab.LocalPref(f.Target, on, uint32(f.Pref))
	case RaiseBandwidth:
		return fab.LinkDegrade(f.Target, f.Capacity, 0, !on)
	case LinkUp:
		return fab.LinkUp(f.Target, on)
	case DXBGPFailoverTest:
		peers := f.Peers
		if len(peers) == 0 {
			var err error
			if peers, err = fab.SessionNames(f.Target); err != nil {
				return fabric.Touched{}, err
			}
		}
		return fab.SessionsDown(peers, on)
	case ERSiteFailoverTest:
		return fab.SessionsDown(fab.LocationSessions(LocationFacilities(f.Target, fab.Topology())), on)
	}
	return fabric.Touched{}, fmt.Errorf("unknown fault kind %q", f.Kind)
}

// LocationFacilities returns the facilities a peering location names: the
// facility of that name, else every facility of that metro.
func LocationFacilities(loc string, top *topology.Topology) []string {
	if _, ok := top.Facility(loc); ok {
		return []string{loc}
	}
	var out []string
	for _, x := range top.Facilities {
		if x.Metro != "" && x.Metro == loc {
			out = append(out, x.Name)
		}
	}
	return out
}

// validateStep checks what the registry cannot say of the drill kinds.
func validateStep(f *Fault, top *topology.Topology, bad func(key, format string, a ...any)) {
	switch f.Kind {
	case LinkUp:
		if l, ok := top.Link(f.Target); ok && !l.AdminDown {
			bad("target", "link %q is not admin_down in the topology: link-up brings up a cold backup (set admin_down = true on the link)", f.Target)
		}
	case RaiseBandwidth:
		if l, ok := top.Link(f.Target); ok && f.Capacity > 0 && f.Capacity <= float64(l.Capacity) {
			bad("capacity", "%s is not above link %q's %s", topology.Bandwidth(f.Capacity), f.Target, l.Capacity)
		}
	case DXBGPFailoverTest:
		if _, isLink := top.Link(f.Target); !isLink {
			if _, isLAG := top.LAG(f.Target); !isLAG {
				return // reported by the target check
			}
		}
		var names []string
		for _, s := range top.Sessions {
			if s.Over == f.Target {
				names = append(names, s.Name)
			}
		}
		if len(names) == 0 {
			bad("virtualInterfaceId", "no BGP session runs over %q: name the connection that carries the virtual interface", f.Target)
		}
		for _, p := range f.Peers {
			if !slices.Contains(names, p) {
				bad("bgpPeers", "%q is not a BGP peer of virtual interface %q (its peers: %v)", p, f.Target, names)
			}
		}
	}
}

// ResolveRepairs returns the faults to schedule: fs without its repair
// steps, each fault a repair step names repaired at that step's time
// (unless it is repaired earlier anyway). fs is not modified; without a
// repair step there is nothing to resolve and fs itself is returned (a
// year's random schedule is not copied). Errors name the repair step.
func ResolveRepairs(fs []Fault) ([]Fault, error) {
	if !slices.ContainsFunc(fs, func(f Fault) bool { return f.Kind == Repair }) {
		return fs, nil
	}
	out := make([]Fault, 0, len(fs))
	idx := map[string]int{}
	var repairs []Fault
	for _, f := range fs {
		if f.Kind == Repair {
			repairs = append(repairs, f)
			continue
		}
		idx[f.ID] = len(out)
		out = append(out, f)
	}
	for _, r := range repairs {
		i, ok := idx[r.Target]
		if !ok {
			return nil, fmt.Errorf("%s: repair of unknown fault %q", r.ID, r.Target)
		}
		f := &out[i]
		if err := repairable(*f, r.At); err != nil {
			return nil, fmt.Errorf("%s: %w", r.ID, err)
		}
		if f.Repair == 0 || f.At+f.Repair > r.At {
			f.Repair = r.At - f.At
		}
	}
	return out, nil
}

// repairable reports why f cannot be repaired at t, or nil.
func repairable(f Fault, t sim.Time) error {
	k, _ := catalog.Lookup(string(f.Kind))
	switch {
	case t <= f.At:
		return fmt.Errorf("repair of %s at %v is not after it (%v)", f.ID, t, f.At)
	case f.Kind == DXBGPFailoverTest:
		return nil // StopBgpFailoverTest
	case k.NoRepair != "":
		return fmt.Errorf("%s (%s) cannot be repaired: %s", f.ID, f.Kind, k.NoRepair)
	}
	return nil
}

// Repairable lists the ids of the faults of fs open at t (injected before
// t, not repaired by then) that a repair step at t can end.
func Repairable(fs []Fault, t sim.Time) []string {
	resolved, err := ResolveRepairs(fs)
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range resolved {
		end := sim.Never
		if d, ok := f.Lasts(); ok && f.Kind != LinkFlap {
			end = f.At + d
		}
		if f.At < t && end > t && repairable(f, t) == nil {
			out = append(out, f.ID)
		}
	}
	return out
}
