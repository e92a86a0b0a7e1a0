package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/netdrill/netdrill/faults"
)

// Job is one run as a value: a scenario (never mutated), the seed its engine
// is built with, and extra steps (faults or operator actions) added to the
// scenario's own. Planners — check, sweep, chaos, a drill branch — make jobs;
// RunAll runs them. The same job always gives the same trace.
type Job struct {
	// Name labels the job in outputs (a scenario file, a failure set, a trial).
	Name     string
	Scenario *Scenario
	Seed     uint64
	// Steps are added to the scenario's faults (their IDs must not collide
	// with the scenario's; planners use their own prefix).
	Steps []faults.Fault
}

// JobFor is the job that runs sc as written: its own seed, no extra steps.
func JobFor(sc *Scenario) Job {
	return Job{Name: sc.File, Scenario: sc, Seed: sc.Seed}
}

// JobResult is what one job of RunAll gave: a result or the error that kept
// it from finishing.
type JobResult struct {
	Job    Job
	Result *Result
	Err    error
}

// RunAllOptions tune RunAll.
type RunAllOptions struct {
	// Workers is the number of jobs run at once (≤ 0: 1). Results do not
	// depend on it.
	Workers int
	// Run is passed to each job's run. Its Trace writer is ignored: use
	// TraceFor.
	Run Options
	// TraceFor, when set, returns where job i streams its trace (closed by
	// RunAll after the run; nil: no trace).
	TraceFor func(i int, j Job) (io.WriteCloser, error)
	// Done, when set, is called once per job in job order (never
	// concurrently), as soon as that job and every job before it have
	// finished: results can be printed as they come, in a stable order.
	Done func(i int, r JobResult)
	// Keep says whether RunAll keeps the results it returns (false: the
	// returned slice holds only errors and nil results; Done sees them all).
	Keep bool
}

// RunAll runs the jobs on opt.Workers goroutines, each with its own engine,
// and returns their results in job order. Cancelling ctx stops jobs not yet
// started (their Err is the context's error) and running ones at their next
// time slice.
func RunAll(ctx context.Context, jobs []Job, opt RunAllOptions) []JobResult {
	workers := max(1, opt.Workers)
	out := make([]JobResult, len(jobs))
	for i := range jobs {
		out[i].Job = jobs[i]
	}
	done := make([]bool, len(jobs))
	var mu sync.Mutex
	nextReport := 0
	report := func(i int, r JobResult) {
		mu.Lock()
		defer mu.Unlock()
		out[i] = r
		done[i] = true
		for nextReport < len(jobs) && done[nextReport] {
			if opt.Done != nil {
				opt.Done(nextReport, out[nextReport])
			}
			if !opt.Keep {
				out[nextReport].Result = nil
			}
			nextReport++
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, max(1, len(jobs))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				report(i, runOne(ctx, i, jobs[i], opt))
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// PanicError is a panic inside a job's run, recovered on its worker: a
// bug, never the user's input (the CLI exits 3 with the stack in a file).
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic in a run: %v", e.Value) }

func runOne(ctx context.Context, i int, j Job, opt RunAllOptions) (jr JobResult) {
	jr.Job = j
	defer func() {
		if p := recover(); p != nil {
			jr.Result, jr.Err = nil, &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	if os.Getenv("NETDRILL_TEST_PANIC") == "run" {
		panic("netdrill: forced panic in a job (NETDRILL_TEST_PANIC=run)")
	}
	if err := ctx.Err(); err != nil {
		jr.Err = err
		return jr
	}
	ro := opt.Run
	ro.Trace = nil
	ro.Context = ctx
	var tw io.WriteCloser
	if opt.TraceFor != nil {
		w, err := opt.TraceFor(i, j)
		if err != nil {
			jr.Err = err
			return jr
		}
		tw = w
		if w != nil {
			ro.Trace = w
		}
	}
	jr.Result, jr.Err = RunJob(j, ro)
	if tw != nil {
		if err := tw.Close(); err != nil && jr.Err == nil {
			jr.Err = fmt.Errorf("writing trace: %w", err)
		}
	}
	return jr
}

// Shard selects a slice of a job list for one machine: shard Index (1 ≤
// Index ≤ Count) of Count takes the jobs whose index k has k mod Count ==
// Index−1. Merging the shards' outputs in job-index order gives the
// single-machine result. The zero Shard selects everything.
type Shard struct{ Index, Count int }

// All reports whether s selects every job.
func (s Shard) All() bool { return s.Count <= 1 }

// Has reports whether job k belongs to the shard.
func (s Shard) Has(k int) bool { return s.All() || k%s.Count == s.Index-1 }

// Select returns the indices of the jobs among n that the shard takes.
func (s Shard) Select(n int) []int {
	var out []int
	for k := 0; k < n; k++ {
		if s.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

func (s Shard) String() string {
	if s.All() {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard reads "i/N" (1 ≤ i ≤ N). An empty string reads the
// environment of a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based)
// and JOB_COMPLETION_COUNT; with neither set it is the whole job list.
func ParseShard(s string) (Shard, error) {
	return parseShard(s, os.Getenv)
}

func parseShard(s string, getenv func(string) string) (Shard, error) {
	if s == "" {
		idx, cnt := getenv("JOB_COMPLETION_INDEX"), getenv("JOB_COMPLETION_COUNT")
		if idx == "" && cnt == "" {
			return Shard{}, nil
		}
		if idx == "" || cnt == "" {
			return Shard{}, errors.New("shard: JOB_COMPLETION_INDEX and JOB_COMPLETION_COUNT must be set together")
		}
		i, err1 := strconv.Atoi(idx)
		n, err2 := strconv.Atoi(cnt)
		if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			return Shard{}, fmt.Errorf("shard: JOB_COMPLETION_INDEX=%q JOB_COMPLETION_COUNT=%q: want 0 ≤ index < count", idx, cnt)
		}
		return Shard{Index: i + 1, Count: n}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/N with 1 ≤ i ≤ N (e.g. 2/8)", s)
	}
	return Shard{Index: i, Count: n}, nil
}
