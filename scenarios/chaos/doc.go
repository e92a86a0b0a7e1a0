// Package chaos runs campaigns: many independent trials of one scenario,
// each a stochastic fault history over a horizon, simulated end to end
// (BGP, BFD, shared capacity) through the shared runner, and reduced to
// aggregates with 95% confidence intervals. It answers "what availability
// does this design deliver, and what hurts most?" with its uncertainty.
//
// Plan → run → reduce, as separate functions (DESIGN.md, "Runs as
// values"): NewPlan makes one scenarios.Job per trial; Run runs the jobs a
// shard selects with scenarios.RunAll and reduces each result to a Trial
// row as soon as it is done (streamed, in trial order, no trace kept);
// NewReport aggregates rows. A campaign's output is always made from its
// shard file (scenarios/shard, kind "chaos"): a single machine folds its
// one shard, `netdrill merge` folds many, so both give the same bytes.
//
// # Trials
//
// Trial i (0-based) runs the scenario with its duration replaced by the
// horizon and its single-run [[expect]]s dropped, with engine seed
// TrialSeed(S, i): the (i+1)-th output of SplitMix64 seeded with the
// campaign seed S. Its fault history is the scenario's scripted [[fault]]s
// plus what its [[random]] classes draw (faults.NewSchedule, one stream
// per component). Nothing in a trial depends on other trials, the worker
// count or the shard: any machine can run any trial. Runs are
// deterministic, so --keep-worst re-runs the worst trials with a trace
// writer afterwards instead of keeping every trace.
//
// # What a trial measures
//
// Up time per demand: the time in [0, horizon) with delivered ≥ 99% of
// offered (metrics.FullyDelivered; the tolerance "restored" uses); a
// demand offering nothing is up. Availability of the trial = up time /
// horizon. Failovers: every (fault, affected demand) of metrics.Fault's
// Failovers — restored ones with their failover time (kept as a histogram
// whose buckets span under 1/64 of their value, plus the exact maximum),
// and the count not restored. For each threshold X (the scenario's
// failover objectives: the max of [[expect]] failover bounds and the over
// of p_failover_over; 1s when there are none) the failovers longer than X,
// counting unrestored ones (a demand never restored was not restored
// within X). Lost bytes per demand, per cause, and per component and class
// of the fault blamed: metrics.Result.FaultLoss, the loss of each fault's
// window (from its inject to the next inject) shared equally by the
// faults injected at that instant, so overlapping failures are blamed on
// the latest; loss before the first fault is "(before any fault)". A
// component is the fault kind's target class and target ("link
// aws-gcp-ch1", "facility iad-fac-1", "srlg conduit-7"); the class is the
// [[random]] class that drew it ("scripted" for [[fault]]s).
//
// # Intervals (95%)
//
// Trials are independent and identically distributed; what happens within
// one trial is not (an outage covers a stretch of time; overlapping
// failures share a congested pool). So every interval treats the trial as
// the unit of sampling:
//
//   - Availability per demand: the mean over trials of the trial
//     availabilities, with Student's t interval (mean ± t₀.₉₇₅,ₙ₋₁ · s/√n),
//     clamped to [0, 1]. A binomial (Wilson) interval over time fractions
//     would treat every instant as an independent draw and be far too
//     narrow, since down time comes in contiguous outages. The trial mean is
//     the expected availability over the horizon; with trials starting from
//     a healthy network it is slightly above the steady state MTBF/(MTBF+MTTR)
//     for short horizons (by (1−A)/((λ+μ)·T) for one exponential component),
//     and equal to it as the horizon grows. Downtime per year =
//     (1 − availability) × 365 days, the same interval mapped.
//   - Shares — P(failover > X), loss ratio, each cause's and component's
//     share of lost bytes — are ratios of per-trial sums: R = Σxᵢ/Σyᵢ with
//     the delta-method (cluster-robust) standard error
//     √(Σ(xᵢ − R·yᵢ)² / ((n−1)·n)) / ȳ and Student's t. When every trial has
//     the same ratio (P = 0 or 1) this has no width; for P(failover > X) the
//     interval then falls back to Wilson's score interval over the pooled
//     failovers.
//   - Failover quantiles (p50, p90, p99): the distribution-free interval of
//     order statistics over the pooled restored failovers, ranks N·p ±
//     z₀.₉₇₅·√(N·p·(1−p)), read from the histogram (values are bucket tops,
//     so they err high by under 1.6%). This assumes failovers independent,
//     which holds across trials and roughly within one (separate faults);
//     the max is exact, without interval.
//   - Loss by cause per trial: t intervals on the per-trial bytes.
//
// An interval of zero width means every trial gave the same value (for
// example no trial saw any downtime): it is not a guarantee. With n trials
// and none showing an outage, the chance that a trial has one is still up
// to about 3/n (the rule of three).
//
// # Campaign expectations
//
// [[campaign.expect]] tables (metrics.CampaignExpect) name a campaign
// metric — availability, downtime (per year), failover.p50/p90/p99/max,
// p_failover_over (with over) — an optional demand (availability and
// downtime; without one, the least available demand) and min/max bounds
// in the one unit grammar. They are checked on the point estimate; the
// message gives the interval and says when the bound lies inside it (the
// campaign cannot tell which side the design is on: run more trials).
// Bounds on failovers hold when no failover happened.
//
// # Partial campaigns
//
// --max-wall cancels the campaign's context: trials not finished become
// rows with status "not-run", the report is labelled PARTIAL and every
// figure is over the trials done. Which trials finished depends on timing,
// so a partial report is not reproducible; a complete one is.
//
// # Cost
//
// Memory is O(trials) rows (each O(demands + causes + components +
// histogram buckets)), never a trace. NewReport is O(trials × (demands +
// causes + thresholds + components²)). A trial's cost is one simulation
// of the horizon.
package chaos
