// Package shard is the file format of one shard of a job list (a sweep, a
// chaos campaign) and the fold that merges shards back into the whole.
//
// A shard file (shard.json) says what produced it (Kind), how many jobs
// the whole run has, which shard it is, a Meta block that every shard of
// one run shares byte for byte (the planner's description of the run), and
// its rows keyed by job index. Fold checks that the shards belong together
// (same kind, format, total and meta), that no job appears twice and that
// every job is present, and returns the rows in job order: exactly what a
// single machine would have produced. What a row holds is up to the kind.
package shard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// Format is the version of the shard file format.
const Format = "netdrill-shard/1"

// FileName is the name of a shard file in an output directory.
const FileName = "shard.json"

// File is one shard's output.
type File struct {
	Format string          `json:"format"`
	Kind   string          `json:"kind"`
	Total  int             `json:"total_jobs"`
	Shard  string          `json:"shard"` // "i/N"; "1/1" for a whole run or a fold
	Meta   json.RawMessage `json:"meta"`
	Rows   []Row           `json:"rows"`
}

// Row is one job's result.
type Row struct {
	Job  int             `json:"job"`
	Data json.RawMessage `json:"data"`
}

// New makes a shard file of kind with meta (marshalled once, so that every
// shard carries the same bytes).
func New(kind string, total int, shard string, meta any) (*File, error) {
	m, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	return &File{Format: Format, Kind: kind, Total: total, Shard: shard, Meta: m}, nil
}

// Add appends job's row.
func (f *File) Add(job int, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	f.Rows = append(f.Rows, Row{Job: job, Data: b})
	return nil
}

// Marshal encodes the file (indented, one trailing newline).
func (f *File) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Write writes dir/shard.json atomically.
func (f *File) Write(dir string) error {
	b, err := f.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return trace.WriteFileAtomic(filepath.Join(dir, FileName), b)
}

// Read reads a shard file, or dir/shard.json when path is a directory.
func Read(path string) (*File, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, FileName)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// Parse decodes a shard file's bytes; name labels errors.
func Parse(name string, b []byte) (*File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a shard file: %w", name, err)
	}
	if f.Format != Format {
		return nil, fmt.Errorf("%s: format %q, want %q", name, f.Format, Format)
	}
	if f.Total < 0 {
		return nil, fmt.Errorf("%s: total_jobs %d < 0", name, f.Total)
	}
	return &f, nil
}

// Fold merges shards of one run into the whole: rows in job order, shard
// "1/1". names label the files in errors.
func Fold(names []string, files []*File) (*File, error) {
	if len(files) == 0 {
		return nil, errors.New("merge: no shard files")
	}
	first := files[0]
	out := &File{Format: Format, Kind: first.Kind, Total: first.Total, Shard: "1/1", Meta: first.Meta}
	seen := make(map[int]string, first.Total)
	for k, f := range files {
		switch {
		case f.Kind != first.Kind:
			return nil, fmt.Errorf("merge: %s is a %q shard, %s a %q one", names[k], f.Kind, names[0], first.Kind)
		case f.Total != first.Total:
			return nil, fmt.Errorf("merge: %s has %d jobs in all, %s %d: shards of different runs", names[k], f.Total, names[0], first.Total)
		case !bytes.Equal(f.Meta, first.Meta):
			return nil, fmt.Errorf("merge: %s and %s describe different runs (their meta differ)", names[k], names[0])
		}
		for _, r := range f.Rows {
			if r.Job < 0 || r.Job >= f.Total {
				return nil, fmt.Errorf("merge: %s: job %d out of range [0, %d)", names[k], r.Job, f.Total)
			}
			if prev, dup := seen[r.Job]; dup {
				return nil, fmt.Errorf("merge: job %d is in both %s and %s", r.Job, prev, names[k])
			}
			seen[r.Job] = names[k]
			out.Rows = append(out.Rows, r)
		}
	}
	if len(out.Rows) != out.Total {
		var missing []int
		for j := 0; j < out.Total && len(missing) < 10; j++ {
			if _, ok := seen[j]; !ok {
				missing = append(missing, j)
			}
		}
		return nil, fmt.Errorf("merge: %d of %d jobs missing (first: %v): a shard is absent", out.Total-len(out.Rows), out.Total, missing)
	}
	slices.SortFunc(out.Rows, func(a, b Row) int { return a.Job - b.Job })
	return out, nil
}
