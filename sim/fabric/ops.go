package fabric

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/link"
	"github.com/netdrill/netdrill/topology"
)

// Touched lists what an operation acted on, for the trace.
type Touched struct {
	Links   []string
	Routers []string
}

// touchedCap is the room a Touched list starts with: most operations touch
// a few links and routers, which then fit in one allocation.
const touchedCap = 4

func (t *Touched) addLink(s string) {
	if !slices.Contains(t.Links, s) {
		if t.Links == nil {
			t.Links = make([]string, 0, touchedCap)
		}
		t.Links = append(t.Links, s)
	}
}

func (t *Touched) addRouter(s string) {
	if !slices.Contains(t.Routers, s) {
		if t.Routers == nil {
			t.Routers = make([]string, 0, touchedCap)
		}
		t.Routers = append(t.Routers, s)
	}
}

func (t *Touched) sort() { slices.Sort(t.Links); slices.Sort(t.Routers) }

// resolveLink finds a link or LAG by name; a LAG member resolves to its LAG.
func (f *Fabric) resolveLink(name string) (int, error) {
	if id, ok := f.linkByID[name]; ok {
		return id, nil
	}
	if id, ok := f.lagOf[name]; ok {
		return id, nil
	}
	return 0, fmt.Errorf("unknown link %q", name)
}

func (f *Fabric) router(name string) (*node, error) {
	id, ok := f.nodeByID[name]
	if !ok || f.nodes[id].hub {
		return nil, fmt.Errorf("unknown router %q", name)
	}
	return f.nodes[id], nil
}

func (f *Fabric) touchLink(t *Touched, li int) {
	t.addLink(f.links[li].l.Name)
	t.addRouter(f.links[li].l.A)
	t.addRouter(f.links[li].l.B)
}

// LinkDown cuts a link (carrier lost at both ends); down=false repairs it.
func (f *Fabric) LinkDown(name string, down bool) (Touched, error) {
	var t Touched
	li, err := f.resolveLink(name)
	if err != nil {
		return t, err
	}
	if down {
		f.holdDown(li, "link-down")
	} else {
		f.release(li, "repair")
	}
	f.touchLink(&t, li)
	return t, nil
}

// LinkAdminDown shuts a link at one end (end "a" or "b": the link's A or B
// router): that end's sessions drop at once, the far end sees carrier loss
// after the link's carrier delay, and the data plane loses the link at
// once. down=false brings it back (both ends see carrier after the delay).
func (f *Fabric) LinkAdminDown(name, end string, down bool) (Touched, error) {
	var t Touched
	li, err := f.resolveLink(name)
	if err != nil {
		return t, err
	}
	l := f.links[li].l
	admin := l.A
	switch end {
	case "a":
	case "b":
		admin = l.B
	default:
		return t, fmt.Errorf("link %q: end %q, want \"a\" or \"b\"", name, end)
	}
	if down {
		f.holdDownAt(li, "admin-down", admin)
	} else {
		f.release(li, "repair")
	}
	f.touchLink(&t, li)
	return t, nil
}

// LinkSilent makes a link drop a share of packets with the interfaces up
// (loss in (0,1]); loss 0 heals it.
func (f *Fabric) LinkSilent(name string, loss float64) (Touched, error) {
	var t Touched
	li, err := f.resolveLink(name)
	if err != nil {
		return t, err
	}
	rt := f.links[li]
	rt.l.SetSilent(loss)
	reason := "link-silent"
	if loss <= 0 {
		reason = "repair"
	}
	f.setPathQuality(rt, reason)
	f.touchLink(&t, li)
	return t, nil
}

// LinkDark makes a link carry nothing while staying up at layer 1 (a MACsec
// key mismatch on a fail-closed link); dark=false repairs it.
func (f *Fabric) LinkDark(name string, dark bool) (Touched, error) {
	var t Touched
	li, err := f.resolveLink(name)
	if err != nil {
		return t, err
	}
	rt := f.links[li]
	rt.l.SetDark(dark)
	reason := "macsec-key-mismatch"
	if !dark {
		reason = "repair"
	}
	f.setPathQuality(rt, reason)
	f.touchLink(&t, li)
	return t, nil
}

