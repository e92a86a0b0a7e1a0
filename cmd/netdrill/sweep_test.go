package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scenariosDir = "../../examples/scenarios/"

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d files vs %d", what, len(a), len(b))
	}
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

// The quad review: every single failure fails over within 1s; the table
// says so and shows the facility's pool congestion. Outputs do not depend
// on the worker count; shards merged equal the whole.
func TestSweepQuadReview(t *testing.T) {
	tmp := t.TempDir()
	sc := scenariosDir + "quad-review.toml"
	w1, w2 := filepath.Join(tmp, "w1"), filepath.Join(tmp, "w2")
	out, errOut, code := execute(t, "sweep", sc, "--depth", "2", "--workers", "1", "-o", w1)
	if code != exitFailed { // some pairs exceed the objective
		t.Fatalf("code %d: %s\n%s", code, out, errOut)
	}
	if _, _, code := execute(t, "sweep", sc, "--depth", "2", "--workers", "2", "-o", w2); code != exitFailed {
		t.Fatalf("workers 2: code %d", code)
	}
	whole := readAll(t, w1)
	sameFiles(t, "workers 1 vs 2", whole, readAll(t, w2))
	for _, name := range []string{"report.md", "report.json", "report.html", "junit.xml", "shard.json"} {
		if whole[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	s1, s2, m := filepath.Join(tmp, "s1"), filepath.Join(tmp, "s2"), filepath.Join(tmp, "merged")
	for i, dir := range []string{s1, s2} {
		if _, errOut, code := execute(t, "sweep", sc, "--depth", "2", "--shard", []string{"1/2", "2/2"}[i], "-o", dir); code != exitOK {
			t.Fatalf("shard: code %d %s", code, errOut)
		}
	}
	mout, _, code := execute(t, "merge", "-o", m, s2, s1)
	if code != exitFailed {
		t.Fatalf("merge: code %d", code)
	}
	sameFiles(t, "merged vs whole", whole, readAll(t, m))
	if mout != out {
		t.Errorf("merge printed a different table:\n%s\n%s", mout, out)
	}
	if _, _, code := execute(t, "merge", s1); code != exitInvalid {
		t.Errorf("merge of one shard of two: code %d", code)
	}

	out, _, code = execute(t, "sweep", sc)
	if code != exitOK || !strings.Contains(out, "14 of 14 failure sets keep every expectation") ||
		!strings.Contains(out, "facility-down aws-gcp-fac1   2") || !strings.Contains(out, "(pool aws-gcp-pool)") {
		t.Errorf("depth 1: code %d\n%s", code, out)
	}
}

func TestSweepInvalid(t *testing.T) {
	sc := scenariosDir + "quad-review.toml"
	for _, args := range [][]string{
		{"sweep", sc, "--kinds", "link,volcano"},
		{"sweep", sc, "--depth", "3"},
		{"sweep", sc, "--shard", "3/2"},
		{"sweep", sc, "--at", "1h"},
		{"sweep", "nope.toml"},
	} {
		if _, _, code := execute(t, args...); code != exitInvalid {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
}
