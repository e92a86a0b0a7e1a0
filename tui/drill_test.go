package tui

import (
	"os"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/netdrill/netdrill/tui/model"
)

// testdata/drill.jsonl is the trace of examples/drills/
// facility-loss-during-drain.toml; drill-branch.jsonl the same drill with
// a repair of fac1-lost added at 3:30 (the during-outage checkpoint).
func loadFile(t *testing.T, name string) (*model.Replay, []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := model.FromBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	return r, data
}

func key(r rune) *tcell.EventKey { return tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone) }

// Drill mode: c steps from checkpoint to checkpoint with the narrative and
// the measured values in the detail pane; C goes back.
func TestDrillCheckpoints(t *testing.T) {
	r, _ := loadFile(t, "drill.jsonl")
	m := model.New(r)
	v := NewView(m)
	v.Key(key('c'))
	if m.T() != 120e9 {
		t.Fatalf("first checkpoint at %d, want 2:00", m.T())
	}
	scr := draw(t, v, 160, 48)
	find(t, scr, "checkpoint drained PASS at 2:00.000")
	find(t, scr, "Facility 2 is drained")
	v.Key(key('c'))
	v.Key(key('c'))
	if m.T() != 630e9 {
		t.Fatalf("third checkpoint at %d, want 10:30", m.T())
	}
	v.Key(key('c'))
	if !strings.Contains(v.status, "no drill checkpoint after") {
		t.Errorf("status %q after the last checkpoint", v.status)
	}
	v.Key(key('C'))
	if m.T() != 210e9 {
		t.Errorf("previous checkpoint at %d, want 3:30", m.T())
	}
}

// Branch here: b offers the choices at the cursor, enter runs the branch
// through the callback (the terminal UI never simulates) and shows the
// metrics that differ, with the event where the traces part.
func TestDrillBranchHere(t *testing.T) {
	r, _ := loadFile(t, "drill.jsonl")
	_, branch := loadFile(t, "drill-branch.jsonl")
	m := model.New(r)
	v := NewView(m)
	var asked int64 = -1
	v.opt = Options{
		BranchChoices: func(t int64) []BranchChoice {
			return []BranchChoice{{Label: "drain aws-gcp-aws-r1"}, {Label: "repair fac1-lost", Value: "fac1"}}
		},
		Branch: func(t int64, c BranchChoice) ([]byte, error) {
			asked = t
			if c.Value != "fac1" {
				return nil, os.ErrInvalid
			}
			return branch, nil
		},
	}
	m.SeekTime(210e9)
	v.Key(key('b'))
	scr := draw(t, v, 160, 48)
	find(t, scr, "branch at 3:30.000: drain aws-gcp-aws-r1 (1/2)")
	v.Key(tcell.NewEventKey(tcell.KeyRight, 0, tcell.ModNone))
	v.Key(tcell.NewEventKey(tcell.KeyEnter, 0, tcell.ModNone))
	if asked != 210e9 {
		t.Fatalf("branch asked at %d, want the cursor 3:30", asked)
	}
	scr = draw(t, v, 160, 48)
	find(t, scr, "repair fac1-lost at 3:30.000")
	find(t, scr, "lost replication")
	find(t, scr, "delivered replication")
	if os.Getenv("SHOW") != "" {
		t.Log(strings.Join(lines(scr), "\n"))
	}
	if b := v.branch; b.First >= b.Last.Len() || r.T(b.First) < 210e9 {
		t.Errorf("traces part at event %d (t=%d), want at or after the cursor", b.First, r.T(b.First))
	}
	v.Key(tcell.NewEventKey(tcell.KeyEscape, 0, tcell.ModNone))
	if v.branch.open {
		t.Errorf("esc did not close the comparison")
	}
}
