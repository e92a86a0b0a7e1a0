package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netdrill/netdrill/sim"
	"golang.org/x/term"
)

// defaultWidth is the summary's width when stdout is not a terminal and
// COLUMNS is not set.
const defaultWidth = 100

// display is how output is rendered: its width and whether it is coloured.
type display struct {
	width    int
	color    bool
	progress bool // stderr is a terminal: progress lines may be drawn
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newDisplay decides the rendering for stdout and stderr.
//
// Width: the terminal's when stdout is one, else $COLUMNS when set, else
// 100 columns. Colour (--color): "auto" colours a terminal unless NO_COLOR
// is set (https://no-color.org) or TERM=dumb; "always" and "never" force
// it. Piped output is plain.
func newDisplay(colorFlag string, stdout, stderr io.Writer, getenv func(string) string) (display, error) {
	d := display{width: defaultWidth, progress: isTerminal(stderr)}
	tty := isTerminal(stdout)
	if tty {
		if w, _, err := term.GetSize(int(stdout.(*os.File).Fd())); err == nil && w > 0 {
			d.width = w
		}
	} else if c, err := strconv.Atoi(getenv("COLUMNS")); err == nil && c > 0 {
		d.width = c
	}
	switch colorFlag {
	case "auto", "":
		d.color = tty && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	case "always":
		d.color = true
	case "never":
		d.color = false
	default:
		return d, fmt.Errorf("--color %q: want auto, always or never", colorFlag)
	}
	return d, nil
}

// progressLine draws one self-erasing line on a terminal's stderr for
// work longer than progressAfter; nothing otherwise.
type progressLine struct {
	w       io.Writer
	on      bool
	width   int // columns the line may take
	started time.Time
	last    time.Time
	drawn   bool
	mu      sync.Mutex
}

const progressAfter = 2 * time.Second

func newProgressLine(w io.Writer, on bool) *progressLine {
	p := &progressLine{w: w, on: on, started: time.Now(), width: defaultWidth}
	if f, ok := w.(*os.File); ok && on {
		if c, _, err := term.GetSize(int(f.Fd())); err == nil && c > 0 {
			p.width = c
		}
	}
	return p
}

// show redraws the line with msg, at most 10 times a second, once the work
// has taken progressAfter.
func (p *progressLine) show(msg string) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.started) < progressAfter || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.drawn = now, true
	line := fmt.Sprintf("%s  (%s elapsed)", msg, now.Sub(p.started).Truncate(100*time.Millisecond))
	if r := []rune(line); len(r) > p.width-1 {
		line = string(r[:max(p.width-2, 1)]) + "…"
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

// clear erases the line (before other output, and at the end).
func (p *progressLine) clear() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// simProgress is the run's progress callback: a bar of scenario time.
func (p *progressLine) simProgress(name string) func(done, total sim.Time) {
	return func(done, total sim.Time) {
		if total <= 0 {
			return
		}
		frac := float64(done) / float64(total)
		const n = 24
		k := int(frac * n)
		bar := strings.Repeat("█", k) + strings.Repeat("░", n-k)
		p.show(fmt.Sprintf("%s %3.0f%%  %v / %v simulated  %s", bar, 100*frac, done, total, name))
	}
}
