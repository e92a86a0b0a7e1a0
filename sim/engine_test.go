package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// record runs a small workload with deliberate ties and random delays and
// returns the sequence of (time, label) the events fired in.
func record(seed uint64) string {
	e := New(seed)
	var b strings.Builder
	r := e.Rand("workload")
	var spawn func(id, depth int)
	spawn = func(id, depth int) {
		fmt.Fprintf(&b, "%d:%d ", e.Now(), id)
		if depth == 0 {
			return
		}
		for k := 0; k < 3; k++ {
			child := id*10 + k
			// Half the children collide on the same instant to exercise ties.
			d := Time(r.IntN(4)) * Millisecond
			if k == 1 {
				d = Millisecond
			}
			_ = e.After(d, func() { spawn(child, depth-1) })
		}
	}
	_ = e.At(0, func() { spawn(1, 4) })
	_ = e.At(0, func() { spawn(2, 4) })
	_ = e.Run(Never)
	return b.String()
}

func TestDeterminism(t *testing.T) {
	a, b := record(7), record(7)
	if a != b {
		t.Fatalf("same seed gave different event sequences")
	}
	if c := record(8); c == a {
		t.Fatalf("different seeds gave the same sequence; the workload does not use the stream")
	}
}

func TestTiesRunInSchedulingOrder(t *testing.T) {
	e := New(1)
	var got []int
	for i := 0; i < 100; i++ {
		i := i
		_ = e.At(5*Second, func() { got = append(got, i) })
	}
	_ = e.Run(Never)
	for i, v := range got {
		if v != i {
			t.Fatalf("event %d ran at position %d", v, i)
		}
	}
}

func TestScheduleIntoPastIsError(t *testing.T) {
	e := New(1)
	_ = e.At(10*Second, func() {})
	_ = e.Run(Never)
	if err := e.At(5*Second, func() {}); err == nil {
		t.Fatal("At in the past: want error")
	}
	if err := e.After(-1, func() {}); err == nil {
		t.Fatal("After(-1): want error")
	}
	tm := e.NewTimer(func() {})
	if err := tm.Reset(Second); err == nil || tm.Armed() {
		t.Fatal("timer armed in the past: want error and unarmed timer")
	}
}

func TestTimerSemantics(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *Engine, tm *Timer)
		want  []Time // times the timer fired
	}{
		{"fires once", func(e *Engine, tm *Timer) { tm.ResetAfter(3 * Second) }, []Time{3 * Second}},
		{"cancelled never fires", func(e *Engine, tm *Timer) {
			tm.ResetAfter(3 * Second)
			_ = e.At(Second, func() { tm.Stop() })
		}, nil},
		{"re-armed later fires once at new time", func(e *Engine, tm *Timer) {
			tm.ResetAfter(3 * Second)
			_ = e.At(2*Second, func() { tm.ResetAfter(3 * Second) })
		}, []Time{5 * Second}},
		{"re-armed earlier fires once at new time", func(e *Engine, tm *Timer) {
			tm.ResetAfter(10 * Second)
			_ = e.At(Second, func() { tm.ResetAfter(Second) })
		}, []Time{2 * Second}},
		{"hold timer kept alive by keepalives then expires", func(e *Engine, tm *Timer) {
			// keepalive every 30s until 60s re-arms a 90s hold timer: expiry at 60+90=150s.
			tm.ResetAfter(90 * Second)
			for k := Time(30); k <= 60; k += 30 {
				_ = e.At(k*Second, func() { tm.ResetAfter(90 * Second) })
			}
		}, []Time{150 * Second}},
		{"stop then re-arm", func(e *Engine, tm *Timer) {
			tm.ResetAfter(Second)
			tm.Stop()
			tm.ResetAfter(4 * Second)
		}, []Time{4 * Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(1)
			var fired []Time
			tm := e.NewTimer(func() { fired = append(fired, e.Now()) })
			tc.setup(e, tm)
			_ = e.Run(Never)
			if fmt.Sprint(fired) != fmt.Sprint(tc.want) {
				t.Fatalf("fired at %v, want %v", fired, tc.want)
			}
			if tm.Armed() {
				t.Fatal("timer still armed after run")
			}
		})
	}
}

func TestTimerRearmFromOwnCallback(t *testing.T) {
	e := New(1)
	n := 0
	var tm *Timer
	tm = e.NewTimer(func() {
		n++
		if n < 5 {
			tm.ResetAfter(Second)
		}
	})
	tm.ResetAfter(Second)
	_ = e.Run(Never)
	if n != 5 || e.Now() != 5*Second {
		t.Fatalf("fired %d times, now %v; want 5 at 5s", n, e.Now())
	}
}

