package scenarios

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/topology"
)

// holdExpiries counts hold-timer expiries seen (the cases that matter).
var holdExpiries int

// runBothWays runs sc with keepalives simulated message by message and
// with computed keepalives, and fails unless the traces are byte-identical.
// It returns the kernel events of both runs.
func runBothWays(t *testing.T, label string, load func() *Scenario) (eventMode, computed uint64) {
	t.Helper()
	restore := bgp.SetEventKeepalives(true)
	ev, errEv := Run(load(), Options{})
	restore()
	restore = bgp.SetEventKeepalives(false)
	co, errCo := Run(load(), Options{})
	restore()
	if !requireSameRuns(t, label, "event-by-event", "computed", ev, co, errEv, errCo) {
		return 0, 0
	}
	holdExpiries += bytes.Count(co.Trace, []byte("hold-timer-expired"))
	return ev.SimEvents, co.SimEvents
}

// Computed keepalives (sim/bgp/keepalive.go) must give exactly the trace
// that simulating every keepalive gives: every example scenario.
func TestComputedKeepalivesExamples(t *testing.T) {
	for _, c := range exampleCases(t) {
		t.Run(c.label, func(t *testing.T) {
			ev, co := runBothWays(t, c.label, c.load)
			t.Logf("kernel events: %d event-by-event, %d computed", ev, co)
		})
	}
}

// … and on random scenarios: random topologies among the examples, random
// BGP timers on every session end, random seeds and random faults (carrier
// loss, silent and partly lossy paths, hangs, crashes, reboots, resets,
// restarts, latency changes, LAG members, SRLGs, provider outages, drains,
// withdrawals, leaks), overlapping at random.
func TestComputedKeepalivesRandom(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 12
	}
	var evSum, coSum uint64
	for _, c := range randomCases(t, n, 11, false) {
		ev, co := runBothWays(t, c.label, c.load)
		evSum += ev
		coSum += co
	}
	t.Logf("kernel events over %d random scenarios: %d event-by-event, %d computed; %d hold-timer expiries in all", n, evSum, coSum, holdExpiries)
}

func randomScenario(t *testing.T, topFile string, seed, timerSeed, faultSeed uint64) *Scenario {
	top, err := topology.Load(topFile)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(timerSeed, 1))
	for i := range top.Sessions {
		for _, e := range []*topology.SessionEnd{&top.Sessions[i].A, &top.Sessions[i].B} {
			switch r.IntN(4) {
			case 0: // keep the profile's timers
			case 1:
				e.Keepalive, e.Hold = 0, 0
			default:
				ka := time.Duration(1+r.IntN(30))*time.Second + time.Duration(r.IntN(1000))*time.Millisecond
				e.Keepalive, e.Hold = ka, 3*ka+time.Duration(r.IntN(20))*time.Second
			}
		}
	}
	sc := &Scenario{Name: "random keepalive check", Topology: top, Seed: seed,
		Duration: sim.Time(20+r.IntN(100)) * sim.Minute}
	if len(top.Sites) >= 2 {
		sc.Traffic = []Traffic{{Name: "d", From: top.Sites[0].Name, To: top.Sites[1].Name, Rate: 1e9}}
	}
	fr := rand.New(rand.NewPCG(faultSeed, 2))
	kinds := []faults.Kind{faults.LinkDown, faults.LinkSilent, faults.LinkSilent, faults.ControlPlaneHang,
		faults.ControlPlaneHang, faults.RouterCrash, faults.SessionReset, faults.ProcessCrash,
		faults.ControlPlaneRestart, faults.LinkDegrade, faults.MACsecKeyMismatch, faults.FacilityDown, faults.LinkFlap,
		faults.RouterReboot, faults.LAGMemberDown, faults.SRLGDown, faults.ProviderOutage, faults.Drain,
		faults.PrefixWithdraw, faults.RouteLeak}
	nf := 1 + fr.IntN(6)
	for k := 0; len(sc.Faults) < nf && k < 50; k++ {
		f := faults.Fault{ID: fmt.Sprintf("f%d", len(sc.Faults)+1), Kind: kinds[fr.IntN(len(kinds))]}
		f.At = sim.Time(fr.Int64N(int64(sc.Duration)))
		if fr.IntN(2) == 0 {
			f.At = f.At / sim.Second * sim.Second // round times meet other events
		}
		if fr.IntN(5) > 0 {
			f.Repair = sim.Time(1+fr.Int64N(int64(20*sim.Minute))) / sim.Millisecond * sim.Millisecond
		}
		switch f.Kind {
		case faults.LinkDown, faults.LinkSilent, faults.LinkDegrade, faults.MACsecKeyMismatch, faults.LinkFlap:
			if len(top.Links) == 0 {
				continue
			}
			f.Target = top.Links[fr.IntN(len(top.Links))].Name
		case faults.SessionReset:
			f.Target = top.Sessions[fr.IntN(len(top.Sessions))].Name
		case faults.LAGMemberDown:
			if len(top.Links) == 0 {
				continue
			}
			f.Target = top.Links[fr.IntN(len(top.Links))].Name // not a member: Validate rejects it
		case faults.SRLGDown:
			srlgs := top.SRLGs()
			if len(srlgs) == 0 {
				continue
			}
			f.Target = srlgs[fr.IntN(len(srlgs))]
		case faults.ProviderOutage, faults.PrefixWithdraw:
			site := top.Sites[fr.IntN(len(top.Sites))]
			f.Target = site.Provider
			if f.Kind == faults.PrefixWithdraw {
				f.Target = site.Name
			}
		case faults.FacilityDown:
			if len(top.Facilities) == 0 {
				continue
			}
			f.Target = top.Facilities[fr.IntN(len(top.Facilities))].Name
		default:
			f.Target = top.Routers[fr.IntN(len(top.Routers))].Name
		}
		switch f.Kind {
		case faults.LinkSilent:
			f.Loss = []float64{1, 1, 0.5, 0.9}[fr.IntN(4)]
		case faults.LinkDegrade:
			f.Latency = sim.Time(1+fr.IntN(50)) * sim.Millisecond
		case faults.LinkFlap:
			f.Period, f.Count, f.Repair = sim.Time(1+fr.IntN(60))*sim.Second, 1+fr.IntN(4), 0
		case faults.ControlPlaneRestart:
			f.Graceful = fr.IntN(2) == 0
			f.Downtime = sim.Time(5+fr.IntN(60)) * sim.Second
			f.Repair = 0
		case faults.SessionReset:
			f.Repair = 0
		case faults.RouteLeak:
			f.Prefix = netip.MustParsePrefix("203.0.113.0/24")
		}
		if errs := faults.Validate(&f, top); len(errs) > 0 {
			continue
		}
		sc.Faults = append(sc.Faults, f)
	}
	return sc
}
