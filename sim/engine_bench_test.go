package sim

import (
	"math/rand/v2"
	"testing"
)

const benchPending = 10_000

// benchDelays is a fixed table of pseudo-random delays shared by the engine
// benchmark and its baseline, so both do exactly the same work.
var benchDelays = func() []Time {
	r := rand.New(rand.NewPCG(1, 2))
	d := make([]Time, 4096)
	for i := range d {
		d[i] = Time(r.IntN(1_000_000)) + 1
	}
	return d
}()

// BenchmarkScheduleFire: ~10k pending events; each operation fires one event,
// which schedules its successor (the steady state of a busy simulation).
func BenchmarkScheduleFire(b *testing.B) {
	e := New(1)
	i := 0
	var fire func()
	fire = func() {
		i++
		_ = e.After(benchDelays[i&4095], fire)
	}
	for k := 0; k < benchPending; k++ {
		_ = e.After(benchDelays[k&4095], fire)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		e.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
}

// BenchmarkTimerRearm: one timer re-armed over and over, as a BGP hold timer
// is on every keepalive, with other events pending. Must not allocate.
func BenchmarkTimerRearm(b *testing.B) {
	e := New(1)
	for k := 0; k < benchPending; k++ {
		_ = e.After(benchDelays[k&4095], func() {})
	}
	tm := e.NewTimer(func() {})
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		tm.ResetAfter(benchDelays[n&4095])
	}
}

// --- baseline: a minimal hand-written binary slice heap, same workload ---

type baseItem struct {
	at  Time
	seq uint64
	fn  func()
}

type baseHeap struct {
	items []baseItem
	seq   uint64
	now   Time
}

func (h *baseHeap) less(i, j int) bool {
	a, b := &h.items[i], &h.items[j]
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

func (h *baseHeap) push(at Time, fn func()) {
	h.seq++
	h.items = append(h.items, baseItem{at, h.seq, fn})
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *baseHeap) pop() baseItem {
	top := h.items[0]
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

func BenchmarkBaselineSliceHeap(b *testing.B) {
	h := &baseHeap{}
	i := 0
	var fire func()
	fire = func() {
		i++
		h.push(h.now+benchDelays[i&4095], fire)
	}
	for k := 0; k < benchPending; k++ {
		h.push(benchDelays[k&4095], fire)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		it := h.pop()
		h.now = it.at
		it.fn()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
}

// BenchmarkFIFOTimers: 1,000 timers each re-armed 100µs after it fires (a
// FIB programming prefix after prefix), beside ~10k other pending events;
// plain timers sift through the heap, FIFO timers wait in a lane.
func BenchmarkFIFOTimers(b *testing.B) {
	for _, fifo := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "fifo"}[fifo], func(b *testing.B) {
			e := New(1)
			i := 0
			var fire func()
			fire = func() {
				i++
				_ = e.After(benchDelays[i&4095]+Second, fire)
			}
			for k := 0; k < benchPending; k++ {
				_ = e.After(benchDelays[k&4095]+Second, fire)
			}
			for k := 0; k < 1000; k++ {
				var t *Timer
				fn := func() { t.ResetAfter(100 * Microsecond) }
				if fifo {
					t = e.NewFIFOTimer(fn)
				} else {
					t = e.NewTimer(fn)
				}
				_ = t.Reset(Time(k) * Microsecond)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				e.Step()
			}
		})
	}
}
