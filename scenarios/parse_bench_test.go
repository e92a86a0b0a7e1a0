package scenarios

import (
	"io/fs"
	"testing"

	"github.com/netdrill/netdrill/examples"
)

// BenchmarkLoadExamples loads every example scenario (and its topology)
// from the embedded files: the cost of `check`'s load step.
func BenchmarkLoadExamples(b *testing.B) {
	files, err := fs.Glob(examples.FS, "scenarios/*.toml")
	if err != nil || len(files) == 0 {
		b.Fatal(files, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := LoadFS(examples.FS, f); err != nil {
				b.Fatal(err)
			}
		}
	}
}