// LinkDegrade reduces a link's capacity and/or raises its latency (zero
// keeps a value); restore=true returns it to nominal.
func (f *Fabric) LinkDegrade(name string, capacity float64, latency sim.Time, restore bool) (Touched, error) {
	var t Touched
	li, err := f.resolveLink(name)
	if err != nil {
		return t, err
	}
	rt := f.links[li]
	if restore {
		rt.l.Restore()
		f.traceLink(rt, "repair")
	} else {
		rt.l.Degrade(capacity, latency)
		f.traceLink(rt, "link-degrade")
	}
	f.flowState(rt)
	f.touchLink(&t, li)
	return t, nil
}

// LAGMemberDown takes one member of a LAG out (down=false puts it back):
// the bundle loses that member's capacity, and goes down altogether when
// fewer than its minimum links remain.
func (f *Fabric) LAGMemberDown(member string, down bool) (Touched, error) {
	var t Touched
	li, ok := f.lagOf[member]
	if !ok {
		return t, fmt.Errorf("link %q is not a LAG member", member)
	}
	rt := f.links[li]
	if rt.membersDown[member] == down {
		f.touchLink(&t, li)
		return t, nil
	}
	wasBelow := f.lagBelowMin(rt)
	rt.membersDown[member] = down
	var capUp float64
	for i, m := range rt.members {
		if !rt.membersDown[m] {
			capUp += rt.memberCap[i]
		}
	}
	rt.l.Degrade(capUp, 0)
	if capUp == 0 || !rt.l.Degraded() {
		rt.l.Restore()
	}
	isBelow := f.lagBelowMin(rt)
	switch {
	case isBelow && !wasBelow:
		f.holdDown(li, "lag-below-min-links")
	case !isBelow && wasBelow:
		f.release(li, "lag-min-links-restored")
	default:
		f.traceLink(rt, "lag-member-"+map[bool]string{true: "down", false: "up"}[down])
		f.flowState(rt)
	}
	t.addLink(member)
	f.touchLink(&t, li)
	return t, nil
}

func (f *Fabric) lagBelowMin(rt *linkRT) bool {
	up := 0
	for _, m := range rt.members {
		if !rt.membersDown[m] {
			up++
		}
	}
	return up < max(1, rt.minLinks)
}

// crash takes a router away entirely: control plane, FIB and links.
func (f *Fabric) crash(n *node, reason string, t *Touched) {
	t.addRouter(n.name)
	if n.crashed {
		return
	}
	n.crashed = true
	n.spk.Crash()
	n.fib.Flush()
	f.net.RoutesChanged(n.flow)
	for _, pr := range n.peers {
		if b := f.sessions[pr.session].bfd; b != nil {
			b.SetSender(pr.end, false)
		}
	}
	for li, rt := range f.links {
		if rt.l.A == n.name || rt.l.B == n.name {
			f.holdDown(li, reason)
			if !rt.l.Internal {
				t.addLink(rt.l.Name)
			}
		}
	}
	f.markDirty()
}

// boot brings a crashed router back with empty tables.
func (f *Fabric) boot(n *node, t *Touched) {
	t.addRouter(n.name)
	if !n.crashed {
		return
	}
	n.crashed, n.hung, n.paused = false, false, false
	for li, rt := range f.links {
		if rt.l.A == n.name || rt.l.B == n.name {
			f.release(li, "router-boot")
			if !rt.l.Internal {
				t.addLink(rt.l.Name)
			}
		}
	}
	for _, pr := range n.peers {
		if b := f.sessions[pr.session].bfd; b != nil {
			b.SetSender(pr.end, true)
		}
	}
	n.spk.Boot()
	f.markDirty()
}

// RouterCrash crashes a router (the box is gone; its links lose carrier);
// down=false boots it again.
func (f *Fabric) RouterCrash(name string, down bool) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	if down {
		f.crash(n, "router-crash", &t)
	} else {
		f.boot(n, &t)
	}
	t.sort()
	return t, nil
}

// BootTime returns a router's boot time from its profile.
func (f *Fabric) BootTime(name string) (sim.Time, error) {
	n, err := f.router(name)
	if err != nil {
		return 0, err
	}
	return n.bootTime, nil
}

