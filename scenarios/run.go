package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/sim/fabric"
	"github.com/netdrill/netdrill/topology"
)

// Options tune a run.
type Options struct {
	// Version is written into the trace header.
	Version string
	// SkipTrace keeps the JSONL trace out of the result (campaigns that only
	// need metrics).
	SkipTrace bool
	// MaxWall stops a run that takes longer than this in real time (0: no
	// limit). It guards CI; results never depend on it.
	MaxWall time.Duration
	// Trace, when set, receives the trace as it is produced (the result
	// then keeps none of it in memory). When nil and SkipTrace is false the
	// result keeps the trace bytes in Result.Trace.
	Trace io.Writer
	// Context, when set, stops the run at its next time slice once done.
	Context context.Context
	// KeepEvents keeps every event in Result.Events (tests); runs
	// otherwise keep none, so memory does not grow with the trace.
	KeepEvents bool
	// Progress, when set, is called after each time slice with the
	// scenario time simulated so far and the duration (a progress line).
	Progress func(done, total sim.Time)
	// Checkpoint, when set, is called as each drill checkpoint is reached
	// (in simulated time order, during the run).
	Checkpoint func(CheckpointResult)
	// MaxTrace stops a run whose trace passes this many bytes (0:
	// DefaultMaxTrace; negative: no limit). A traced facility loss on a
	// thousand routers with ten thousand prefixes each writes tens of
	// gigabytes; the limit says so before the disk (or, for a trace kept
	// in Result.Trace, the memory) fills up.
	MaxTrace int64
}

// DefaultMaxTrace is the trace size limit when Options.MaxTrace is 0.
const DefaultMaxTrace = 4_000_000_000

// ErrTraceLimit is wrapped by the error of a run stopped by
// Options.MaxTrace: a limit (the CLI's --max-trace), not an internal error.
var ErrTraceLimit = errors.New("trace size limit reached")

// traceLimit counts the bytes of a trace and, past the limit, fails the
// write and stops the engine (the run ends at the current event).
type traceLimit struct {
	w        io.Writer
	n, limit int64
	stop     func()
}

// err says where the run stopped and what to change.
func (t *traceLimit) err(at, duration sim.Time) error {
	return fmt.Errorf("at t=%v of %v: %w: the trace passed %s (raise --max-trace, or run without -o: the summary and reports need no trace)",
		at, duration, ErrTraceLimit, topology.Size(t.limit))
}

func (t *traceLimit) Write(b []byte) (int, error) {
	t.n += int64(len(b))
	if t.limit > 0 && t.n > t.limit {
		t.stop()
		return 0, ErrTraceLimit
	}
	return t.w.Write(b)
}

// Result is everything a run produced.
type Result struct {
	Scenario *Scenario
	Header   trace.Header
	Events   []trace.Event
	Trace    []byte // the JSONL trace (header + events)
	Metrics  *metrics.Result
	Outcomes []metrics.Outcome
	Warmup   sim.Time // virtual time BGP took to converge before scenario time 0
	// Checkpoints are the drill's checkpoints as reached, in time order
	// (their expectations are also in Outcomes, after the scenario's).
	Checkpoints []CheckpointResult
	SimEvents   uint64 // kernel events processed, warm-up included
}

// Passed reports whether every expectation held.
func (r *Result) Passed() bool {
	for _, o := range r.Outcomes {
		if !o.Passed {
			return false
		}
	}
	return true
}

// InvalidError is an error in the user's input found only while running
// (an expectation naming a fault or link that the run does not have).
type InvalidError struct{ Err error }

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

// ErrNotConverged is returned when BGP does not settle during warm-up.
var ErrNotConverged = errors.New("BGP did not converge during warm-up")

// recorder is the run's tracer: it shifts times so that scenario time 0 is
// the end of warm-up, keeps the events and writes the JSONL.
type recorder struct {
	base   sim.Time
	keep   bool
	events []trace.Event
	m      *metrics.Builder
	cps    *checkpoints // drill checkpoints, nil without
	w      *trace.Writer
	err    error
}

