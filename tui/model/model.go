package model

import (
	"slices"
	"strings"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// Listener is told when the model changes (k9s style: the view listens, the
// model never knows how it is drawn).
type Listener interface {
	Changed()
}

// Speeds are the play speeds, in simulated time per real time.
var Speeds = []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

// KindFilters are the kind filters the log cycles through ("" is all);
// each is a prefix of event kinds.
var KindFilters = []string{"", "fault.", "link.", "bfd.", "bgp.session", "bgp.best", "bgp.", "fib.", "flow.", "pool."}

// SelKind says what the selection is.
type SelKind int

// What can be selected in the fabric.
const (
	SelRouter SelKind = iota
	SelLink
)

// Item is a selectable thing of the fabric: a router or a link, by index
// into the header's fabric.
type Item struct {
	Kind  SelKind
	Index int
}

// Model is the replay state a view draws: the cursor (a time and the number
// of events applied up to it), the state there, play speed, filters and the
// selected item. It never imports a UI package; methods are not safe for
// concurrent use (the view calls them from its one UI goroutine).
type Model struct {
	R *Replay

	t     int64        // cursor time
	n     int          // events applied: the cursor is after event n-1
	state *trace.State // the state after n events

	Playing bool
	speed   int // index into Speeds

	kindFilter int    // index into KindFilters
	subject    string // subject filter (substring), "" none
	match      []bool // per subject id, for the subject filter

	Items []Item // selectable items, in the order the fabric draws them
	sel   int

	listeners []Listener
}

// New returns a model with the cursor at the start (before any event).
func New(r *Replay) *Model {
	m := &Model{R: r, state: r.StateAfter(0), speed: 0}
	m.Items = FabricOrder(r.H.Fabric)
	m.SeekTime(0) // the state at t=0: the rates and loads the run starts with
	return m
}

// AddListener registers l.
func (m *Model) AddListener(l Listener) { m.listeners = append(m.listeners, l) }

func (m *Model) changed() {
	for _, l := range m.listeners {
		l.Changed()
	}
}

// T returns the cursor time.
func (m *Model) T() int64 { return m.t }

// N returns the number of events applied at the cursor.
func (m *Model) N() int { return m.n }

// State returns the network at the cursor (read-only for the caller).
func (m *Model) State() *trace.State { return m.state }

// Speed returns the play speed.
func (m *Model) Speed() float64 { return Speeds[m.speed] }

// moveTo sets the cursor to n events applied at time t, going forward from
// the current state when that is closer than a checkpoint.
func (m *Model) moveTo(n int, t int64) {
	n = max(0, min(n, m.R.Len()))
	switch {
	case n == m.n:
	case n > m.n && n-m.n <= m.R.k:
		m.R.Advance(m.state, m.n, n)
	default:
		m.state = m.R.StateAfter(n)
	}
	m.n, m.t = n, max(0, min(t, m.R.End()))
	m.changed()
}

// SeekTime moves the cursor to time t: every event at or before t applied.
func (m *Model) SeekTime(t int64) {
	t = max(0, min(t, m.R.End()))
	m.moveTo(m.R.Count(t), t)
}

// Step moves the cursor to the next event (d > 0) or back one event
// (d < 0): after Step(-1) the last applied event is the one before.
func (m *Model) Step(d int) {
	n := m.n + d
	n = max(0, min(n, m.R.Len()))
	t := int64(0)
	if n > 0 {
		t = m.R.T(n - 1)
	}
	m.moveTo(n, t)
}

// Advance plays: moves the cursor dt ns of real time at the play speed.
// At the end of the run it stops playing.
func (m *Model) Advance(realNS int64) {
	t := m.t + int64(float64(realNS)*m.Speed())
	if t >= m.R.End() {
		t, m.Playing = m.R.End(), false
	}
	m.SeekTime(t)
}

// TogglePlay starts or stops playing (at the end, play starts again from
// the start).
func (m *Model) TogglePlay() {
	m.Playing = !m.Playing
	if m.Playing && m.t >= m.R.End() {
		m.SeekTime(0)
	}
	m.changed()
}

// Faster and Slower change the play speed by one step of Speeds.
func (m *Model) Faster() { m.speed = min(m.speed+1, len(Speeds)-1); m.changed() }

// Slower: see Faster.
func (m *Model) Slower() { m.speed = max(m.speed-1, 0); m.changed() }

// NextFault moves the cursor to just after the next fault or repair
// strictly after the cursor time; PrevFault to the last one strictly
// before it. They report whether there was one.
func (m *Model) NextFault() bool {
	fs := m.R.Faults()
	i, _ := slices.BinarySearchFunc(fs, m.t, func(ev int, t int64) int { return cmp64(m.R.T(ev), t+1) })
	if i >= len(fs) {
		return false
	}
	m.SeekTime(m.R.T(fs[i]))
	return true
}

// PrevFault: see NextFault.
func (m *Model) PrevFault() bool {
	fs := m.R.Faults()
	i, _ := slices.BinarySearchFunc(fs, m.t, func(ev int, t int64) int { return cmp64(m.R.T(ev), t) })
	if i == 0 {
		return false
	}
	m.SeekTime(m.R.T(fs[i-1]))
	return true
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// KindFilter returns the kind filter ("" for all).
func (m *Model) KindFilter() string { return KindFilters[m.kindFilter] }

// CycleKindFilter moves to the next kind filter.
func (m *Model) CycleKindFilter() {
	m.kindFilter = (m.kindFilter + 1) % len(KindFilters)
	m.changed()
}

// SubjectFilter returns the subject filter.
func (m *Model) SubjectFilter() string { return m.subject }

// SetSubjectFilter keeps only events whose subject contains s ("" all).
func (m *Model) SetSubjectFilter(s string) {
	m.subject = s
	m.match = nil
	if s != "" {
		m.match = make([]bool, len(m.R.subjects))
		for i, name := range m.R.subjects {
			m.match[i] = strings.Contains(name, s)
		}
	}
	m.changed()
}

// ClearFilters removes both filters.
func (m *Model) ClearFilters() { m.kindFilter = 0; m.SetSubjectFilter("") }

// Matches reports whether event i passes the filters.
func (m *Model) Matches(i int) bool {
	if kf := KindFilters[m.kindFilter]; kf != "" && !strings.HasPrefix(m.R.Kind(i), kf) {
		return false
	}
	return m.match == nil || m.match[m.R.subj[i]]
}

// Log returns up to before events passing the filters at or before the
// cursor (oldest first) and up to after events past it: the log around
// the cursor. It scans at most limit events each way.
func (m *Model) Log(before, after int) (past, next []int) {
	const limit = 1 << 20
	for i := m.n - 1; i >= 0 && len(past) < before && m.n-i <= limit; i-- {
		if m.Matches(i) {
			past = append(past, i)
		}
	}
	slices.Reverse(past)
	for i := m.n; i < m.R.Len() && len(next) < after && i-m.n <= limit; i++ {
		if m.Matches(i) {
			next = append(next, i)
		}
	}
	return past, next
}

// Selected returns the selected item (ok false when the fabric is empty).
func (m *Model) Selected() (Item, bool) {
	if len(m.Items) == 0 {
		return Item{}, false
	}
	return m.Items[m.sel], true
}

// Select moves the selection by d items (wrapping).
func (m *Model) Select(d int) {
	if len(m.Items) == 0 {
		return
	}
	m.sel = ((m.sel+d)%len(m.Items) + len(m.Items)) % len(m.Items)
	m.changed()
}

// SelectItem selects it if it is selectable.
func (m *Model) SelectItem(it Item) {
	if i := slices.Index(m.Items, it); i >= 0 {
		m.sel = i
		m.changed()
	}
}
