package metrics

import "github.com/netdrill/netdrill/topology"

// Causes are the known loss causes, in the order reports list them:
// topology's one list (docs/contracts.md).
var Causes = topology.LossCauses()

// Unattributed is the cause given to loss not covered by cause keys.
const Unattributed = "unattributed"

// Options tune Compute. The zero value means the defaults.
type Options struct {
	// SettleWindow is how long a demand must stay within 1% of its target
	// to count as restored. Default 1s.
	SettleWindow int64
	// OscillationTail is the final part of the run examined for
	// oscillation. Default max(run/5, 10s), at most the run.
	OscillationTail int64
	// OscillationMinChanges is the least number of best-path changes for one
	// router and prefix in the tail to flag it. Default 4.
	OscillationMinChanges int
	// OscillationSettle is how long after a stimulus (a fault injected or
	// repaired, a link changing state) best-path changes count as
	// re-convergence rather than oscillation. Default 5 minutes.
	OscillationSettle int64
}

const second = int64(1_000_000_000)

func (o Options) withDefaults(end int64) Options {
	if o.SettleWindow <= 0 {
		o.SettleWindow = second
	}
	if o.OscillationTail <= 0 {
		o.OscillationTail = max(end/5, 10*second)
	}
	o.OscillationTail = min(o.OscillationTail, end)
	if o.OscillationMinChanges <= 0 {
		o.OscillationMinChanges = 4
	}
	if o.OscillationSettle <= 0 {
		o.OscillationSettle = 300 * second
	}
	return o
}

// Result holds every metric of one run. Slices are sorted (faults in
// inject order, demands, links and pools by name), so anything written
// from a Result is deterministic.
type Result struct {
	Scenario string
	Seed     uint64
	Netdrill string
	End      int64 // end of the run (ns)
	Options  Options
	Events   int // events read

	Faults  []Fault
	Demands []Demand
	Links   []Capacity
	Pools   []Capacity

	Loss     Loss  // every demand, whole run
	Baseline Loss  // every demand, before the first fault
	Churn    Churn // whole run

	// Oscillations lists router/prefix pairs whose best path was still
	// cycling at the end of the run (sorted by router, prefix).
	Oscillations []Oscillation

	// Timeline is the run's shape over time for plots (demand rates with
	// loss by cause, link state periods).
	Timeline *Timeline `json:"-"`
}

// Converged reports whether no oscillation was found.
func (r *Result) Converged() bool { return len(r.Oscillations) == 0 }

// Loss is an amount of traffic in bytes.
type Loss struct {
	Offered   float64
	Delivered float64
	Lost      float64            // offered − delivered
	ByCause   map[string]float64 // non-zero causes only
}

// Cause returns the bytes lost to cause.
func (l Loss) Cause(c string) float64 { return l.ByCause[c] }

// CauseNames returns the causes present in l in report order: Causes
// first, then others sorted.
func (l Loss) CauseNames() []string {
	var out []string
	for _, c := range Causes {
		if l.ByCause[c] != 0 {
			out = append(out, c)
		}
	}
	var extra []string
	for c, v := range l.ByCause {
		if v != 0 && !isKnownCause(c) {
			extra = append(extra, c)
		}
	}
	sortStrings(extra)
	return append(out, extra...)
}

func isKnownCause(c string) bool {
	for _, k := range Causes {
		if k == c {
			return true
		}
	}
	return false
}

func (l *Loss) add(o Loss) {
	l.Offered += o.Offered
	l.Delivered += o.Delivered
	l.Lost += o.Lost
	for c, v := range o.ByCause {
		if l.ByCause == nil {
			l.ByCause = map[string]float64{}
		}
		l.ByCause[c] += v
	}
}

// Churn counts BGP activity (see the package doc).
type Churn struct {
	Updates           int64 // UPDATE messages sent with announcements
	AnnouncedPrefixes int64
	Withdrawals       int64 // withdrawn prefixes sent
	WithdrawMsgs      int64 // tx UPDATE messages carrying withdrawals
	BestChanges       int64
	FIBChanges        int64
}

