// Package metrics computes netdrill's metrics from a recorded trace. It is
// the one implementation that reports, the terminal UI and `netdrill check`
// share (DESIGN.md, "Metrics"); expectations (Expect, Evaluate) are
// assertions over the recorded history, never over state inside the run.
//
// It imports scenarios/trace and nothing from sim.
//
// # Definitions
//
// Times are ns of virtual time. The run ends at the `run.end` event, or, if
// there is none, at the header's duration (or the last event if that is
// later).
//
// Fault window. Each `fault.inject` opens a window that ends at the next
// `fault.inject` with a later time, or at the end of the run. Faults
// injected at the same instant share one window (and its loss). Within its
// window a fault's *effect span* is [inject, repair) when its own
// `fault.repair` falls inside the window, else the whole window. Detection,
// failover, convergence and headroom are measured over the effect span
// (what the repair does is not caused by the fault); loss is measured over
// the whole window, so baseline loss plus the windows' losses is the total.
// An event at the inject instant counts as after the fault when it comes
// after the `fault.inject` line in the trace.
//
// Detection. Inject → the first "down" event in the effect span: a
// `bgp.session` leaving established (its `from` detail, or the last state
// seen for that session at that router, is established and the new state
// is not) or a `bfd.state` going down. Candidates are ranked, and the first
// event of the best rank wins:
//
//  1. direct: its router or peer is one of the fault's touched `routers`,
//     or its session runs over one of its touched `links` (for `bfd.state`,
//     the link is the one the `bgp.session` of the same name reported);
//  2. adjacent: its router is a BGP neighbour of a touched router, or an
//     endpoint of a touched link (both learned from `bgp.session` events);
//  3. any: the first down event anywhere in the span (a fallback for faults
//     whose touched sets are empty, such as a pool surge or a provider
//     control-plane outage).
//
// Fault.DetectedBy says which rank matched. No candidate ⇒ not detected.
//
// Failover, per fault and demand. The demand's pre-fault delivered rate D0
// is the one in force at the `fault.inject` line. The demand is affected if
// during the effect span its delivered rate falls below 99% of
// min(D0, offered at that moment) — so a demand whose offered rate drops on
// its own is not "affected". The target is the delivered rate at the end of
// the effect span: what the post-fault network carries, min of offered and
// the capacity left. Failover = the earliest moment x after the drop from
// which delivered stays within 1% of the target for SettleWindow, with
// x + SettleWindow inside the effect span; failover = x − inject. If the
// target is below 1% of the offered rate (nothing gets through), or no such
// x exists, the demand is not restored: Failover.Restored is false and no
// number is reported. (A later dip after a settled return is not counted;
// it shows in loss.)
//
// Loss. Bytes offered but not delivered: ∫(offered − delivered) dt over the
// piecewise-constant `flow.rate` records, bytes = bits/s × Δns / 8e9, per
// demand, per cause (the cause keys of `flow.rate`), per fault window and in
// total; before the first record a demand's rates are 0. Any part of the
// loss not covered by cause keys is reported as cause "unattributed".
//
// BGP convergence, per fault. Inject → the last `bgp.best` or `fib.change`
// in the effect span (0 when there is none). Churn counts in the span:
// UPDATE messages = `bgp.update` events with dir "tx" and announce > 0
// (counting tx only, so a message is not counted at both ends), announced
// prefixes = the sum of their announce counts, withdrawals = the sum of
// withdraw counts of tx events, best-path changes = the number of
// `bgp.best` events, FIB changes = the number of `fib.change` events.
//
// Capacity, per link and pool, from `link.load` / `pool.load` (load is the
// offered load on the element, background included for pools):
// peak utilisation = max load/capacity over time (capacity > 0 only), time
// above 100% (load > capacity), bytes dropped to congestion = ∫max(0, load
// − capacity) dt / 8e9. Per fault, headroom = min over links and pools with
// capacity > 0 of (capacity − load)/capacity in the state at the end of the
// effect span (the settled point); negative when something is overloaded.
//
// Non-convergence guard. An oscillation is BGP changing its mind on its
// own: best paths that keep coming back with nothing outside BGP moving
// them. Stimuli are `fault.inject`, `fault.repair` and `link.state`
// records; a best-path change is provoked when a stimulus came at most
// Options.OscillationSettle (5 minutes: longer than a hold time plus a few
// MRAI rounds, a connect-retry or a graceful-restart time) before it (at
// the same time included), unprovoked otherwise. For each router and
// prefix, the `bgp.best` changes in the tail of the run (the last fifth, at
// least 10s, Options.OscillationTail overrides) are examined: the prefix is
// oscillating when there are at least Options.OscillationMinChanges (4) of
// them, some next-hop set recurs after another one (A → B → A), and at
// least one of them is unprovoked. Normal re-convergence after independent
// faults and repairs — however many, however they overlap — is provoked
// and never flagged; so is a link flapping (its state changes are stimuli).
// A dispute that keeps oscillating is flagged as soon as one of its
// changes falls outside the settle allowance of every stimulus. A policy
// dispute present from the start is caught earlier, in the runner's
// warm-up (the scenarios package's NotConvergedError).
//
// # Cost
//
// Compute is O(E + F·(D + L) + F·E') for E events, F faults, D demands, L
// links and pools, E' events in a fault's span; it allocates the result and
// per-demand and per-element series. It never panics on a well-formed
// trace.Event slice, whatever the details hold (missing or mistyped details
// read as zero).
package metrics