func TestReArmedTimerOrdersAsNewlyScheduled(t *testing.T) {
	e := New(1)
	var got []string
	tm := e.NewTimer(func() { got = append(got, "timer") })
	tm.ResetAfter(Second)
	_ = e.At(Second, func() { got = append(got, "event") })
	tm.ResetAfter(Second) // re-armed after the event was scheduled: runs after it
	_ = e.Run(Never)
	if strings.Join(got, ",") != "event,timer" {
		t.Fatalf("order %v, want event,timer", got)
	}
}

func TestRunUntilAndStop(t *testing.T) {
	e := New(1)
	n := 0
	for i := 1; i <= 10; i++ {
		_ = e.At(Time(i)*Second, func() { n++ })
	}
	_ = e.Run(5 * Second)
	if n != 5 || e.Now() != 5*Second {
		t.Fatalf("after Run(5s): %d events, now %v", n, e.Now())
	}
	_ = e.At(6*Second, func() { e.Stop() })
	_ = e.Run(Never)
	if n != 6 || e.Now() != 6*Second {
		t.Fatalf("after Stop: %d events, now %v; want 6 at 6s", n, e.Now())
	}
	_ = e.Run(Never)
	if n != 10 {
		t.Fatalf("resume: %d events, want 10", n)
	}
}

func TestEventLimit(t *testing.T) {
	e := New(1)
	var tick func()
	tick = func() { _ = e.After(Second, tick) } // never settles
	_ = e.At(0, tick)
	e.SetEventLimit(1000)
	if err := e.Run(Never); err != ErrEventLimit {
		t.Fatalf("Run = %v, want ErrEventLimit", err)
	}
	if e.Processed() != 1000 {
		t.Fatalf("processed %d, want 1000", e.Processed())
	}
}

func TestHookSeesEveryEvent(t *testing.T) {
	e := New(1)
	var seen []Time
	e.SetHook(func(at Time, _ uint64) { seen = append(seen, at) })
	_ = e.At(2*Second, func() {})
	_ = e.At(Second, func() {})
	_ = e.Run(Never)
	if fmt.Sprint(seen) != fmt.Sprint([]Time{Second, 2 * Second}) {
		t.Fatalf("hook saw %v", seen)
	}
}

func TestRNGStreamIndependence(t *testing.T) {
	draw := func(s *Streams, name string, n int) []uint64 {
		r := s.Stream(name)
		out := make([]uint64, n)
		for i := range out {
			out[i] = r.Uint64()
		}
		return out
	}
	// Alone.
	a := draw(NewStreams(42), "faults", 10)
	// Interleaved with heavy use of another stream.
	s := NewStreams(42)
	draw(s, "traffic", 1000)
	b := draw(s, "faults", 10)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("drawing on 'traffic' changed 'faults'")
	}
	if fmt.Sprint(draw(NewStreams(42), "traffic", 10)) == fmt.Sprint(a) {
		t.Fatal("two stream names gave the same sequence")
	}
	if fmt.Sprint(draw(NewStreams(43), "faults", 10)) == fmt.Sprint(a) {
		t.Fatal("two seeds gave the same sequence")
	}
}

func TestHeapOrderUnderChurn(t *testing.T) {
	// Random schedule/cancel/re-arm; fired events must come out in (time, seq) order.
	e := New(3)
	r := e.Rand("churn")
	timers := make([]*Timer, 50)
	last := Time(-1)
	for i := range timers {
		timers[i] = e.NewTimer(func() {
			if e.Now() < last {
				t.Fatalf("time went backwards: %v after %v", e.Now(), last)
			}
			last = e.Now()
		})
	}
	for step := 0; step < 5000; step++ {
		tm := timers[r.IntN(len(timers))]
		switch r.IntN(3) {
		case 0:
			tm.Stop()
		default:
			tm.ResetAfter(Time(r.IntN(1000)) * Millisecond)
		}
		if r.IntN(4) == 0 {
			e.Step()
		}
	}
	_ = e.Run(Never)
	for _, tm := range timers {
		if tm.Armed() {
			t.Fatal("armed timer left after Run(Never)")
		}
	}
}

func TestParseTime(t *testing.T) {
	if d, err := ParseTime("300ms"); err != nil || d != 300*Millisecond {
		t.Fatalf("ParseTime(300ms) = %v, %v", d, err)
	}
	if _, err := ParseTime("3 seconds"); err == nil {
		t.Fatal("want error")
	}
	if (90 * Second).String() != "1m30s" {
		t.Fatal((90 * Second).String())
	}
}

