package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/netdrill/netdrill/scenarios"
)

// traceSink is where one run's trace streams: the output set of -o DIR
// (checked before the run, replaced whole at the end), or, for --tui
// alone, a temporary file the replay reads back. Close it when done
// (deferred): it aborts an uncommitted set and removes a temporary file.
type traceSink struct {
	set  *scenarios.OutputSet
	file *os.File
	temp bool
}

// openTraceSink opens the sink for -o outDir and --tui; both empty: no
// trace is written (nil sink, whose methods do nothing).
func openTraceSink(outDir string, withTUI bool) (*traceSink, error) {
	switch {
	case outDir != "":
		set, err := scenarios.CreateOutputSet(outDir)
		if err != nil {
			return nil, invalid(fmt.Errorf("-o: %w", err))
		}
		f, err := set.Create("trace.jsonl")
		if err != nil {
			set.Abort()
			return nil, invalid(fmt.Errorf("-o %s: %w (choose a directory you can write to)", outDir, err))
		}
		return &traceSink{set: set, file: f}, nil
	case withTUI:
		f, err := os.CreateTemp("", "netdrill-run-*.jsonl")
		if err != nil {
			return nil, &exitError{code: exitInternal, err: err}
		}
		return &traceSink{file: f, temp: true}, nil
	}
	return nil, nil
}

// options points the run's trace at the sink.
func (s *traceSink) options(opt scenarios.Options) scenarios.Options {
	if s != nil {
		opt.Trace = s.file
	}
	return opt
}

// finish closes the trace and, for an output set, writes the reports and
// commits the set.
func (s *traceSink) finish(res *scenarios.Result) error {
	if s == nil {
		return nil
	}
	if err := s.file.Close(); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	if s.set == nil {
		return nil
	}
	if err := s.set.WriteReports(res); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	if err := s.set.Commit(); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	return nil
}

// tracePath is where the finished trace is (for the replay).
func (s *traceSink) tracePath() string {
	if s.set != nil {
		return filepath.Join(s.set.Dir(), "trace.jsonl")
	}
	return s.file.Name()
}

// wrote is the user's line naming the files of the set ("" without -o).
func (s *traceSink) wrote() string {
	if s == nil || s.set == nil {
		return ""
	}
	return fmt.Sprintf("wrote %s", filepath.Join(s.set.Dir(), "{trace.jsonl,report.json,report.md,junit.xml,report.html}"))
}

// close releases what the sink still holds.
func (s *traceSink) close() {
	if s == nil {
		return
	}
	s.file.Close()
	if s.set != nil {
		s.set.Abort()
	}
	if s.temp {
		os.Remove(s.file.Name())
	}
}
