package faults

import (
	"fmt"
	"math"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/sim/flow"
	"github.com/netdrill/netdrill/sim/link"
	"github.com/netdrill/netdrill/topology"
)

// The catalogue test: one row (or more) per fault kind, each injecting the
// fault into a small topology of faults/testdata/cat-*.toml and asserting
// its observable effect with numbers worked out by hand.
//
// Every row runs the same way: build the fabric, let BGP converge for five
// minutes (every session must be established by then), start recording,
// add the row's demands at 5m, and inject at catT = 5m2s. The check drives
// the engine on from there (c.until) and reads the trace, the demands'
// rates and bytes, session and link states.
//
// Common figures (cat-quad.toml): 25G aws → gcp spread by ECMP over the four
// 10G channels is 6.25G per channel; a FIB change takes 100µs to install
// (aws and gcp profiles), the site hubs install at once; a message crosses a
// channel in 1ms and a site attachment in 100µs; the SYN goes out 2s after a
// connection is started (connect delay), so a session that starts
// connecting at t is established at t + 2s + 4ms (SYN, SYN-ACK, then OPEN
// and the answering OPEN and KEEPALIVE, 1ms each way). The fixtures' sites
// declare a backbone without carrier ([site.backbone] carrier = false), so
// the hub finds a dead edge router by BFD, as these rows check.
//
// Rows the model gets wrong are skipped with "BUG: …"; set
// NETDRILL_RUN_BUGS=1 to run them anyway (to check a fix). With -v a failing
// row logs its trace; NETDRILL_CAT_TRACE=1 logs every row's.

const (
	catT   = 5*sim.Minute + 2*sim.Second // injection instant of every row
	catLat = sim.Millisecond             // channel latency
	catFIB = 100 * sim.Microsecond       // FIB install delay (aws, gcp profiles)
	catEst = 2 * sim.Second              // establish delay (aws, gcp profiles)
)

// ---- recording ----

type catRec struct {
	at      sim.Time
	kind    string
	subject string
	attrs   []sim.Attr
}

func (r catRec) get(k string) any {
	for _, a := range r.attrs {
		if a.Key == k {
			return a.Value
		}
	}
	return nil
}

// str renders an attribute for comparison: []string as "a,b", others with %v.
func (r catRec) str(k string) string {
	switch v := r.get(k).(type) {
	case nil:
		return ""
	case []string:
		return strings.Join(v, ",")
	default:
		return fmt.Sprint(v)
	}
}

func (r catRec) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v %s %s", r.at, r.kind, r.subject)
	for _, a := range r.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	return b.String()
}

type catRecorder struct{ recs []catRec }

func (r *catRecorder) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	r.recs = append(r.recs, catRec{at, kind, subject, append([]sim.Attr(nil), attrs...)})
}

// ---- one row ----

type catDemand struct {
	name, from, to string
	rate           float64
}

type catTouch struct{ links, routers string } // comma-separated, sorted as traced

type catCase struct {
	name    string
	fixture string // file in testdata/
	demands []catDemand
	fault   Fault   // ID "f1", At catT unless set
	extra   []Fault // further faults (IDs f2, …), with their own At
	touch   catTouch
	skip    string // "BUG: …": the model is wrong; see the report
	check   func(t *testing.T, c *catRun)
}

type catRun struct {
	t   *testing.T
	top *topology.Topology
	e   *sim.Engine
	f   *fabric.Fabric
	rec *catRecorder
	flt Fault // as validated (defaults filled)
}

func catLoad(t testing.TB, fixture string) *topology.Topology {
	t.Helper()
	top, err := topology.Load("testdata/" + fixture)
	if err != nil {
		t.Fatalf("load %s: %v", fixture, err)
	}
	return top
}