func (r *recorder) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	// Nothing downstream keeps an event's details (the metrics builder
	// copies what it retains, the writer writes them at once), so they are
	// the model's attributes themselves (sim.Attr and trace.Field are one
	// type), valid during this call; kept events get a copy.
	fields := attrs
	if r.keep {
		fields = append(make([]trace.Field, 0, len(attrs)), attrs...)
	}
	ev := trace.Event{T: int64(at - r.base), Kind: kind, Subject: subject, Details: fields}
	if r.keep {
		r.events = append(r.events, ev)
	}
	r.m.Apply(ev)
	if r.cps != nil {
		r.cps.apply(ev)
	}
	if r.w != nil && r.err == nil {
		r.err = r.w.Write(ev)
	}
}

// quietCounter counts control-plane changes during warm-up and remembers
// the recent best-path changes, to name what oscillates if BGP never
// settles.
type quietCounter struct {
	n      uint64
	recent []bestChange // since `from` only: what oscillating is asked about
	from   sim.Time
	detail bool // the next step may reach `from`: best-path records need their prefix
}

type bestChange struct {
	at             sim.Time
	router, prefix string
}

func (q *quietCounter) Trace(at sim.Time, kind, subject string, attrs ...sim.Attr) {
	switch kind {
	case "bgp.best":
		for _, a := range attrs {
			if a.Key == "prefix" && at >= q.from {
				p, _ := a.Value.(string)
				q.recent = append(q.recent, bestChange{at, subject, p})
			}
		}
		q.n++
	case "bgp.session":
		q.n++
	}
}

// CountsOnly implements sim.Counter: the warm-up only notes that session
// records come, and FIBs send it none (their count is the fabric's
// FIBChanges); of best-path changes it keeps the prefix once the window
// the not-converged message names is near.
func (q *quietCounter) CountsOnly(kind string) bool { return kind != "bgp.best" || !q.detail }

