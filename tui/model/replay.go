package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// Replay is a whole trace, validated, kept as its bytes with a small index
// per event (line offset, time, kind, subject) and the folded state every K
// events. Events are parsed again on demand, so memory is the file plus
// about 21 bytes per event plus the checkpoints.
type Replay struct {
	H trace.Header

	data []byte
	off  []int64  // start of event i's line in data
	t    []int64  // event i's time
	kind []uint8  // index into trace.Kinds
	subj []uint32 // index into subjects

	subjects []string
	r        *trace.Reader // for ParseLine (its intern table)

	k   int            // checkpoint interval
	cps []*trace.State // cps[j]: the state after the first j*k events

	faults []int    // indices of fault.inject and fault.repair events
	Series []Series // per demand of the header, its flow.rate points
	end    int64    // run end (the header's duration)
	causes []string
}

// Point is a demand's rates from T to the next point.
type Point struct {
	T                  int64
	Offered, Delivered float64
	Cause              int8 // the largest loss cause (index into Causes), -1 none
}

// Series is one demand's rate history.
type Series struct {
	Name   string
	Points []Point
}

// CheckpointEvery is the default checkpoint interval in events.
const CheckpointEvery = 1024

// Load reads and validates the trace at path. The error is one line naming
// the file and, for a bad trace, the line.
func Load(path string) (*Replay, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := FromBytes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// FromBytes validates a whole trace (header, every line, the run.end
// trailer's count and hash) and indexes it. It keeps data.
func FromBytes(data []byte) (*Replay, error) {
	return fromBytes(data, CheckpointEvery)
}

func fromBytes(data []byte, k int) (*Replay, error) {
	tr, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	h := tr.Header()
	if h.Fabric == nil {
		return nil, errors.New("trace: line 1: the header has no fabric to draw")
	}
	rp := &Replay{H: h, data: data, r: tr, k: k, end: h.DurationNS}
	kindIdx := map[string]uint8{}
	for i, kd := range trace.Kinds {
		kindIdx[kd] = uint8(i)
	}
	subjIdx := map[string]uint32{}
	st := trace.NewState(h)
	rp.cps = append(rp.cps, st.Clone())
	for _, d := range h.Fabric.Demands {
		rp.Series = append(rp.Series, Series{Name: d.Name})
	}
	// Line offsets: the header is line 1; event i is line i+2.
	pos := bytes.IndexByte(data, '\n') + 1
	for {
		e, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		i := len(rp.t)
		rp.off = append(rp.off, int64(pos))
		if nl := bytes.IndexByte(data[pos:], '\n'); nl >= 0 {
			pos += nl + 1
		} else {
			pos = len(data)
		}
		rp.t = append(rp.t, e.T)
		rp.kind = append(rp.kind, kindIdx[e.Kind])
		id, ok := subjIdx[e.Subject]
		if !ok {
			id = uint32(len(rp.subjects))
			subjIdx[e.Subject] = id
			rp.subjects = append(rp.subjects, e.Subject)
		}
		rp.subj = append(rp.subj, id)
		switch e.Kind {
		case trace.KindFaultInject, trace.KindFaultRepair:
			rp.faults = append(rp.faults, i)
		}
		st.Apply(e)
		if e.Kind == trace.KindFlowRate {
			if d, ok := st.DemandIndex(e.Subject); ok {
				ds := st.Demands[d]
				p := Point{T: e.T, Offered: ds.Offered, Delivered: ds.Delivered, Cause: -1}
				var worst float64
				for c, v := range ds.Loss {
					if v > worst {
						worst, p.Cause = v, int8(c)
					}
				}
				rp.Series[d].Points = append(rp.Series[d].Points, p)
			}
		}
		if (i+1)%k == 0 {
			rp.cps = append(rp.cps, st.Clone())
		}
	}
	rp.causes = st.Causes
	return rp, nil
}

// Len returns the number of events (the run.end trailer included).
func (r *Replay) Len() int { return len(r.t) }

// End returns the time the run ends.
func (r *Replay) End() int64 { return r.end }

// Causes returns the loss causes of the whole trace, in order of first
// appearance (the index Point.Cause refers to).
func (r *Replay) Causes() []string { return r.causes }

// T returns event i's time.
func (r *Replay) T(i int) int64 { return r.t[i] }

// Kind returns event i's kind.
func (r *Replay) Kind(i int) string { return trace.Kinds[r.kind[i]] }

// Subject returns event i's subject.
func (r *Replay) Subject(i int) string { return r.subjects[r.subj[i]] }

// Event parses event i again from the trace bytes (validated at load).
func (r *Replay) Event(i int) trace.Event {
	end := int64(len(r.data))
	if i+1 < len(r.off) {
		end = r.off[i+1]
	}
	line := bytes.TrimRight(r.data[r.off[i]:end], "\r\n")
	e, err := r.r.ParseLine(line)
	if err != nil { // cannot happen: the line parsed at load
		panic(fmt.Sprintf("model: event %d no longer parses: %v", i, err))
	}
	return e
}

// Count returns the number of events at or before time t (the index of the
// first event after t). O(log n).
func (r *Replay) Count(t int64) int {
	return sort.Search(len(r.t), func(i int) bool { return r.t[i] > t })
}

// StateAfter returns a fresh state after the first n events: the nearest
// checkpoint at or before n, cloned, then at most K events parsed and
// applied. O(size of the state + K).
func (r *Replay) StateAfter(n int) *trace.State {
	n = max(0, min(n, len(r.t)))
	j := min(n/r.k, len(r.cps)-1)
	s := r.cps[j].Clone()
	r.Advance(s, j*r.k, n)
	return s
}

// Advance applies events from..to-1 to s (which is the state after from
// events).
func (r *Replay) Advance(s *trace.State, from, to int) {
	for i := from; i < to; i++ {
		s.Apply(r.Event(i))
	}
}

// Checkpoints returns how many checkpoints are kept and their interval.
func (r *Replay) Checkpoints() (n, every int) { return len(r.cps), r.k }

// Faults returns the indices of the fault.inject and fault.repair events.
func (r *Replay) Faults() []int { return r.faults }