// Deferred functions run after the last event of their instant, even one
// scheduled (at the same instant) after the Defer call, and before time
// moves on.
func TestDeferRunsAtEndOfInstant(t *testing.T) {
	e := New(1)
	var got []string
	_ = e.At(Second, func() {
		got = append(got, "a")
		e.Defer(func() { got = append(got, "deferred") })
		_ = e.At(Second, func() { got = append(got, "b") })
	})
	_ = e.At(Second, func() { got = append(got, "c") })
	_ = e.At(2*Second, func() { got = append(got, "later") })
	_ = e.Run(Never)
	if strings.Join(got, ",") != "a,c,b,deferred,later" {
		t.Fatalf("order %v", got)
	}
}

func TestDeferBetweenRuns(t *testing.T) {
	e := New(1)
	_ = e.At(10*Second, func() {})
	ran := Time(-1)
	e.Defer(func() { ran = e.Now() })
	_ = e.Run(Second) // no event before 1s: the deferred work still runs, at 0
	if ran != 0 {
		t.Fatalf("deferred ran at %v, want 0", ran)
	}
}

// TestFarEventsKeepOrder: events scheduled far ahead wait in a second heap
// (farAhead); the order of events is still exactly (time, sequence). Random
// events near and far, many landing on the same instants (whole minutes)
// as timers and as events scheduled later, each checked against the
// (time, sequence) it was given; Run(until) and NextAt across both heaps.
func TestFarEventsKeepOrder(t *testing.T) {
	e := New(5)
	r := e.Rand("far")
	type key struct {
		at  Time
		seq int
	}
	var fired []key
	seq := 0
	var schedule func(d Time)
	schedule = func(d Time) {
		seq++
		k := key{e.Now() + d, seq}
		_ = e.After(d, func() {
			fired = append(fired, k)
			if len(fired) < 4000 && r.IntN(5) > 0 {
				schedule(delay(r))
			}
		})
	}
	timers := make([]*Timer, 20)
	armed := make([]key, len(timers))
	for i := range timers {
		timers[i] = e.NewTimer(func() { fired = append(fired, armed[i]) })
	}
	for range 300 {
		schedule(delay(r))
	}
	for i := 0; e.NextAt() != Never; i++ {
		next := e.NextAt()
		if err := e.Run(next + Time(r.IntN(3))*Minute); err != nil {
			t.Fatal(err)
		}
		if i < 2000 {
			// A re-armed timer orders as newly scheduled.
			k, d := r.IntN(len(timers)), delay(r)
			seq++
			armed[k] = key{e.Now() + d, seq}
			timers[k].ResetAfter(d)
		}
	}
	if len(fired) < 1000 {
		t.Fatalf("only %d events fired", len(fired))
	}
	// Events fire in time order; at one instant, in scheduling order.
	for i := 1; i < len(fired); i++ {
		a, b := fired[i-1], fired[i]
		if b.at < a.at || (b.at == a.at && b.seq < a.seq) {
			t.Fatalf("event %d (%v, #%d) after (%v, #%d)", i, b.at, b.seq, a.at, a.seq)
		}
	}
	if e.Pending() != 0 {
		t.Fatalf("%d pending", e.Pending())
	}
}

// delay is 0, a few seconds, or whole minutes up to 20 (mostly far
// ahead): every instant is a whole second, many a whole minute, so events
// near and far, and timers armed long before, meet at the same instants.
func delay(r *rand.Rand) Time {
	switch r.IntN(3) {
	case 0:
		return 0
	case 1:
		return Time(r.IntN(3)) * Second
	}
	return Time(r.IntN(20)) * Minute
}

// FIFO timers (lane.go) fire in exactly the order plain timers would: a
// random workload of events, plain timers and timers re-armed, stopped and
// armed at absolute times, with ties at every instant, gives the same
// firing sequence either way.
func TestFIFOTimersKeepOrder(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		plain, fifo := fifoWorkload(seed, false, false), fifoWorkload(seed, true, false)
		if len(plain) < 2000 {
			t.Fatalf("seed %d: only %d firings", seed, len(plain))
		}
		for i := range min(len(plain), len(fifo)) {
			if plain[i] != fifo[i] {
				t.Fatalf("seed %d: firing %d: %s with plain timers, %s with FIFO timers", seed, i, plain[i], fifo[i])
			}
		}
		if len(plain) != len(fifo) {
			t.Fatalf("seed %d: %d firings with plain timers, %d with FIFO timers", seed, len(plain), len(fifo))
		}
	}
}