// catStart builds the row's network, converges it, adds the demands and
// schedules the faults; nothing has been injected yet (now = 5m1s).
func catStart(t *testing.T, tc catCase, seed uint64) *catRun {
	t.Helper()
	top := catLoad(t, tc.fixture)
	e := sim.New(seed)
	f, err := fabric.New(e, top, fabric.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.HoldAdminDown()
	f.Start()
	_ = e.Run(5 * sim.Minute)
	cold := map[string]bool{}
	for _, s := range top.Sessions {
		if l, ok := top.Link(s.Over); ok && l.AdminDown {
			cold[s.Name] = true
		}
	}
	for _, s := range f.Sessions() {
		if !f.SessionEstablished(s) && !cold[s] {
			t.Fatalf("session %s not established after the 5m warm-up", s)
		}
	}
	rec := &catRecorder{}
	f.SetTracer(rec)
	for _, d := range tc.demands {
		if err := f.AddDemand(d.name, d.from, d.to, d.rate); err != nil {
			t.Fatal(err)
		}
	}
	_ = e.Run(e.Now() + sim.Second)
	c := &catRun{t: t, top: top, e: e, f: f, rec: rec}
	all := append([]Fault{tc.fault}, tc.extra...)
	var valid []Fault
	for i := range all {
		flt := all[i]
		if flt.ID == "" {
			flt.ID = fmt.Sprintf("f%d", i+1)
		}
		if flt.At == 0 {
			flt.At = catT
		}
		if errs := Validate(&flt, top); len(errs) > 0 {
			t.Fatalf("fault %v: %v", flt, errs)
		}
		if i == 0 {
			c.flt = flt
		}
		valid = append(valid, flt)
	}
	// A repair step ends the fault it names (as a scenario run does).
	resolved, err := ResolveRepairs(valid)
	if err != nil {
		t.Fatal(err)
	}
	for _, flt := range resolved {
		if err := Schedule(f, flt, rec); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// until runs the engine to catT+d and integrates the data plane up to it.
func (c *catRun) until(d sim.Time) {
	c.t.Helper()
	if err := c.e.Run(catT + d); err != nil {
		c.t.Fatal(err)
	}
	c.f.Settle()
}

// match reports whether r has the given subject and attributes; kv holds
// pairs: "subject" or an attribute key, then the wanted value as str renders it.
func catMatch(r catRec, kv ...string) bool {
	for i := 0; i+1 < len(kv); i += 2 {
		got := r.subject
		if kv[i] != "subject" {
			got = r.str(kv[i])
		}
		if got != kv[i+1] {
			return false
		}
	}
	return true
}

// all returns the records of kind in [from, to] that match kv.
func (c *catRun) all(kind string, from, to sim.Time, kv ...string) []catRec {
	var out []catRec
	for _, r := range c.rec.recs {
		if r.kind == kind && r.at >= from && r.at <= to && catMatch(r, kv...) {
			out = append(out, r)
		}
	}
	return out
}

// first returns the first record of kind at or after from matching kv, or fails.
func (c *catRun) first(kind string, from sim.Time, kv ...string) catRec {
	c.t.Helper()
	if rs := c.all(kind, from, sim.Never, kv...); len(rs) > 0 {
		return rs[0]
	}
	c.t.Fatalf("no %s record after %v with %v\n%s", kind, from, kv, c.dump())
	return catRec{}
}

// last returns the last record of kind up to to matching kv, or fails.
func (c *catRun) last(kind string, to sim.Time, kv ...string) catRec {
	c.t.Helper()
	if rs := c.all(kind, 0, to, kv...); len(rs) > 0 {
		return rs[len(rs)-1]
	}
	c.t.Fatalf("no %s record before %v with %v\n%s", kind, to, kv, c.dump())
	return catRec{}
}

// none fails if a record of kind in [from, to] matches kv.
func (c *catRun) none(kind string, from, to sim.Time, kv ...string) {
	c.t.Helper()
	if rs := c.all(kind, from, to, kv...); len(rs) > 0 {
		c.t.Errorf("unexpected %s record(s) in [%v, %v] with %v, first: %v", kind, from, to, kv, rs[0])
	}
}

// left returns when router's end of session left established after from.
func (c *catRun) left(session, router string, from sim.Time) catRec {
	c.t.Helper()
	return c.first("bgp.session", from, "subject", session, "router", router, "from", "established")
}

// back returns when router's end of session became established after from.
func (c *catRun) back(session, router string, from sim.Time) catRec {
	c.t.Helper()
	return c.first("bgp.session", from, "subject", session, "router", router, "state", "established")
}

func (c *catRun) demand(name string) flow.DemandState {
	c.t.Helper()
	ds, ok := c.f.Demand(name)
	if !ok {
		c.t.Fatalf("no demand %q", name)
	}
	return ds
}

// rates fails unless demand name's current rates are delivered and, per
// cause, lost (causes not given must be 0).
func (c *catRun) rates(name string, delivered float64, lost map[flow.Cause]float64) {
	c.t.Helper()
	ds := c.demand(name)
	ok := ds.Delivered == delivered
	for cause := range flow.NumCauses {
		ok = ok && ds.Lost[cause] == lost[cause]
	}
	if !ok {
		c.t.Errorf("at %v demand %s: delivered %v lost %v; want delivered %v lost %v",
			c.e.Now(), name, ds.Delivered, ds.Lost, delivered, lost)
	}
}

// lostBytes fails unless demand name lost, in bytes so far, want[cause] for
// every cause (0 when not given), within 1 byte + 1e-9 relative.
func (c *catRun) lostBytes(name string, want map[flow.Cause]float64) {
	c.t.Helper()
	ds := c.demand(name)
	for cause := range flow.NumCauses {
		catNear(c.t, fmt.Sprintf("demand %s bytes lost to %v", name, cause), ds.Bytes.Lost[cause], want[cause], 1+1e-9*want[cause])
	}
}

func (c *catRun) linkState(name string, want link.State) {
	c.t.Helper()
	st, ok := c.f.LinkState(name)
	if !ok || st != want {
		c.t.Errorf("at %v link %s is %v (known %v), want %v", c.e.Now(), name, st, ok, want)
	}
}

func (c *catRun) established(session string, want bool) {
	c.t.Helper()
	if got := c.f.SessionEstablished(session); got != want {
		c.t.Errorf("at %v session %s established = %v, want %v", c.e.Now(), session, got, want)
	}
}

func (c *catRun) linkLoad(name string) flow.LinkLoad {
	c.t.Helper()
	n := c.f.Flow()
	for i := 0; i < n.NumLinks(); i++ {
		if n.LinkName(flow.LinkID(i)) == name {
			return n.Link(flow.LinkID(i))
		}
	}
	c.t.Fatalf("no data-plane link %q", name)
	return flow.LinkLoad{}
}

// within fails unless d is in [lo, hi].
func (c *catRun) within(what string, d, lo, hi sim.Time) {
	c.t.Helper()
	if d < lo || d > hi {
		c.t.Errorf("%s after %v, want in [%v, %v]", what, d, lo, hi)
	}
}

func (c *catRun) dump() string {
	var b strings.Builder
	for _, r := range c.rec.recs {
		if r.kind != "link.load" && r.kind != "bgp.update" {
			b.WriteString(r.String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func catNear(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6g, want %.6g (±%.3g)", what, got, want, tol)
	}
}

// bytesAt converts a rate held for d into bytes.
func bytesAt(rate float64, d sim.Time) float64 { return rate / 8 * d.Seconds() }

// ---- the catalogue ----

var (
	quadD    = []catDemand{{"d", "aws", "gcp", 25e9}}
	quadBoth = []catDemand{{"d", "aws", "gcp", 25e9}, {"r", "gcp", "aws", 25e9}}
	noLoss   = map[flow.Cause]float64{}
)

func catCases() []catCase {
	return []catCase{
		{
			// Carrier loss on ch1: both ends see it at once (carrier delay 0)
			// and drop a1~g1 (fast external fallover). The 6.25G on ch1 is
			// black-holed only until a1's FIB moves to the hub (100µs):
			// 6.25G/8 × 100µs = 78,125 bytes. The hub moves the same instant,
			// so 25G then runs over three channels (8.33G each), no loss.
			// Repair at +60s: a1~g1 reconnects at once (transport up) and is
			// established 2s + 4ms later.
			name: "link-down", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: LinkDown, Target: "ch1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				c.first("link.state", catT, "subject", "ch1", "state", "down", "reason", "link-down")
				for _, r := range []string{"a1", "g1"} {
					x := c.left("a1~g1", r, catT)
					if x.at != catT || x.str("reason") != "carrier-lost" {
						t.Errorf("%s left a1~g1 at +%v (%s), want at once, carrier-lost", r, x.at-catT, x.str("reason"))
					}
				}
				c.linkState("ch1", link.Down)
				c.established("a1~g1", false)
				c.rates("d", 25e9, noLoss)
				c.lostBytes("d", map[flow.Cause]float64{flow.Blackhole: bytesAt(6.25e9, catFIB)})

				c.until(70 * sim.Second)
				c.first("link.state", catT+60*sim.Second, "subject", "ch1", "state", "up", "reason", "repair")
				for _, r := range []string{"a1", "g1"} {
					c.within(r+" re-established a1~g1", c.back("a1~g1", r, catT).at-catT-60*sim.Second,
						catEst+4*catLat, catEst+5*catLat)
				}
				c.established("a1~g1", true)
				c.rates("d", 25e9, noLoss)
				if ll := c.linkLoad("ch1"); ll.Load != 6.25e9 {
					t.Errorf("ch1 load %v after repair, want 6.25G", ll.Load)
				}
			},
		},
		{
			// Silent mid-span loss on ch1: the interfaces stay up, so only BFD
			// (300ms × 3) notices, 600–900ms after the failure (+1ms for the
			// last packet to arrive). Until a1's FIB moves away (detection +
			// 100µs), the 6.25G a1 sends into ch1 is lost as silent-link.
			name: "link-silent/bfd", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: LinkSilent, Target: "ch1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(5 * sim.Second)
				if c.flt.Loss != 1 {
					t.Errorf("Validate left loss %v, want the default 1", c.flt.Loss)
				}
				c.first("link.state", catT, "subject", "ch1", "state", "silent", "reason", "link-silent")
				c.linkState("ch1", link.Silent)
				c.none("bgp.session", catT, catT+5*sim.Second, "reason", "carrier-lost")
				var tA sim.Time
				for _, r := range []string{"a1", "g1"} {
					x := c.left("a1~g1", r, catT)
					if x.str("reason") != "bfd-down" {
						t.Errorf("%s left a1~g1 for %s, want bfd-down", r, x.str("reason"))
					}
					c.within(r+" detected the silent link", x.at-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+catLat)
					if r == "a1" {
						tA = x.at
					}
				}
				fib := c.first("fib.change", catT, "subject", "a1", "prefix", "10.2.0.0/16")
				if fib.at != tA+catFIB {
					t.Errorf("a1 FIB moved at %v, want detection %v + 100µs", fib.at, tA)
				}
				c.lostBytes("d", map[flow.Cause]float64{flow.SilentLink: bytesAt(6.25e9, fib.at-catT)})
				c.rates("d", 25e9, noLoss)

				// Healed at +60s: BFD comes up at once, but the session sits
				// in OpenSent (its OPENs were lost) until connect-retry (120s)
				// fires; the next attempt succeeds: back within 120s + 2s + 3ms.
				c.until(190 * sim.Second)
				c.first("link.state", catT+60*sim.Second, "subject", "ch1", "state", "up", "reason", "repair")
				c.within("a1~g1 back after the silent link healed", c.back("a1~g1", "a1", catT).at-catT-60*sim.Second,
					0, 120*sim.Second+catEst+3*catLat)
				c.established("a1~g1", true)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// The same without BFD (cat-quad-nobfd.toml, hold 90s, keepalive
			// 30s at both ends): only the hold timer notices, 60–90s after
			// the failure, and the black hole lasts that long: between
			// 6.25G/8 × 60s = 46.9GB and 6.25G/8 × 90s = 70.3GB.
			name: "link-silent/hold-timer", fixture: "cat-quad-nobfd.toml", demands: quadD,
			fault: Fault{Kind: LinkSilent, Target: "ch1"},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(100 * sim.Second)
				x := c.left("a1~g1", "a1", catT)
				if x.str("reason") != "hold-timer-expired" {
					t.Errorf("a1 left a1~g1 for %s, want hold-timer-expired", x.str("reason"))
				}
				c.within("a1's hold timer expired", x.at-catT, 60*sim.Second, 90*sim.Second+catLat)
				fib := c.first("fib.change", catT, "subject", "a1", "prefix", "10.2.0.0/16")
				c.lostBytes("d", map[flow.Cause]float64{flow.SilentLink: bytesAt(6.25e9, fib.at-catT)})
				c.linkState("ch1", link.Silent)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// ch1 degraded from 10G to 2G: ECMP still hashes 6.25G onto it
			// (BGP does not see capacity), so 6.25 − 2 = 4.25G is dropped to
			// congestion and 20.75G delivered. Sessions are untouched.
			name: "link-degrade", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: LinkDegrade, Target: "ch1", Capacity: 2e9, Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				c.first("link.state", catT, "subject", "ch1", "state", "degraded", "reason", "link-degrade")
				c.rates("d", 20.75e9, map[flow.Cause]float64{flow.Congestion: 4.25e9})
				ll := c.linkLoad("ch1")
				if ll.Capacity != 2e9 || ll.Load != 6.25e9 || ll.Dropped != 4.25e9 {
					t.Errorf("ch1 capacity %v load %v dropped %v, want 2G, 6.25G, 4.25G", ll.Capacity, ll.Load, ll.Dropped)
				}
				c.until(61 * sim.Second)
				c.none("bgp.session", catT, c.e.Now())
				c.first("link.state", catT+60*sim.Second, "subject", "ch1", "state", "up", "reason", "repair")
				c.rates("d", 25e9, noLoss)
				// 4.25G for exactly 60s.
				c.lostBytes("d", map[flow.Cause]float64{flow.Congestion: bytesAt(4.25e9, 60*sim.Second)})
			},
		},
		{
			// count 3, period 10s: down at +0, +20s, +40s and up at +10s,
			// +30s, +50s: three of each; the fault ends (fault.repair) with
			// the last up. a1~g1 drops at each down and is back 2s + 2ms
			// after each up.
			name: "link-flap", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: LinkFlap, Target: "ch1", Period: 10 * sim.Second, Count: 3},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(60 * sim.Second)
				var got []string
				for _, r := range c.all("link.state", catT, c.e.Now(), "subject", "ch1") {
					got = append(got, fmt.Sprintf("+%v %s", r.at-catT, r.str("state")))
				}
				want := []string{"+0s down", "+10s up", "+20s down", "+30s up", "+40s down", "+50s up"}
				if !slices.Equal(got, want) {
					t.Errorf("ch1 states %v, want %v", got, want)
				}
				if r := c.first("fault.repair", catT, "subject", "f1"); r.at != catT+50*sim.Second {
					t.Errorf("fault.repair at +%v, want +50s", r.at-catT)
				}
				drops := c.all("bgp.session", catT, c.e.Now(), "subject", "a1~g1", "router", "a1", "from", "established")
				ups := c.all("bgp.session", catT, c.e.Now(), "subject", "a1~g1", "router", "a1", "state", "established")
				if len(drops) != 3 || len(ups) != 3 {
					t.Errorf("a1~g1 left established %d times and came back %d times, want 3 and 3", len(drops), len(ups))
				}
				for i, u := range ups {
					c.within(fmt.Sprintf("a1~g1 back after flap %d", i+1), u.at-catT-sim.Time(20*i+10)*sim.Second,
						catEst+4*catLat, catEst+5*catLat)
				}
				c.established("a1~g1", true)
				c.rates("d", 25e9, noLoss)
				// Three black holes of 100µs each (a1's FIB install).
				c.lostBytes("d", map[flow.Cause]float64{flow.Blackhole: 3 * bytesAt(6.25e9, catFIB)})
			},
		},
		{
			// The end of a flap is a repair like any other: its fault.repair
			// record names what it touched (DESIGN "Faults", issue 6: every
			// inject and repair names everything it touched): ch1, a1, g1.
			name: "link-flap/repair-record", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: LinkFlap, Target: "ch1", Period: 10 * sim.Second, Count: 1},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(20 * sim.Second)
				r := c.first("fault.repair", catT, "subject", "f1")
				if r.at != catT+10*sim.Second || r.str("links") != "ch1" || r.str("routers") != "a1,g1" {
					t.Errorf("flap repair record %v, want at +10s with links [ch1] routers [a1 g1]", r)
				}
			},
		},
		{
			// A failed MACsec key rollover on ch1 (fail-closed): the link is
			// up at layer 1 but carries nothing ("dark"), so like a silent
			// failure it black-holes 6.25G as silent-link until BFD (600–
			// 900ms) takes a1~g1 down and a1's FIB moves (+100µs).
			name: "macsec-key-mismatch", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: MACsecKeyMismatch, Target: "ch1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(5 * sim.Second)
				c.first("link.state", catT, "subject", "ch1", "state", "dark", "reason", "macsec-key-mismatch")
				c.linkState("ch1", link.Dark)
				x := c.left("a1~g1", "a1", catT)
				if x.str("reason") != "bfd-down" {
					t.Errorf("a1 left a1~g1 for %s, want bfd-down", x.str("reason"))
				}
				c.within("BFD detected the dark link", x.at-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+catLat)
				c.established("a1~g1", false)
				fib := c.first("fib.change", catT, "subject", "a1", "prefix", "10.2.0.0/16")
				c.lostBytes("d", map[flow.Cause]float64{flow.SilentLink: bytesAt(6.25e9, fib.at-catT)})
				c.rates("d", 25e9, noLoss)
				c.until(61 * sim.Second)
				c.first("link.state", catT+60*sim.Second, "subject", "ch1", "state", "up", "reason", "repair")
			},
		},
		{
			// lag1 = 2 × 10G with min_links 2: losing m11 leaves one member,
			// below the minimum, so the whole bundle goes down (carrier: a1~g1
			// drops at once). 30G offered, 15G per bundle; all of it on lag2
			// (20G): 10G dropped to congestion. Repair brings lag1 back.
			name: "lag-member-down/below-min-links", fixture: "cat-lag.toml",
			demands: []catDemand{{"d", "aws", "gcp", 30e9}},
			fault:   Fault{Kind: LAGMemberDown, Target: "m11", Repair: 60 * sim.Second},
			touch:   catTouch{"m11,lag1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				c.first("link.state", catT, "subject", "lag1", "state", "down", "reason", "lag-below-min-links")
				c.linkState("lag1", link.Down)
				if x := c.left("a1~g1", "a1", catT); x.at != catT || x.str("reason") != "carrier-lost" {
					t.Errorf("a1 left a1~g1 at +%v for %s, want at once, carrier-lost", x.at-catT, x.str("reason"))
				}
				c.rates("d", 20e9, map[flow.Cause]float64{flow.Congestion: 10e9})
				c.until(70 * sim.Second)
				c.first("link.state", catT+60*sim.Second, "subject", "lag1", "state", "up", "reason", "lag-min-links-restored")
				c.established("a1~g1", true)
				c.rates("d", 30e9, noLoss)
			},
		},
		{
			// lag2 = 2 × 10G with min_links 1: losing m21 halves it to 10G and
			// it stays up (the session does not notice). ECMP still sends
			// 15G into it: 5G dropped to congestion.
			name: "lag-member-down/capacity-halves", fixture: "cat-lag.toml",
			demands: []catDemand{{"d", "aws", "gcp", 30e9}},
			fault:   Fault{Kind: LAGMemberDown, Target: "m21", Repair: 60 * sim.Second},
			touch:   catTouch{"m21,lag2", "a2,g2"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				c.first("link.state", catT, "subject", "lag2", "state", "degraded", "reason", "lag-member-down")
				c.linkState("lag2", link.Up)
				if ll := c.linkLoad("lag2"); ll.Capacity != 10e9 || ll.Dropped != 5e9 {
					t.Errorf("lag2 capacity %v dropped %v, want 10G and 5G", ll.Capacity, ll.Dropped)
				}
				c.none("bgp.session", catT, c.e.Now())
				c.rates("d", 25e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				c.until(61 * sim.Second)
				c.first("link.state", catT+60*sim.Second, "subject", "lag2", "state", "up", "reason", "lag-member-up")
				c.rates("d", 30e9, noLoss)
			},
		},
		{
			// a1 crashes: its sessions end (crashed), its FIB is flushed, ch1
			// loses carrier so g1 drops a1~g1 at once. The aws hub is not
			// told by carrier (the site interior is multi-hop): its BFD to a1
			// (300ms × 3) notices 600–900ms later, and until then the hub's
			// quarter (6.25G) into a1 is black-holed. Repair (boot) at +60s
			// re-establishes both of a1's sessions.
			name: "router-crash", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: RouterCrash, Target: "a1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(5 * sim.Second)
				c.first("link.state", catT, "subject", "ch1", "state", "down", "reason", "router-crash")
				for _, s := range []string{"a1~g1", "aws~a1"} {
					if x := c.left(s, "a1", catT); x.at != catT || x.str("reason") != "crashed" {
						t.Errorf("a1 left %s at +%v for %s, want at once, crashed", s, x.at-catT, x.str("reason"))
					}
				}
				if x := c.left("a1~g1", "g1", catT); x.at != catT || x.str("reason") != "carrier-lost" {
					t.Errorf("g1 left a1~g1 at +%v for %s, want at once, carrier-lost", x.at-catT, x.str("reason"))
				}
				for _, p := range []string{"10.1.0.0/16", "10.2.0.0/16"} {
					if x := c.first("fib.change", catT, "subject", "a1", "prefix", p); x.at != catT || x.str("nexthops") != "" {
						t.Errorf("a1 FIB for %s: %v, want flushed at once", p, x)
					}
				}
				hub := c.left("aws~a1", "aws", catT)
				if hub.str("reason") != "bfd-down" {
					t.Errorf("the aws hub left aws~a1 for %s, want bfd-down", hub.str("reason"))
				}
				c.within("the hub's BFD noticed a1", hub.at-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+100*sim.Microsecond)
				c.lostBytes("d", map[flow.Cause]float64{flow.Blackhole: bytesAt(6.25e9, hub.at-catT)})
				c.rates("d", 25e9, noLoss)

				c.until(70 * sim.Second)
				c.first("link.state", catT+60*sim.Second, "subject", "ch1", "state", "up", "reason", "router-boot")
				c.within("a1~g1 back after boot", c.back("a1~g1", "a1", catT).at-catT-60*sim.Second, catEst+4*catLat, catEst+5*catLat)
				c.established("a1~g1", true)
				c.established("aws~a1", true)
				c.rates("d", 25e9, noLoss)
				if ll := c.linkLoad("ch1"); ll.Load != 6.25e9 {
					t.Errorf("ch1 load %v after boot, want 6.25G", ll.Load)
				}
			},
		},
		{
			// Reboot without a repair key: a1 is back after its profile's boot
			// time (aws: 300s), and a1~g1 is established 2s + 4ms later.
			name: "router-reboot", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: RouterReboot, Target: "a1"},
			touch: catTouch{"ch1", "a1"},
			check: func(t *testing.T, c *catRun) {
				if boot, _ := c.f.BootTime("a1"); boot != 300*sim.Second {
					t.Fatalf("a1 boot time %v, want 300s (aws profile)", boot)
				}
				c.until(299 * sim.Second)
				c.established("a1~g1", false)
				c.established("aws~a1", false)
				c.linkState("ch1", link.Down)
				c.rates("d", 25e9, noLoss)
				c.until(310 * sim.Second)
				if r := c.first("fault.repair", catT, "subject", "f1"); r.at != catT+300*sim.Second || r.str("routers") != "a1" {
					t.Errorf("reboot ended %v, want at +300s touching a1", r)
				}
				c.first("link.state", catT+300*sim.Second, "subject", "ch1", "state", "up", "reason", "router-boot")
				c.within("a1~g1 back after the reboot", c.back("a1~g1", "a1", catT).at-catT-300*sim.Second, catEst+4*catLat, catEst+5*catLat)
				c.established("a1~g1", true)
				c.established("aws~a1", true)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// The routing daemon on a1 dies: the kernel closes its TCP
			// sessions, so the hub (100µs away) and g1 (1ms) see them close at
			// once, reason peer-restart. The box forwards on from its stale
			// FIB (no FIB change on a1; ch1 stays up; BFD is offloaded and
			// stays up), so neither direction loses a byte while the peers
			// move away. Repair (+60s) restarts the daemon.
			name: "routing-process-crash", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ProcessCrash, Target: "a1", Repair: 60 * sim.Second},
			touch: catTouch{"", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(59 * sim.Second)
				hub := c.left("aws~a1", "aws", catT)
				g1 := c.left("a1~g1", "g1", catT)
				if hub.at != catT+100*sim.Microsecond || hub.str("reason") != "peer-restart" {
					t.Errorf("hub saw aws~a1 close at +%v (%s), want +100µs, peer-restart", hub.at-catT, hub.str("reason"))
				}
				if g1.at != catT+catLat || g1.str("reason") != "peer-restart" {
					t.Errorf("g1 saw a1~g1 close at +%v (%s), want +1ms, peer-restart", g1.at-catT, g1.str("reason"))
				}
				c.none("fib.change", catT, c.e.Now(), "subject", "a1")
				c.none("link.state", catT, c.e.Now())
				c.none("bfd.state", catT, c.e.Now(), "state", "down")
				c.linkState("ch1", link.Up)
				c.lostBytes("d", noLoss)
				c.lostBytes("r", noLoss)
				c.rates("d", 25e9, noLoss)
				c.rates("r", 25e9, noLoss)
				c.until(70 * sim.Second)
				c.within("a1~g1 back after the daemon restarts", c.back("a1~g1", "a1", catT).at-catT-60*sim.Second, catEst+4*catLat, catEst+5*catLat)
				c.established("a1~g1", true)
				c.established("aws~a1", true)
			},
		},
		{
			// a1's BGP process hangs (aws profile: BFD offloaded, keeps
			// answering). Nothing notices at once; forwarding goes on. The
			// hub's iBGP hold timer (hold 30s, keepalive 10s) expires 20–30s
			// after the hang, g1's (negotiated hold min(90s, 60s) = 60s,
			// keepalive 20s) 40–60s after it (+1ms). No BFD session goes
			// down; not a byte is lost in either direction.
			name: "control-plane-hang/offloaded-bfd", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ControlPlaneHang, Target: "a1", Repair: 120 * sim.Second},
			touch: catTouch{"", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(119 * sim.Second)
				hub := c.left("aws~a1", "aws", catT)
				if hub.str("reason") != "hold-timer-expired" {
					t.Errorf("hub left aws~a1 for %s, want hold-timer-expired", hub.str("reason"))
				}
				c.within("the hub's hold timer", hub.at-catT, 20*sim.Second, 30*sim.Second+100*sim.Microsecond)
				g1 := c.left("a1~g1", "g1", catT)
				if g1.str("reason") != "hold-timer-expired" {
					t.Errorf("g1 left a1~g1 for %s, want hold-timer-expired", g1.str("reason"))
				}
				c.within("g1's hold timer", g1.at-catT, 40*sim.Second, 60*sim.Second+catLat)
				c.none("bfd.state", catT, c.e.Now(), "state", "down")
				c.none("bgp.session", catT, c.e.Now(), "router", "a1") // a1 itself does nothing while hung
				c.none("fib.change", catT, c.e.Now(), "subject", "a1")
				c.lostBytes("d", noLoss)
				c.lostBytes("r", noLoss)
				// After the hang: a1 catches up and both sessions come back
				// (within a connect-retry, 120s, plus the establish delay).
				c.until(250 * sim.Second)
				c.established("a1~g1", true)
				c.established("aws~a1", true)
				c.rates("d", 25e9, noLoss)
				c.rates("r", 25e9, noLoss)
			},
		},
		{
			// c1 is a software router (generic profile): BFD runs in the
			// routing process and stops with it, so a1 and the onprem hub
			// detect c1 by BFD 600–900ms after the hang, long before any hold
			// timer (90s). c1 keeps forwarding from its FIB meanwhile and the
			// peers move their traffic away: nothing is lost.
			name: "control-plane-hang/software-bfd", fixture: "cat-software-bfd.toml",
			demands: []catDemand{{"d", "aws", "onprem", 10e9}, {"r", "onprem", "aws", 10e9}},
			fault:   Fault{Kind: ControlPlaneHang, Target: "c1", Repair: 60 * sim.Second},
			touch:   catTouch{"", "c1"},
			check: func(t *testing.T, c *catRun) {
				c.until(30 * sim.Second)
				for _, x := range [][2]string{{"a1~c1", "a1"}, {"onprem~c1", "onprem"}} {
					l := c.left(x[0], x[1], catT)
					if l.str("reason") != "bfd-down" {
						t.Errorf("%s left %s for %s, want bfd-down", x[1], x[0], l.str("reason"))
					}
					c.within(x[1]+" detected the hang by BFD", l.at-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+catLat)
				}
				c.none("fib.change", catT, c.e.Now(), "subject", "c1")
				c.lostBytes("d", noLoss)
				c.lostBytes("r", noLoss)
				c.rates("d", 10e9, noLoss)
				c.rates("r", 10e9, noLoss)
				c.until(200 * sim.Second)
				c.established("a1~c1", true)
				c.established("onprem~c1", true)
			},
		},
		{
			// Graceful restart of a2 (graceful_restart 120s on both ends of
			// a2~g2): g2 sees the TCP close (+1ms, peer-restart) but keeps
			// a2's routes as stale, a2 keeps its FIB, so gcp → aws traffic
			// hashed onto g2 keeps flowing through a2: no loss, no FIB change
			// at a2, g2 or the gcp hub. The process is back after 30s (the
			// default downtime) and a2~g2 is established 2s + 4ms later.
			name: "control-plane-restart/graceful", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ControlPlaneRestart, Target: "a2", Graceful: true},
			touch: catTouch{"", "a2"},
			check: func(t *testing.T, c *catRun) {
				if c.flt.Downtime != 30*sim.Second {
					t.Errorf("Validate left downtime %v, want the default 30s", c.flt.Downtime)
				}
				c.until(29 * sim.Second)
				if g2 := c.left("a2~g2", "g2", catT); g2.at != catT+catLat || g2.str("reason") != "peer-restart" {
					t.Errorf("g2 saw a2~g2 close at +%v (%s), want +1ms, peer-restart", g2.at-catT, g2.str("reason"))
				}
				for _, r := range []string{"a2", "g2", "gcp"} {
					c.none("fib.change", catT, c.e.Now(), "subject", r)
				}
				c.lostBytes("r", noLoss)
				c.lostBytes("d", noLoss)
				c.until(60 * sim.Second)
				c.within("a2~g2 back after the restart", c.back("a2~g2", "a2", catT).at-catT-30*sim.Second, catEst+4*catLat, catEst+5*catLat)
				c.established("a2~g2", true)
				c.lostBytes("r", noLoss)
				c.rates("r", 25e9, noLoss)
			},
		},
		{
			// Non-graceful restart of a1 (no graceful restart on a1~g1): a1
			// flushes its FIB at once (100µs), and g1, told by the Cease
			// NOTIFICATION 1ms later, withdraws a1's routes; the gcp hub moves 100µs after
			// g1. For the 1ms between a1's flush and g1's FIB change the
			// 6.25G gcp → aws hashed onto g1 reaches a1 with no route:
			// 6.25G/8 × 1ms = 781,250 bytes.
			name: "control-plane-restart/non-graceful", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ControlPlaneRestart, Target: "a1"},
			touch: catTouch{"", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(10 * sim.Second)
				if x := c.first("fib.change", catT, "subject", "a1", "prefix", "10.1.0.0/16"); x.at != catT+catFIB || x.str("nexthops") != "" {
					t.Errorf("a1 FIB for 10.1.0.0/16: %v, want flushed at +100µs", x)
				}
				if g1 := c.left("a1~g1", "g1", catT); g1.at != catT+catLat || g1.str("reason") != "notification-received" {
					t.Errorf("g1 saw a1~g1 close at +%v (%s), want +1ms, notification-received", g1.at-catT, g1.str("reason"))
				}
				if x := c.first("fib.change", catT, "subject", "gcp", "prefix", "10.1.0.0/16"); x.at != catT+catLat+catFIB || x.str("nexthops") != "g2,g3,g4" {
					t.Errorf("gcp hub FIB: %v, want g2,g3,g4 at +1.1ms", x)
				}
				c.lostBytes("r", map[flow.Cause]float64{flow.NoRoute: bytesAt(6.25e9, catLat)})
				c.lostBytes("d", noLoss)
				c.until(60 * sim.Second)
				c.established("a1~g1", true)
				c.rates("r", 25e9, noLoss)
			},
		},
		{
			// The same non-graceful restart, of a2, whose session a2~g2 has
			// graceful restart configured. Graceful=false means the restart
			// does not preserve forwarding state (a2 flushes its FIB, as it
			// does), and ControlPlaneRestart's contract is that peers then
			// "withdraw them at once": expected as for a1, 6.25G/8 × 1ms =
			// 781,250 bytes of gcp → aws lost to no-route.
			name: "control-plane-restart/non-graceful-gr-configured", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ControlPlaneRestart, Target: "a2"},
			touch: catTouch{"", "a2"},
			check: func(t *testing.T, c *catRun) {
				c.until(60 * sim.Second)
				c.lostBytes("r", map[flow.Cause]float64{flow.NoRoute: bytesAt(6.25e9, catLat)})
				if rs := c.all("bgp.best", catT, catT+catLat, "subject", "g2", "prefix", "10.1.0.0/16"); len(rs) == 0 || strings.Contains(rs[0].str("nexthops"), "a2") {
					t.Errorf("g2 still routes 10.1.0.0/16 via a2 1ms after the restart (records %v), want a2's routes withdrawn", rs)
				}
				c.established("a2~g2", true)
			},
		},
		{
			// Operator reset of a1~g1 from a1: NOTIFICATION Cease (a1:
			// admin-reset; g1 gets it 1ms later: notification-received), then
			// a1 reconnects at once: established 2s + 2ms after the reset.
			// a1's FIB and the hub move the same instant: no loss.
			name: "session-reset", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: SessionReset, Target: "a1~g1"},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(10 * sim.Second)
				if x := c.left("a1~g1", "a1", catT); x.at != catT || x.str("reason") != "admin-reset" {
					t.Errorf("a1 left a1~g1: %v, want at once, admin-reset", x)
				}
				if x := c.left("a1~g1", "g1", catT); x.at != catT+catLat || x.str("reason") != "notification-received" {
					t.Errorf("g1 left a1~g1: %v, want at +1ms, notification-received", x)
				}
				c.within("a1~g1 back after the reset", c.back("a1~g1", "g1", catT).at-catT, catEst+4*catLat, catEst+5*catLat)
				c.established("a1~g1", true)
				c.lostBytes("d", noLoss)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// The gcp site stops announcing its prefix (Validate fills in the
			// site's first, 10.2.0.0/16): once the withdrawal has crossed the
			// fabric every router has no route and the whole 25G is lost to
			// no-route. Repair announces it again.
			name: "prefix-withdraw", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: PrefixWithdraw, Target: "gcp", Repair: 60 * sim.Second},
			touch: catTouch{"", "gcp"},
			check: func(t *testing.T, c *catRun) {
				if c.flt.Prefix != netip.MustParsePrefix("10.2.0.0/16") {
					t.Errorf("Validate set prefix %v, want the site's 10.2.0.0/16", c.flt.Prefix)
				}
				c.until(10 * sim.Second)
				if x := c.last("bgp.best", c.e.Now(), "subject", "aws", "prefix", "10.2.0.0/16"); x.str("nexthops") != "" {
					t.Errorf("aws hub still routes 10.2.0.0/16: %v", x)
				}
				c.rates("d", 0, map[flow.Cause]float64{flow.NoRoute: 25e9})
				c.until(100 * sim.Second)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// fac1 holds a1, a2, g1, g2 and ch1, ch2: all of them go. The
			// aws hub finds a1 and a2 gone by BFD (600–900ms each, its own
			// phase per session): until the first, half the traffic (12.5G)
			// is black-holed; between the two, the survivor's third (8.33G),
			// while a3 and a4 carry 8.33G each (no congestion yet). Then the
			// DESIGN's analytic case: 25G on the two channels of fac2
			// (2 × 10G): 20G delivered, 5G dropped to congestion.
			name: "facility-down", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: FacilityDown, Target: "fac1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1,ch2", "a1,a2,g1,g2"},
			check: func(t *testing.T, c *catRun) {
				c.until(5 * sim.Second)
				for _, l := range []string{"ch1", "ch2"} {
					c.first("link.state", catT, "subject", l, "state", "down", "reason", "facility-down")
					c.linkState(l, link.Down)
				}
				c.linkState("ch3", link.Up)
				c.linkState("ch4", link.Up)
				t1 := c.left("aws~a1", "aws", catT).at
				t2 := c.left("aws~a2", "aws", catT).at
				c.within("hub detected a1", t1-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+100*sim.Microsecond)
				c.within("hub detected a2", t2-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+100*sim.Microsecond)
				first, second := min(t1, t2), max(t1, t2)
				c.lostBytes("d", map[flow.Cause]float64{
					flow.Blackhole:  bytesAt(12.5e9, first-catT) + bytesAt(25e9/3, second-first),
					flow.Congestion: bytesAt(5e9, catT+5*sim.Second-second),
				})
				c.rates("d", 20e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				c.until(70 * sim.Second)
				c.established("a1~g1", true)
				c.established("a2~g2", true)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// The conduit "east" carries ch1 (fac1) and ch3 (fac2): both lose
			// carrier, their routers stay up. a1 and a3 move within 100µs
			// (12.5G/8 × 100µs = 156,250 bytes black-holed), then 25G on ch2
			// and ch4: 5G dropped to congestion.
			name: "srlg-down/conduit", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: SRLGDown, Target: "east", Repair: 60 * sim.Second},
			touch: catTouch{"ch1,ch3", "a1,a3,g1,g3"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				for _, l := range []string{"ch1", "ch3"} {
					c.first("link.state", catT, "subject", l, "state", "down", "reason", "srlg-down")
					c.linkState(l, link.Down)
				}
				c.linkState("ch2", link.Up)
				c.linkState("ch4", link.Up)
				c.none("bgp.session", catT, c.e.Now(), "reason", "crashed")
				c.rates("d", 20e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				c.lostBytes("d", map[flow.Cause]float64{
					flow.Blackhole:  bytesAt(12.5e9, catFIB),
					flow.Congestion: bytesAt(5e9, sim.Second-catFIB),
				})
				c.until(70 * sim.Second)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// A facility SRLG is its backhaul: losing "backhaul-2" cuts a3,
			// a4, g3, g4 off from their sites (their site attachments go
			// down) while the routers, ch3, ch4 and the sessions over them
			// stay up. The attachment is a path across the provider's
			// backbone, not a wire, so the hubs find out by BFD (600–900ms,
			// own phase per session); meanwhile the hub's traffic to a3 and
			// a4 is black-holed: 12.5G until the first detection, 8.33G
			// until the second. Then 25G on ch1 and ch2: 5G congestion.
			name: "srlg-down/backhaul", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: SRLGDown, Target: "backhaul-2", Repair: 60 * sim.Second},
			touch: catTouch{"", "a3,a4,g3,g4"},
			check: func(t *testing.T, c *catRun) {
				c.until(5 * sim.Second)
				for _, l := range []string{"aws~a3", "aws~a4", "gcp~g3", "gcp~g4"} {
					c.first("link.state", catT, "subject", l, "state", "down", "reason", "srlg-down")
				}
				c.linkState("ch3", link.Up)
				c.linkState("ch4", link.Up)
				c.none("link.state", catT, c.e.Now(), "subject", "ch3")
				c.none("bgp.session", catT, c.e.Now(), "subject", "a3~g3", "from", "established")
				c.none("bgp.session", catT, c.e.Now(), "subject", "a4~g4", "from", "established")
				c.none("bgp.session", catT, c.e.Now(), "reason", "crashed")
				t3 := c.left("aws~a3", "aws", catT)
				t4 := c.left("aws~a4", "aws", catT)
				for _, x := range []catRec{t3, t4} {
					if x.str("reason") != "bfd-down" {
						t.Errorf("the aws hub left %s for %s, want bfd-down", x.subject, x.str("reason"))
					}
					c.within("the hub noticed "+x.subject, x.at-catT, 600*sim.Millisecond+1, 900*sim.Millisecond+100*sim.Microsecond)
				}
				first, second := min(t3.at, t4.at), max(t3.at, t4.at)
				c.lostBytes("d", map[flow.Cause]float64{
					flow.Blackhole:  bytesAt(12.5e9, first-catT) + bytesAt(25e9/3, second-first),
					flow.Congestion: bytesAt(5e9, catT+5*sim.Second-second),
				})
				c.rates("d", 20e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				// Repair (+60s): the attachments and hub sessions come back
				// within a second, but g3 and g4 re-advertise 10.2.0.0/16 to
				// a3 and a4 paced by eBGP MRAI (30s, gcp profile): full rate
				// again within 60s + 1s + 30s.
				c.until(95 * sim.Second)
				c.established("aws~a3", true)
				c.established("gcp~g4", true)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// cat-pool.toml: p-fac2 (20G over ch3, ch4) carries the demand's
			// 12.5G and the tenant's 7.5G: exactly full. A 5G surge makes it
			// 25G on 20G: 5G dropped, proportionally (ratio 1/5): the demand
			// loses 12.5G/5 = 2.5G, the background (7.5G tenant + 5G surge
			// = 12.5G) as much.
			name: "pool-surge", fixture: "cat-pool.toml", demands: quadD,
			fault: Fault{Kind: PoolSurge, Target: "p-fac2", Rate: 5e9, Repair: 60 * sim.Second},
			touch: catTouch{"ch3,ch4", ""},
			check: func(t *testing.T, c *catRun) {
				if p := c.f.Flow().Pool(0); p.Load != 20e9 || p.Dropped != 0 {
					t.Errorf("before: pool load %v dropped %v, want 20G and 0", p.Load, p.Dropped)
				}
				c.until(sim.Second)
				p := c.f.Flow().Pool(0)
				if p.Name != "p-fac2" || p.Background != 12.5e9 || p.Load != 25e9 || p.Dropped != 5e9 || p.BackgroundDropped != 2.5e9 {
					t.Errorf("pool %s: background %v load %v dropped %v (background %v), want 12.5G, 25G, 5G (2.5G)",
						p.Name, p.Background, p.Load, p.Dropped, p.BackgroundDropped)
				}
				c.rates("d", 22.5e9, map[flow.Cause]float64{flow.Congestion: 2.5e9})
				c.until(61 * sim.Second)
				c.rates("d", 25e9, noLoss)
				c.lostBytes("d", map[flow.Cause]float64{flow.Congestion: bytesAt(2.5e9, 60*sim.Second)})
				if p := c.f.Flow().Pool(0); p.Dropped != 0 {
					t.Errorf("after the surge: pool dropped %v, want 0", p.Dropped)
				}
			},
		},
		{
			// Google's routers (g1–g4 and the gcp hub) stop processing
			// UPDATEs for 120s; 10s in, ch3 loses carrier (repaired after
			// the outage). What an engineer expects: keepalives go on, so
			// no session drops except the two ends of ch3; a3 and g3 drop
			// a3~g3 at once (carrier is the kernel, not BGP) and g3 falls back
			// to its iBGP route via the gcp hub, but the hub cannot process
			// g3's withdrawal until the outage ends, so its quarter of gcp →
			// aws (6.25G) loops g3 ↔ hub for 110s: 6.25G/8 × 110s ≈ 85.94GB
			// (exactly: from g3's FIB change, +10s + 100µs, to the hub's,
			// when the outage ends; before g3's FIB moves, 100µs of
			// black hole, 78,125 bytes).
			// aws → gcp is not affected (the AWS side works): only a3's FIB
			// install, 6.25G/8 × 100µs = 78,125 bytes.
			name: "provider-control-plane-outage", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ProviderOutage, Target: "gcp", Repair: 120 * sim.Second},
			extra: []Fault{{Kind: LinkDown, Target: "ch3", At: catT + 10*sim.Second, Repair: 200 * sim.Second}},
			touch: catTouch{"", "g1,g2,g3,g4,gcp"},
			check: func(t *testing.T, c *catRun) {
				c.until(10*sim.Second - 1)
				c.lostBytes("r", noLoss)
				c.until(130 * sim.Second)
				c.none("bgp.session", catT, c.e.Now(), "from", "established", "subject", "a1~g1")
				c.none("bgp.session", catT, c.e.Now(), "from", "established", "subject", "a2~g2")
				c.none("bgp.session", catT, c.e.Now(), "from", "established", "subject", "a4~g4")
				c.none("bgp.session", catT, c.e.Now(), "from", "established", "subject", "gcp~g3")
				hub := c.first("fib.change", catT, "subject", "gcp", "prefix", "10.1.0.0/16")
				if hub.str("nexthops") != "g1,g2,g4" {
					t.Errorf("gcp hub FIB: %v, want g1,g2,g4", hub)
				}
				c.within("the gcp hub moved away from g3", hub.at-catT, 120*sim.Second, 120*sim.Second+10*sim.Millisecond)
				loopFrom := catT + 10*sim.Second + catFIB // g3's FIB points at the hub
				c.lostBytes("r", map[flow.Cause]float64{
					flow.Blackhole: bytesAt(6.25e9, catFIB), // g3 before its FIB moves
					flow.Loop:      bytesAt(6.25e9, hub.at-loopFrom),
				})
				c.lostBytes("d", map[flow.Cause]float64{flow.Blackhole: bytesAt(6.25e9, catFIB)})
				c.rates("r", 25e9, noLoss)
			},
		},
		{
			// a1 leaks 10.2.0.0/17, a more-specific of gcp's own prefix, to
			// all its peers. Longest match wins everywhere: the aws hub sends
			// all 25G for 10.2.0.1 to a1 (the only /17 path), a1 forwards it
			// on its /16 into ch1 (10G: 15G dropped to congestion), and g1,
			// which learned the /17 from a1, sends the 10G that got through
			// straight back: a loop. The victim's own hub learns the /17 from
			// its edge routers too. Nothing is delivered until the leak is
			// withdrawn (+60s).
			name: "route-leak", fixture: "cat-quad.toml",
			demands: []catDemand{{"d", "aws", "10.2.0.1", 25e9}},
			fault:   Fault{Kind: RouteLeak, Target: "a1", Prefix: netip.MustParsePrefix("10.2.0.0/17"), Repair: 60 * sim.Second},
			touch:   catTouch{"", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				if x := c.last("bgp.best", c.e.Now(), "subject", "aws", "prefix", "10.2.0.0/17"); x.str("nexthops") != "a1" {
					t.Errorf("aws hub best for the leak: %v, want via a1", x)
				}
				if x := c.last("bgp.best", c.e.Now(), "subject", "gcp", "prefix", "10.2.0.0/17"); x.str("nexthops") == "" {
					t.Errorf("gcp hub best for the leak: %v, want the leaked route", x)
				}
				c.rates("d", 0, map[flow.Cause]float64{flow.Congestion: 15e9, flow.Loop: 10e9})
				c.until(70 * sim.Second)
				if x := c.last("bgp.best", c.e.Now(), "subject", "gcp", "prefix", "10.2.0.0/17"); x.str("nexthops") != "" {
					t.Errorf("gcp hub still routes the leak after the repair: %v", x)
				}
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// a1 accepts at most 10 prefixes from g1 (max_prefix_a); g1
			// announces 11 more (198.18.0.0/32 …): a1 sends Cease and drops
			// a1~g1 (max-prefix-exceeded) as soon as it has processed the
			// UPDATE (1ms on the wire + 2ms + 11 × 100µs = +4.1ms), g1 gets
			// the NOTIFICATION 1ms later. None of the 11 reaches a1's Loc-RIB.
			// The session stays down for connect-retry (120s); a1's traffic
			// moves to the other channels without loss. After the repair
			// (+150s, g1 stops sending them) the next attempt (~+244s) holds.
			name: "max-prefix-exceeded", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: MaxPrefixExceeded, Target: "a1~g1", Repair: 150 * sim.Second},
			touch: catTouch{"", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(100 * sim.Second)
				a1 := c.left("a1~g1", "a1", catT)
				if a1.str("reason") != "max-prefix-exceeded" {
					t.Errorf("a1 left a1~g1 for %s, want max-prefix-exceeded", a1.str("reason"))
				}
				c.within("a1 enforced the limit", a1.at-catT, 3*sim.Millisecond, 10*sim.Millisecond)
				if g1 := c.left("a1~g1", "g1", catT); g1.at != a1.at+catLat || g1.str("reason") != "notification-received" {
					t.Errorf("g1 left a1~g1: %v, want 1ms after a1, notification-received", g1)
				}
				for _, r := range c.all("bgp.best", catT, sim.Never, "subject", "a1") {
					if strings.HasPrefix(r.str("prefix"), "198.18.") {
						t.Errorf("a1 installed a prefix beyond its limit: %v", r)
					}
				}
				c.established("a1~g1", false)
				c.lostBytes("d", noLoss)
				c.rates("d", 25e9, noLoss)
				c.until(400 * sim.Second)
				c.established("a1~g1", true)
				c.none("bgp.session", catT+150*sim.Second, c.e.Now(), "reason", "max-prefix-exceeded")
			},
		},
		{
			// Drain a1 (prepend 3 towards g1, LOCAL_PREF 0 towards the aws
			// hub): the hub prefers a2–a4 and g1 prefers the gcp hub's path
			// (shorter AS path), so both directions leave ch1 without losing
			// a byte and the sessions stay up. Undrained at +60s, ch1 carries
			// its quarter again.
			name: "drain", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: Drain, Target: "a1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1"},
			check: func(t *testing.T, c *catRun) {
				if c.flt.Prepend != 3 {
					t.Errorf("Validate left prepend %d, want the default 3", c.flt.Prepend)
				}
				c.until(sim.Second)
				if x := c.last("fib.change", c.e.Now(), "subject", "aws", "prefix", "10.2.0.0/16"); x.str("nexthops") != "a2,a3,a4" {
					t.Errorf("aws hub FIB %v, want a2,a3,a4", x)
				}
				if x := c.last("bgp.best", c.e.Now(), "subject", "g1", "prefix", "10.1.0.0/16"); x.str("nexthops") != "gcp" || x.str("rule") != "as-path" {
					t.Errorf("g1 best %v, want via the gcp hub by as-path", x)
				}
				if ll := c.linkLoad("ch1"); ll.Load != 0 {
					t.Errorf("drained ch1 still carries %v", ll.Load)
				}
				c.none("bgp.session", catT, c.e.Now())
				c.lostBytes("d", noLoss)
				c.lostBytes("r", noLoss)
				c.rates("d", 25e9, noLoss)
				c.rates("r", 25e9, noLoss)
				c.until(61 * sim.Second)
				if ll := c.linkLoad("ch1"); ll.Load != 6.25e9 {
					t.Errorf("undrained ch1 carries %v, want 6.25G", ll.Load)
				}
				c.lostBytes("d", noLoss)
				c.lostBytes("r", noLoss)
			},
		},
		{
			// Drain a1 the RFC 8326 way: every route it sends carries
			// 65535:0, on which g1 and the aws hub set LOCAL_PREF 0. Both
			// directions leave ch1 without a loss and the sessions stay up;
			// undrained at +60s, ch1 carries its quarter again.
			name: "drain-gshut", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: DrainGSHUT, Target: "a1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				if x := c.last("fib.change", c.e.Now(), "subject", "aws", "prefix", "10.2.0.0/16"); x.str("nexthops") != "a2,a3,a4" {
					t.Errorf("aws hub FIB %v, want a2,a3,a4", x)
				}
				if x := c.last("bgp.best", c.e.Now(), "subject", "g1", "prefix", "10.1.0.0/16"); x.str("nexthops") != "gcp" {
					t.Errorf("g1 best %v, want via the gcp hub (LOCAL_PREF 0 on a1's route)", x)
				}
				if ll := c.linkLoad("ch1"); ll.Load != 0 {
					t.Errorf("drained ch1 still carries %v", ll.Load)
				}
				c.none("bgp.session", catT, c.e.Now())
				c.lostBytes("d", noLoss)
				c.lostBytes("r", noLoss)
				c.until(61 * sim.Second)
				if ll := c.linkLoad("ch1"); ll.Load != 6.25e9 {
					t.Errorf("undrained ch1 carries %v, want 6.25G", ll.Load)
				}
			},
		},
		{
			// Drain facility 2 (a3, a4, g3, g4) by graceful shutdown: ch3
			// and ch4 empty, 25G each way over ch1+ch2 (20G): 5G each way
			// to congestion, no other loss.
			name: "facility-drain", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: FacilityDrain, Target: "fac2", Method: "gshut", Repair: 60 * sim.Second},
			touch: catTouch{"ch3,ch4", "a3,a4,g3,g4"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				for _, l := range []string{"ch3", "ch4"} {
					if ll := c.linkLoad(l); ll.Load != 0 {
						t.Errorf("drained %s still carries %v", l, ll.Load)
					}
				}
				c.rates("d", 20e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				c.none("bgp.session", catT, c.e.Now())
				c.until(61 * sim.Second)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// a1 gives the aws hub its routes with LOCAL_PREF 200: the hub
			// sends all 25G into ch1 (10G): 15G to congestion.
			name: "local-pref", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: LocalPref, Target: "a1", Pref: 200, Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				if x := c.last("fib.change", c.e.Now(), "subject", "aws", "prefix", "10.2.0.0/16"); x.str("nexthops") != "a1" {
					t.Errorf("aws hub FIB %v, want a1 only", x)
				}
				c.rates("d", 10e9, map[flow.Cause]float64{flow.Congestion: 15e9})
				c.until(61 * sim.Second)
				c.rates("d", 25e9, noLoss)
			},
		},
		{
			// ch1 raised to 40G: routing does not notice (its quarter stays
			// 6.25G); the repair returns it to 10G.
			name: "raise-bandwidth", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: RaiseBandwidth, Target: "ch1", Capacity: 40e9, Repair: 60 * sim.Second},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				if ll := c.linkLoad("ch1"); ll.Capacity != 40e9 || ll.Load != 6.25e9 {
					t.Errorf("ch1 %v of %v, want 6.25G of 40G", ll.Load, ll.Capacity)
				}
				c.until(61 * sim.Second)
				if ll := c.linkLoad("ch1"); ll.Capacity != 10e9 {
					t.Errorf("repaired ch1 capacity %v, want 10G", ll.Capacity)
				}
			},
		},
		{
			// The cold backup ch2 is brought up: carrier at once, the
			// session after the 2s establish delay, then ECMP over both
			// (15G: 7.5G each, where ch1 alone dropped 5G). Shut again at
			// +60s: back to 10G on ch1.
			name: "link-up", fixture: "cat-cold.toml", demands: []catDemand{{"d", "aws", "gcp", 15e9}},
			fault: Fault{Kind: LinkUp, Target: "ch2", Repair: 60 * sim.Second},
			touch: catTouch{"ch2", "a2,g2"},
			check: func(t *testing.T, c *catRun) {
				c.until(0)
				c.rates("d", 10e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				if x := c.first("link.state", catT, "subject", "ch2"); x.at != catT || x.str("state") != "up" || x.str("reason") != "link-up" {
					t.Errorf("ch2 came up: %v", x)
				}
				c.until(10 * sim.Second)
				c.established("a2~g2", true)
				c.rates("d", 15e9, noLoss)
				c.until(61 * sim.Second)
				c.rates("d", 10e9, map[flow.Cause]float64{flow.Congestion: 5e9})
			},
		},
		{
			// A repair step ends f2 (ch1 down at catT−0.5s, no repair of its
			// own) at catT: ch1 is up again and carries its quarter.
			name: "repair", fixture: "cat-quad.toml", demands: quadD,
			fault: Fault{Kind: Repair, Target: "f2"},
			extra: []Fault{{Kind: LinkDown, Target: "ch1", At: catT - 500*sim.Millisecond}},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(10 * sim.Second)
				rep := c.first("fault.repair", 0, "subject", "f2")
				if rep.at != catT || rep.str("links") != "ch1" {
					t.Errorf("repair of f2: %v, want at catT on ch1", rep)
				}
				c.established("a1~g1", true)
				if ll := c.linkLoad("ch1"); ll.Load != 6.25e9 {
					t.Errorf("repaired ch1 carries %v, want 6.25G", ll.Load)
				}
			},
		},
		{
			// AWS's BGP failover test on the virtual interface of ch1 for one
			// minute: both ends drop a1~g1 at once (ch1 stays up, so BFD
			// stays up), the traffic moves to ch2–ch4; after 60s the session
			// reconnects (OPEN after the 2s establish delay).
			name: "aws-dx-bgp-failover-test", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: DXBGPFailoverTest, Target: "ch1", Minutes: 1},
			touch: catTouch{"ch1", "a1,g1"},
			check: func(t *testing.T, c *catRun) {
				c.until(sim.Second)
				if x := c.left("a1~g1", "a1", catT); x.at != catT {
					t.Errorf("a1 left a1~g1 at %v, want at the test's start", x.at)
				}
				if x := c.left("a1~g1", "g1", catT); x.at != catT {
					t.Errorf("g1 left a1~g1 at %v, want at the test's start", x.at)
				}
				c.linkState("ch1", link.Up)
				if ll := c.linkLoad("ch1"); ll.Load != 0 {
					t.Errorf("ch1 carries %v during the test", ll.Load)
				}
				c.rates("d", 25e9, noLoss)
				c.until(59 * sim.Second)
				c.established("a1~g1", false)
				c.until(70 * sim.Second)
				c.established("a1~g1", true)
				if rep := c.first("fault.repair", 0, "subject", "f1"); rep.at != catT+sim.Minute {
					t.Errorf("test ended at %v, want catT+1m", rep.at)
				}
			},
		},
		{
			// Azure's site failover simulation at peering location fac1: the
			// eBGP peerings there (a1~g1, a2~g2) go down until stopped; 25G
			// each way over ch3+ch4 (20G): 5G to congestion.
			name: "azure-er-site-failover-test", fixture: "cat-quad.toml", demands: quadBoth,
			fault: Fault{Kind: ERSiteFailoverTest, Target: "fac1", Repair: 60 * sim.Second},
			touch: catTouch{"ch1,ch2", "a1,a2,g1,g2"},
			check: func(t *testing.T, c *catRun) {
				if c.flt.Type != "SingleSiteFailover" {
					t.Errorf("type %q, want the default SingleSiteFailover", c.flt.Type)
				}
				c.until(sim.Second)
				c.established("a1~g1", false)
				c.established("a2~g2", false)
				c.established("a3~g3", true)
				c.rates("d", 20e9, map[flow.Cause]float64{flow.Congestion: 5e9})
				c.until(70 * sim.Second)
				c.established("a1~g1", true)
				c.rates("d", 25e9, noLoss)
			},
		},
	}
}