func (c *Churn) add(o Churn) {
	c.Updates += o.Updates
	c.AnnouncedPrefixes += o.AnnouncedPrefixes
	c.Withdrawals += o.Withdrawals
	c.WithdrawMsgs += o.WithdrawMsgs
	c.BestChanges += o.BestChanges
	c.FIBChanges += o.FIBChanges
}

// Fault holds the metrics of one injected fault.
type Fault struct {
	ID, Kind, Target string
	Links, Routers   []string // touched, as the trace says

	At        int64 // inject time
	End       int64 // end of the window
	Repaired  bool  // its repair falls inside the window
	RepairAt  int64 // when Repaired
	EffectEnd int64 // RepairAt when Repaired, else End

	Detected   bool
	Detection  int64 // ns from inject, when Detected
	DetectedBy Detection

	Convergence int64 // ns from inject to the last best/FIB change in the span
	LastChange  int64 // time of that change (At when none)
	Churn       Churn
	Converged   bool // false when an oscillating prefix changed in the span

	// Failovers lists the affected demands, sorted by name.
	Failovers []Failover

	Loss Loss // every demand, whole window

	HeadroomKnown bool
	Headroom      float64 // ratio; min over links/pools at EffectEnd
	HeadroomOn    string  // "link xc-3" or "pool iad"
	HeadroomAt    int64
}

// Label is "f1 (facility-down iad-fac-1)".
func (f Fault) Label() string {
	s := f.ID + " (" + f.Kind
	if f.Target != "" {
		s += " " + f.Target
	}
	return s + ")"
}

// AllRestored reports whether every affected demand was restored.
func (f Fault) AllRestored() bool {
	for _, fo := range f.Failovers {
		if !fo.Restored {
			return false
		}
	}
	return true
}

// Detection is the event that detected a fault.
type Detection struct {
	T       int64
	Kind    string // bgp.session or bfd.state
	Subject string // the session
	Router  string
	Peer    string
	State   string
	Reason  string
	Match   string // direct, adjacent or any
}

// Failover is one affected demand's failover after one fault.
type Failover struct {
	Demand  string
	Before  float64 // delivered bits/s at the inject
	Lowest  float64 // lowest delivered bits/s in the span
	Target  float64 // delivered bits/s at the end of the span
	Offered float64 // offered bits/s at the end of the span
	DropAt  int64   // when delivered first fell below 99%

	Restored   bool
	Failover   int64 // RestoredAt − inject, when Restored
	RestoredAt int64
	Reason     string // why not restored
}

// Demand holds one demand's traffic totals.
type Demand struct {
	Name     string
	Loss     Loss   // whole run
	Baseline Loss   // before the first fault
	Windows  []Loss // per fault, aligned with Result.Faults
	Series   []Point
}

// Point is a demand's rates from T on (bits/s).
type Point struct {
	T         int64
	Offered   float64
	Delivered float64
}

// Capacity holds one link's or pool's capacity metrics.
type Capacity struct {
	Kind   string // link or pool
	Name   string
	Peak   float64 // peak utilisation (load/capacity)
	PeakAt int64
	// PeakLoad and PeakCapacity are the load and capacity at the peak.
	PeakLoad, PeakCapacity float64
	PeakBackground         float64 // pools
	Over                   int64   // ns with load > capacity
	Dropped                float64 // bytes of load above capacity
	Series                 []LoadPoint
}

// LoadPoint is a link's or pool's state from T on.
type LoadPoint struct {
	T              int64
	Load, Capacity float64
	Background     float64
}

// Oscillation is a router/prefix whose best path kept cycling.
type Oscillation struct {
	Router, Prefix string
	Changes        int      // changes in the tail
	First, Last    int64    // first and last change in the tail
	States         []string // distinct next-hop sets in the tail, in order of first appearance ("-" for no route)
}
