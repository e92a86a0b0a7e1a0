package shard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mk(t *testing.T, total int, shard string, meta string, jobs ...int) *File {
	t.Helper()
	f, err := New("sweep", total, shard, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if err := f.Add(j, map[string]int{"job": j}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestFold(t *testing.T) {
	a, b := mk(t, 3, "1/2", "m", 0, 2), mk(t, 3, "2/2", "m", 1)
	whole, err := Fold([]string{"a", "b"}, []*File{b, a})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Shard != "1/1" || len(whole.Rows) != 3 || whole.Rows[0].Job != 0 || whole.Rows[2].Job != 2 {
		t.Errorf("%+v", whole)
	}
	for _, tc := range []struct {
		files []*File
		msg   string
	}{
		{[]*File{a}, "1 of 3 jobs missing"},
		{[]*File{a, a, b}, "job 0 is in both"},
		{[]*File{a, mk(t, 3, "2/2", "other", 1)}, "different runs"},
		{[]*File{a, mk(t, 4, "2/2", "m", 1)}, "different runs"},
		{[]*File{a, mk(t, 3, "2/2", "m", 7)}, "out of range"},
	} {
		names := []string{"a", "b", "c"}[:len(tc.files)]
		if _, err := Fold(names, tc.files); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("want %q, got %v", tc.msg, err)
		}
	}
}

func TestReadWrite(t *testing.T) {
	dir := t.TempDir()
	f := mk(t, 2, "1/1", "m", 0, 1)
	if err := f.Write(dir); err != nil {
		t.Fatal(err)
	}
	g, err := Read(dir)
	if err != nil || g.Total != 2 || len(g.Rows) != 2 {
		t.Fatalf("%+v %v", g, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format":"netdrill-shard/9","kind":"sweep"}`), 0o644)
	if _, err := Read(bad); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("bad format: %v", err)
	}
	os.WriteFile(bad, []byte(`{"trials": 3}`), 0o644)
	if _, err := Read(bad); err == nil {
		t.Error("unknown field accepted")
	}
}

// Any bytes: an error or a file, never a panic; a parsed file folds alone
// or says why not.
func FuzzParse(f *testing.F) {
	g, _ := New("sweep", 2, "1/1", "m")
	_ = g.Add(0, 1)
	_ = g.Add(1, 2)
	b, _ := g.Marshal()
	f.Add(b)
	f.Add([]byte(`{"format":"netdrill-shard/1","kind":"sweep","total_jobs":1,"shard":"1/1","meta":{},"rows":[{"job":0,"data":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := Parse("fuzz", data)
		if err != nil {
			return
		}
		_, _ = Fold([]string{"fuzz"}, []*File{sf})
	})
}
