package tui

import (
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/netdrill/netdrill/tui/model"
	"github.com/rivo/tview"
)

// Options tune Run.
type Options struct {
	// Screen to draw on; nil opens the terminal. Tests pass tcell's
	// simulation screen.
	Screen tcell.Screen
	// Tick is the play refresh period (default 100ms of real time).
	Tick time.Duration
}

// Run replays r until the user quits (q, Ctrl-C). The terminal is restored
// on return, also after an error or a panic (tview finalises the screen
// before re-panicking).
func Run(r *model.Replay, opt Options) error {
	if opt.Tick <= 0 {
		opt.Tick = 100 * time.Millisecond
	}
	m := model.New(r)
	v := NewView(m)
	app := tview.NewApplication()
	if opt.Screen != nil {
		app.SetScreen(opt.Screen)
	}
	v.focus = func(p tview.Primitive) { app.SetFocus(p) }
	app.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if v.InputActive() {
			return ev // to the input field
		}
		if ev.Key() == tcell.KeyCtrlC {
			app.Stop()
			return nil
		}
		if v.Key(ev) {
			app.Stop()
		}
		return nil
	})
	app.SetRoot(v.Pages, true)

	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(opt.Tick)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				dt := now.Sub(last)
				last = now
				app.QueueUpdateDraw(func() {
					if m.Playing {
						m.Advance(int64(dt))
					}
				})
			}
		}
	}()
	return app.Run()
}
