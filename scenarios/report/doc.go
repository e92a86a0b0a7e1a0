// Package report renders a run's metrics and expectation outcomes:
// report.json (stable, for tools), report.md (a summary good as a CI step
// summary), junit.xml (one test case per expectation), report.html (a
// self-contained page with SVG plots made with gonum.org/v1/plot) and the
// readable text summary `netdrill run` prints.
//
// Every output is deterministic: the same result gives the same bytes (no
// timestamps, no map iteration order). It imports scenarios/metrics and
// scenarios/trace, nothing from sim.
package report