// fifoWorkload runs a random workload of events and timers (FIFO ones with
// fifo; with first, every fourth timer is FirstInInstant) and returns the
// firings: "<time> t<i>" or "<time> ev", with state lines between.
func fifoWorkload(seed uint64, fifo, first bool) []string {
	e := New(seed)
	r := e.Rand("w")
	var fired []string
	delays := []Time{0, 100 * Microsecond, 100 * Microsecond, Millisecond, 2 * Minute}
	// soon: a first timer is never armed for the current instant (it would
	// come after what already ran then)
	soon := func(i int, d Time) Time {
		if first && i%4 == 1 && d == 0 {
			return 100 * Microsecond
		}
		return d
	}
	timers := make([]*Timer, 12)
	for i := range timers {
		fn := func() {
			fired = append(fired, fmt.Sprintf("%v t%d", e.Now(), i))
			if r.IntN(10) > 0 {
				timers[i].ResetAfter(soon(i, delays[r.IntN(len(delays))]))
			}
			if r.IntN(10) == 0 {
				timers[r.IntN(len(timers))].Stop()
			}
			if r.IntN(5) == 0 {
				_ = e.After(delays[r.IntN(len(delays))], func() { fired = append(fired, fmt.Sprintf("%v ev", e.Now())) })
			}
		}
		if fifo && i%3 != 0 {
			timers[i] = e.NewFIFOTimer(fn)
		} else {
			timers[i] = e.NewTimer(fn)
		}
		if first && i%4 == 1 {
			timers[i].FirstInInstant()
		}
	}
	for i, tm := range timers {
		tm.ResetAfter(soon(i, Time(i%3)*100*Microsecond))
	}
	for step := 0; step < 5000; step++ {
		if e.NextAt() == Never {
			k := r.IntN(len(timers))
			timers[k].ResetAfter(soon(k, delays[r.IntN(len(delays))]))
		}
		switch r.IntN(8) {
		case 0:
			k := r.IntN(len(timers))
			_ = timers[k].Reset(e.Now() + soon(k, Time(r.IntN(3))*100*Microsecond))
		case 1:
			k := r.IntN(len(timers))
			if timers[k].Armed() {
				fired = append(fired, fmt.Sprintf("t%d armed for %v", k, timers[k].When()))
			}
			timers[k].ResetAfter(soon(k, delays[r.IntN(len(delays))]))
		case 2:
			timers[r.IntN(len(timers))].Stop()
		}
		if e.Step() {
			fired = append(fired, fmt.Sprintf("pending %d", e.Pending()))
		}
	}
	return fired
}

// A FirstInInstant timer fires before every other event of its instant,
// whenever it was armed; among themselves first timers keep arming order.
func TestFirstInInstant(t *testing.T) {
	e := New(1)
	var got []string
	note := func(s string) func() { return func() { got = append(got, s) } }
	_ = e.At(Second, note("event scheduled at 0"))
	a := e.NewTimer(note("first timer a"))
	a.FirstInInstant()
	b := e.NewFIFOTimer(note("first FIFO timer b")).FirstInInstant()
	c := e.NewTimer(note("plain timer"))
	c.ResetAfter(Second)
	_ = e.At(Second/2, func() {
		b.ResetAfter(Second / 2) // a lane
		_ = a.Reset(Second)      // the heap, armed after b
		_ = e.At(Second, note("event scheduled at 0.5s"))
	})
	if err := e.Run(Never); err != nil {
		t.Fatal(err)
	}
	want := []string{"first FIFO timer b", "first timer a", "event scheduled at 0", "plain timer", "event scheduled at 0.5s"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
}

// With some timers FirstInInstant, FIFO timers still fire exactly as plain
// ones, and within every instant the first timers' firings come before
// everything else.
func TestFirstInInstantRandom(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		plain, fifo := fifoWorkload(seed, false, true), fifoWorkload(seed, true, true)
		if !slices.Equal(plain, fifo) {
			t.Fatalf("seed %d: FIFO timers fire differently from plain ones", seed)
		}
		if slices.Equal(plain, fifoWorkload(seed, false, false)) {
			t.Fatalf("seed %d: first timers changed nothing", seed)
		}
		late := map[string]bool{} // instants at which something not first fired
		for _, f := range plain {
			at, what, ok := strings.Cut(f, " ")
			if !ok || strings.Contains(what, " ") || (what != "ev" && !strings.HasPrefix(what, "t")) {
				continue // a state line
			}
			isFirst := false
			if n, err := strconv.Atoi(strings.TrimPrefix(what, "t")); err == nil && n%4 == 1 {
				isFirst = true
			}
			if isFirst && late[at] {
				t.Fatalf("seed %d: first timer %s fired at %s after other events of that instant", seed, what, at)
			}
			if !isFirst {
				late[at] = true
			}
		}
	}
}