// oscillating lists "router prefix (n changes)" for the best-path changes
// since `since`, sorted.
func (q *quietCounter) oscillating(since sim.Time) []string {
	counts := map[string]int{}
	for _, c := range q.recent {
		if c.at >= since {
			counts[c.router+" "+c.prefix]++
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s (%d changes)", k, counts[k])
	}
	return out
}

// NotConvergedError says BGP never settled during warm-up: a policy
// dispute, a MED oscillation, a flapping session. It names what kept
// changing in the last minute. It is a finding about the design, not an
// internal error: the CLI exits 1.
type NotConvergedError struct {
	After       sim.Time
	Oscillating []string // "router prefix (n changes)"
}

func (e *NotConvergedError) Error() string {
	return fmt.Sprintf("BGP did not converge during warm-up (still changing after %v); best paths changing in the last minute: %s",
		e.After, strings.Join(e.Oscillating, ", "))
}

func (e *NotConvergedError) Unwrap() error { return ErrNotConverged }

// warmupQuiet is how long the control plane must be still before the
// network counts as converged: longer than the default eBGP MRAI (30s).
const warmupQuiet = 45 * sim.Second

// Run simulates the scenario as written (JobFor(sc)) and computes its
// metrics and expectations.
func Run(sc *Scenario, opt Options) (*Result, error) { return RunJob(JobFor(sc), opt) }

// RunJob runs one job: prepare (build the fabric and let BGP converge),
// simulate (the scenario's time, streaming the trace), assess (metrics and
// expectations). It never mutates the job's scenario.
func RunJob(job Job, opt Options) (*Result, error) {
	p, err := Prepare(job, opt)
	if err != nil {
		return nil, err
	}
	return p.Simulate()
}

// Prepared is a job whose network is built and converged: scenario time 0.
type Prepared struct {
	job     Job
	opt     Options
	started time.Time
	eng     *sim.Engine
	fab     *fabric.Fabric
	base    sim.Time
}

// Prepare builds the job's engine and fabric and runs the warm-up until BGP
// is quiet for warmupQuiet (not traced).
func Prepare(job Job, opt Options) (*Prepared, error) {
	sc := job.Scenario
	started := time.Now() // only for the wall-clock guard, never for results
	eng := sim.New(job.Seed)
	maxEvents := sc.MaxEvents
	if maxEvents == 0 {
		maxEvents = DefaultMaxEvents
	}
	eng.SetEventLimit(maxEvents)
	q := &quietCounter{}
	alone, noBlocks := aloneFor(job)
	fab, err := fabric.New(eng, sc.Topology, fabric.Options{Tracer: q, Alone: alone, NoBlocks: noBlocks})
	if err != nil {
		return nil, err
	}
	fab.HoldAdminDown()
	fab.Start()

	// Warm-up: step a second at a time until nothing has changed for warmupQuiet.
	maxWarm := sc.MaxWarmup
	if maxWarm == 0 {
		maxWarm = DefaultMaxWarmup
	}
	// The not-converged error lists the changes of the last minute before
	// the first whole second at or after maxWarm: none earlier is kept.
	q.from = maxWarm - sim.Minute
	var lastN uint64
	lastChange := sim.Time(0)
	for {
		q.detail = eng.Now()+sim.Second >= q.from
		if err := eng.Run(eng.Now() + sim.Second); err != nil {
			return nil, fmt.Errorf("warm-up: %w after %d events", err, eng.Processed())
		}
		if n := q.n + fab.FIBChanges(); n != lastN {
			lastN, lastChange = n, eng.Now()
		}
		if eng.Now()-lastChange >= warmupQuiet {
			break
		}
		if eng.Now() >= maxWarm {
			return nil, &NotConvergedError{After: maxWarm, Oscillating: q.oscillating(eng.Now() - sim.Minute)}
		}
		if len(q.recent) > 1<<16 {
			q.recent = append(q.recent[:0], q.recent[len(q.recent)/2:]...)
		}
		if err := opt.interrupted(started); err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
	}
	return &Prepared{job: job, opt: opt, started: started, eng: eng, fab: fab, base: eng.Now()}, nil
}

// interrupted reports a cancelled context or an exceeded wall-clock limit.
func (opt Options) interrupted(started time.Time) error {
	if opt.Context != nil {
		if err := opt.Context.Err(); err != nil {
			return err
		}
	}
	if opt.MaxWall > 0 && time.Since(started) > opt.MaxWall {
		return fmt.Errorf("%w (%v): raise --max-wall or shorten the scenario", ErrWallLimit, opt.MaxWall)
	}
	return nil
}

// Simulate runs scenario time from 0 to the duration, then assesses.
func (p *Prepared) Simulate() (*Result, error) {
	sc, opt, eng, fab, base := p.job.Scenario, p.opt, p.eng, p.fab, p.base
	rec := &recorder{base: base, keep: opt.KeepEvents}

	fab.Flow().SetElastic(sc.Elastic)
	for _, tp := range sc.Tenants {
		for _, pt := range tp.Profile {
			name, rate := tp.Name, pt.Rate
			if err := eng.At(base+pt.At, func() { _ = fab.SetTenantRate(name, rate) }); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range sc.Traffic {
		if err := fab.AddDemand(t.Name, t.From, t.To, t.Rate); err != nil {
			return nil, err
		}
		for _, pt := range t.Profile {
			name, rate := t.Name, pt.Rate
			if err := eng.At(base+pt.At, func() { _ = fab.SetDemandRate(name, rate) }); err != nil {
				return nil, err
			}
		}
	}
	// The header describes the fabric with its demands: written once they are added.
	h := p.header()
	rec.m = metrics.NewBuilder(h, metrics.Options{SettleWindow: h.SettleNS})
	var buf bytes.Buffer
	var limit *traceLimit
	if !opt.SkipTrace || opt.Trace != nil {
		var w io.Writer = &buf
		if opt.Trace != nil {
			w = opt.Trace
		}
		limit = &traceLimit{w: w, limit: opt.MaxTrace, stop: eng.Stop}
		if limit.limit == 0 {
			limit.limit = DefaultMaxTrace
		}
		tw, err := trace.NewWriter(limit, h)
		if err != nil {
			return nil, err
		}
		rec.w = tw
	}
	fab.SetTracer(rec)
	// A run never mutates its inputs: the fault list is a fresh slice.
	all := slices.Concat(sc.Faults, p.job.Steps)
	if len(sc.Random) > 0 {
		// Each component draws from its own stream ("faults/<class>/<component>").
		sched := faults.NewSchedule(eng.Streams(), sc.Random, sc.Duration)
		occ := sched.All(sc.Duration)
		all = slices.Grow(all, len(occ)) // a year's schedule: thousands of faults, not grown by copying
		for i, o := range occ {
			all = append(all, faults.Fault{ID: "r" + strconv.Itoa(i+1), Kind: faults.Kind(o.Kind), Target: o.Component, At: o.At, Repair: o.Repair})
			f := &all[len(all)-1] // validated in place
			if errs := faults.Validate(f, sc.Topology); len(errs) > 0 {
				return nil, &InvalidError{fmt.Errorf("random fault %v: %v", *f, errs[0])}
			}
		}
	}
	all, err := faults.ResolveRepairs(all)
	if err != nil {
		return nil, &InvalidError{err}
	}
	if len(sc.Checkpoints) > 0 {
		rec.cps = newCheckpoints(sc.Checkpoints, h)
		if err := rec.cps.schedule(eng, base, rec, opt.Checkpoint); err != nil {
			return nil, err
		}
	}
	rec.m.ExpectFaults(len(all))
	for i := range all { // all is this run's own slice
		all[i].At += base
	}
	if err := faults.ScheduleAll(fab, all, rec); err != nil {
		return nil, err
	}
	end := base + sc.Duration
	// Run in slices of virtual time so that a wall-clock limit can stop a
	// run that is merely too big; the slicing does not change the order of
	// events, so results do not depend on it. A slice reaches 10s past the
	// next event, so idle stretches (a year between failures) cost one
	// slice, not one per 10s.
	for eng.Now() < end {
		until := end
		if next := eng.NextAt(); next < end-10*sim.Second {
			until = max(eng.Now(), next) + 10*sim.Second
		}
		if err := eng.Run(until); err != nil {
			return nil, fmt.Errorf("%w after %d events at t=%v: the scenario does not settle (raise max_events if it is merely large)", err, eng.Processed(), eng.Now()-base)
		}
		if errors.Is(rec.err, ErrTraceLimit) {
			return nil, limit.err(eng.Now()-base, sc.Duration)
		}
		if err := opt.interrupted(p.started); err != nil {
			return nil, fmt.Errorf("at t=%v of %v (%d events): %w", eng.Now()-base, sc.Duration, eng.Processed(), err)
		}
		if opt.Progress != nil {
			opt.Progress(eng.Now()-base, sc.Duration)
		}
	}
	fab.Settle()
	endEv := trace.Event{T: int64(end - base), Kind: trace.KindRunEnd, Subject: sc.Name}
	if rec.w != nil {
		if rec.err == nil {
			endEv, rec.err = rec.w.End(int64(end-base), sc.Name)
		}
		if errors.Is(rec.err, ErrTraceLimit) {
			return nil, limit.err(end-base, sc.Duration)
		}
		if rec.err != nil {
			return nil, fmt.Errorf("writing trace: %w", rec.err)
		}
	}
	if rec.keep {
		rec.events = append(rec.events, endEv)
	}
	rec.m.Apply(endEv)

	res, outcomes, err := Assess(sc, rec.m.Result())
	if err != nil {
		return nil, err
	}
	r := &Result{Scenario: sc, Header: h, Events: rec.events, Metrics: res,
		Outcomes: outcomes, Warmup: base, SimEvents: eng.Processed()}
	if rec.cps != nil {
		if rec.cps.err != nil {
			return nil, rec.cps.err
		}
		r.Checkpoints = rec.cps.results
		// Checkpoint expectations count as the run's too (run, check and
		// the reports see them), after the scenario's own.
		for _, c := range r.Checkpoints {
			for _, o := range c.Outcomes {
				o.Name = fmt.Sprintf("checkpoint %s at %v: %s", c.ID, c.At, o.Name)
				r.Outcomes = append(r.Outcomes, o)
			}
		}
	}
	if opt.Trace == nil && !opt.SkipTrace {
		r.Trace = buf.Bytes()
	}
	return r, nil
}

// Assess evaluates the scenario's expectations on a run's metrics.
func Assess(sc *Scenario, res *metrics.Result) (*metrics.Result, []metrics.Outcome, error) {
	outcomes := metrics.Evaluate(res, sc.Expect)
	if err := metrics.Invalid(outcomes); err != nil {
		return nil, nil, &InvalidError{err}
	}
	return res, outcomes, nil
}

// header is the trace header of the job: what was run and the fabric as
// the simulator built it (with the demands added).
func (p *Prepared) header() trace.Header {
	sc := p.job.Scenario
	settle := sc.Settle
	if settle == 0 {
		settle = DefaultSettle
	}
	h := trace.Header{Format: trace.Format, Scenario: sc.Name, File: filepath.Base(sc.File), SHA256: sc.SHA256,
		Seed: p.job.Seed, Netdrill: p.opt.Version, DurationNS: int64(sc.Duration), Job: p.job.Name,
		Elastic: sc.Elastic, SettleNS: int64(settle), Fabric: fabricOf(p.fab.Describe())}
	markAdminDown(h.Fabric, sc)
	if h.Job == sc.File {
		h.Job = ""
	}
	for _, st := range p.job.Steps {
		h.Steps = append(h.Steps, trace.Step{ID: st.ID, Kind: string(st.Kind), Target: st.Target, AtNS: int64(st.At), RepairNS: int64(st.Repair)})
	}
	return h
}

// fabricOf turns the fabric's description into the trace's.
func fabricOf(d fabric.Description) *trace.Fabric {
	f := &trace.Fabric{}
	for _, s := range d.Sites {
		f.Sites = append(f.Sites, trace.Site{Name: s.Name, Provider: s.Provider, ASN: s.ASN, Prefixes: s.Prefixes, Hub: s.Hub,
			Cores: s.Cores, BackboneCarrier: s.BackboneCarrier, BackboneCarrierDelayNS: s.BackboneCarrierDelayNS})
	}
	for _, x := range d.Facilities {
		f.Facilities = append(f.Facilities, trace.Facility{Name: x.Name, Metro: x.Metro, SRLGs: x.SRLGs})
	}
	for _, r := range d.Routers {
		f.Routers = append(f.Routers, trace.Router{Name: r.Name, Site: r.Site, Facility: r.Facility, Role: r.Role, Profile: r.Profile, ASN: r.ASN, SRLGs: r.SRLGs})
	}
	for _, l := range d.Links {
		f.Links = append(f.Links, trace.Link{Name: l.Name, A: l.A, B: l.B, CapacityBPS: l.Capacity, LatencyNS: l.LatencyNS,
			MACsec: l.MACsec, SRLGs: l.SRLGs, Members: l.Members, Internal: l.Internal})
	}
	for _, s := range d.Sessions {
		ts := trace.Session{Name: s.Name, A: s.A, B: s.B, Link: s.Link, IBGP: s.IBGP, Internal: s.Internal}
		if s.BFDIntervalNS > 0 {
			ts.BFD = &trace.BFD{IntervalNS: s.BFDIntervalNS, Multiplier: s.BFDMultiplier}
		}
		f.Sessions = append(f.Sessions, ts)
	}
	for _, p := range d.Pools {
		f.Pools = append(f.Pools, trace.Pool{Name: p.Name, CapacityBPS: p.Capacity, Links: p.Links})
	}
	for _, t := range d.Tenants {
		f.Tenants = append(f.Tenants, trace.Tenant{Name: t.Name, RateBPS: t.Rate, Pools: t.Pools})
	}
	for _, dm := range d.Demands {
		f.Demands = append(f.Demands, trace.Demand{Name: dm.Name, From: dm.From, To: dm.To, RateBPS: dm.Rate})
	}
	return f
}
