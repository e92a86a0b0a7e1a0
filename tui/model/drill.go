package model

import (
	"fmt"
	"slices"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// Drill mode: the trace's drill checkpoints, and a branch compared with
// the original.

// DrillCheckpoints returns the indices of the drill.checkpoint events.
func (r *Replay) DrillCheckpoints() []int { return r.drill }

// NextCheckpoint moves the cursor to the next drill checkpoint strictly
// after the cursor time; PrevCheckpoint to the last one strictly before
// it. They report whether there was one.
func (m *Model) NextCheckpoint() bool {
	cs := m.R.drill
	i, _ := slices.BinarySearchFunc(cs, m.t, func(ev int, t int64) int { return cmp64(m.R.T(ev), t+1) })
	if i >= len(cs) {
		return false
	}
	m.SeekTime(m.R.T(cs[i]))
	return true
}

// PrevCheckpoint: see NextCheckpoint.
func (m *Model) PrevCheckpoint() bool {
	cs := m.R.drill
	i, _ := slices.BinarySearchFunc(cs, m.t, func(ev int, t int64) int { return cmp64(m.R.T(ev), t) })
	if i == 0 {
		return false
	}
	m.SeekTime(m.R.T(cs[i-1]))
	return true
}

// DiffRow is one metric of a branch comparison.
type DiffRow struct {
	Metric, Original, Branch string
}

// Diff compares a branch with the original at the end of both runs: per
// demand the bytes delivered and lost, per drill checkpoint its verdict,
// links down at the end; only the rows that differ. It also returns the
// first event index at which the traces differ (the branch's prefix equals
// the original's before it).
func Diff(orig, branch *Replay) (rows []DiffRow, firstDiff int) {
	a, b := orig.StateAfter(orig.Len()), branch.StateAfter(branch.Len())
	add := func(metric, x, y string) {
		if x != y {
			rows = append(rows, DiffRow{metric, x, y})
		}
	}
	for i, d := range a.H.Fabric.Demands {
		j, ok := b.DemandIndex(d.Name)
		if !ok {
			continue
		}
		_, dx, lx := a.Bytes(i, orig.End())
		_, dy, ly := b.Bytes(j, branch.End())
		add("delivered "+d.Name, FormatBytes(dx), FormatBytes(dy))
		add("lost "+d.Name, FormatBytes(sum(lx)), FormatBytes(sum(ly)))
	}
	add("links down at the end", fmt.Sprint(downLinks(a)), fmt.Sprint(downLinks(b)))
	verdicts := func(r *Replay) map[string]string {
		m := map[string]string{}
		for _, i := range r.drill {
			e := r.Event(i)
			v, _ := e.Get("passed")
			if p, _ := v.(bool); p {
				m[e.Subject] = "pass"
			} else {
				m[e.Subject] = "FAIL"
			}
		}
		return m
	}
	va, vb := verdicts(orig), verdicts(branch)
	for _, i := range orig.drill {
		id := orig.Subject(i)
		add("checkpoint "+id, va[id], vb[id])
	}
	firstDiff = min(orig.Len(), branch.Len())
	for i := 0; i < min(orig.Len(), branch.Len()); i++ {
		if !slices.Equal(orig.line(i), branch.line(i)) {
			firstDiff = i
			break
		}
	}
	return rows, firstDiff
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

func downLinks(s *trace.State) int {
	n := 0
	for _, l := range s.Links {
		if l.State != "up" {
			n++
		}
	}
	return n
}

// line returns event i's line (without its newline).
func (r *Replay) line(i int) []byte {
	end := int64(len(r.data))
	if i+1 < len(r.off) {
		end = r.off[i+1]
	}
	b := r.data[r.off[i]:end]
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return b
}
