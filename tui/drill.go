package tui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/rivo/tview"
)

// branchState is "branch here": choosing a step, then the comparison.
type branchState struct {
	choosing bool
	choices  []BranchChoice
	sel      int
	at       int64
	open     bool // the comparison page is shown
	view     *tview.TextView
	// Last is the last branch run (for tests): its replay and comparison.
	Last  *model.Replay
	Rows  []model.DiffRow
	First int
}

// checkpointLines shows the last drill checkpoint at or before the cursor.
func checkpointLines(m *model.Model) []string {
	c := m.State().Checkpoint
	if c == nil {
		return nil
	}
	verdict := "[green]PASS[-]"
	if !c.Passed {
		verdict = "[red]FAIL[-]"
	}
	out := []string{fmt.Sprintf("[::b]checkpoint %s[::-] %s at %s", tview.Escape(c.ID), verdict, model.FormatT(c.T))}
	if c.Narrative != "" {
		out = append(out, tview.Escape(c.Narrative))
	}
	for _, s := range c.Measured {
		out = append(out, "  "+tview.Escape(s))
	}
	return append(out, "")
}

func (v *View) openBranch() {
	if v.opt.Branch == nil || v.opt.BranchChoices == nil {
		v.status = "branching needs a drill run (netdrill drill --tui)"
		return
	}
	v.branch.at = v.m.T()
	v.branch.choices = v.opt.BranchChoices(v.branch.at)
	if len(v.branch.choices) == 0 {
		v.status = "nothing to branch with at this time"
		return
	}
	v.branch.choosing, v.branch.sel = true, 0
}

func (v *View) branchPrompt() string {
	b := &v.branch
	return fmt.Sprintf("[yellow]branch at %s:[-] [::b]%s[::-] (%d/%d) [yellow]←→[-] choose [yellow]enter[-] run [yellow]esc[-] cancel",
		model.FormatT(b.at), tview.Escape(b.choices[b.sel].Label), b.sel+1, len(b.choices))
}

// branchKey handles keys while choosing a branch or looking at one; it
// reports whether it took the key.
func (v *View) branchKey(ev *tcell.EventKey) bool {
	b := &v.branch
	switch {
	case b.open:
		if ev.Key() == tcell.KeyEscape || ev.Rune() == 'q' || ev.Rune() == 'b' {
			b.open = false
			v.Pages.HidePage("branch")
		}
		return true
	case !b.choosing:
		return false
	}
	switch ev.Key() {
	case tcell.KeyRight, tcell.KeyDown:
		b.sel = (b.sel + 1) % len(b.choices)
	case tcell.KeyLeft, tcell.KeyUp:
		b.sel = (b.sel - 1 + len(b.choices)) % len(b.choices)
	case tcell.KeyEscape:
		b.choosing = false
	case tcell.KeyEnter:
		b.choosing = false
		v.runBranch(b.choices[b.sel])
	}
	return true
}

// runBranch runs the chosen branch and shows it beside the original.
func (v *View) runBranch(c BranchChoice) {
	b := &v.branch
	data, err := v.opt.Branch(b.at, c)
	if err != nil {
		v.status = "branch: " + err.Error()
		return
	}
	r, err := model.FromBytes(data)
	if err != nil {
		v.status = "branch: " + err.Error()
		return
	}
	b.Last = r
	b.Rows, b.First = model.Diff(v.m.R, r)
	var sb strings.Builder
	fmt.Fprintf(&sb, "[::b]%s at %s[::-], re-simulated from the same seed (%d events; the original has %d).\n",
		tview.Escape(c.Label), model.FormatT(b.at), r.Len(), v.m.R.Len())
	fmt.Fprintf(&sb, "The traces are identical up to event %d", b.First)
	if b.First < r.Len() {
		fmt.Fprintf(&sb, " (t=%s)", model.FormatT(r.T(b.First)))
	}
	sb.WriteString(".\n\n")
	if len(b.Rows) == 0 {
		sb.WriteString("No metric differs.\n")
	} else {
		fmt.Fprintf(&sb, "%-34s %16s %16s\n", "metric", "original", "branch")
		for _, row := range b.Rows {
			fmt.Fprintf(&sb, "%-34s %16s %16s\n", tview.Escape(row.Metric), row.Original, row.Branch)
		}
	}
	b.view.SetText(sb.String())
	b.open = true
	v.Pages.ShowPage("branch")
}