// closeSessions tells every peer of n that its TCP sessions closed: the
// kernel closes them when the routing process dies (reason PeerRestart: a
// peer that negotiated graceful restart keeps the routes as stale), or the
// process sends a Cease before a restart without graceful restart (reason
// NotificationReceived: peers withdraw at once).
func (f *Fabric) closeSessions(n *node, reason bgp.Reason) {
	for _, pr := range n.peers {
		peer := f.nodes[pr.peerNode]
		if peer.crashed {
			continue
		}
		l := f.links[pr.link].l
		if !l.Healthy() {
			continue // the FIN/RST does not get through
		}
		idx := pr.peerIdx
		_ = f.eng.After(l.Latency, func() { peer.spk.TransportDown(idx, reason) })
	}
}

// ProcessCrash kills a router's routing process: the kernel closes its TCP
// sessions so peers notice at once, forwarding goes on from the stale FIB,
// and a software BFD stops. down=false restarts the process.
func (f *Fabric) ProcessCrash(name string, down bool) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	t.addRouter(name)
	if down {
		n.spk.Crash()
		f.closeSessions(n, bgp.PeerRestart)
		f.setBFD(n, false)
	} else {
		n.spk.Boot()
		f.setBFD(n, true)
		f.scheduleStaleSweep(n)
	}
	return t, nil
}

// ControlPlaneRestart restarts a router's routing process. With graceful
// restart (RFC 4724) peers keep its routes as stale and forwarding goes on
// from the FIB; without it peers withdraw them at once. The process is back
// after downtime.
func (f *Fabric) ControlPlaneRestart(name string, graceful bool, downtime sim.Time) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	t.addRouter(name)
	n.spk.Restart(graceful)
	reason := bgp.NotificationReceived
	if graceful {
		reason = bgp.PeerRestart
	}
	f.closeSessions(n, reason)
	_ = f.eng.After(downtime, func() {
		if n.crashed {
			return
		}
		n.spk.Boot()
		f.scheduleStaleSweep(n)
	})
	return t, nil
}

// scheduleStaleSweep removes, some time after the process is back, FIB
// entries for prefixes the new Loc-RIB did not relearn.
func (f *Fabric) scheduleStaleSweep(n *node) {
	_ = f.eng.After(120*sim.Second, func() {
		if n.crashed {
			return
		}
		for _, p := range n.fib.Prefixes() {
			if _, _, ok := n.spk.Best(p); !ok {
				n.fib.Update(p, nil)
			}
		}
	})
}

func (f *Fabric) setBFD(n *node, running bool) {
	if n.bfdOffloaded {
		return
	}
	for _, pr := range n.peers {
		if b := f.sessions[pr.session].bfd; b != nil {
			b.SetSender(pr.end, running)
		}
	}
}

// ControlPlaneHang hangs a router's BGP process: no keepalives, no UPDATE
// processing; forwarding goes on; BFD goes on only where it is offloaded to
// the data plane. hung=false resumes.
func (f *Fabric) ControlPlaneHang(name string, hung bool) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	t.addRouter(name)
	n.hung = hung
	n.spk.SetHung(hung)
	f.setBFD(n, !hung)
	return t, nil
}

// SessionReset administratively resets a BGP session from its A end.
func (f *Fabric) SessionReset(name string) (Touched, error) {
	var t Touched
	for _, s := range f.sessions {
		if s.name == name {
			a := f.nodes[s.ends[0]]
			a.spk.ResetSession(s.idx[0])
			t.addRouter(a.name)
			t.addRouter(f.nodes[s.ends[1]].name)
			if !f.links[s.link].l.Internal {
				t.addLink(f.links[s.link].l.Name)
			}
			return t, nil
		}
	}
	return t, fmt.Errorf("unknown session %q", name)
}

// PrefixWithdraw makes a site (or router) stop announcing a prefix it
// originates; withdraw=false announces it again.
func (f *Fabric) PrefixWithdraw(origin string, prefix netip.Prefix, withdraw bool) (Touched, error) {
	var t Touched
	id, ok := f.nodeByID[origin]
	if !ok {
		return t, fmt.Errorf("unknown site or router %q", origin)
	}
	n := f.nodes[id]
	if withdraw {
		n.spk.WithdrawOrigin(prefix)
	} else {
		n.spk.Originate(prefix)
	}
	t.addRouter(origin)
	return t, nil
}

