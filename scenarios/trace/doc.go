// Package trace reads and writes netdrill traces: JSON Lines whose first
// line is a Header and every further line one Event, in the order the
// simulator emitted them (time non-decreasing). docs/contracts.md lists the
// event kinds and their details. State is the one fold of a trace: the
// network at the time of the last applied event (see state.go); metrics
// are computed in scenarios/metrics.
//
// The format is byte-stable: details keep the order they were given in,
// integers are written as integers, floats with strconv 'g' -1 (or as an
// integer when they are whole and below 1e21), so the same events always
// produce the same bytes and Read followed by Write reproduces a file
// exactly.
//
// This package imports nothing from sim: the terminal UI and the report
// tools read traces through it without linking the simulator.
//
// Cost: Writer.Write is O(size of the event) and does not allocate for the
// usual value types (string, integers, float64, bool, []string); other
// types go through encoding/json. Read is O(size of the input) and
// allocates the events it returns.
package trace
