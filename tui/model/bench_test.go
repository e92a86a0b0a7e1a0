package model

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// longTrace writes (once) a synthetic trace of n events over the fabric of
// the facility-loss fixture: 30 days of random channel failures and
// repairs with the events they cause (link and BFD states, session
// changes, best-path and FIB changes, flow rates, link and pool loads).
var longTrace = struct {
	once sync.Once
	path string
	err  error
}{}

const benchEvents = 1_200_000

func longTracePath(b *testing.B) string {
	longTrace.once.Do(func() {
		f, err := os.Open(fixtures[0])
		if err != nil {
			longTrace.err = err
			return
		}
		h, _, err := trace.Read(f)
		f.Close()
		if err != nil {
			longTrace.err = err
			return
		}
		dir, err := os.MkdirTemp("", "netdrill-bench")
		if err != nil {
			longTrace.err = err
			return
		}
		longTrace.path = filepath.Join(dir, "long.jsonl")
		longTrace.err = writeLong(longTrace.path, h, benchEvents)
	})
	if longTrace.err != nil {
		b.Fatal(longTrace.err)
	}
	return longTrace.path
}

func writeLong(path string, h trace.Header, n int) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	bw := bufio.NewWriterSize(out, 1<<20)
	rng := rand.New(rand.NewPCG(7, 7))
	fab := h.Fabric
	var links, sessions []int
	for i, l := range fab.Links {
		if !l.Internal {
			links = append(links, i)
		}
	}
	for i, s := range fab.Sessions {
		if !s.Internal {
			sessions = append(sessions, i)
		}
	}
	// Fix the duration after generating: ~1.2M events at ~2 s apart.
	step := int64(2e9)
	h.DurationNS = int64(n+10) * step
	w, err := trace.NewWriter(bw, h)
	if err != nil {
		return err
	}
	t := int64(0)
	fault := 0
	states := []string{"down", "up", "silent", "up", "degraded", "up"}
	for i := 0; i < n; i++ {
		t += rng.Int64N(2 * step)
		l := fab.Links[links[rng.IntN(len(links))]]
		s := fab.Sessions[sessions[rng.IntN(len(sessions))]]
		var e trace.Event
		switch i % 10 {
		case 0:
			fault++
			kind := trace.KindFaultInject
			if fault%2 == 0 {
				kind = trace.KindFaultRepair
			}
			e = trace.Event{T: t, Kind: kind, Subject: "f" + itoa((fault+1)/2), Details: []trace.Field{
				{Key: "fault", Value: "link-down"}, {Key: "target", Value: l.Name},
				{Key: "links", Value: []string{l.Name}}, {Key: "routers", Value: []string{}}}}
		case 1:
			e = trace.Event{T: t, Kind: trace.KindLinkState, Subject: l.Name, Details: []trace.Field{
				{Key: "state", Value: states[rng.IntN(len(states))]}, {Key: "reason", Value: "fault"}}}
		case 2:
			e = trace.Event{T: t, Kind: trace.KindBFDState, Subject: s.Name, Details: []trace.Field{
				{Key: "router", Value: s.A}, {Key: "peer", Value: s.B}, {Key: "state", Value: "down"}, {Key: "reason", Value: "detect-timeout"}}}
		case 3:
			e = trace.Event{T: t, Kind: trace.KindBGPSession, Subject: s.Name, Details: []trace.Field{
				{Key: "router", Value: s.A}, {Key: "peer", Value: s.B}, {Key: "link", Value: s.Link},
				{Key: "from", Value: "established"}, {Key: "state", Value: "idle"}, {Key: "reason", Value: "bfd-down"}}}
		case 4, 5:
			e = trace.Event{T: t, Kind: trace.KindBGPBest, Subject: s.A, Details: []trace.Field{
				{Key: "prefix", Value: "10.2.0.0/16"}, {Key: "nexthops", Value: []string{s.B}}, {Key: "rule", Value: "router-id"}}}
		case 6:
			e = trace.Event{T: t, Kind: trace.KindFIBChange, Subject: s.A, Details: []trace.Field{
				{Key: "prefix", Value: "10.2.0.0/16"}, {Key: "nexthops", Value: []string{s.B}}}}
		case 7:
			d := fab.Demands[0]
			lost := float64(rng.IntN(4)) * 1e9
			e = trace.Event{T: t, Kind: trace.KindFlowRate, Subject: d.Name, Details: []trace.Field{
				{Key: "offered", Value: d.RateBPS}, {Key: "delivered", Value: d.RateBPS - lost}, {Key: "congestion", Value: lost}}}
		case 8:
			e = trace.Event{T: t, Kind: trace.KindLinkLoad, Subject: l.Name, Details: []trace.Field{
				{Key: "load", Value: float64(rng.IntN(10)) * 1e9}, {Key: "capacity", Value: l.CapacityBPS}, {Key: "dropped", Value: 0.0}}}
		case 9:
			p := fab.Pools[0]
			e = trace.Event{T: t, Kind: trace.KindPoolLoad, Subject: p.Name, Details: []trace.Field{
				{Key: "load", Value: float64(rng.IntN(40)) * 1e9}, {Key: "capacity", Value: p.CapacityBPS},
				{Key: "background", Value: 16e9}, {Key: "dropped", Value: 0.0}}}
		}
		if err := w.Write(e); err != nil {
			return err
		}
	}
	if _, err := w.End(h.DurationNS, h.Scenario); err != nil {
		return err
	}
	return bw.Flush()
}

func itoa(i int) string {
	const d = "0123456789"
	if i < 10 {
		return d[i : i+1]
	}
	return itoa(i/10) + d[i%10:i%10+1]
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkSeek: seek to a random time of a 1.2M-event trace (from the
// nearest checkpoint). Reports the replay's live heap over the file size,
// the load time (read, validate, index, checkpoint), and, as the baseline
// measured in the same run, a fold from the start to a random time (what a
// seek costs without checkpoints). Writing the trace takes a while: run it
// alone, e.g. go test ./tui/model -run - -bench Seek -benchtime 100x.
func BenchmarkSeek(b *testing.B) {
	path := longTracePath(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	before := heap()
	start := time.Now()
	r, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	mem := heap() - before
	m := New(r)
	rng := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.SeekTime(rng.Int64N(r.End()))
	}
	b.StopTimer()
	b.ReportMetric(float64(mem)/float64(st.Size()), "heap/file")
	b.ReportMetric(float64(r.Len()), "events")
	b.ReportMetric(float64(st.Size())/1e6, "file-MB")
	b.ReportMetric(load.Seconds(), "load-s")
	// The baseline, in the same run: the same seek as a fold from the
	// start without checkpoints (three random times, mean).
	start = time.Now()
	for i := 0; i < 3; i++ {
		s := trace.NewState(r.H)
		r.Advance(s, 0, r.Count(rng.Int64N(r.End())))
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/3, "baseline-ns/op")
	runtime.KeepAlive(r)
}