// FacilityDown loses a whole facility: every router in it crashes and every
// link in its shared-risk group goes down. down=false restores it.
func (f *Fabric) FacilityDown(name string, down bool) (Touched, error) {
	var t Touched
	if _, ok := f.top.Facility(name); !ok {
		return t, fmt.Errorf("unknown facility %q", name)
	}
	for _, n := range f.nodes {
		if n.facility != name {
			continue
		}
		if down {
			f.crash(n, "facility-down", &t)
		} else {
			f.boot(n, &t)
		}
	}
	f.srlg(name, down, "facility-down", &t)
	t.sort()
	return t, nil
}

// SRLGDown cuts every link in a shared-risk link group (a conduit, a
// provider segment); down=false repairs them.
func (f *Fabric) SRLGDown(name string, down bool) (Touched, error) {
	var t Touched
	f.srlg(name, down, "srlg-down", &t)
	if len(t.Links) == 0 && len(t.Routers) == 0 {
		return t, fmt.Errorf("no link is in shared-risk group %q", name)
	}
	t.sort()
	return t, nil
}

func (f *Fabric) srlg(name string, down bool, reason string, t *Touched) {
	// A router's (or its facility's) SRLG is its backhaul to its site: the
	// router stays up, cut off from its site.
	for _, r := range f.top.Routers {
		if !slices.Contains(r.SRLGs, name) {
			continue
		}
		if li, ok := f.linkByID[r.Site+"~"+r.Name]; ok {
			if down {
				f.holdDown(li, reason)
			} else {
				f.release(li, "repair")
			}
			t.addRouter(r.Name)
		}
	}
	for li, rt := range f.links {
		if !slices.Contains(rt.l.SRLGs, name) {
			continue
		}
		if down {
			f.holdDown(li, reason)
		} else {
			f.release(li, "repair")
		}
		f.touchLink(t, li)
	}
}

// PoolSurge adds load to a pool (a neighbour's tenant surge); rate 0 ends it.
func (f *Fabric) PoolSurge(pool string, rate float64) (Touched, error) {
	var t Touched
	pi, ok := f.poolByID[pool]
	if !ok {
		return t, fmt.Errorf("unknown pool %q", pool)
	}
	f.poolRT[pi].surge = rate
	f.updateTenants()
	for _, li := range f.poolRT[pi].links {
		t.addLink(f.links[li].l.Name)
	}
	t.sort()
	return t, nil
}

// ProviderOutage stops every router of a provider (and its site hubs) from
// processing UPDATEs; keepalives go on. on=false ends it.
func (f *Fabric) ProviderOutage(provider string, on bool) (Touched, error) {
	var t Touched
	for _, n := range f.nodes {
		if n.provider != provider {
			continue
		}
		n.paused = on
		n.spk.SetUpdatesPaused(on)
		t.addRouter(n.name)
	}
	if len(t.Routers) == 0 {
		return t, fmt.Errorf("no router belongs to provider %q", provider)
	}
	t.sort()
	return t, nil
}

// SetExport replaces a router's export policy towards the peer of a
// session (an operator drain: AS-path prepend or GRACEFUL_SHUTDOWN).
func (f *Fabric) SetExport(session, router string, policy []topology.Rule) (Touched, error) {
	var t Touched
	for _, s := range f.sessions {
		if s.name != session {
			continue
		}
		for e := 0; e < 2; e++ {
			n := f.nodes[s.ends[e]]
			if n.name == router {
				n.spk.SetExport(s.idx[e], rules(policy))
				t.addRouter(router)
				return t, nil
			}
		}
		return t, fmt.Errorf("router %q is not an end of session %q", router, session)
	}
	return t, fmt.Errorf("unknown session %q", session)
}

// Sessions returns the names of every BGP session, topology ones first.
func (f *Fabric) Sessions() []string {
	out := make([]string, len(f.sessions))
	for i, s := range f.sessions {
		out[i] = s.name
	}
	return out
}

