// Package report renders a run's metrics and expectation outcomes:
// report.json (stable, for tools), report.md (a summary good as a CI step
// summary), junit.xml (one test case per expectation), report.html and the
// readable text summary `netdrill run` prints. Verdicts are words
// (PASS/FAIL/INVALID), never emoji, which render as empty boxes without an
// emoji font.
//
// report.html (Page.HTML) is one self-contained page, well-formed XML with
// no scripts and no external resources, with plots made with
// gonum.org/v1/plot (Page.Figures; each also renders as PNG for --png):
// per demand offered against delivered with the loss shaded by cause and
// fault spans from inject to repair; a zoom around each fault; per link
// and pool utilisation against 100% with link outages shaded. Series are
// reduced to one mean and min–max per pixel column (series.spans: O(records
// + columns)), so a simulated year gives a page of a few hundred kB.
//
// Every output is deterministic: the same result gives the same bytes (no
// timestamps, no map iteration order). It imports scenarios/metrics,
// scenarios/trace and topology (for the network summary), nothing from sim.
package report
