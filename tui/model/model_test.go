package model

import (
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// The fixtures are traces of examples/scenarios (facility-loss-at-peak and
// random-channel-failures) written by `netdrill run -o`.
var fixtures = []string{"testdata/facility-loss.jsonl", "testdata/random-channel.jsonl"}

func load(t testing.TB, path string, k int) *Replay {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := fromBytes(data, k)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// foldTo folds the trace from the start through every event at or before t.
func foldTo(t *testing.T, path string, until int64) *trace.State {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, evs, err := trace.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	s := trace.NewState(h)
	for _, e := range evs {
		if e.T > until {
			break
		}
		s.Apply(e)
	}
	return s
}

func sameState(t *testing.T, what string, got, want *trace.State) {
	t.Helper()
	g, w := *got, *want
	g.H, w.H = nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s: the state differs from a fold from the start\n got %+v\nwant %+v", what, g, w)
	}
}

// Seeking to random times, forward and backward, with a small checkpoint
// interval (so both paths — from a checkpoint, forward from the cursor —
// are taken), gives the state of a fold from the start.
func TestSeekEqualsFold(t *testing.T) {
	for _, path := range fixtures {
		for _, k := range []int{7, 64, CheckpointEvery} {
			r := load(t, path, k)
			m := New(r)
			rng := rand.New(rand.NewPCG(1, uint64(k)))
			for i := 0; i < 60; i++ {
				var at int64
				switch i % 3 {
				case 0:
					at = rng.Int64N(r.End() + 1)
				case 1: // exactly at an event
					at = r.T(rng.IntN(r.Len()))
				case 2: // a little after the cursor: the forward path
					at = m.T() + rng.Int64N(2e9)
				}
				m.SeekTime(at)
				sameState(t, path+" at "+FormatT(at), m.State(), foldTo(t, path, min(at, r.End())))
			}
		}
	}
}

// At each fault and repair time the state shows what the trace says: an
// injected fault is active, a repaired one is not, and every link the
// trace set at that instant has that state.
func TestStateAtFaults(t *testing.T) {
	for _, path := range fixtures {
		r := load(t, path, 16)
		m := New(r)
		if len(r.Faults()) == 0 {
			t.Fatalf("%s: no faults", path)
		}
		for _, fi := range r.Faults() {
			e := r.Event(fi)
			m.SeekTime(e.T)
			active := false
			for _, f := range m.State().Faults {
				active = active || f.ID == e.Subject
			}
			if active != (e.Kind == trace.KindFaultInject) {
				t.Errorf("%s: at %s after %s %s, active = %v", path, FormatT(e.T), e.Kind, e.Subject, active)
			}
			// Every link.state at this instant is the link's state now,
			// unless a later one at the same instant changed it again.
			last := map[string]string{}
			for i := r.Count(e.T - 1); i < r.Count(e.T); i++ {
				if x := r.Event(i); x.Kind == trace.KindLinkState {
					last[x.Subject] = x.Str("state")
				}
			}
			for name, st := range last {
				li, _ := m.State().LinkIndex(name)
				if got := m.State().Links[li].State; got != st {
					t.Errorf("%s: at %s link %s is %s, the trace says %s", path, FormatT(e.T), name, got, st)
				}
			}
		}
	}
}

// Stepping back one event at a time from the end visits every prefix of
// the trace.
func TestStepBack(t *testing.T) {
	path := fixtures[0]
	r := load(t, path, 32)
	m := New(r)
	m.SeekTime(r.End())
	if m.N() != r.Len() {
		t.Fatalf("at the end N = %d, want %d", m.N(), r.Len())
	}
	for n := r.Len() - 1; n >= r.Len()-100; n-- {
		m.Step(-1)
		if m.N() != n {
			t.Fatalf("N = %d, want %d", m.N(), n)
		}
		want := trace.NewState(r.H)
		for i := 0; i < n; i++ {
			want.Apply(r.Event(i))
		}
		sameState(t, "step back", m.State(), want)
	}
}

type countListener struct{ n int }

func (c *countListener) Changed() { c.n++ }

func TestListenerAndControls(t *testing.T) {
	r := load(t, fixtures[0], CheckpointEvery)
	m := New(r)
	var l countListener
	m.AddListener(&l)
	m.TogglePlay()
	if !m.Playing || l.n != 1 {
		t.Fatalf("playing %v, %d callbacks", m.Playing, l.n)
	}
	m.Faster()
	m.Faster()
	if m.Speed() != 5 {
		t.Errorf("speed %g, want 5", m.Speed())
	}
	m.Advance(1e9) // 1 s of real time at 5×
	if m.T() != 5e9 {
		t.Errorf("t = %d, want 5e9", m.T())
	}
	if !m.NextFault() || m.T() != 120e9 {
		t.Errorf("next fault at %s, want 2:00.000", FormatT(m.T()))
	}
	if !m.NextFault() || m.T() != 420e9 {
		t.Errorf("next fault (the repair) at %s, want 7:00.000", FormatT(m.T()))
	}
	if m.NextFault() {
		t.Errorf("a third fault event")
	}
	if !m.PrevFault() || m.T() != 120e9 {
		t.Errorf("prev fault at %s", FormatT(m.T()))
	}
	for i := 0; i < 20; i++ {
		m.Faster()
	}
	m.Advance(10e9) // past the end: stops
	if m.Playing || m.T() != r.End() {
		t.Errorf("at the end: playing %v t %s", m.Playing, FormatT(m.T()))
	}
	if l.n < 8 {
		t.Errorf("only %d callbacks", l.n)
	}
}

func TestLogFilters(t *testing.T) {
	r := load(t, fixtures[0], CheckpointEvery)
	m := New(r)
	m.SeekTime(121e9)
	past, next := m.Log(5, 3)
	if len(past) != 5 || len(next) != 3 || past[4] != m.N()-1 || next[0] != m.N() {
		t.Fatalf("log %v %v around N=%d", past, next, m.N())
	}
	for m.KindFilter() != "bgp.best" {
		m.CycleKindFilter()
	}
	m.SetSubjectFilter("aws-use1")
	past, _ = m.Log(10, 0)
	if len(past) == 0 {
		t.Fatal("no bgp.best of aws-use1 before 2:01")
	}
	for _, i := range past {
		e := r.Event(i)
		if e.Kind != trace.KindBGPBest || !strings.Contains(e.Subject, "aws-use1") {
			t.Errorf("filtered log has %s %s", e.Kind, e.Subject)
		}
		if d := Describe(e); !strings.Contains(d, "rule router-id") {
			t.Errorf("describe %q lacks its rule", d)
		}
	}
	m.ClearFilters()
	if m.KindFilter() != "" || m.SubjectFilter() != "" {
		t.Errorf("filters not cleared")
	}
}

func TestBadTraces(t *testing.T) {
	good, err := os.ReadFile(fixtures[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "empty trace"},
		{"foreign", "hello world\n", "line 1"},
		{"format 1", `{"format":"netdrill-trace/1"}` + "\n", "no longer read"},
		{"truncated", strings.Join(lines[:len(lines)/2], ""), "truncated"},
		{"cut mid-line", string(good[:len(good)/2]), "line"},
		{"corrupt", strings.Replace(string(good), `"state":"down"`, `"state":"up"`, 1), "corrupt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromBytes([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error is not one line: %q", err)
			}
		})
	}
	if _, err := Load("testdata/nope.jsonl"); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseFormatT(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{{"2m0.5s", 120.5e9}, {"2:00.5", 120.5e9}, {"150", 150e9}, {"1:02:03", 3723e9}, {"1h", 3600e9}} {
		if got, err := ParseT(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseT(%q) = %d, %v, want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "x", "1:99", "-3"} {
		if _, err := ParseT(bad); err == nil {
			t.Errorf("ParseT(%q) accepted", bad)
		}
	}
	if got := FormatT(120653464934); got != "2:00.653" {
		t.Errorf("FormatT = %q", got)
	}
	if got := FormatT(90061e9); got != "1d1:01:01" {
		t.Errorf("FormatT = %q", got)
	}
}
