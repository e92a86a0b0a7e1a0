package bfd

import (
	"math/rand/v2"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

type event struct {
	at     sim.Time
	end    int
	up     bool
	reason string
}

func newTestSession(seed uint64, cfg Config, latency sim.Time) (*sim.Engine, *Session, *[]event) {
	e := sim.New(seed)
	var got []event
	s := New(e, "a~b", [2]string{"a", "b"}, cfg, latency, e.Rand("bfd/a~b"), nil, func(end int, up bool, reason string) {
		got = append(got, event{e.Now(), end, up, reason})
	})
	return e, s, &got
}

// RFC 5880 §6.8.4: with 300ms × 3, a silent failure at t_f is detected by
// each end between t_f + 600ms and t_f + 900ms (plus the 1ms latency of the
// last packet), depending on the peer's transmit phase. Over many seeds the
// bounds hold and both extremes are approached.
func TestSilentFailureDetectionWindow(t *testing.T) {
	cfg := Config{Interval: 300 * sim.Millisecond, Multiplier: 3}
	lat := sim.Millisecond
	const tf = 10 * sim.Second
	lo, hi := sim.Never, sim.Time(0)
	for seed := uint64(1); seed <= 200; seed++ {
		e, s, got := newTestSession(seed, cfg, lat)
		_ = e.At(tf, func() { s.SetPathLoss(1) })
		_ = e.Run(20 * sim.Second)
		if len(*got) != 2 {
			t.Fatalf("seed %d: %d transitions, want both ends down: %v", seed, len(*got), *got)
		}
		for _, ev := range *got {
			d := ev.at - tf
			if ev.up || ev.reason != "detect-timeout" || d <= 600*sim.Millisecond+lat-1 || d > 900*sim.Millisecond+lat {
				t.Fatalf("seed %d: %+v: detection after %v, want in (601ms, 901ms]", seed, ev, d)
			}
			lo, hi = min(lo, d), max(hi, d)
		}
	}
	if lo > 620*sim.Millisecond || hi < 880*sim.Millisecond {
		t.Fatalf("detection range [%v, %v] does not span the phase window", lo, hi)
	}
}

// A failure shorter than the detection time goes unnoticed.
func TestShortBlipNotDetected(t *testing.T) {
	e, s, got := newTestSession(1, Config{Interval: 300 * sim.Millisecond, Multiplier: 3}, 0)
	_ = e.At(sim.Second, func() { s.SetPathLoss(1) })
	_ = e.At(sim.Second+500*sim.Millisecond, func() { s.SetPathLoss(0) })
	_ = e.Run(10 * sim.Second)
	if len(*got) != 0 {
		t.Fatalf("500ms blip detected: %v", *got)
	}
}

// A hung software BFD on end 1 is detected by end 0 only; end 1 detects
// nothing while hung. When it resumes, it learns the session is down and
// both come up max(1s, 300ms) later.
func TestSenderStopDetectedByPeerOnly(t *testing.T) {
	e, s, got := newTestSession(3, Config{Interval: 300 * sim.Millisecond, Multiplier: 3}, 0)
	_ = e.At(sim.Second, func() { s.SetSender(1, false) })
	_ = e.At(5*sim.Second, func() { s.SetSender(1, true) })
	_ = e.Run(10 * sim.Second)
	ev := *got
	if len(ev) != 4 {
		t.Fatalf("transitions %v, want 0 down, 1 down, then both up", ev)
	}
	if ev[0].end != 0 || ev[0].up || ev[0].at-sim.Second > 900*sim.Millisecond || ev[0].at-sim.Second <= 600*sim.Millisecond {
		t.Fatalf("first transition %+v", ev[0])
	}
	if ev[1].end != 1 || ev[1].up || ev[1].reason != "neighbor-down" || ev[1].at != 5*sim.Second {
		t.Fatalf("second transition %+v", ev[1])
	}
	if !ev[2].up || !ev[3].up || ev[2].at != 6*sim.Second {
		t.Fatalf("recovery %+v %+v, want up at 6s", ev[2], ev[3])
	}
}

// With 50% loss and multiplier 3, each window of 3 packets is all lost with
// probability 1/8, so the session flaps down quickly; with 1% loss the chance
// of 3 losses in a row is 1e-6 per packet and 60s (200 packets) passes.
func TestPartialLoss(t *testing.T) {
	cfg := Config{Interval: 300 * sim.Millisecond, Multiplier: 3}
	e, s, got := newTestSession(5, cfg, 0)
	_ = e.At(sim.Second, func() { s.SetPathLoss(0.01) })
	_ = e.Run(61 * sim.Second)
	if len(*got) != 0 {
		t.Fatalf("1%% loss brought BFD down: %v", *got)
	}
	e, s, got = newTestSession(5, cfg, 0)
	_ = e.At(sim.Second, func() { s.SetPathLoss(0.5) })
	_ = e.Run(61 * sim.Second)
	if len(*got) == 0 || (*got)[0].up {
		t.Fatalf("50%% loss: want BFD down, got %v", *got)
	}
}

func TestPhaseFromStream(t *testing.T) {
	e := sim.New(1)
	r := rand.New(rand.NewPCG(9, 9))
	s := New(e, "x", [2]string{"a", "b"}, Config{Interval: 300 * sim.Millisecond, Multiplier: 3}, 0, r, nil, nil)
	for i := 0; i < 2; i++ {
		if s.phase[i] < 0 || s.phase[i] >= 300*sim.Millisecond {
			t.Fatalf("phase %v out of range", s.phase[i])
		}
	}
}

// RFC 5880 §6.8.7 and a routing process's timer slack: 10ms × 3 in software
// (both ends soft, slack 5ms). Each end declares down in (30ms, 35ms] after
// the arrival of the last packet it received — never early — while an
// offloaded session detects exactly 30ms after it. Measured from the
// failure, software detection spreads over (30ms − 10ms, 35ms] + latency:
// the phase of the last packet (jittered intervals of 7.5–10ms) decides.
func TestSoftwareBFDJitterAndSlack(t *testing.T) {
	const (
		ms    = sim.Millisecond
		lat   = sim.Millisecond
		slack = 5 * ms
		tf    = 10 * sim.Second
	)
	for _, soft := range []bool{true, false} {
		cfg := Config{Interval: 10 * ms, Multiplier: 3}
		if soft {
			cfg.Soft, cfg.Slack = [2]bool{true, true}, [2]sim.Time{slack, slack}
		}
		loSince, hiSince := sim.Never, sim.Time(0)
		loFail, hiFail := sim.Never, sim.Time(0)
		for seed := uint64(1); seed <= 200; seed++ {
			e := sim.New(seed)
			var s *Session
			n := 0
			s = New(e, "a~b", [2]string{"a", "b"}, cfg, lat, e.Rand("bfd/a~b"), nil, func(end int, up bool, reason string) {
				if up || reason != "detect-timeout" {
					t.Fatalf("seed %d: end %d up=%v %s", seed, end, up, reason)
				}
				n++
				since := e.Now() - (s.LastRx(end) + lat)
				fail := e.Now() - tf
				loSince, hiSince = min(loSince, since), max(hiSince, since)
				loFail, hiFail = min(loFail, fail), max(hiFail, fail)
				if soft && (since <= 30*ms || since > 30*ms+slack) {
					t.Fatalf("seed %d: software detection %v after the last arrival, want in (30ms, 35ms]", seed, since)
				}
				if !soft && since != 30*ms {
					t.Fatalf("seed %d: offloaded detection %v after the last arrival, want 30ms", seed, since)
				}
				if fail <= 20*ms+lat-1 || fail > 30*ms+lat+slack {
					t.Fatalf("seed %d: detection %v after the failure, want in (21ms, 36ms]", seed, fail)
				}
			})
			_ = e.At(tf, func() { s.SetPathLoss(1) })
			_ = e.Run(tf + sim.Second)
			if n != 2 {
				t.Fatalf("seed %d: %d ends down", seed, n)
			}
		}
		if soft && (hiSince < 34*ms || loSince > 31*ms) {
			t.Errorf("software: slack range [%v, %v] does not span (30ms, 35ms]", loSince, hiSince)
		}
		if loFail > 24*ms || hiFail < 30*ms {
			t.Errorf("soft=%v: detection after failure [%v, %v] not spread over the phase window", soft, loFail, hiFail)
		}
	}
}

// Multiplier 1: a soft sender's intervals are reduced by 10–25%, so with
// 100ms × 1 the last packet before a failure left less than 90ms before
// it, and a receiver with no slack detects 100ms after that packet: within
// (10ms, 100ms] of the failure.
func TestJitterMultiplierOne(t *testing.T) {
	const ms = sim.Millisecond
	cfg := Config{Interval: 100 * ms, Multiplier: 1, Soft: [2]bool{true, true}}
	hi := sim.Time(0)
	for seed := uint64(1); seed <= 200; seed++ {
		e, s, got := newTestSession(seed, cfg, 0)
		_ = e.At(sim.Second, func() { s.SetPathLoss(1) })
		_ = e.Run(2 * sim.Second)
		for _, ev := range *got {
			d := ev.at - sim.Second
			// detection = last tx + 100ms; last tx within the last 90ms
			if d <= 10*ms || d > 100*ms {
				t.Fatalf("seed %d: %v", seed, d)
			}
			hi = max(hi, d)
		}
	}
	if hi < 95*ms {
		t.Fatalf("max %v", hi)
	}
}