func TestCatalogue(t *testing.T) {
	cases := catCases()
	covered := map[Kind]bool{}
	for _, tc := range cases {
		covered[tc.fault.Kind] = true
	}
	for _, k := range Kinds {
		if !covered[k] {
			t.Errorf("no catalogue row for fault kind %s", k)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.skip != "" && os.Getenv("NETDRILL_RUN_BUGS") == "" {
				t.Skip(tc.skip)
			}
			c := catStart(t, tc, 1)
			tc.check(t, c)
			if (t.Failed() && testing.Verbose()) || os.Getenv("NETDRILL_CAT_TRACE") != "" {
				t.Logf("trace:\n%s", c.dump())
			}
			// Every row: the injection is traced at catT with what it touched
			// (a repair step has none: it ends the fault it names).
			var inj catRec
			if tc.fault.Kind != Repair {
				inj = c.first("fault.inject", 0, "subject", "f1")
			} else {
				inj = catRec{at: catT, attrs: []sim.Attr{{Key: "fault", Value: string(Repair)}, {Key: "target", Value: tc.fault.Target},
					{Key: "links", Value: strings.Split(tc.touch.links, ",")}, {Key: "routers", Value: strings.Split(tc.touch.routers, ",")}}}
			}
			if inj.at != catT || inj.str("fault") != string(tc.fault.Kind) || inj.str("target") != tc.fault.Target ||
				inj.str("links") != tc.touch.links || inj.str("routers") != tc.touch.routers {
				t.Errorf("inject record %v; want at %v, fault %s, target %s, links [%s], routers [%s]",
					inj, catT, tc.fault.Kind, tc.fault.Target, tc.touch.links, tc.touch.routers)
			}
			// A repair names what it touched too: the same components. (The
			// end of a flap is checked by its own row.)
			for _, r := range c.all("fault.repair", 0, sim.Never, "subject", "f1") {
				if tc.fault.Kind != LinkFlap && (r.str("links") != tc.touch.links || r.str("routers") != tc.touch.routers) {
					t.Errorf("repair record %v; want links [%s], routers [%s]", r, tc.touch.links, tc.touch.routers)
				}
			}
			c.none("fault.error", 0, sim.Never)
		})
	}
}