// SessionEstablished reports whether both ends of a session are established.
func (f *Fabric) SessionEstablished(name string) bool {
	for _, s := range f.sessions {
		if s.name == name {
			return f.nodes[s.ends[0]].spk.SessionState(s.idx[0]) == bgp.Established &&
				f.nodes[s.ends[1]].spk.SessionState(s.idx[1]) == bgp.Established
		}
	}
	return false
}

// LinkState returns a link's state.
func (f *Fabric) LinkState(name string) (link.State, bool) {
	li, err := f.resolveLink(name)
	if err != nil {
		return 0, false
	}
	return f.links[li].l.State(), true
}

// Drain takes a router out of service the way operators do before
// maintenance: towards its eBGP peers it prepends its AS prepend times
// (so the far side prefers other paths) and towards its iBGP peers it
// sets LOCAL_PREF 0 (as the RFC 8326 graceful-shutdown community does), so
// its own site prefers other exits. The router's export policies are
// replaced while drained; on=false restores them.
func (f *Fabric) Drain(name string, on bool, prepend int) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	t.addRouter(name)
	cfg := n.spk.Config()
	if n.drained == nil {
		n.drained = make([][]bgp.Rule, len(n.peers))
		for i := range n.peers {
			n.drained[i] = cfg.Peers[i].Export
		}
	}
	zero := uint32(0)
	for i, pr := range n.peers {
		rules := n.drained[i]
		if on {
			if cfg.Peers[i].PeerASN == cfg.ASN {
				rules = []bgp.Rule{{LocalPref: &zero}}
			} else {
				rules = []bgp.Rule{{Prepend: prepend}}
				if n.provider == "oci" {
					// OCI signals planned maintenance with GRACEFUL_SHUTDOWN
					// (65535:0, RFC 8326) as well as prepends (provider-facts §2.5)
					rules[0].AddCommunities = []uint32{bgp.GracefulShutdown}
				}
			}
		}
		n.spk.SetExport(i, rules)
		if l := f.links[pr.link].l; !l.Internal {
			t.addLink(l.Name)
		}
	}
	t.sort()
	return t, nil
}

// RouteLeak makes a router announce a prefix it has no business
// announcing (as if it originated it) to every peer; on=false withdraws
// the leak. What happens to the traffic the leak attracts depends on the
// leaker's own table: with no covering route it is dropped there
// (`no-route`); with one, it is sent on — often back where it came from
// (`loop`) or into a link now carrying everyone (`congestion`).
func (f *Fabric) RouteLeak(name string, prefix netip.Prefix, on bool) (Touched, error) {
	var t Touched
	n, err := f.router(name)
	if err != nil {
		return t, err
	}
	t.addRouter(name)
	for i := range n.peers {
		if on {
			n.spk.Announce(i, []bgp.Route{{Prefix: prefix}})
		} else {
			n.spk.WithdrawAnnounced(i, []netip.Prefix{prefix})
		}
	}
	return t, nil
}

// MaxPrefixExceeded makes the B end of a session announce one prefix more
// than the A end accepts (synthetic /32s from 198.18.0.0/15, the
// benchmarking range), so A tears the session down; on=false withdraws them.
func (f *Fabric) MaxPrefixExceeded(session string, on bool) (Touched, error) {
	var t Touched
	for _, s := range f.sessions {
		if s.name != session {
			continue
		}
		a, b := f.nodes[s.ends[0]], f.nodes[s.ends[1]]
		limit := a.spk.Config().Peers[s.idx[0]].MaxPrefix
		if limit <= 0 {
			return t, fmt.Errorf("session %q: %s has no max-prefix limit", session, a.name)
		}
		var routes []bgp.Route
		var pfx []netip.Prefix
		base := netip.MustParseAddr("198.18.0.0").As4()
		for i := 0; i <= limit; i++ {
			x := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(i)
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)}), 32)
			routes = append(routes, bgp.Route{Prefix: p})
			pfx = append(pfx, p)
		}
		if on {
			b.spk.Announce(s.idx[1], routes)
		} else {
			b.spk.WithdrawAnnounced(s.idx[1], pfx)
		}
		t.addRouter(a.name)
		t.addRouter(b.name)
		t.sort()
		return t, nil
	}
	return t, fmt.Errorf("unknown session %q", session)
}
