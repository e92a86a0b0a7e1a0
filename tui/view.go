package tui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/rivo/tview"
)

// View composes the panels over one model. Its methods run on the UI
// goroutine only.
type View struct {
	m   *model.Model
	lay model.Layout

	Pages   *tview.Pages
	main    *tview.Flex
	bottom  *tview.Flex // footer or input
	footer  *tview.Box
	input   *tview.InputField
	inputOn string // "", "goto", "filter"
	help    *tview.TextView
	status  string // a one-line message (a bad time typed)

	detail   *tview.TextView // a TextView: it wraps long lines
	helpOpen bool
	focus    func(tview.Primitive) // the application's SetFocus, when running
}

// panel returns a bordered box titled title whose content is lines(w, h)
// at its inner size.
func panel(title string, lines func(w, h int) []string) *tview.Box {
	b := tview.NewBox().SetBorder(true).SetTitle(" " + title + " ").SetTitleAlign(tview.AlignLeft)
	b.SetBorderColor(tcell.ColorGray)
	b.SetDrawFunc(func(screen tcell.Screen, x, y, w, h int) (int, int, int, int) {
		ix, iy, iw, ih := x+1, y+1, w-2, h-2
		for i, line := range lines(iw, ih) {
			if i >= ih {
				break
			}
			tview.Print(screen, line, ix, iy+i, iw, tview.AlignLeft, tcell.ColorWhite)
		}
		return ix, iy, iw, ih
	})
	return b
}

// plain returns a borderless box drawing lines(w, h).
func plain(lines func(w, h int) []string) *tview.Box {
	b := tview.NewBox()
	b.SetDrawFunc(func(screen tcell.Screen, x, y, w, h int) (int, int, int, int) {
		for i, line := range lines(w, h) {
			if i >= h {
				break
			}
			tview.Print(screen, line, x, y+i, w, tview.AlignLeft, tcell.ColorWhite)
		}
		return x, y, w, h
	})
	return b
}

// Keys, as the footer and the help show them.
const footerKeys = "[yellow]␣[-] play [yellow]←→[-] step [yellow]+-[-] speed [yellow]n/p[-] fault [yellow]g[-] time [yellow]f[-] kind [yellow]/[-] subj [yellow]↑↓[-] sel [yellow]?[-] help [yellow]q[-] quit"

const helpText = `[::b]netdrill replay — keys[::-]

  space        play / pause (simulated time at the speed shown)
  → / l        next event          ← / h   previous event
  + / -        faster / slower     (1× … 1000× simulated time)
  n / p        next / previous fault or repair
  home / end   start / end of the run
  g            go to a time (2m30s, 2:30.5, 150)
  f            cycle the log's kind filter (fault, link, bfd, bgp, fib …)
  /            filter the log by subject (substring; empty clears)
  esc          clear the filters
  ↑ ↓ / tab    select a router or link for the detail pane
  ? / q        this help (? or esc closes it) / quit (also Ctrl-C)
[::b]colours[::-]
  links  [green]up[-]  [yellow]≥80% or degraded[-]  [orange]dropping[-]  [red]down[-]  [fuchsia]silent[-]  [purple]dark[-]
  facility  [black:gray] DARK [-:-] while a facility-down fault is active
  loss   [red]blackhole[-] [fuchsia]no-route[-] [orange]loop[-] [yellow]congestion[-] [purple]silent-link[-]
  timeline  [red]▼[-] fault  [green]▲[-] repair  ┃ cursor`

// NewView builds the screen for m.
func NewView(m *model.Model) *View {
	v := &View{m: m, lay: model.NewLayout(m.R.H.Fabric)}
	title := plain(func(w, h int) []string { return []string{v.titleLine()} })
	fabric := panel("fabric", func(w, h int) []string { return fabricLines(m, v.lay) })
	v.detail = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(true)
	v.detail.SetBorder(true).SetTitle(" detail ").SetTitleAlign(tview.AlignLeft).SetBorderColor(tcell.ColorGray)
	detail := v.detail
	logp := panel("events", func(w, h int) []string { return logLines(m, h) })
	flows := panel("throughput & load", func(w, h int) []string { return flowLines(m, w, h) })
	timeline := plain(func(w, h int) []string { return timelineLines(m, w) })
	v.footer = plain(func(w, h int) []string {
		if v.status != "" {
			return []string{"[red]" + tview.Escape(v.status) + "[-]  " + footerKeys}
		}
		return []string{footerKeys}
	})
	v.input = tview.NewInputField().SetFieldBackgroundColor(tcell.ColorDarkBlue)
	v.input.SetDoneFunc(v.inputDone)

	top := tview.NewFlex().AddItem(fabric, 0, 1, false).AddItem(detail, 0, 1, false)
	mid := tview.NewFlex().AddItem(logp, 0, 3, false).AddItem(flows, 0, 2, false)
	v.bottom = tview.NewFlex().AddItem(v.footer, 0, 1, false)
	v.main = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(title, 1, 0, false).
		AddItem(top, 0, 5, false).
		AddItem(mid, 0, 4, false).
		AddItem(timeline, 2, 0, false).
		AddItem(v.bottom, 1, 0, false)
	v.help = tview.NewTextView().SetDynamicColors(true).SetText(helpText)
	v.help.SetBorder(true).SetTitle(" help ")
	helpBox := tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).AddItem(v.help, 22, 0, true).AddItem(nil, 0, 1, false), 80, 0, true).
		AddItem(nil, 0, 1, false)
	m.AddListener(v)
	v.Changed()
	v.Pages = tview.NewPages().AddPage("main", v.main, true, true).AddPage("help", helpBox, true, false)
	return v
}

