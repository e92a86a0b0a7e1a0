// Package tui replays a recorded trace in the terminal (tview on tcell):
// the fabric drawn from the trace header, a timeline with fault markers and
// a cursor, the event log around the cursor, per-demand throughput
// sparklines, link and pool load, and a detail pane for the selected router
// or link. It reads traces only (never the simulator).
//
// The replay model — cursor, state at the cursor, filters, selection — is
// package tui/model, which imports no UI package and is tested on its own;
// this package only draws it (k9s: model apart from view). Every panel is
// a tview Box whose draw function renders the model at its current size, so
// the screen is always the model at the cursor, at 80×24 or larger.
package tui
