// Package faults holds the fault catalogue — every kind of failure netdrill
// can inject, as plain values that can be printed, counted and compared —
// and how each acts on the running model (sim/fabric) when injected and when
// repaired. Scripted faults come from scenario files; stochastic schedules
// (stochastic.go) draw failures and repairs per component class.
//
// Every inject and repair emits a trace record (`fault.inject`,
// `fault.repair`) naming the fault and every link and router it touched.
package faults
