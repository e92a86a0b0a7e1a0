package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
)

// A run never mutates its inputs: the same *Scenario (with random faults
// and extra steps) run from 8 goroutines at once gives, under -race, the
// traces of sequential runs.
func TestRunConcurrentSameScenario(t *testing.T) {
	sc, err := Load("../examples/scenarios/random-channel-failures.toml")
	if err != nil {
		t.Fatal(err)
	}
	facility, err := Load("../examples/scenarios/facility-loss-at-peak.toml")
	if err != nil {
		t.Fatal(err)
	}
	sc.Faults = append(sc.Faults, facility.Faults...) // scripted and random together
	sc.Faults = slices.Grow(sc.Faults, 4)             // spare capacity: an append by a run would race
	jobs := make([]Job, 8)
	for i := range jobs {
		jobs[i] = Job{Name: fmt.Sprint(i), Scenario: sc, Seed: uint64(i % 3)}
	}
	want := make([][]byte, len(jobs))
	for i, j := range jobs {
		r, err := RunJob(j, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r.Trace
	}
	before := len(sc.Faults)
	var wg sync.WaitGroup
	got := make([][]byte, len(jobs))
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := RunJob(jobs[i], Options{})
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = r.Trace
		}()
	}
	wg.Wait()
	if len(sc.Faults) != before {
		t.Fatalf("the scenario's faults changed: %d → %d", before, len(sc.Faults))
	}
	for i := range jobs {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("job %d: concurrent trace differs from the sequential one", i)
		}
	}
	if bytes.Equal(want[0], want[1]) {
		t.Error("seeds 0 and 1 gave the same trace: the job's seed is not used")
	}
}

type bufCloser struct{ bytes.Buffer }

func (b *bufCloser) Close() error { return nil }

// RunAll returns results in job order and calls Done in job order, whatever
// the worker count; the streamed traces equal in-memory ones.
func TestRunAllOrderAndWorkers(t *testing.T) {
	var jobs []Job
	for _, f := range []string{"facility-loss-at-peak", "silent-midspan-bfd", "maintenance-drain", "pool-exhausted-by-neighbour", "shared-conduit-cut"} {
		sc, err := Load("../examples/scenarios/" + f + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, JobFor(sc))
	}
	run := func(workers int) ([]string, [][]byte) {
		var order []string
		bufs := make([]*bufCloser, len(jobs))
		rs := RunAll(context.Background(), jobs, RunAllOptions{
			Workers: workers, Keep: true,
			TraceFor: func(i int, _ Job) (io.WriteCloser, error) { bufs[i] = &bufCloser{}; return bufs[i], nil },
			Done:     func(i int, r JobResult) { order = append(order, fmt.Sprint(i, r.Err)) },
		})
		traces := make([][]byte, len(jobs))
		for i, r := range rs {
			if r.Err != nil || r.Result == nil {
				t.Fatalf("job %d: %v", i, r.Err)
			}
			traces[i] = bufs[i].Bytes()
		}
		return order, traces
	}
	o1, t1 := run(1)
	o4, t4 := run(4)
	if fmt.Sprint(o1) != fmt.Sprint(o4) {
		t.Errorf("Done order differs: %v vs %v", o1, o4)
	}
	for i := range jobs {
		if !bytes.Equal(t1[i], t4[i]) {
			t.Errorf("job %d: trace differs between 1 and 4 workers", i)
		}
		r, err := RunJob(jobs[i], Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Trace, t1[i]) {
			t.Errorf("job %d: streamed trace differs from the in-memory one", i)
		}
	}
}

func TestRunAllCancelled(t *testing.T) {
	sc, err := Load("../examples/scenarios/facility-loss-at-peak.toml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rs := RunAll(ctx, []Job{JobFor(sc), JobFor(sc)}, RunAllOptions{Workers: 2})
	for i, r := range rs {
		if r.Err == nil {
			t.Errorf("job %d ran after cancellation", i)
		}
	}
}

func TestParseShard(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		in   string
		env  map[string]string
		want Shard
		err  bool
	}{
		{"", nil, Shard{}, false},
		{"1/1", nil, Shard{1, 1}, false},
		{"2/8", nil, Shard{2, 8}, false},
		{"0/8", nil, Shard{}, true},
		{"9/8", nil, Shard{}, true},
		{"a/b", nil, Shard{}, true},
		{"3", nil, Shard{}, true},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETION_COUNT": "4"}, Shard{1, 4}, false},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "3", "JOB_COMPLETION_COUNT": "4"}, Shard{4, 4}, false},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "4", "JOB_COMPLETION_COUNT": "4"}, Shard{}, true},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "1"}, Shard{}, true},
	} {
		got, err := parseShard(c.in, env(c.env))
		if (err != nil) != c.err || got != c.want {
			t.Errorf("parseShard(%q, %v) = %v, %v; want %v, err %v", c.in, c.env, got, err, c.want, c.err)
		}
	}
	// Shards partition the jobs.
	seen := map[int]int{}
	for i := 1; i <= 3; i++ {
		for _, k := range (Shard{i, 3}).Select(10) {
			seen[k]++
		}
	}
	for k := 0; k < 10; k++ {
		if seen[k] != 1 {
			t.Errorf("job %d is in %d shards", k, seen[k])
		}
	}
}