// Same seed and same fault ⇒ byte-identical trace; another seed moves the
// BFD phases and so the detection instant.
func TestCatalogueDeterministic(t *testing.T) {
	var tc catCase // link-silent with BFD: the BFD phases come from the seed
	for _, x := range catCases() {
		if x.name == "link-silent/bfd" {
			tc = x
		}
	}
	if tc.check == nil {
		t.Fatal("no link-silent/bfd row")
	}
	trace := func(seed uint64) string {
		c := catStart(t, tc, seed)
		c.until(70 * sim.Second)
		var b strings.Builder
		for _, r := range c.rec.recs {
			b.WriteString(r.String())
			b.WriteByte('\n')
		}
		return b.String()
	}
	a, b := trace(7), trace(7)
	if a != b {
		t.Fatalf("same seed, different traces:\n%s\n---\n%s", a, b)
	}
	if len(a) < 1000 {
		t.Fatalf("suspiciously short trace:\n%s", a)
	}
	if trace(8) == a {
		t.Errorf("seeds 7 and 8 gave the same trace; the BFD phases should differ")
	}
}

// Validate: a wrong target (or missing parameter) per kind is an error on
// the right key; valid faults fill their defaults.
func TestCatalogueValidate(t *testing.T) {
	tops := map[string]*topology.Topology{}
	for _, f := range []string{"cat-quad.toml", "cat-lag.toml", "cat-software-bfd.toml"} {
		tops[f] = catLoad(t, f)
	}
	bad := []struct {
		top  string
		f    Fault
		key  string // every error must be on this key
		want string // and one must contain this
	}{
		{"cat-quad.toml", Fault{Kind: LinkDown, Target: "a1"}, "target", `unknown link or LAG "a1"`},
		{"cat-quad.toml", Fault{Kind: LinkSilent, Target: "nope"}, "target", "unknown link"},
		{"cat-quad.toml", Fault{Kind: LinkSilent, Target: "ch1", Loss: 1.5}, "loss", "ratio"},
		{"cat-quad.toml", Fault{Kind: LinkDegrade, Target: "fac1", Capacity: 1e9}, "target", "unknown link"},
		{"cat-quad.toml", Fault{Kind: LinkDegrade, Target: "ch1"}, "capacity", "needs capacity or latency"},
		{"cat-quad.toml", Fault{Kind: LinkFlap, Target: "g1", Period: sim.Second}, "target", "unknown link"},
		{"cat-quad.toml", Fault{Kind: LinkFlap, Target: "ch1"}, "period", `link-flap needs period (time down, then time up), such as period = "10s"`},
		{"cat-quad.toml", Fault{Kind: MACsecKeyMismatch, Target: "a1~g1"}, "target", "unknown link"},
		{"cat-lag.toml", Fault{Kind: LAGMemberDown, Target: "lag1"}, "target", "not a LAG member"},
		{"cat-quad.toml", Fault{Kind: LAGMemberDown, Target: "ch1"}, "target", "not a LAG member"},
		{"cat-quad.toml", Fault{Kind: RouterCrash, Target: "ch1"}, "target", `unknown router "ch1"`},
		{"cat-quad.toml", Fault{Kind: RouterReboot, Target: "aws"}, "target", "unknown router"}, // a site, not a router
		{"cat-quad.toml", Fault{Kind: ProcessCrash, Target: "fac1"}, "target", "unknown router"},
		{"cat-quad.toml", Fault{Kind: ControlPlaneHang, Target: "x"}, "target", "unknown router"},
		{"cat-quad.toml", Fault{Kind: ControlPlaneRestart, Target: "ch2"}, "target", "unknown router"},
		{"cat-quad.toml", Fault{Kind: SessionReset, Target: "a1~g2"}, "target", "unknown session"},
		{"cat-quad.toml", Fault{Kind: PrefixWithdraw, Target: "a1"}, "target", "unknown site"},
		{"cat-quad.toml", Fault{Kind: PrefixWithdraw, Target: "gcp", Prefix: netip.MustParsePrefix("10.1.0.0/16")}, "prefix", "does not originate"},
		{"cat-quad.toml", Fault{Kind: FacilityDown, Target: "east"}, "target", "unknown facility"},
		{"cat-quad.toml", Fault{Kind: SRLGDown, Target: "west"}, "target", "shared-risk group"},
		{"cat-quad.toml", Fault{Kind: PoolSurge, Target: "p-fac2", Rate: 1e9}, "target", "unknown pool"},
		{"cat-quad.toml", Fault{Kind: ProviderOutage, Target: "azure"}, "target", "no site has provider"},
		{"cat-quad.toml", Fault{Kind: RouteLeak, Target: "gcp", Prefix: netip.MustParsePrefix("10.2.0.0/17")}, "target", "unknown router"},
		{"cat-quad.toml", Fault{Kind: RouteLeak, Target: "a1"}, "prefix", "leaked prefix"},
		{"cat-quad.toml", Fault{Kind: MaxPrefixExceeded, Target: "ch1"}, "target", "unknown session"},
		{"cat-software-bfd.toml", Fault{Kind: MaxPrefixExceeded, Target: "c2~a2"}, "target", "no max_prefix on its A end"},
		{"cat-quad.toml", Fault{Kind: Drain, Target: "gcp"}, "target", "unknown router"},
		{"cat-quad.toml", Fault{Kind: Drain, Target: "a1", Prepend: 40}, "prepend", "1 to 32"},
		{"cat-quad.toml", Fault{Kind: DrainGSHUT, Target: "gcp"}, "target", "unknown router"},
		{"cat-quad.toml", Fault{Kind: FacilityDrain, Target: "east"}, "target", "unknown facility"},
		{"cat-quad.toml", Fault{Kind: FacilityDrain, Target: "fac1", Method: "shut"}, "method", "prepend, gshut"},
		{"cat-quad.toml", Fault{Kind: LocalPref, Target: "a1"}, "local_pref", "local-pref needs local_pref"},
		{"cat-quad.toml", Fault{Kind: RaiseBandwidth, Target: "ch1", Capacity: 5e9}, "capacity", "not above"},
		{"cat-quad.toml", Fault{Kind: LinkUp, Target: "ch1"}, "target", "not admin_down"},
		{"cat-quad.toml", Fault{Kind: Repair}, "target", "id of the fault"},
		{"cat-quad.toml", Fault{Kind: DXBGPFailoverTest, Target: "ch1", Peers: []string{"a2~g2"}}, "bgpPeers", "not a BGP peer"},
		{"cat-quad.toml", Fault{Kind: DXBGPFailoverTest, Target: "fac1"}, "virtualInterfaceId", "unknown link"},
		{"cat-quad.toml", Fault{Kind: ERSiteFailoverTest, Target: "mars"}, "peeringLocation", "no facility"},
		{"cat-quad.toml", Fault{Kind: "link-melt", Target: "ch1"}, "kind", "unknown fault kind"},
		{"cat-quad.toml", Fault{Kind: LinkDown, Target: "ch1", At: -1}, "at", "negative"},
	}
	seen := map[Kind]bool{}
	for _, b := range bad {
		f := b.f
		errs := Validate(&f, tops[b.top])
		seen[f.Kind] = true
		if len(errs) == 0 {
			t.Errorf("%s %q: no error, want one on %q", f.Kind, f.Target, b.key)
			continue
		}
		found := false
		for _, err := range errs {
			if !strings.HasPrefix(err.Error(), b.key+": ") {
				t.Errorf("%s %q: error %q, want it on key %q", f.Kind, f.Target, err, b.key)
			}
			found = found || strings.Contains(err.Error(), b.want)
		}
		if !found {
			t.Errorf("%s %q: errors %v, want one containing %q", f.Kind, f.Target, errs, b.want)
		}
	}
	for _, k := range Kinds {
		if !seen[k] {
			t.Errorf("no Validate error case for %s", k)
		}
	}

	// Valid faults: no error, defaults filled.
	q := tops["cat-quad.toml"]
	good := []struct {
		f     Fault
		check func(Fault) bool
		what  string
	}{
		{Fault{Kind: LinkSilent, Target: "ch1"}, func(f Fault) bool { return f.Loss == 1 }, "loss 1"},
		{Fault{Kind: LinkSilent, Target: "ch1", Loss: 0.3}, func(f Fault) bool { return f.Loss == 0.3 }, "loss kept"},
		{Fault{Kind: LinkFlap, Target: "ch1", Period: sim.Second}, func(f Fault) bool { return f.Count == 1 }, "count 1"},
		{Fault{Kind: ControlPlaneRestart, Target: "a1"}, func(f Fault) bool { return f.Downtime == 30*sim.Second }, "downtime 30s"},
		{Fault{Kind: Drain, Target: "a1"}, func(f Fault) bool { return f.Prepend == 3 }, "prepend 3"},
		{Fault{Kind: PrefixWithdraw, Target: "aws"}, func(f Fault) bool { return f.Prefix == netip.MustParsePrefix("10.1.0.0/16") }, "the site's prefix"},
		{Fault{Kind: MaxPrefixExceeded, Target: "a2~g2"}, func(Fault) bool { return true }, "aws profile max_prefix 100 on the A end"},
	}
	for _, g := range good {
		f := g.f
		if errs := Validate(&f, q); len(errs) > 0 {
			t.Errorf("%v: %v", g.f, errs)
		} else if !g.check(f) {
			t.Errorf("%v: validated to %+v, want %s", g.f, f, g.what)
		}
	}
	if errs := Validate(&Fault{Kind: LAGMemberDown, Target: "m11"}, tops["cat-lag.toml"]); len(errs) > 0 {
		t.Errorf("lag-member-down m11: %v", errs)
	}
}
