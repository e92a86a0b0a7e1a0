package topology

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics; whatever it accepts, WriteTOML writes in a
// form that loads back into an equal model, and Analyze runs on it.
// Run: go test -run '^$' -fuzz FuzzParse -fuzztime 30s ./topology
func FuzzParse(f *testing.F) {
	for _, path := range examples(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(base))
	for _, c := range malformedCases {
		if c.full {
			f.Add([]byte(c.src))
		} else {
			f.Add([]byte(base + c.src))
		}
	}
	f.Add([]byte(intentSites + "[[interconnect]]\nname = \"q\"\nkind = \"aws-gcp-multicloud\"\nbetween = [\"aws-use1\", \"gcp-us-east4\"]\nbandwidth = \"10Gbps\"\nchannel_ports = 2\npool_capacity = \"10Gbps\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := Parse("fuzz.toml", data)
		if err != nil {
			if _, ok := err.(*ErrorList); !ok {
				t.Fatalf("error is %T, not *ErrorList", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteTOML(&buf, topo); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("expanded.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("expanded form does not load: %v\n%s", err, buf.String())
		}
		back.SHA256 = topo.SHA256 // the digest is of the bytes, which differ
		// The same warnings (key and message), at the expanded text's positions.
		if len(back.Warnings) != len(topo.Warnings) {
			t.Fatalf("round trip: %d warnings, then %d\n%s", len(topo.Warnings), len(back.Warnings), buf.String())
		}
		for i, w := range topo.Warnings {
			if b := back.Warnings[i]; b.Key != w.Key || b.Msg != w.Msg {
				t.Fatalf("round trip: warning %q %q, then %q %q", w.Key, w.Msg, b.Key, b.Msg)
			}
		}
		back.Warnings = topo.Warnings
		if !reflect.DeepEqual(topo, back) {
			t.Fatalf("round trip differs\n%s", buf.String())
		}
		if len(topo.Routers) <= 24 && len(topo.Sites) <= 8 {
			Analyze(topo)
		}
	})
}

// FuzzShapeAndPositions: the pre-parse shape check and the position
// scanner never panic on any bytes, and the scanner's incremental
// positions agree with counting from the start of the line.
// Run: go test -run '^$' -fuzz FuzzShapeAndPositions -fuzztime 30s ./topology
func FuzzShapeAndPositions(f *testing.F) {
	for _, path := range examples(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, []byte{0, 10, 200, 3})
	}
	f.Add([]byte("a = [[[[1]]]]\nb = { c = [1, 2, {d = \"é\"}] }\n"), []byte{5, 1, 9})
	f.Add([]byte("s = \"\"\"x\n[[y]]\"\"\"\n[[z]]\n"), []byte{7})
	f.Fuzz(func(t *testing.T, data, offsets []byte) {
		_ = checkShape("fuzz.toml", data)
		src := string(data)
		indexPositions(src)
		s := &posScanner{src: src, lineStarts: []int{0}}
		for i := 0; i < len(src); i++ {
			if src[i] == '\n' {
				s.lineStarts = append(s.lineStarts, i+1)
			}
		}
		at := 0
		for _, o := range offsets {
			if len(src) == 0 {
				return
			}
			// Mostly forward, sometimes back, as the scanner asks.
			if o&1 == 1 {
				at = (at + int(o)) % (len(src) + 1)
			} else {
				at = int(o) * len(src) / 255
			}
			got := s.posAt(at)
			want := naivePos(src, at)
			if got != want {
				t.Fatalf("posAt(%d) = %v, want %v", at, got, want)
			}
		}
	})
}

func naivePos(src string, i int) pos {
	line, start := 1, 0
	for k := 0; k < i && k < len(src); k++ {
		if src[k] == '\n' {
			line++
			start = k + 1
		}
	}
	n := 0
	for range src[start:min(i, len(src))] {
		n++
	}
	return pos{Line: line, Col: n + 1}
}
