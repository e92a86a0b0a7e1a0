package fabric

import (
	"fmt"
	"slices"

	"github.com/netdrill/netdrill/sim/bgp"
)

// Operator actions and providers' failover tests for drills, built on the
// operations of ops.go.

// HoldAdminDown takes down every link the topology declares admin_down (a
// cold backup); call it before Start. LinkUp brings one up.
func (f *Fabric) HoldAdminDown() {
	for _, l := range f.top.Links {
		if !l.AdminDown {
			continue
		}
		if li, err := f.resolveLink(l.Name); err == nil {
			f.holdDown(li, "admin-down")
		}
	}
}

// LinkUp brings an admin-down link up (up=false shuts it again).
func (f *Fabric) LinkUp(name string, up bool) (Touched, error) {
	var t Touched
	li, err := f.resolveLink(name)
	if err != nil {
		return t, err
	}
	if up {
		f.release(li, "link-up")
	} else {
		f.holdDown(li, "admin-down")
	}
	f.touchLink(&t, li)
	return t, nil
}

// exportEach replaces each export policy of router n by rules(peer) while
// on (saving the configured ones in n.drained, as Drain does); on=false
// restores them. It lists the router and its non-internal links in t.
func (f *Fabric) exportEach(n *node, on bool, rules func(ibgp bool) []bgp.Rule, t *Touched) {
	t.addRouter(n.name)
	cfg := n.spk.Config()
	if n.drained == nil {
		n.drained = make([][]bgp.Rule, len(n.peers))
		for i := range n.peers {
			n.drained[i] = cfg.Peers[i].Export
		}
	}
	for i, pr := range n.peers {
		r := n.drained[i]
		if on {
			if x := rules(cfg.Peers[i].PeerASN == cfg.ASN); x != nil {
				r = x
			}
		}
		n.spk.SetExport(i, r)
		if l := f.links[pr.link].l; !l.Internal {
			t.addLink(l.Name)
		}
	}
}

// DrainGSHUT drains a router the RFC 8326 way: every route it sends carries
// the graceful-shutdown community 65535:0, on which every receiver sets
// LOCAL_PREF 0. on=false restores its export policies.
func (f *Fabric) DrainGSHUT(name string, on bool) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	f.exportEach(n, on, func(bool) []bgp.Rule {
		return []bgp.Rule{{AddCommunities: []uint32{bgp.GracefulShutdown}}}
	}, &t)
	t.sort()
	return t, nil
}

// FacilityDrain drains every router of a facility, by prepend (as Drain)
// or by the graceful-shutdown community (as DrainGSHUT).
func (f *Fabric) FacilityDrain(name string, on bool, gshut bool, prepend int) (Touched, error) {
	var t Touched
	if _, ok := f.top.Facility(name); !ok {
		return t, fmt.Errorf("unknown facility %q", name)
	}
	for _, n := range f.nodes {
		if n.facility != name || n.hub {
			continue
		}
		var x Touched
		var err error
		if gshut {
			x, err = f.DrainGSHUT(n.name, on)
		} else {
			x, err = f.Drain(n.name, on, prepend)
		}
		if err != nil {
			return t, err
		}
		for _, l := range x.Links {
			t.addLink(l)
		}
		for _, r := range x.Routers {
			t.addRouter(r)
		}
	}
	if len(t.Routers) == 0 {
		return t, fmt.Errorf("facility %q has no router", name)
	}
	t.sort()
	return t, nil
}

// LocalPref makes a router give its iBGP peers its routes with LOCAL_PREF
// pref (its eBGP exports unchanged): its site prefers its exit above 100,
// avoids it below. on=false restores its export policies.
func (f *Fabric) LocalPref(name string, on bool, pref uint32) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	f.exportEach(n, on, func(ibgp bool) []bgp.Rule {
		if !ibgp {
			return nil
		}
		return []bgp.Rule{{LocalPref: &pref}}
	}, &t)
	t.sort()
	return t, nil
}

// SessionNames returns the sessions that run over a link or LAG (a
// member resolves to its LAG), in fabric order.
func (f *Fabric) SessionNames(link string) ([]string, error) {
	li, err := f.resolveLink(link)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, si := range f.links[li].sessions {
		out = append(out, f.sessions[si].name)
	}
	return out, nil
}

// SessionsDown takes BGP sessions down at both ends and keeps them idle
// (down=false lets them reconnect at once), the way a provider's failover
// test shuts its peerings while the links stay up: both ends drop at once
// with reason admin-shutdown (the Cease NOTIFICATION, Administrative
// Shutdown, RFC 4486) and stay idle until down=false.
func (f *Fabric) SessionsDown(names []string, down bool) (Touched, error) {
	var t Touched
	for _, name := range names {
		found := false
		for _, s := range f.sessions {
			if s.name != name {
				continue
			}
			found = true
			for e := 0; e < 2; e++ {
				n := f.nodes[s.ends[e]]
				t.addRouter(n.name)
				switch {
				case n.crashed:
				case down:
					n.spk.TransportDown(s.idx[e], bgp.AdminShutdown)
				case !n.hung && f.links[s.link].l.Carrier():
					n.spk.TransportUp(s.idx[e])
				}
			}
			t.addLink(f.links[s.link].l.Name)
		}
		if !found {
			return t, fmt.Errorf("unknown session %q", name)
		}
	}
	t.sort()
	return t, nil
}

// LocationSessions returns the eBGP sessions over links with an end on a
// router of one of the facilities, in fabric order (a peering location's
// peerings).
func (f *Fabric) LocationSessions(facilities []string) []string {
	var out []string
	for _, s := range f.sessions {
		if s.cfg == nil || s.cfg.IBGP || f.links[s.link].l.Internal {
			continue
		}
		if slices.Contains(facilities, f.nodes[s.ends[0]].facility) || slices.Contains(facilities, f.nodes[s.ends[1]].facility) {
			out = append(out, s.name)
		}
	}
	return out
}