// Changed is the model listener: panels drawn by functions need nothing,
// the detail pane gets its text again.
func (v *View) Changed() {
	v.detail.SetText(strings.Join(detailLines(v.m), "\n")).ScrollToBeginning()
}

func (v *View) titleLine() string {
	m := v.m
	play := "[yellow]⏸ paused[-]"
	if m.Playing {
		play = "[green]▶ playing[-]"
	}
	filt := ""
	if k := m.KindFilter(); k != "" {
		filt += " kind=" + k
	}
	if s := m.SubjectFilter(); s != "" {
		filt += " subject=" + tview.Escape(s)
	}
	if filt != "" {
		filt = " [aqua]filter" + filt + "[-]"
	}
	faults := ""
	if fs := m.State().Faults; len(fs) > 0 {
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.ID)
		}
		faults = " [red]active " + tview.Escape(strings.Join(ids, ",")) + "[-]"
	}
	return fmt.Sprintf("t=[white::b]%s[-::-]/%s %s %g× ev %d/%d%s%s [::b]%s[::-]",
		model.FormatT(m.T()), model.FormatT(m.R.End()), play, m.Speed(), m.N(), m.R.Len(), faults, filt, tview.Escape(m.R.H.Scenario))
}

// HelpShown reports whether the help is open.
func (v *View) HelpShown() bool { return v.helpOpen }

// Key handles a key outside an input field. It returns false for quit.
func (v *View) Key(ev *tcell.EventKey) (quit bool) {
	m := v.m
	v.status = ""
	if v.helpOpen {
		if ev.Key() == tcell.KeyEscape || ev.Rune() == '?' || ev.Rune() == 'q' {
			v.showHelp(false)
		}
		return false
	}
	switch ev.Key() {
	case tcell.KeyRight:
		m.Step(1)
	case tcell.KeyLeft:
		m.Step(-1)
	case tcell.KeyUp, tcell.KeyBacktab:
		m.Select(-1)
	case tcell.KeyDown, tcell.KeyTab:
		m.Select(1)
	case tcell.KeyHome:
		m.SeekTime(0)
	case tcell.KeyEnd:
		m.SeekTime(m.R.End())
	case tcell.KeyEscape:
		m.ClearFilters()
	case tcell.KeyRune:
		switch ev.Rune() {
		case 'q':
			return true
		case ' ':
			m.TogglePlay()
		case 'l':
			m.Step(1)
		case 'h':
			m.Step(-1)
		case 'k':
			m.Select(-1)
		case 'j':
			m.Select(1)
		case '+', '=':
			m.Faster()
		case '-', '_':
			m.Slower()
		case 'n':
			if !m.NextFault() {
				v.status = "no fault after the cursor"
			}
		case 'p':
			if !m.PrevFault() {
				v.status = "no fault before the cursor"
			}
		case 'f':
			m.CycleKindFilter()
		case 'g':
			v.openInput("goto", "go to time: ", "")
		case '/':
			v.openInput("filter", "subject: ", m.SubjectFilter())
		case '?':
			v.showHelp(true)
		}
	}
	return false
}

func (v *View) showHelp(on bool) {
	v.helpOpen = on
	if on {
		v.Pages.ShowPage("help")
	} else {
		v.Pages.HidePage("help")
	}
}

// InputActive reports whether an input field has the keys.
func (v *View) InputActive() bool { return v.inputOn != "" }

func (v *View) openInput(what, label, text string) {
	v.inputOn = what
	v.input.SetLabel(label).SetText(text)
	v.bottom.Clear().AddItem(v.input, 0, 1, true)
	if v.focus != nil {
		v.focus(v.input)
	}
}

func (v *View) inputDone(key tcell.Key) {
	what, text := v.inputOn, v.input.GetText()
	v.inputOn = ""
	v.bottom.Clear().AddItem(v.footer, 0, 1, false)
	if v.focus != nil {
		v.focus(v.Pages)
	}
	if key != tcell.KeyEnter {
		return
	}
	switch what {
	case "goto":
		t, err := model.ParseT(text)
		if err != nil {
			v.status = err.Error()
			return
		}
		v.m.SeekTime(t)
	case "filter":
		v.m.SetSubjectFilter(strings.TrimSpace(text))
	}
}
