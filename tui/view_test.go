package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/netdrill/netdrill/tui/model"
)

// testdata/facility-loss.jsonl is the trace of the embedded example
// (examples/scenarios/facility-loss-at-peak.toml): facility aws-gcp-fac1
// fails at 2:00 and is repaired at 7:00.
func loadReplay(t *testing.T) *model.Replay {
	t.Helper()
	data, err := os.ReadFile("testdata/facility-loss.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	r, err := model.FromBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// screen draws v on a simulation screen of w×h and returns it.
func draw(t *testing.T, v *View, w, h int) tcell.SimulationScreen {
	t.Helper()
	scr := tcell.NewSimulationScreen("UTF-8")
	if err := scr.Init(); err != nil {
		t.Fatal(err)
	}
	scr.SetSize(w, h)
	v.Pages.SetRect(0, 0, w, h)
	v.Pages.Draw(scr)
	scr.Show()
	return scr
}

func lines(scr tcell.SimulationScreen) []string {
	cells, w, h := scr.GetContents()
	out := make([]string, h)
	for y := 0; y < h; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			r := cells[y*w+x].Runes
			if len(r) == 0 {
				b.WriteRune(' ')
				continue
			}
			b.WriteString(string(r))
		}
		out[y] = b.String()
	}
	return out
}

// find returns the position of the first occurrence of s on the screen.
func find(t *testing.T, scr tcell.SimulationScreen, s string) (x, y int) {
	t.Helper()
	for y, line := range lines(scr) {
		if i := strings.Index(line, s); i >= 0 {
			return len([]rune(line[:i])), y
		}
	}
	t.Fatalf("%q not on the screen:\n%s", s, strings.Join(lines(scr), "\n"))
	return 0, 0
}

func styleAt(scr tcell.SimulationScreen, x, y int) tcell.Style {
	cells, w, _ := scr.GetContents()
	return cells[y*w+x].Style
}

func TestDrawDarkFacilityAndRedLink(t *testing.T) {
	r := loadReplay(t)
	m := model.New(r)
	v := NewView(m)
	scr := draw(t, v, 80, 24)
	if got := strings.Join(lines(scr), "\n"); strings.Contains(got, "DARK") {
		t.Errorf("a facility is dark before the fault:\n%s", got)
	}
	x, y := find(t, scr, "ch1 ")
	if fg, _, _ := styleAt(scr, x, y).Decompose(); fg != tcell.ColorGreen {
		t.Errorf("ch1 at 0:00 is %v, want green (up)", fg)
	}

	m.SeekTime(121e9) // 2:01, facility 1 down since 2:00
	scr = draw(t, v, 80, 24)
	x, y = find(t, scr, "aws-gcp-fac1 DARK")
	if _, bg, _ := styleAt(scr, x, y).Decompose(); bg != tcell.ColorGray {
		t.Errorf("the dark facility's background is %v, want gray", bg)
	}
	x, y = find(t, scr, "ch1 DOWN")
	if fg, _, _ := styleAt(scr, x, y).Decompose(); fg != tcell.ColorRed {
		t.Errorf("ch1 at 2:01 is %v, want red", fg)
	}
	find(t, scr, "active f1")
	find(t, scr, "2/4 attached")

	m.SeekTime(500e9) // repaired at 7:00
	scr = draw(t, v, 80, 24)
	if got := strings.Join(lines(scr), "\n"); strings.Contains(got, "DARK") {
		t.Errorf("facility still dark after the repair:\n%s", got)
	}
}

func TestDrawDetailRule(t *testing.T) {
	r := loadReplay(t)
	m := model.New(r)
	v := NewView(m)
	// The first item is the hub aws-use1; at 2:01 its best route to
	// 10.2.0.0/16 was chosen by the router-id rule among r2, r3, r4.
	m.SeekTime(121e9)
	scr := draw(t, v, 100, 30)
	find(t, scr, "router aws-use1")
	find(t, scr, "rule router-id")
	find(t, scr, "idle (bfd-down)")

	// Select the link ch1: its state, reason, capacity and pool.
	for it, _ := m.Selected(); it != (model.Item{Kind: model.SelLink, Index: 0}); it, _ = m.Selected() {
		m.Select(1)
	}
	scr = draw(t, v, 100, 30)
	find(t, scr, "link aws-gcp-ch1")
	find(t, scr, "state down (facility-down)")
	find(t, scr, "pool aws-gcp-pool")
	find(t, scr, "srlgs")
}

func TestDrawLogTimelineHelp(t *testing.T) {
	r := loadReplay(t)
	m := model.New(r)
	v := NewView(m)
	scr := draw(t, v, 140, 40)
	find(t, scr, "▼")        // the fault marker
	m.SeekTime(120653464934) // the first BFD detection
	scr = draw(t, v, 140, 40)
	find(t, scr, "bfd aws-use1~aws-gcp-aws-r1 at aws-use1: down (detect-timeout)")
	find(t, scr, "▲") // the repair marker
	find(t, scr, "2:00.653")

	v.Key(tcell.NewEventKey(tcell.KeyRune, 'f', tcell.ModNone)) // kind filter: faults
	scr = draw(t, v, 140, 40)
	find(t, scr, "FAULT f1 facility-down on aws-gcp-fac1")
	find(t, scr, "filter kind=fault.")

	v.Key(tcell.NewEventKey(tcell.KeyRune, '?', tcell.ModNone))
	scr = draw(t, v, 140, 40)
	find(t, scr, "netdrill replay — keys")
	v.Key(tcell.NewEventKey(tcell.KeyEscape, 0, tcell.ModNone))
	if v.HelpShown() {
		t.Errorf("help still shown after esc")
	}
}

// Every panel fits at 80×24 and nothing is drawn past the screen.
func TestDrawSmall(t *testing.T) {
	m := model.New(loadReplay(t))
	v := NewView(m)
	m.SeekTime(121e9)
	scr := draw(t, v, 80, 24)
	got := lines(scr)
	for _, want := range []string{"fabric", "detail", "events", "throughput", "15:00.000", "? help"} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("%q missing at 80×24:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

// Run on a simulation screen: keys go to the model, q quits and Run
// returns without error.
func TestRunQuits(t *testing.T) {
	r := loadReplay(t)
	scr := tcell.NewSimulationScreen("UTF-8")
	done := make(chan error, 1)
	go func() { done <- Run(r, Options{Screen: scr, Tick: 10 * time.Millisecond}) }()
	time.Sleep(100 * time.Millisecond)
	scr.InjectKey(tcell.KeyRune, 'n', tcell.ModNone)
	scr.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after q")
	}
}
