// Package sim is netdrill's discrete-event kernel: virtual time, an event
// queue, re-armable timers and named random streams. It knows nothing about
// networks; the network model lives in subpackages (sim/link, sim/bgp, …).
//
// # Contract
//
//   - Time is virtual: sim.Time counts nanoseconds from the start of a run.
//     Nothing in a model may read the wall clock.
//   - The engine is single-threaded. Events run in (time, sequence) order:
//     events scheduled for the same instant run in the order they were
//     scheduled. A re-armed timer takes a new sequence number, as if it had
//     been scheduled at the moment it was re-armed. The one exception:
//     a timer marked FirstInInstant (work that completes at an instant, a
//     FIB programming a prefix) fires before every other event of its
//     instant, so whatever arrives at that instant finds the work done.
//   - Scheduling into the past (At with t < Now, After with d < 0) is an
//     error, never a panic.
//   - Timers are handles: Reset re-arms in place without allocating, Stop
//     cancels; a stopped timer never fires, a re-armed one fires once, at
//     its latest time.
//   - Randomness comes only from named streams (Engine.Rand("faults")),
//     each derived from the engine seed and the stream name, so draws on one
//     stream never change another. Same seed and same input ⇒ the same
//     sequence of events.
//   - Parallelism lives above the engine: run many engines, one per
//     goroutine; never share one.
//
// Costs: At, After and Timer.Reset are O(log n) in the number of pending
// events (a 4-ary heap stored by value); Step is O(log n). Events (not
// timers) scheduled more than a minute ahead wait in a second heap, so a
// long fault schedule set up front does not deepen the heap that the busy
// near future goes through; the order is the same.
//
// # Example
//
//	e := sim.New(7)
//	hold := e.NewTimer(func() { fmt.Println("hold timer expired at", e.Now()) })
//	hold.ResetAfter(90 * sim.Second)
//	_ = e.After(30*sim.Second, func() { hold.ResetAfter(90 * sim.Second) }) // keepalive
//	_ = e.Run(sim.Never) // prints "hold timer expired at 2m0s"
package sim
